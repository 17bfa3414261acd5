import type { Context } from 'hono';
import type { Credential } from '../../access/credential.js';
import type { AppDeps } from '../../deps.js';
import type { AppEnv, AppRouteHandler } from '../../lib/context.js';
import { CursorValues, decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { idPageCursor, toIdPage } from '../../lib/page.js';
import { enforceRateLimits } from '../../middleware/rate-limit.js';
import { announceTyping } from '../../services/conversation-typing.js';
import { type MessagingActor, readMessagingSettings, staffActor } from '../../services/conversation-views.js';
import {
  addParticipant,
  type ConversationPosition,
  createConversation,
  type CreateConversationInput,
  getConversation,
  listConversations,
  removeParticipant,
  unreadSummary,
  updateConversation,
} from '../../services/conversations.js';
import { blockMember, listBlocks, unblockMember } from '../../services/member-blocks.js';
import { deleteMessage, editMessage, listMessages, markRead, sendMessage } from '../../services/messages.js';
import { ApiError } from '../../lib/errors.js';
import { MessagingErrors } from '../../services/conversation-errors.js';
import type {
  addParticipantRoute,
  blockMemberRoute,
  createConversationRoute,
  deleteMessageRoute,
  editMessageRoute,
  getConversationRoute,
  listBlocksRoute,
  listConversationsRoute,
  listMessagesRoute,
  markReadRoute,
  removeParticipantRoute,
  sendMessageRoute,
  typingRoute,
  unblockMemberRoute,
  unreadConversationsRoute,
  updateConversationRoute,
} from './messaging.routes.js';

type ActorCredential = Extract<Credential, { type: 'member' | 'secret_key' | 'staff' }>;

/** The messaging actor of a request: the member, or the staff user / secret key with its role's permissions. */
function actorOf<E extends AppEnv>(c: Context<E>, credential: ActorCredential): MessagingActor {
  if (credential.type === 'member') return { type: 'member', tenantId: credential.tenantId, id: credential.memberId };
  const id = credential.type === 'staff' ? credential.staffId : credential.id;
  return staffActor(credential.tenantId, id, credential.role, {
    actorType: credential.type === 'staff' ? 'staff' : 'api_key',
    actorId: id,
    requestId: c.var.requestId,
    ip: c.var.deps.clientIp?.(c) ?? null,
  });
}

/** Members are held to the tenant's `message_rate_per_minute` (429 with Retry-After before anything is stored). */
async function limitMemberMessages<E extends AppEnv>(c: Context<E>, actor: MessagingActor): Promise<void> {
  if (actor.type !== 'member') return;
  const deps: AppDeps = c.var.deps;
  const settings = await deps.db.withTenant(actor.tenantId, (tx) => readMessagingSettings(tx, actor.tenantId));
  await enforceRateLimits(c, [
    {
      policy: 'messages',
      key: `messages:${actor.tenantId}:${actor.id}`,
      limit: settings.messageRatePerMinute,
      windowSeconds: 60,
    },
  ]);
}

export const listConversationsHandler: AppRouteHandler<typeof listConversationsRoute> = async (c) => {
  const actor = actorOf(c, c.var.credential);
  const { limit, cursor, kind, status, assigned } = c.req.valid('query');
  const scope = `conversations:${actor.tenantId}:${actor.type}:${actor.id}`;
  const query = { kind: kind ?? null, status: status ?? null, assigned: assigned ?? null };
  let after: ConversationPosition | undefined;
  if (cursor !== undefined) {
    const [activityAt, id] = await decodeCursor(c.var.deps.secretBox, cursor, { scope, query }, [
      CursorValues.timestamp,
      CursorValues.id('cnv'),
    ]);
    after = { activityAt, id };
  }
  const rows = await listConversations(
    c.var.deps,
    actor,
    { kind, status, assigned },
    { limit, ...(after ? { after } : {}) },
  );
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return c.json(
    {
      object: 'list' as const,
      data: page.map(({ activityAt: _, ...dto }) => dto),
      has_more: hasMore,
      next_cursor:
        hasMore && last ? await encodeCursor(c.var.deps.secretBox, { scope, query }, [last.activityAt, last.id]) : null,
    },
    200,
  );
};

export const unreadConversationsHandler: AppRouteHandler<typeof unreadConversationsRoute> = async (c) => {
  const actor = actorOf(c, c.var.credential);
  return c.json(await unreadSummary(c.var.deps, actor), 200);
};

export const createConversationHandler: AppRouteHandler<typeof createConversationRoute> = async (c) => {
  const actor = actorOf(c, c.var.credential);
  const body = c.req.valid('json');
  let input: CreateConversationInput;
  const invalid = (detail: string) => new ApiError(MessagingErrors.INVALID_CONVERSATION, detail);
  if (body.kind === 'support') {
    if (body.body === undefined) throw invalid('A support conversation starts with a message: give body.');
    input = { kind: 'support', title: body.title, body: body.body, memberId: body.member_id };
  } else if (body.kind === 'direct') {
    if (!body.member_id) throw invalid('A direct conversation needs the member_id of the other member.');
    input = { kind: 'direct', memberId: body.member_id, body: body.body };
  } else {
    if (!body.title) throw invalid('A group needs a title.');
    if (!body.member_ids) throw invalid('A group needs member_ids.');
    input = { kind: 'group', title: body.title, memberIds: body.member_ids, body: body.body };
  }
  if (input.body !== undefined) await limitMemberMessages(c, actor);
  const result = await createConversation(c.var.deps, actor, input);
  return result.created ? c.json(result.conversation, 201) : c.json(result.conversation, 200);
};

export const getConversationHandler: AppRouteHandler<typeof getConversationRoute> = async (c) => {
  const actor = actorOf(c, c.var.credential);
  return c.json(await getConversation(c.var.deps, actor, c.req.valid('param').id), 200);
};

export const updateConversationHandler: AppRouteHandler<typeof updateConversationRoute> = async (c) => {
  const actor = actorOf(c, c.var.credential);
  const body = c.req.valid('json');
  const conversation = await updateConversation(c.var.deps, actor, c.req.valid('param').id, {
    title: body.title,
    status: body.status,
    assignedStaffId: body.assigned_staff_id,
    locked: body.locked,
    muted: body.muted,
  });
  return c.json(conversation, 200);
};

export const addParticipantHandler: AppRouteHandler<typeof addParticipantRoute> = async (c) => {
  const actor = actorOf(c, c.var.credential);
  const conversation = await addParticipant(c.var.deps, actor, c.req.valid('param').id, c.req.valid('json').member_id);
  return c.json(conversation, 200);
};

export const removeParticipantHandler: AppRouteHandler<typeof removeParticipantRoute> = async (c) => {
  const actor = actorOf(c, c.var.credential);
  const { id, member_id: memberId } = c.req.valid('param');
  return c.json(await removeParticipant(c.var.deps, actor, id, memberId), 200);
};

export const listMessagesHandler: AppRouteHandler<typeof listMessagesRoute> = async (c) => {
  const actor = actorOf(c, c.var.credential);
  const { id } = c.req.valid('param');
  const { limit, cursor } = c.req.valid('query');
  const scope = `messages:${actor.tenantId}:${id}`;
  const before = await idPageCursor(c.var.deps.secretBox, scope, 'msg', cursor);
  const rows = await listMessages(c.var.deps, actor, id, { limit, before });
  return c.json(await toIdPage(c.var.deps.secretBox, scope, rows, limit, (m) => m), 200);
};

export const sendMessageHandler: AppRouteHandler<typeof sendMessageRoute> = async (c) => {
  const actor = actorOf(c, c.var.credential);
  const { id } = c.req.valid('param');
  const body = c.req.valid('json');
  await limitMemberMessages(c, actor);
  const { message, created } = await sendMessage(c.var.deps, actor, id, { body: body.body, clientId: body.client_id });
  return created ? c.json(message, 201) : c.json(message, 200);
};

export const editMessageHandler: AppRouteHandler<typeof editMessageRoute> = async (c) => {
  const actor = actorOf(c, c.var.credential);
  const { id, message_id: messageId } = c.req.valid('param');
  return c.json(await editMessage(c.var.deps, actor, id, messageId, c.req.valid('json').body), 200);
};

export const deleteMessageHandler: AppRouteHandler<typeof deleteMessageRoute> = async (c) => {
  const actor = actorOf(c, c.var.credential);
  const { id, message_id: messageId } = c.req.valid('param');
  return c.json(await deleteMessage(c.var.deps, actor, id, messageId), 200);
};

export const markReadHandler: AppRouteHandler<typeof markReadRoute> = async (c) => {
  const actor = actorOf(c, c.var.credential);
  const { id } = c.req.valid('param');
  return c.json(await markRead(c.var.deps, actor, id, c.req.valid('json').message_id), 200);
};

export const typingHandler: AppRouteHandler<typeof typingRoute> = async (c) => {
  const credential = c.var.credential;
  const actor =
    credential.type === 'member'
      ? { tenantId: credential.tenantId, type: 'member' as const, id: credential.memberId }
      : { tenantId: credential.tenantId, type: 'staff' as const, id: credential.staffId };
  await announceTyping(c.var.deps, actor, c.req.param('id') ?? '');
  return c.body(null, 204);
};

export const listBlocksHandler: AppRouteHandler<typeof listBlocksRoute> = async (c) => {
  const { tenantId, memberId } = c.var.credential;
  const { limit, cursor } = c.req.valid('query');
  const scope = `blocks:${tenantId}:${memberId}`;
  const after = await idPageCursor(c.var.deps.secretBox, scope, 'mem', cursor);
  const rows = await listBlocks(c.var.deps, tenantId, memberId, { limit, ...(after ? { after } : {}) });
  return c.json(await toIdPage(c.var.deps.secretBox, scope, rows, limit, ({ id: _, ...dto }) => dto), 200);
};

export const blockMemberHandler: AppRouteHandler<typeof blockMemberRoute> = async (c) => {
  const { tenantId, memberId } = c.var.credential;
  return c.json(await blockMember(c.var.deps, tenantId, memberId, c.req.valid('param').member_id), 200);
};

export const unblockMemberHandler: AppRouteHandler<typeof unblockMemberRoute> = async (c) => {
  const { tenantId, memberId } = c.var.credential;
  await unblockMember(c.var.deps, tenantId, memberId, c.req.valid('param').member_id);
  return c.body(null, 204);
};
