import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { memberCommunityPrefs, tiers } from '../db/schema/index.js';
import { recordMilestone } from './feed-milestones.js';
import type { MemberEventInput } from './members.js';
import type { ServiceDeps } from './service-deps.js';

/**
 * Posts the feed milestones lifecycle events make, for members who share them:
 * `joined` when a member becomes active (created active, or activated), `upgraded`
 * when a member moves to a tier with a higher price than the one they left (no tier
 * counts as free). One query when nobody involved shares milestones, whatever the batch.
 */
export async function recordMemberMilestones(
  deps: ServiceDeps,
  tx: Tx,
  tenantId: string,
  events: readonly MemberEventInput[],
): Promise<void> {
  const joins = events.filter(
    (e) => (e.type === 'created' || e.type === 'imported' || e.type === 'status_changed') && e.to === 'active',
  );
  const moves = events.filter((e) => e.type === 'tier_changed' && e.to);
  if (joins.length === 0 && moves.length === 0) return;
  const ids = [...new Set([...joins, ...moves].map((e) => e.memberId))];
  const sharing = new Set<string>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await tx
      .select({ memberId: memberCommunityPrefs.memberId })
      .from(memberCommunityPrefs)
      .where(
        and(
          eq(memberCommunityPrefs.tenantId, tenantId),
          inArray(memberCommunityPrefs.memberId, ids.slice(i, i + 1000)),
          eq(memberCommunityPrefs.shareMilestones, true),
        ),
      );
    for (const row of rows) sharing.add(row.memberId);
  }
  if (sharing.size === 0) return;

  for (const join of joins)
    if (sharing.has(join.memberId)) await recordMilestone(deps, tx, tenantId, join.memberId, 'joined', {});
  const shared = moves.filter((m) => sharing.has(m.memberId));
  if (shared.length === 0) return;
  const tierIds = [...new Set(shared.flatMap((m) => [m.from, m.to].filter((id): id is string => !!id)))];
  const prices = new Map(
    (
      await tx
        .select({ id: tiers.id, price: tiers.priceAmount })
        .from(tiers)
        .where(and(eq(tiers.tenantId, tenantId), inArray(tiers.id, tierIds)))
    ).map((t) => [t.id, t.price]),
  );
  for (const move of shared) {
    const before = move.from ? (prices.get(move.from) ?? 0) : 0;
    const after = prices.get(move.to!) ?? 0;
    if (after > before) await recordMilestone(deps, tx, tenantId, move.memberId, 'upgraded', { tier_id: move.to! });
  }
}
