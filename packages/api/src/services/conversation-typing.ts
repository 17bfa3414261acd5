import { and, eq, isNull } from 'drizzle-orm';
import { roleAllows } from '../access/permissions.js';
import type { Tx } from '../db/database.js';
import { conversationParticipants, conversations, members, staffUsers } from '../db/schema/index.js';
import type { AppDeps } from '../deps.js';
import { ApiError } from '../lib/errors.js';
import { TOPICS } from '../realtime/types.js';
import { MessagingErrors } from './conversation-errors.js';

/** Who types: a member or a staff user of one tenant. */
export interface TypingActor {
  tenantId: string;
  type: 'member' | 'staff';
  id: string;
}

/** At most one typing event per participant and conversation within this window. */
export const TYPING_THROTTLE_MS = 2000;

/** Per-process throttle: key → when the last typing event went out. Bounded by sweeping old entries. */
const lastTyping = new Map<string, number>();
let nextSweep = 0;

function throttled(key: string, nowMs: number): boolean {
  if (nowMs >= nextSweep) {
    for (const [k, at] of lastTyping) if (at + TYPING_THROTTLE_MS <= nowMs) lastTyping.delete(k);
    nextSweep = nowMs + 10 * TYPING_THROTTLE_MS;
  }
  const last = lastTyping.get(key);
  if (last !== undefined && nowMs - last < TYPING_THROTTLE_MS) return true;
  lastTyping.set(key, nowMs);
  return false;
}

/**
 * The display name of whoever may type in the conversation, or null when they may
 * not: members must be participants who have not left; staff may type where they
 * participate, and in any support conversation when their role allows `message:read`.
 */
async function typingName(tx: Tx, actor: TypingActor, conversationId: string): Promise<string | null> {
  const [conversation] = await tx
    .select({ kind: conversations.kind, locked: conversations.locked })
    .from(conversations)
    .where(and(eq(conversations.tenantId, actor.tenantId), eq(conversations.id, conversationId)))
    .limit(1);
  if (!conversation) return null;
  const [participant] = await tx
    .select({ id: conversationParticipants.participantId })
    .from(conversationParticipants)
    .where(
      and(
        eq(conversationParticipants.tenantId, actor.tenantId),
        eq(conversationParticipants.conversationId, conversationId),
        eq(conversationParticipants.participantType, actor.type),
        eq(conversationParticipants.participantId, actor.id),
        isNull(conversationParticipants.leftAt),
      ),
    )
    .limit(1);
  if (actor.type === 'member') {
    if (!participant) return null;
    const [member] = await tx
      .select({ firstName: members.firstName, lastName: members.lastName })
      .from(members)
      .where(and(eq(members.tenantId, actor.tenantId), eq(members.id, actor.id), isNull(members.deletedAt)))
      .limit(1);
    return member ? `${member.firstName} ${member.lastName}`.trim() : null;
  }
  const [staff] = await tx
    .select({ name: staffUsers.name, role: staffUsers.role, status: staffUsers.status })
    .from(staffUsers)
    .where(and(eq(staffUsers.tenantId, actor.tenantId), eq(staffUsers.id, actor.id)))
    .limit(1);
  if (!staff || staff.status === 'disabled' || !roleAllows(staff.role, 'message:read')) return null;
  if (!participant && conversation.kind !== 'support') return null;
  return staff.name;
}

/**
 * Tells the conversation's other participants that `actor` is typing: an ephemeral
 * `typing` event `{ conversation_id, participant: { type, id, name } }` on
 * `conversation.<id>` (never logged). Throttled per participant and conversation to
 * one event per {@link TYPING_THROTTLE_MS} in this process; throttled calls return quietly.
 * Throws 404 `CONVERSATION_NOT_FOUND` when the actor may not see the conversation
 * (not a participant, another tenant's or unknown: the same answer, so existence is not revealed).
 * @example
 * await announceTyping(deps, { tenantId, type: 'member', id: memberId }, 'cnv_…');
 */
export async function announceTyping(deps: AppDeps, actor: TypingActor, conversationId: string): Promise<void> {
  const key = `${actor.tenantId}\n${conversationId}\n${actor.type}\n${actor.id}`;
  const nowMs = deps.clock.now().getTime();
  const last = lastTyping.get(key);
  // Throttled calls skip the database; a participant who was allowed 2 s ago is still checked on the next event.
  if (last !== undefined && nowMs - last < TYPING_THROTTLE_MS) return;
  const name = await deps.db.withTenant(actor.tenantId, (tx) => typingName(tx, actor, conversationId));
  if (name === null) throw new ApiError(MessagingErrors.CONVERSATION_NOT_FOUND, `No conversation ${conversationId}.`);
  if (throttled(key, nowMs)) return;
  deps.realtime?.dispatcher.publishEphemeral(actor.tenantId, [
    {
      topic: TOPICS.conversation(conversationId),
      type: 'typing',
      data: { conversation_id: conversationId, participant: { type: actor.type, id: actor.id, name } },
    },
  ]);
}
