import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { roleAllows, type Role } from '../access/permissions.js';
import type { Tx } from '../db/database.js';
import {
  apiKeys,
  conversationParticipants,
  conversations,
  members,
  messages,
  staffUsers,
  type ConversationParticipantRow,
  type ConversationRow,
  type MessageRow,
} from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import type { RealtimeEventInput } from '../realtime/types.js';
import { TOPICS } from '../realtime/types.js';
import type { AuditContext } from './audit-context.js';
import { getCommunitySettings } from './community-settings.js';
import { MessagingErrors } from './conversation-errors.js';

/**
 * Who acts on conversations: a member, or staff (a staff user or a secret key,
 * `id` = the staff user's or the key's id) with what its role allows.
 */
export type MessagingActor =
  | { type: 'member'; tenantId: string; id: string }
  | {
      type: 'staff';
      tenantId: string;
      id: string;
      can: { read: boolean; write: boolean; moderate: boolean };
      audit: AuditContext;
    };

/** The staff actor of a role (staff user or secret key). */
export function staffActor(tenantId: string, id: string, role: Role, audit: AuditContext): MessagingActor {
  return {
    type: 'staff',
    tenantId,
    id,
    can: {
      read: roleAllows(role, 'message:read'),
      write: roleAllows(role, 'message:write'),
      moderate: roleAllows(role, 'message:moderate'),
    },
    audit,
  };
}

/** The messaging rules of a tenant's community settings (defaults when it has none). */
export interface MessagingSettings {
  memberMessaging: boolean;
  supportInbox: boolean;
  messageRatePerMinute: number;
}

/** The community settings messaging depends on (H1's `getCommunitySettings`: the defaults when the tenant has none). */
export async function readMessagingSettings(tx: Tx, tenantId: string): Promise<MessagingSettings> {
  const { memberMessaging, supportInbox, messageRatePerMinute } = await getCommunitySettings(tx, tenantId);
  return { memberMessaging, supportInbox, messageRatePerMinute };
}

/** A conversation with its participants (left ones included). */
export interface ConversationState {
  row: ConversationRow;
  participants: ConversationParticipantRow[];
}

/** `type:id`, the key of a participant or sender in name maps. */
export const refKey = (type: string, id: string) => `${type}:${id}`;

export async function loadConversations(
  tx: Tx,
  tenantId: string,
  ids: readonly string[],
): Promise<ConversationState[]> {
  if (ids.length === 0) return [];
  const [rows, participants] = await Promise.all([
    tx
      .select()
      .from(conversations)
      .where(and(eq(conversations.tenantId, tenantId), inArray(conversations.id, [...ids]))),
    tx
      .select()
      .from(conversationParticipants)
      .where(
        and(
          eq(conversationParticipants.tenantId, tenantId),
          inArray(conversationParticipants.conversationId, [...ids]),
        ),
      )
      .orderBy(conversationParticipants.joinedAt, conversationParticipants.participantId),
  ]);
  const byId = new Map(rows.map((row) => [row.id, { row, participants: [] as ConversationParticipantRow[] }]));
  for (const p of participants) byId.get(p.conversationId)?.participants.push(p);
  return ids.flatMap((id) => {
    const state = byId.get(id);
    return state ? [state] : [];
  });
}

/** The actor's participant row (left or not), if any. */
export function participantOf(state: ConversationState, actor: { type: string; id: string }) {
  return state.participants.find((p) => p.participantType === actor.type && p.participantId === actor.id);
}

function notFound(id: string): ApiError {
  return new ApiError(MessagingErrors.CONVERSATION_NOT_FOUND, `No conversation ${id}.`);
}

/**
 * The conversation if the actor may read it, else 404 (unknown, another tenant's and
 * not theirs answer alike). Members: participants (also after leaving, for the
 * history up to then). Staff: `message:read` reads any conversation of the tenant.
 * `forUpdate` locks the conversation row (sends of one conversation are serialized).
 */
export async function requireConversation(
  tx: Tx,
  actor: MessagingActor,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<ConversationState> {
  if (!id.startsWith('cnv_') || id.length > 64) throw notFound(id);
  if (options.forUpdate)
    await tx
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.tenantId, actor.tenantId), eq(conversations.id, id)))
      .for('update');
  const [state] = await loadConversations(tx, actor.tenantId, [id]);
  if (!state) throw notFound(id);
  if (actor.type === 'member') {
    if (!participantOf(state, actor)) throw notFound(id);
  } else if (!actor.can.read && !participantOf(state, actor)) {
    throw notFound(id);
  }
  return state;
}

/** Display names of members (first and last name) and staff (the staff user's name, or the key's). */
export async function resolveNames(
  tx: Tx,
  tenantId: string,
  refs: Iterable<{ type: string; id: string }>,
): Promise<Map<string, string>> {
  const memberIds = new Set<string>();
  const staffIds = new Set<string>();
  const keyIds = new Set<string>();
  for (const ref of refs) {
    if (ref.type === 'member') memberIds.add(ref.id);
    else if (ref.id.startsWith('key_')) keyIds.add(ref.id);
    else staffIds.add(ref.id);
  }
  const names = new Map<string, string>();
  const [memberRows, staffRows, keyRows] = await Promise.all([
    memberIds.size
      ? tx
          .select({ id: members.id, first: members.firstName, last: members.lastName, deletedAt: members.deletedAt })
          .from(members)
          .where(and(eq(members.tenantId, tenantId), inArray(members.id, [...memberIds])))
      : [],
    staffIds.size
      ? tx
          .select({ id: staffUsers.id, name: staffUsers.name })
          .from(staffUsers)
          .where(and(eq(staffUsers.tenantId, tenantId), inArray(staffUsers.id, [...staffIds])))
      : [],
    keyIds.size
      ? tx
          .select({ id: apiKeys.id, name: apiKeys.name })
          .from(apiKeys)
          .where(and(eq(apiKeys.tenantId, tenantId), inArray(apiKeys.id, [...keyIds])))
      : [],
  ]);
  for (const m of memberRows)
    names.set(refKey('member', m.id), m.deletedAt ? 'Deleted member' : `${m.first} ${m.last}`.trim());
  for (const s of staffRows) names.set(refKey('staff', s.id), s.name);
  for (const k of keyIds) names.set(refKey('staff', k), 'Staff');
  for (const k of keyRows) if (k.name) names.set(refKey('staff', k.id), k.name);
  for (const id of memberIds) if (!names.has(refKey('member', id))) names.set(refKey('member', id), 'Deleted member');
  for (const id of staffIds) if (!names.has(refKey('staff', id))) names.set(refKey('staff', id), 'Staff');
  return names;
}

/** Names of every participant of `states`. */
export function participantRefs(states: readonly ConversationState[]) {
  return states.flatMap((s) => s.participants.map((p) => ({ type: p.participantType, id: p.participantId })));
}

/**
 * For staff who are not participants of a support conversation: member messages
 * since the last staff message (what awaits a reply), per conversation.
 */
export async function awaitingReplyCounts(
  tx: Tx,
  tenantId: string,
  conversationIds: readonly string[],
): Promise<Map<string, number>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await tx
    .select({ conversationId: messages.conversationId, n: sql<number>`count(*)::int` })
    .from(messages)
    .where(
      and(
        eq(messages.tenantId, tenantId),
        inArray(messages.conversationId, [...conversationIds]),
        eq(messages.senderType, 'member'),
        isNull(messages.deletedAt),
        sql`${messages.id} > coalesce((select max(s.id) from messages s where s.tenant_id = ${tenantId} and s.conversation_id = ${messages.conversationId} and s.sender_type = 'staff'), '')`,
      ),
    )
    .groupBy(messages.conversationId);
  return new Map(rows.map((r) => [r.conversationId, Number(r.n)]));
}

/** The conversation as the API returns it. */
export interface ConversationDto {
  id: string;
  object: 'conversation';
  kind: ConversationRow['kind'];
  title: string | null;
  status: ConversationRow['status'];
  assigned_staff_id: string | null;
  locked: boolean;
  participants: {
    type: 'member' | 'staff';
    id: string;
    name: string;
    role: 'owner' | 'member';
    last_read_message_id: string | null;
    left_at: string | null;
  }[];
  last_message_at: string | null;
  last_message_preview: string | null;
  unread_count: number;
  created_at: string;
  updated_at: string;
}

/**
 * The conversation as `viewer` sees it: their own `unread_count` (a staff viewer who
 * is not a participant of a support conversation: the member messages awaiting a
 * reply, `awaiting`). `viewer` null: the staff inbox view.
 */
export function toConversationDto(
  state: ConversationState,
  names: ReadonlyMap<string, string>,
  viewer: { type: string; id: string } | null,
  awaiting = 0,
): ConversationDto {
  const { row } = state;
  const own = viewer ? participantOf(state, viewer) : undefined;
  const unread = own ? (own.leftAt ? 0 : own.unreadCount) : viewer?.type === 'member' ? 0 : awaiting;
  return {
    id: row.id,
    object: 'conversation',
    kind: row.kind,
    title: row.title,
    status: row.status,
    assigned_staff_id: row.assignedStaffId,
    locked: row.locked,
    participants: state.participants.map((p) => ({
      type: p.participantType,
      id: p.participantId,
      name: names.get(refKey(p.participantType, p.participantId)) ?? 'Unknown',
      role: p.role,
      last_read_message_id: p.lastReadMessageId,
      left_at: p.leftAt?.toISOString() ?? null,
    })),
    last_message_at: row.lastMessageAt?.toISOString() ?? null,
    last_message_preview: row.lastMessagePreview,
    unread_count: unread,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** The message as the API returns it. */
export interface MessageDto {
  id: string;
  object: 'message';
  conversation_id: string;
  sender: { type: 'member' | 'staff'; id: string; name: string };
  body: string | null;
  client_id: string | null;
  edited_at: string | null;
  deleted_at: string | null;
  created_at: string;
}

export function toMessageDto(row: MessageRow, names: ReadonlyMap<string, string>): MessageDto {
  return {
    id: row.id,
    object: 'message',
    conversation_id: row.conversationId,
    sender: {
      type: row.senderType,
      id: row.senderId,
      name: names.get(refKey(row.senderType, row.senderId)) ?? 'Unknown',
    },
    body: row.deletedAt ? null : row.body,
    client_id: row.clientId,
    edited_at: row.editedAt?.toISOString() ?? null,
    deleted_at: row.deletedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

/** Each member's unread messages over all their conversations (not left). */
export async function totalUnread(
  tx: Tx,
  tenantId: string,
  type: 'member' | 'staff',
  ids: readonly string[],
): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({
      id: conversationParticipants.participantId,
      n: sql<number>`coalesce(sum(${conversationParticipants.unreadCount}), 0)::int`,
    })
    .from(conversationParticipants)
    .where(
      and(
        eq(conversationParticipants.tenantId, tenantId),
        eq(conversationParticipants.participantType, type),
        inArray(conversationParticipants.participantId, [...ids]),
        isNull(conversationParticipants.leftAt),
      ),
    )
    .groupBy(conversationParticipants.participantId);
  const out = new Map(ids.map((id) => [id, 0]));
  for (const r of rows) out.set(r.id, Number(r.n));
  return out;
}

/**
 * The events telling everyone concerned that a conversation changed: each member
 * participant (and `alsoMembers`, e.g. one just removed) gets `conversation.updated`
 * with their own view and `message.unread` with their total; support conversations
 * also go to the staff inbox (`inboxType`: `conversation.created` or `.updated`).
 */
export async function conversationChangeEvents(
  tx: Tx,
  tenantId: string,
  state: ConversationState,
  names: ReadonlyMap<string, string>,
  options: { inboxType?: 'conversation.created' | 'conversation.updated'; alsoMembers?: string[] } = {},
): Promise<RealtimeEventInput[]> {
  const memberIds = new Set(
    state.participants.filter((p) => p.participantType === 'member' && !p.leftAt).map((p) => p.participantId),
  );
  for (const id of options.alsoMembers ?? []) memberIds.add(id);
  const totals = await totalUnread(tx, tenantId, 'member', [...memberIds]);
  const events: RealtimeEventInput[] = [];
  for (const memberId of memberIds) {
    const view = toConversationDto(state, names, { type: 'member', id: memberId });
    events.push({ topic: TOPICS.member(memberId), type: 'conversation.updated', data: { ...view } });
    events.push({
      topic: TOPICS.member(memberId),
      type: 'message.unread',
      data: { total_unread: totals.get(memberId) ?? 0 },
    });
  }
  if (state.row.kind === 'support') {
    const awaiting = await awaitingReplyCounts(tx, tenantId, [state.row.id]);
    events.push({
      topic: TOPICS.inbox,
      type: options.inboxType ?? 'conversation.updated',
      data: { ...toConversationDto(state, names, null, awaiting.get(state.row.id) ?? 0) },
    });
  }
  return events;
}
