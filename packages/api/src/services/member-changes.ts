import { and, eq, inArray } from 'drizzle-orm';
import type { Database, Tx } from '../db/database.js';
import { members, type MemberEventType } from '../db/schema/index.js';
import { appendEvents } from '../realtime/event-log.js';
import { TOPICS, type RealtimeEventInput } from '../realtime/types.js';
import { memberDto } from './member-dto.js';

/** The `member.*` events staff streams receive (topic `members`). */
export type MemberChangeType =
  | 'member.created'
  | 'member.updated'
  | 'member.status_changed'
  | 'member.tier_changed'
  | 'member.deleted'
  | 'member.restored';

/** The live event of each lifecycle event kept for analytics. */
export const LIVE_TYPE_OF: Record<MemberEventType, MemberChangeType> = {
  created: 'member.created',
  imported: 'member.created',
  status_changed: 'member.status_changed',
  tier_changed: 'member.tier_changed',
  deleted: 'member.deleted',
  restored: 'member.restored',
  consent_accepted: 'member.updated',
};

/**
 * Tells staff streams about changed members, in the caller's transaction after the
 * rows were written: each event carries the member as the API returns it now. One
 * event per member and type (a change of status and tier in one request gives both).
 */
export async function publishMemberChanges(
  deps: { db: Database },
  tx: Tx,
  tenantId: string,
  changes: readonly { memberId: string; type: MemberChangeType }[],
): Promise<void> {
  if (changes.length === 0) return;
  const seen = new Set<string>();
  const unique = changes.filter((c) => {
    const key = `${c.memberId} ${c.type}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const ids = [...new Set(unique.map((c) => c.memberId))];
  const rows = new Map<string, ReturnType<typeof memberDto>>();
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = await tx
      .select()
      .from(members)
      .where(and(eq(members.tenantId, tenantId), inArray(members.id, ids.slice(i, i + 1000))));
    for (const row of chunk) rows.set(row.id, memberDto(row));
  }
  const events: RealtimeEventInput[] = [];
  for (const change of unique) {
    const data = rows.get(change.memberId);
    if (data) events.push({ topic: TOPICS.members, type: change.type, data });
  }
  await appendEvents(deps, tx, tenantId, events);
}
