import { and, desc, eq, gt, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import {
  conversationParticipants,
  conversations,
  staffUsers,
  type ConversationKind,
  type ConversationRow,
} from '../db/schema/index.js';
import { roleAllows } from '../access/permissions.js';
import { ApiError } from '../lib/errors.js';
import { appendEvents } from '../realtime/event-log.js';
import { appendAudit, diffOf } from './audit.js';
import { MessagingErrors } from './conversation-errors.js';
import {
  awaitingReplyCounts,
  type ConversationDto,
  type ConversationState,
  conversationChangeEvents,
  loadConversations,
  type MessageDto,
  type MessagingActor,
  participantOf,
  participantRefs,
  readMessagingSettings,
  requireConversation,
  resolveNames,
  toConversationDto,
  totalUnread,
} from './conversation-views.js';
import { anyBlockBetween, blockedWithAny, requireLiveMember } from './member-blocks.js';
import { checkMessageBody, postMessage } from './messages.js';
import type { ServiceDeps } from './service-deps.js';

/** Most members a group holds. */
export const MAX_GROUP_MEMBERS = 100;

/** What `POST /v1/conversations` asks for. */
export type CreateConversationInput =
  | { kind: 'support'; title?: string | undefined; body: string; memberId?: string | undefined }
  | { kind: 'direct'; memberId: string; body?: string | undefined }
  | { kind: 'group'; title: string; memberIds: string[]; body?: string | undefined };

/** Filters of the conversation list. */
export interface ConversationFilter {
  kind?: ConversationKind | undefined;
  status?: 'open' | 'closed' | undefined;
  /** Staff: `me`, `unassigned` or a staff user id. */
  assigned?: string | undefined;
}

/** A position in the conversation list: its activity time (Postgres text) and id. */
export interface ConversationPosition {
  activityAt: string;
  id: string;
}

const activityAt = sql`coalesce(${conversations.lastMessageAt}, ${conversations.createdAt})`;

async function dtos(tx: Tx, actor: MessagingActor, states: ConversationState[]): Promise<ConversationDto[]> {
  const names = await resolveNames(tx, actor.tenantId, participantRefs(states));
  const awaiting =
    actor.type === 'staff'
      ? await awaitingReplyCounts(
          tx,
          actor.tenantId,
          states.filter((s) => s.row.kind === 'support' && !participantOf(s, actor)).map((s) => s.row.id),
        )
      : new Map<string, number>();
  return states.map((s) => toConversationDto(s, names, actor, awaiting.get(s.row.id) ?? 0));
}

/**
 * A page of conversations, most recent activity first (`limit + 1` rows). Members:
 * their own; staff with `message:read`: all of the tenant's, support ones unless `kind` says otherwise.
 */
export async function listConversations(
  deps: ServiceDeps,
  actor: MessagingActor,
  filter: ConversationFilter,
  page: { limit: number; after?: ConversationPosition | undefined },
): Promise<(ConversationDto & { activityAt: string })[]> {
  return deps.db.withTenant(actor.tenantId, async (tx) => {
    const conditions: (SQL | undefined)[] = [eq(conversations.tenantId, actor.tenantId)];
    if (actor.type === 'member') {
      conditions.push(
        sql`exists (select 1 from conversation_participants p where p.tenant_id = ${actor.tenantId} and p.conversation_id = ${conversations.id} and p.participant_type = 'member' and p.participant_id = ${actor.id})`,
      );
      if (filter.kind) conditions.push(eq(conversations.kind, filter.kind));
    } else {
      if (!actor.can.read)
        throw new ApiError(MessagingErrors.NOT_ALLOWED, 'Listing conversations needs the permission message:read.');
      conditions.push(eq(conversations.kind, filter.kind ?? 'support'));
    }
    if (filter.status) conditions.push(eq(conversations.status, filter.status));
    if (filter.assigned !== undefined) {
      if (filter.assigned === 'unassigned') conditions.push(isNull(conversations.assignedStaffId));
      else conditions.push(eq(conversations.assignedStaffId, filter.assigned === 'me' ? actor.id : filter.assigned));
    }
    if (page.after)
      conditions.push(
        or(
          sql`${activityAt} < ${page.after.activityAt}::timestamptz`,
          and(sql`${activityAt} = ${page.after.activityAt}::timestamptz`, lt(conversations.id, page.after.id)),
        ),
      );
    const rows = await tx
      .select({ id: conversations.id, activityAt: sql<string>`${activityAt}::text` })
      .from(conversations)
      .where(and(...conditions))
      .orderBy(desc(activityAt), desc(conversations.id))
      .limit(page.limit + 1);
    const states = await loadConversations(
      tx,
      actor.tenantId,
      rows.map((r) => r.id),
    );
    const out = await dtos(tx, actor, states);
    return out.map((dto, i) => ({ ...dto, activityAt: rows[i]!.activityAt }));
  });
}

/** One conversation as the actor sees it (404 when they may not). */
export async function getConversation(
  deps: ServiceDeps,
  actor: MessagingActor,
  conversationId: string,
): Promise<ConversationDto> {
  return deps.db.withTenant(actor.tenantId, async (tx) => {
    const state = await requireConversation(tx, actor, conversationId);
    const [dto] = await dtos(tx, actor, [state]);
    return dto!;
  });
}

/** The actor's unread messages: the total and each conversation with any. */
export async function unreadSummary(
  deps: ServiceDeps,
  actor: MessagingActor,
): Promise<{ total: number; conversations: { id: string; unread_count: number }[] }> {
  return deps.db.withTenant(actor.tenantId, async (tx) => {
    const rows = await tx
      .select({ id: conversationParticipants.conversationId, n: conversationParticipants.unreadCount })
      .from(conversationParticipants)
      .where(
        and(
          eq(conversationParticipants.tenantId, actor.tenantId),
          eq(conversationParticipants.participantType, actor.type),
          eq(conversationParticipants.participantId, actor.id),
          isNull(conversationParticipants.leftAt),
          gt(conversationParticipants.unreadCount, 0),
        ),
      )
      .orderBy(desc(conversationParticipants.conversationId))
      .limit(1000);
    const total = (await totalUnread(tx, actor.tenantId, actor.type, [actor.id])).get(actor.id) ?? 0;
    return { total, conversations: rows.map((r) => ({ id: r.id, unread_count: r.n })) };
  });
}

/** What creating a conversation gave: the conversation (as the creator sees it), its first message, and whether it is new. */
export interface CreatedConversation {
  conversation: ConversationDto;
  message: MessageDto | null;
  created: boolean;
}

function invalid(detail: string): ApiError {
  return new ApiError(MessagingErrors.INVALID_CONVERSATION, detail);
}

/**
 * Opens a conversation. Members: `support` (when the support inbox is on), `direct`
 * with another member or `group` (when member messaging is on, nobody blocked);
 * an existing direct pair is returned (`created: false`), with the body posted to it.
 * Staff (`message:write`): `support` with a member, or `group`.
 */
export async function createConversation(
  deps: ServiceDeps,
  actor: MessagingActor,
  input: CreateConversationInput,
): Promise<CreatedConversation> {
  if (input.body !== undefined) checkMessageBody(input.body);
  if (actor.type === 'staff' && !actor.can.write)
    throw new ApiError(MessagingErrors.NOT_ALLOWED, 'Starting conversations needs the permission message:write.');
  return deps.db.withTenant(actor.tenantId, async (tx) => {
    const tenantId = actor.tenantId;
    const settings = await readMessagingSettings(tx, tenantId);
    const now = deps.clock.now();
    const participants: { type: 'member' | 'staff'; id: string; role: 'owner' | 'member' }[] = [];
    let title: string | null = null;
    let directKey: string | null = null;
    if (input.kind === 'support') {
      if (actor.type === 'member') {
        if (!settings.supportInbox)
          throw new ApiError(MessagingErrors.SUPPORT_INBOX_DISABLED, 'This community does not take support messages.');
        if (input.memberId !== undefined && input.memberId !== actor.id)
          throw invalid('Members open support conversations for themselves; leave out member_id.');
        participants.push({ type: 'member', id: actor.id, role: 'owner' });
      } else {
        if (!input.memberId) throw invalid('Give the member_id of the member to write to.');
        await requireLiveMember(tx, tenantId, input.memberId);
        participants.push({ type: 'member', id: input.memberId, role: 'owner' });
        participants.push({ type: 'staff', id: actor.id, role: 'member' });
      }
      title = input.title ?? null;
    } else if (input.kind === 'direct') {
      if (actor.type !== 'member')
        throw invalid('Direct conversations are between two members; staff open support conversations.');
      if (!settings.memberMessaging)
        throw new ApiError(
          MessagingErrors.MEMBER_MESSAGING_DISABLED,
          'This community does not allow messages between members.',
        );
      if (input.memberId === actor.id) throw invalid('A direct conversation needs another member.');
      await requireLiveMember(tx, tenantId, input.memberId);
      if (await anyBlockBetween(tx, tenantId, [actor.id, input.memberId]))
        throw new ApiError(MessagingErrors.MEMBER_BLOCKED, 'One of you has blocked the other.');
      directKey = [actor.id, input.memberId].sort().join(':');
      const [existing] = await tx
        .select({ id: conversations.id })
        .from(conversations)
        .where(and(eq(conversations.tenantId, tenantId), eq(conversations.directKey, directKey)))
        .for('update');
      if (existing) {
        const state = await requireConversation(tx, actor, existing.id);
        let message: MessageDto | null = null;
        let next = state;
        if (input.body !== undefined) {
          if (state.row.locked)
            throw new ApiError(MessagingErrors.CONVERSATION_LOCKED, 'This conversation is locked by a moderator.');
          const posted = await postMessage(deps, tx, actor, state, { body: input.body });
          message = posted.message;
          next = posted.state;
        }
        const [dto] = await dtos(tx, actor, [next]);
        return { conversation: dto!, message, created: false };
      }
      participants.push({ type: 'member', id: actor.id, role: 'member' });
      participants.push({ type: 'member', id: input.memberId, role: 'member' });
    } else {
      const memberIds = [...new Set(input.memberIds)].filter((id) => !(actor.type === 'member' && id === actor.id));
      if (actor.type === 'member' && !settings.memberMessaging)
        throw new ApiError(
          MessagingErrors.MEMBER_MESSAGING_DISABLED,
          'This community does not allow messages between members.',
        );
      if (memberIds.length === 0) throw invalid('A group needs at least one other member.');
      if (memberIds.length + (actor.type === 'member' ? 1 : 0) > MAX_GROUP_MEMBERS)
        throw invalid(`A group holds at most ${MAX_GROUP_MEMBERS} members.`);
      for (const id of memberIds) await requireLiveMember(tx, tenantId, id);
      const everyone = actor.type === 'member' ? [actor.id, ...memberIds] : memberIds;
      if (actor.type === 'member' && (await anyBlockBetween(tx, tenantId, everyone)))
        throw new ApiError(MessagingErrors.MEMBER_BLOCKED, 'Some of these members have blocked one another.');
      participants.push({ type: actor.type, id: actor.id, role: 'owner' });
      for (const id of memberIds) participants.push({ type: 'member', id, role: 'member' });
      title = input.title;
    }

    const id = deps.ids.generate('cnv');
    await tx.insert(conversations).values({
      tenantId,
      id,
      kind: input.kind,
      title,
      directKey,
      createdByType: actor.type,
      createdById: actor.id,
      createdAt: now,
      updatedAt: now,
    });
    await tx.insert(conversationParticipants).values(
      participants.map((p) => ({
        tenantId,
        conversationId: id,
        participantType: p.type,
        participantId: p.id,
        role: p.role,
        joinedAt: now,
      })),
    );
    if (actor.type === 'staff')
      await appendAudit(tx, deps, tenantId, actor.audit, [
        {
          action: 'conversation.created',
          targetType: 'conversation',
          targetId: id,
          diff: { kind: input.kind, participants: participants.map((p) => `${p.type}:${p.id}`) },
        },
      ]);
    const [state] = await loadConversations(tx, tenantId, [id]);
    let next = state!;
    let message: MessageDto | null = null;
    if (input.body !== undefined) {
      const posted = await postMessage(
        deps,
        tx,
        actor,
        next,
        { body: input.body },
        { inboxType: 'conversation.created' },
      );
      message = posted.message;
      next = posted.state;
    } else {
      const names = await resolveNames(tx, tenantId, participantRefs([next]));
      await appendEvents(
        deps,
        tx,
        tenantId,
        await conversationChangeEvents(tx, tenantId, next, names, { inboxType: 'conversation.created' }),
      );
    }
    const [dto] = await dtos(tx, actor, [next]);
    return { conversation: dto!, message, created: true };
  });
}

/** What `PATCH /v1/conversations/{id}` may change. */
export interface ConversationChanges {
  title?: string | null | undefined;
  status?: 'open' | 'closed' | undefined;
  assignedStaffId?: string | null | undefined;
  locked?: boolean | undefined;
  muted?: boolean | undefined;
}

/**
 * Changes a conversation: `title` (a group's owner, or staff with `message:write`),
 * `status` and `assigned_staff_id` (support; staff with `message:write`, audited),
 * `locked` (staff with `message:moderate`, audited), `muted` (the actor's own
 * participation: no message notifications).
 */
export async function updateConversation(
  deps: ServiceDeps,
  actor: MessagingActor,
  conversationId: string,
  changes: ConversationChanges,
): Promise<ConversationDto> {
  return deps.db.withTenant(actor.tenantId, async (tx) => {
    const tenantId = actor.tenantId;
    const state = await requireConversation(tx, actor, conversationId, { forUpdate: true });
    const own = participantOf(state, actor);
    const row = state.row;
    const set: Partial<ConversationRow> = {};
    const staffCan = (what: 'write' | 'moderate', field: string) => {
      if (actor.type !== 'staff') throw new ApiError(MessagingErrors.NOT_ALLOWED, `Only staff may change ${field}.`);
      if (!actor.can[what])
        throw new ApiError(MessagingErrors.NOT_ALLOWED, `Changing ${field} needs the permission message:${what}.`);
    };
    if (changes.title !== undefined) {
      if (row.kind === 'direct') throw invalid('Direct conversations have no title.');
      const ownerOf = own && !own.leftAt && own.role === 'owner';
      if (!ownerOf) staffCan('write', 'the title');
      set.title = changes.title;
    }
    if (changes.status !== undefined) {
      staffCan('write', 'the status');
      if (row.kind !== 'support') throw invalid('Only support conversations are opened and closed.');
      set.status = changes.status;
    }
    if (changes.assignedStaffId !== undefined) {
      staffCan('write', 'the assignment');
      if (row.kind !== 'support') throw invalid('Only support conversations are assigned.');
      if (changes.assignedStaffId !== null) {
        const [staff] = changes.assignedStaffId.startsWith('stf_')
          ? await tx
              .select({ role: staffUsers.role, status: staffUsers.status })
              .from(staffUsers)
              .where(and(eq(staffUsers.tenantId, tenantId), eq(staffUsers.id, changes.assignedStaffId)))
              .limit(1)
          : [];
        if (!staff || staff.status === 'disabled' || !roleAllows(staff.role, 'message:read'))
          throw invalid(`No staff user ${changes.assignedStaffId} who can read messages.`);
      }
      set.assignedStaffId = changes.assignedStaffId;
    }
    if (changes.locked !== undefined) {
      staffCan('moderate', 'the lock');
      set.locked = changes.locked;
    }
    if (changes.muted !== undefined) {
      if (!own || own.leftAt) throw new ApiError(MessagingErrors.NOT_A_PARTICIPANT, 'Only participants mute.');
      await tx
        .update(conversationParticipants)
        .set({ muted: changes.muted })
        .where(
          and(
            eq(conversationParticipants.tenantId, tenantId),
            eq(conversationParticipants.conversationId, conversationId),
            eq(conversationParticipants.participantType, actor.type),
            eq(conversationParticipants.participantId, actor.id),
          ),
        );
    }
    const changed = Object.keys(set).length > 0;
    if (changed) {
      const now = deps.clock.now();
      await tx
        .update(conversations)
        .set({ ...set, updatedAt: now })
        .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, conversationId)));
      if (actor.type === 'staff') {
        const before = {
          title: row.title,
          status: row.status,
          assigned_staff_id: row.assignedStaffId,
          locked: row.locked,
        };
        const after = {
          title: set.title !== undefined ? set.title : row.title,
          status: set.status ?? row.status,
          assigned_staff_id: set.assignedStaffId !== undefined ? set.assignedStaffId : row.assignedStaffId,
          locked: set.locked ?? row.locked,
        };
        const diff = diffOf(before, after);
        if (Object.keys(diff).length > 0)
          await appendAudit(tx, deps, tenantId, actor.audit, [
            {
              action:
                set.locked !== undefined
                  ? 'conversation.moderated'
                  : set.assignedStaffId !== undefined
                    ? 'conversation.assigned'
                    : 'conversation.updated',
              targetType: 'conversation',
              targetId: conversationId,
              diff,
            },
          ]);
      }
    }
    return announceConversation(deps, tx, actor, conversationId, { announce: changed });
  });
}

/**
 * Adds a member to a group: its owner (when member messaging is on, nobody blocked
 * either way with a participant) or staff with `message:write`. A member who left
 * comes back.
 */
export async function addParticipant(
  deps: ServiceDeps,
  actor: MessagingActor,
  conversationId: string,
  memberId: string,
): Promise<ConversationDto> {
  return deps.db.withTenant(actor.tenantId, async (tx) => {
    const tenantId = actor.tenantId;
    const state = await requireConversation(tx, actor, conversationId, { forUpdate: true });
    if (state.row.kind !== 'group') throw invalid('Participants are added to groups only.');
    const own = participantOf(state, actor);
    if (actor.type === 'member') {
      if (!own || own.leftAt || own.role !== 'owner')
        throw new ApiError(MessagingErrors.NOT_ALLOWED, "Only the group's owner adds participants.");
      if (!(await readMessagingSettings(tx, tenantId)).memberMessaging)
        throw new ApiError(
          MessagingErrors.MEMBER_MESSAGING_DISABLED,
          'This community does not allow messages between members.',
        );
    } else if (!actor.can.write) {
      throw new ApiError(MessagingErrors.NOT_ALLOWED, 'Adding participants needs the permission message:write.');
    }
    await requireLiveMember(tx, tenantId, memberId);
    const existing = participantOf(state, { type: 'member', id: memberId });
    if (existing && !existing.leftAt) {
      const [dto] = await dtos(tx, actor, [state]);
      return dto!;
    }
    const active = state.participants.filter((p) => p.participantType === 'member' && !p.leftAt);
    if (active.length + 1 > MAX_GROUP_MEMBERS) throw invalid(`A group holds at most ${MAX_GROUP_MEMBERS} members.`);
    if (
      actor.type === 'member' &&
      (await blockedWithAny(
        tx,
        tenantId,
        memberId,
        active.map((p) => p.participantId),
      ))
    )
      throw new ApiError(MessagingErrors.MEMBER_BLOCKED, 'This member and a participant have blocked one another.');
    const now = deps.clock.now();
    if (existing) {
      await tx
        .update(conversationParticipants)
        .set({ leftAt: null, joinedAt: now, unreadCount: 0 })
        .where(
          and(
            eq(conversationParticipants.tenantId, tenantId),
            eq(conversationParticipants.conversationId, conversationId),
            eq(conversationParticipants.participantType, 'member'),
            eq(conversationParticipants.participantId, memberId),
          ),
        );
    } else {
      await tx.insert(conversationParticipants).values({
        tenantId,
        conversationId,
        participantType: 'member',
        participantId: memberId,
        joinedAt: now,
      });
    }
    await tx
      .update(conversations)
      .set({ updatedAt: now })
      .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, conversationId)));
    if (actor.type === 'staff')
      await appendAudit(tx, deps, tenantId, actor.audit, [
        {
          action: 'conversation.participant_added',
          targetType: 'conversation',
          targetId: conversationId,
          diff: { member_id: memberId },
        },
      ]);
    return announceConversation(deps, tx, actor, conversationId);
  });
}

/**
 * Removes a member from a group (they keep the history up to now): the member
 * themselves (leaving), the group's owner, or staff with `message:write`. When the
 * owner leaves, the longest-standing member becomes owner.
 */
export async function removeParticipant(
  deps: ServiceDeps,
  actor: MessagingActor,
  conversationId: string,
  memberId: string,
): Promise<ConversationDto> {
  return deps.db.withTenant(actor.tenantId, async (tx) => {
    const tenantId = actor.tenantId;
    const state = await requireConversation(tx, actor, conversationId, { forUpdate: true });
    if (state.row.kind !== 'group') throw invalid('Participants are removed from groups only.');
    const own = participantOf(state, actor);
    const self = actor.type === 'member' && actor.id === memberId;
    if (actor.type === 'member' && !self && (!own || own.leftAt || own.role !== 'owner'))
      throw new ApiError(MessagingErrors.NOT_ALLOWED, "Only the group's owner removes participants.");
    if (actor.type === 'staff' && !actor.can.write)
      throw new ApiError(MessagingErrors.NOT_ALLOWED, 'Removing participants needs the permission message:write.');
    const target = participantOf(state, { type: 'member', id: memberId });
    if (!target || target.leftAt)
      throw new ApiError(MessagingErrors.MEMBER_NOT_FOUND, `Member ${memberId} is not in this conversation.`);
    const now = deps.clock.now();
    await tx
      .update(conversationParticipants)
      .set({ leftAt: now, unreadCount: 0, role: 'member' })
      .where(
        and(
          eq(conversationParticipants.tenantId, tenantId),
          eq(conversationParticipants.conversationId, conversationId),
          eq(conversationParticipants.participantType, 'member'),
          eq(conversationParticipants.participantId, memberId),
        ),
      );
    if (target.role === 'owner') {
      const heir = state.participants.find(
        (p) => p.participantType === 'member' && !p.leftAt && p.participantId !== memberId,
      );
      if (heir)
        await tx
          .update(conversationParticipants)
          .set({ role: 'owner' })
          .where(
            and(
              eq(conversationParticipants.tenantId, tenantId),
              eq(conversationParticipants.conversationId, conversationId),
              eq(conversationParticipants.participantType, 'member'),
              eq(conversationParticipants.participantId, heir.participantId),
            ),
          );
    }
    await tx
      .update(conversations)
      .set({ updatedAt: now })
      .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, conversationId)));
    if (actor.type === 'staff')
      await appendAudit(tx, deps, tenantId, actor.audit, [
        {
          action: 'conversation.participant_removed',
          targetType: 'conversation',
          targetId: conversationId,
          diff: { member_id: memberId },
        },
      ]);
    return announceConversation(deps, tx, actor, conversationId, { alsoMembers: [memberId] });
  });
}

/**
 * The conversation as it is after a change in this transaction: announced to its
 * participants' streams (unless nothing changed; `alsoMembers` also tells members who
 * just left), and returned as the caller sees it.
 */
async function announceConversation(
  deps: ServiceDeps,
  tx: Tx,
  actor: MessagingActor,
  conversationId: string,
  options: { announce?: boolean; alsoMembers?: string[] } = {},
): Promise<ConversationDto> {
  const tenantId = actor.tenantId;
  const [next] = await loadConversations(tx, tenantId, [conversationId]);
  if (options.announce !== false) {
    const names = await resolveNames(tx, tenantId, participantRefs([next!]));
    const events = await conversationChangeEvents(
      tx,
      tenantId,
      next!,
      names,
      options.alsoMembers ? { alsoMembers: options.alsoMembers } : undefined,
    );
    await appendEvents(deps, tx, tenantId, events);
  }
  const [dto] = await dtos(tx, actor, [next!]);
  return dto!;
}
