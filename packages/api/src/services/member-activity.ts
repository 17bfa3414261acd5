import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { members } from '../db/schema/index.js';

/**
 * How stale `last_active_at` may get before a sign of life moves it. Members are
 * active in bursts (a page view a second); one write per member per window keeps
 * "last active" honest to the minutes without a write per request.
 */
export const LAST_ACTIVE_THROTTLE_MS = 5 * 60 * 1000;

/**
 * Records that a member was active at `at`: sets `last_active_at` when it is
 * unset or more than {@link LAST_ACTIVE_THROTTLE_MS} older than `at`, in the
 * caller's transaction. Every sign of life goes through here: sign-ins, token
 * refreshes, member requests, and the activity events ingested later.
 *
 * One conditional UPDATE, never read-then-write: concurrent calls for a member
 * queue on the row lock and the later ones find the condition false on the
 * committed row, so a burst costs at most one write. The condition also means
 * the time never moves backwards (a late event older than the stored time
 * changes nothing). `updated_at` stays: activity is not an edit of the member.
 * Erased (soft-deleted) members are left alone.
 *
 * @returns whether the row was written.
 */
export async function touchLastActive(tx: Tx, tenantId: string, memberId: string, at: Date): Promise<boolean> {
  const staleBefore = new Date(at.getTime() - LAST_ACTIVE_THROTTLE_MS);
  const written = await tx
    .update(members)
    .set({ lastActiveAt: at })
    .where(
      and(
        eq(members.tenantId, tenantId),
        eq(members.id, memberId),
        isNull(members.deletedAt),
        or(isNull(members.lastActiveAt), lt(members.lastActiveAt, staleBefore)),
      ),
    )
    .returning({ id: members.id });
  return written.length > 0;
}
