import { and, desc, eq, gt, inArray, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import {
  conversationParticipants,
  conversations,
  messages,
  notifications,
  type MessageRow,
} from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import { appendEvents } from '../realtime/event-log.js';
import { TOPICS, type RealtimeEventInput } from '../realtime/types.js';
import { appendAudit } from './audit.js';
import { MAX_MESSAGE_LENGTH, MessagingErrors } from './conversation-errors.js';
import {
  type ConversationDto,
  type ConversationState,
  conversationChangeEvents,
  loadConversations,
  type MessageDto,
  type MessagingActor,
  participantOf,
  participantRefs,
  readMessagingSettings,
  refKey,
  requireConversation,
  resolveNames,
  toConversationDto,
  toMessageDto,
  totalUnread,
} from './conversation-views.js';
import { anyBlockBetween } from './member-blocks.js';
import { createNotifications } from './notifications.js';
import type { ServiceDeps } from './service-deps.js';

/** Characters of the newest message kept as the conversation's preview. */
const PREVIEW_LENGTH = 140;

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** The id body right after `body` (base32 + 1), so ids made in one millisecond still sort in send order. */
function nextIdBody(body: string): string {
  const chars = body.split('');
  for (let i = chars.length - 1; i >= 0; i--) {
    const digit = CROCKFORD.indexOf(chars[i]!);
    if (digit < CROCKFORD.length - 1) {
      chars[i] = CROCKFORD[digit + 1]!;
      return chars.join('');
    }
    chars[i] = '0';
  }
  return chars.join('');
}

/** Checks a message body: 1 to 4,000 characters, not only white space (413 when too long, 422 when empty). */
export function checkMessageBody(body: string): string {
  if (body.length > MAX_MESSAGE_LENGTH)
    throw new ApiError(
      MessagingErrors.MESSAGE_TOO_LONG,
      `A message holds at most ${MAX_MESSAGE_LENGTH} characters; this one has ${body.length}.`,
    );
  if (body.trim().length === 0)
    throw new ApiError(MessagingErrors.INVALID_CONVERSATION, 'A message needs a body (not only white space).');
  return body;
}

/** Whether the actor may post into the conversation now; throws the reason when not. */
async function checkMaySend(tx: Tx, actor: MessagingActor, state: ConversationState): Promise<void> {
  const own = participantOf(state, actor);
  if (actor.type === 'member') {
    if (!own || own.leftAt)
      throw new ApiError(MessagingErrors.NOT_A_PARTICIPANT, 'You left this conversation; you can no longer post.');
  } else {
    if (!actor.can.write)
      throw new ApiError(MessagingErrors.NOT_ALLOWED, 'Replying needs the permission message:write.');
    if (state.row.kind !== 'support' && (!own || own.leftAt))
      throw new ApiError(
        MessagingErrors.NOT_A_PARTICIPANT,
        'Staff post in direct and group conversations only as participants.',
      );
  }
  if (state.row.locked)
    throw new ApiError(MessagingErrors.CONVERSATION_LOCKED, 'This conversation is locked by a moderator.');
  if (actor.type === 'member' && state.row.kind !== 'support') {
    const settings = await readMessagingSettings(tx, actor.tenantId);
    if (!settings.memberMessaging)
      throw new ApiError(
        MessagingErrors.MEMBER_MESSAGING_DISABLED,
        'This community does not allow messages between members.',
      );
    if (state.row.kind === 'direct') {
      const others = state.participants.filter((p) => p.participantType === 'member').map((p) => p.participantId);
      if (await anyBlockBetween(tx, actor.tenantId, others))
        throw new ApiError(MessagingErrors.MEMBER_BLOCKED, 'One of you has blocked the other.');
    }
  }
}

/** What one send produced: the message, whether it is new (not a replay of its `client_id`), and the state after it. */
export interface PostedMessage {
  message: MessageDto;
  created: boolean;
  state: ConversationState;
}

/**
 * Stores a message in the caller's transaction (the conversation row must be locked):
 * counts it unread for the other participants, updates the conversation's preview,
 * notifies the member participants (one unread `message` notification per conversation
 * at a time) and appends the events. A repeated `client_id` of the same sender returns
 * the stored message without a second one.
 */
export async function postMessage(
  deps: ServiceDeps,
  tx: Tx,
  actor: MessagingActor,
  state: ConversationState,
  input: { body: string; clientId?: string | undefined },
  options: { inboxType?: 'conversation.created' } = {},
): Promise<PostedMessage> {
  const tenantId = actor.tenantId;
  const conversationId = state.row.id;
  const body = checkMessageBody(input.body);
  const replay = async (): Promise<PostedMessage | null> => {
    if (!input.clientId) return null;
    const [existing] = await tx
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.tenantId, tenantId),
          eq(messages.conversationId, conversationId),
          eq(messages.senderType, actor.type),
          eq(messages.senderId, actor.id),
          eq(messages.clientId, input.clientId),
        ),
      )
      .limit(1);
    if (!existing) return null;
    const names = await resolveNames(tx, tenantId, [{ type: existing.senderType, id: existing.senderId }]);
    return { message: toMessageDto(existing, names), created: false, state };
  };
  const replayed = await replay();
  if (replayed) return replayed;

  const now = deps.clock.now();
  const [last] = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), eq(messages.conversationId, conversationId)))
    .orderBy(desc(messages.id))
    .limit(1);
  let id = deps.ids.generate('msg');
  if (last && id <= last.id) id = `msg_${nextIdBody(last.id.slice(4))}`;
  const [row] = await tx
    .insert(messages)
    .values({
      tenantId,
      id,
      conversationId,
      senderType: actor.type,
      senderId: actor.id,
      body,
      clientId: input.clientId ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) {
    const again = await replay();
    if (again) return again;
    throw new Error('message insert conflicted without a stored message');
  }

  await tx
    .update(conversations)
    .set({
      lastMessageAt: now,
      lastMessagePreview: body.slice(0, PREVIEW_LENGTH),
      updatedAt: now,
      ...(state.row.kind === 'support' && actor.type === 'member' ? { status: 'open' as const } : {}),
    })
    .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, conversationId)));
  await tx
    .update(conversationParticipants)
    .set({ unreadCount: sql`${conversationParticipants.unreadCount} + 1` })
    .where(
      and(
        eq(conversationParticipants.tenantId, tenantId),
        eq(conversationParticipants.conversationId, conversationId),
        isNull(conversationParticipants.leftAt),
        or(
          ne(conversationParticipants.participantType, actor.type),
          ne(conversationParticipants.participantId, actor.id),
        ),
      ),
    );
  if (participantOf(state, actor)) {
    await tx
      .update(conversationParticipants)
      .set({ lastReadMessageId: id, lastReadAt: now, unreadCount: 0 })
      .where(
        and(
          eq(conversationParticipants.tenantId, tenantId),
          eq(conversationParticipants.conversationId, conversationId),
          eq(conversationParticipants.participantType, actor.type),
          eq(conversationParticipants.participantId, actor.id),
        ),
      );
  } else {
    // Staff replying to a support conversation join it: their read state is kept from here on.
    await tx.insert(conversationParticipants).values({
      tenantId,
      conversationId,
      participantType: actor.type,
      participantId: actor.id,
      lastReadMessageId: id,
      lastReadAt: now,
      joinedAt: now,
    });
  }
  const [after] = await loadConversations(tx, tenantId, [conversationId]);
  const next = after ?? state;
  const names = await resolveNames(tx, tenantId, [...participantRefs([next]), { type: actor.type, id: actor.id }]);
  const message = toMessageDto(row, names);
  const senderName = names.get(refKey(actor.type, actor.id)) ?? 'Someone';

  const recipients = next.participants
    .filter(
      (p) =>
        p.participantType === 'member' &&
        !p.leftAt &&
        !p.muted &&
        !(actor.type === 'member' && p.participantId === actor.id),
    )
    .map((p) => p.participantId);
  if (recipients.length > 0) {
    const pending = await tx
      .select({ memberId: notifications.memberId })
      .from(notifications)
      .where(
        and(
          eq(notifications.tenantId, tenantId),
          inArray(notifications.memberId, recipients),
          eq(notifications.type, 'message'),
          isNull(notifications.readAt),
          sql`${notifications.data}->>'conversation_id' = ${conversationId}`,
        ),
      );
    const covered = new Set(pending.map((p) => p.memberId));
    const title =
      next.row.kind === 'group' && next.row.title
        ? `${senderName} in ${next.row.title}`
        : `New message from ${senderName}`;
    await createNotifications(
      deps,
      tx,
      tenantId,
      recipients
        .filter((memberId) => !covered.has(memberId))
        .map((memberId) => ({
          memberId,
          type: 'message' as const,
          title: title.slice(0, 200),
          body: body.slice(0, PREVIEW_LENGTH),
          data: { conversation_id: conversationId, message_id: id },
        })),
    );
  }

  const messageEvents: RealtimeEventInput[] = [
    { topic: TOPICS.conversation(conversationId), type: 'message.created', data: { ...message } },
  ];
  if (next.row.kind === 'support')
    messageEvents.push({ topic: TOPICS.inbox, type: 'message.created', data: { ...message } });
  const changeEvents = await conversationChangeEvents(tx, tenantId, next, names, options);
  // A new conversation is announced before its first message.
  const events =
    options.inboxType === 'conversation.created'
      ? [...changeEvents, ...messageEvents]
      : [...messageEvents, ...changeEvents];
  await appendEvents(deps, tx, tenantId, events);
  return { message, created: true, state: next };
}

/** Sends a message into a conversation the actor may post in. */
export async function sendMessage(
  deps: ServiceDeps,
  actor: MessagingActor,
  conversationId: string,
  input: { body: string; clientId?: string | undefined },
): Promise<{ message: MessageDto; created: boolean }> {
  checkMessageBody(input.body);
  return deps.db.withTenant(actor.tenantId, async (tx) => {
    const state = await requireConversation(tx, actor, conversationId, { forUpdate: true });
    await checkMaySend(tx, actor, state);
    const { message, created } = await postMessage(deps, tx, actor, state, input);
    return { message, created };
  });
}

/** A page of messages, newest first: `limit + 1` rows after (older than) `before`. Members who left see the history up to then. */
export async function listMessages(
  deps: ServiceDeps,
  actor: MessagingActor,
  conversationId: string,
  page: { limit: number; before?: string | undefined },
): Promise<(MessageDto & { id: string })[]> {
  return deps.db.withTenant(actor.tenantId, async (tx) => {
    const state = await requireConversation(tx, actor, conversationId);
    const leftAt = participantOf(state, actor)?.leftAt ?? null;
    const rows = await tx
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.tenantId, actor.tenantId),
          eq(messages.conversationId, conversationId),
          page.before ? lt(messages.id, page.before) : undefined,
          leftAt ? lte(messages.createdAt, leftAt) : undefined,
        ),
      )
      .orderBy(desc(messages.id))
      .limit(page.limit + 1);
    const names = await resolveNames(
      tx,
      actor.tenantId,
      rows.map((r) => ({ type: r.senderType, id: r.senderId })),
    );
    return rows.map((r) => toMessageDto(r, names));
  });
}

async function requireMessage(tx: Tx, state: ConversationState, messageId: string): Promise<MessageRow> {
  const [row] = messageId.startsWith('msg_')
    ? await tx
        .select()
        .from(messages)
        .where(
          and(
            eq(messages.tenantId, state.row.tenantId),
            eq(messages.conversationId, state.row.id),
            eq(messages.id, messageId),
          ),
        )
        .limit(1)
    : [];
  if (!row) throw new ApiError(MessagingErrors.MESSAGE_NOT_FOUND, `No message ${messageId} in this conversation.`);
  return row;
}

/** Recomputes the preview from the newest message not deleted (after an edit or deletion of the newest). */
async function refreshPreview(tx: Tx, state: ConversationState, now: Date): Promise<void> {
  const [newest] = await tx
    .select({ body: messages.body })
    .from(messages)
    .where(
      and(
        eq(messages.tenantId, state.row.tenantId),
        eq(messages.conversationId, state.row.id),
        isNull(messages.deletedAt),
      ),
    )
    .orderBy(desc(messages.id))
    .limit(1);
  await tx
    .update(conversations)
    .set({ lastMessagePreview: newest ? newest.body.slice(0, PREVIEW_LENGTH) : null, updatedAt: now })
    .where(and(eq(conversations.tenantId, state.row.tenantId), eq(conversations.id, state.row.id)));
}

/** Edits the actor's own message (not deleted, conversation not locked). */
export async function editMessage(
  deps: ServiceDeps,
  actor: MessagingActor,
  conversationId: string,
  messageId: string,
  body: string,
): Promise<MessageDto> {
  checkMessageBody(body);
  return deps.db.withTenant(actor.tenantId, async (tx) => {
    const state = await requireConversation(tx, actor, conversationId, { forUpdate: true });
    const row = await requireMessage(tx, state, messageId);
    if (row.senderType !== actor.type || row.senderId !== actor.id)
      throw new ApiError(MessagingErrors.NOT_ALLOWED, 'Only its sender may edit a message.');
    if (row.deletedAt) throw new ApiError(MessagingErrors.MESSAGE_DELETED, 'A deleted message cannot be edited.');
    if (state.row.locked)
      throw new ApiError(MessagingErrors.CONVERSATION_LOCKED, 'This conversation is locked by a moderator.');
    const own = participantOf(state, actor);
    if (actor.type === 'member' && own?.leftAt)
      throw new ApiError(MessagingErrors.NOT_A_PARTICIPANT, 'You left this conversation.');
    const now = deps.clock.now();
    const [updated] = await tx
      .update(messages)
      .set({ body, editedAt: now, updatedAt: now })
      .where(and(eq(messages.tenantId, actor.tenantId), eq(messages.id, messageId)))
      .returning();
    const isNewest = await isNewestMessage(tx, state, messageId);
    if (isNewest) await refreshPreview(tx, state, now);
    const [after] = await loadConversations(tx, actor.tenantId, [conversationId]);
    const names = await resolveNames(tx, actor.tenantId, [
      ...participantRefs([after ?? state]),
      { type: row.senderType, id: row.senderId },
    ]);
    const dto = toMessageDto(updated!, names);
    const events: RealtimeEventInput[] = [
      { topic: TOPICS.conversation(conversationId), type: 'message.updated', data: { ...dto } },
    ];
    if (isNewest && after) events.push(...(await conversationChangeEvents(tx, actor.tenantId, after, names)));
    await appendEvents(deps, tx, actor.tenantId, events);
    return dto;
  });
}

async function isNewestMessage(tx: Tx, state: ConversationState, messageId: string): Promise<boolean> {
  const [newer] = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.tenantId, state.row.tenantId),
        eq(messages.conversationId, state.row.id),
        gt(messages.id, messageId),
        isNull(messages.deletedAt),
      ),
    )
    .limit(1);
  return newer === undefined;
}

/**
 * Deletes a message: its sender, or staff with `message:moderate` (any message;
 * audited when it is not their own). The row stays with its body blanked; those
 * who had not read it count it unread no more.
 */
export async function deleteMessage(
  deps: ServiceDeps,
  actor: MessagingActor,
  conversationId: string,
  messageId: string,
): Promise<MessageDto> {
  return deps.db.withTenant(actor.tenantId, async (tx) => {
    const state = await requireConversation(tx, actor, conversationId, { forUpdate: true });
    const row = await requireMessage(tx, state, messageId);
    const own = row.senderType === actor.type && row.senderId === actor.id;
    const moderating = !own && actor.type === 'staff' && actor.can.moderate;
    if (!own && !moderating)
      throw new ApiError(
        MessagingErrors.NOT_ALLOWED,
        actor.type === 'staff'
          ? "Deleting another's message needs the permission message:moderate."
          : 'Only its sender may delete a message.',
      );
    const names = await resolveNames(tx, actor.tenantId, [{ type: row.senderType, id: row.senderId }]);
    if (row.deletedAt) return toMessageDto(row, names);
    const now = deps.clock.now();
    const [updated] = await tx
      .update(messages)
      .set({ body: '', deletedAt: now, deletedByType: actor.type, updatedAt: now })
      .where(and(eq(messages.tenantId, actor.tenantId), eq(messages.id, messageId)))
      .returning();
    // Whoever had not read it yet no longer counts it.
    await tx
      .update(conversationParticipants)
      .set({ unreadCount: sql`greatest(${conversationParticipants.unreadCount} - 1, 0)` })
      .where(
        and(
          eq(conversationParticipants.tenantId, actor.tenantId),
          eq(conversationParticipants.conversationId, conversationId),
          isNull(conversationParticipants.leftAt),
          or(
            ne(conversationParticipants.participantType, row.senderType),
            ne(conversationParticipants.participantId, row.senderId),
          ),
          or(
            isNull(conversationParticipants.lastReadMessageId),
            lt(conversationParticipants.lastReadMessageId, messageId),
          ),
          sql`${conversationParticipants.joinedAt} <= ${row.createdAt}`,
        ),
      );
    if (await isNewestMessage(tx, state, messageId)) await refreshPreview(tx, state, now);
    if (moderating)
      await appendAudit(tx, deps, actor.tenantId, actor.audit, [
        {
          action: 'message.deleted',
          targetType: 'message',
          targetId: messageId,
          diff: { conversation_id: conversationId, sender: { type: row.senderType, id: row.senderId } },
        },
      ]);
    const [after] = await loadConversations(tx, actor.tenantId, [conversationId]);
    const allNames = await resolveNames(tx, actor.tenantId, [
      ...participantRefs([after ?? state]),
      { type: row.senderType, id: row.senderId },
    ]);
    const events: RealtimeEventInput[] = [
      {
        topic: TOPICS.conversation(conversationId),
        type: 'message.deleted',
        data: { id: messageId, object: 'message', conversation_id: conversationId },
      },
    ];
    if (after) events.push(...(await conversationChangeEvents(tx, actor.tenantId, after, allNames)));
    await appendEvents(deps, tx, actor.tenantId, events);
    return toMessageDto(updated!, allNames);
  });
}

/**
 * Marks the conversation read up to `messageId` for the actor (a read receipt;
 * never moves backwards). Staff reading a support conversation join it. Returns the
 * conversation as the actor now sees it.
 */
export async function markRead(
  deps: ServiceDeps,
  actor: MessagingActor,
  conversationId: string,
  messageId: string,
): Promise<ConversationDto> {
  return deps.db.withTenant(actor.tenantId, async (tx) => {
    const state = await requireConversation(tx, actor, conversationId, { forUpdate: true });
    const message = await requireMessage(tx, state, messageId);
    const own = participantOf(state, actor);
    if (own?.leftAt) throw new ApiError(MessagingErrors.NOT_A_PARTICIPANT, 'You left this conversation.');
    if (!own && state.row.kind !== 'support')
      throw new ApiError(MessagingErrors.NOT_A_PARTICIPANT, 'Only participants keep read receipts here.');
    const now = deps.clock.now();
    const through = own?.lastReadMessageId && own.lastReadMessageId > message.id ? own.lastReadMessageId : message.id;
    const [{ n } = { n: 0 }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(messages)
      .where(
        and(
          eq(messages.tenantId, actor.tenantId),
          eq(messages.conversationId, conversationId),
          gt(messages.id, through),
          isNull(messages.deletedAt),
          or(ne(messages.senderType, actor.type), ne(messages.senderId, actor.id)),
        ),
      );
    if (own) {
      await tx
        .update(conversationParticipants)
        .set({ lastReadMessageId: through, lastReadAt: now, unreadCount: Number(n) })
        .where(
          and(
            eq(conversationParticipants.tenantId, actor.tenantId),
            eq(conversationParticipants.conversationId, conversationId),
            eq(conversationParticipants.participantType, actor.type),
            eq(conversationParticipants.participantId, actor.id),
          ),
        );
    } else {
      await tx.insert(conversationParticipants).values({
        tenantId: actor.tenantId,
        conversationId,
        participantType: actor.type,
        participantId: actor.id,
        lastReadMessageId: through,
        lastReadAt: now,
        unreadCount: Number(n),
        joinedAt: now,
      });
    }
    const [after] = await loadConversations(tx, actor.tenantId, [conversationId]);
    const next = after ?? state;
    const names = await resolveNames(tx, actor.tenantId, participantRefs([next]));
    const events: RealtimeEventInput[] = [];
    if (own?.lastReadMessageId !== through)
      events.push({
        topic: TOPICS.conversation(conversationId),
        type: 'conversation.read',
        data: {
          conversation_id: conversationId,
          participant: { type: actor.type, id: actor.id },
          last_read_message_id: through,
          read_at: now.toISOString(),
        },
      });
    if (actor.type === 'member') {
      const view = toConversationDto(next, names, actor);
      const totals = await totalUnread(tx, actor.tenantId, 'member', [actor.id]);
      events.push(
        { topic: TOPICS.member(actor.id), type: 'conversation.updated', data: { ...view } },
        { topic: TOPICS.member(actor.id), type: 'message.unread', data: { total_unread: totals.get(actor.id) ?? 0 } },
      );
    }
    await appendEvents(deps, tx, actor.tenantId, events);
    return toConversationDto(next, names, actor);
  });
}
