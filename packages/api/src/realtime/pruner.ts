import { and, asc, eq, gt, inArray, lt, lte, max, sql } from 'drizzle-orm';
import { executeRows } from '../db/database.js';
import { realtimeEvents, realtimeSequences, realtimeTickets } from '../db/schema/index.js';
import type { ServiceDeps } from '../services/service-deps.js';

/** Events are kept this long (streams resume within it; the issue promises at least 24 h). */
export const EVENT_RETENTION_MS = 48 * 60 * 60 * 1000;

/** What one pruning pass removed. */
export interface PruneResult {
  events_deleted: number;
  tickets_deleted: number;
  /** Tenants whose logs were pruned. */
  tenants: number;
}

/**
 * Deletes real-time events older than the retention (per tenant, raising the tenant's
 * `pruned_through` in the same transaction, so a stream resuming from a pruned event
 * is told to resync instead of silently missing it) and stream tickets past their
 * expiry. Runs as the platform role, one tenant per transaction, at most
 * `batchSize` events per tenant and call; returns true in `more` when it stopped early.
 */
export async function pruneRealtime(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  options: {
    retentionMs?: number;
    batchSize?: number;
    /** Only these tenants' logs and tickets (tests on a shared database; an operator's targeted run). */
    tenantIds?: readonly string[];
  } = {},
): Promise<PruneResult & { more: boolean }> {
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - (options.retentionMs ?? EVENT_RETENTION_MS));
  const batchSize = options.batchSize ?? 10_000;
  const result = { events_deleted: 0, tickets_deleted: 0, tenants: 0, more: false };
  let afterTenant = '';
  for (;;) {
    const page = await deps.db.withPlatform((tx) =>
      tx
        .select({ tenantId: realtimeSequences.tenantId })
        .from(realtimeSequences)
        .where(
          and(
            gt(realtimeSequences.tenantId, afterTenant),
            options.tenantIds ? inArray(realtimeSequences.tenantId, [...options.tenantIds]) : undefined,
          ),
        )
        .orderBy(asc(realtimeSequences.tenantId))
        .limit(500),
    );
    for (const { tenantId } of page) {
      const deleted = await deps.db.withPlatform(async (tx) => {
        const [sequence] = await tx
          .select({ prunedThrough: realtimeSequences.prunedThrough })
          .from(realtimeSequences)
          .where(eq(realtimeSequences.tenantId, tenantId))
          .for('update');
        if (!sequence) return 0;
        const [old] = await tx
          .select({ through: max(realtimeEvents.seq) })
          .from(realtimeEvents)
          .where(and(eq(realtimeEvents.tenantId, tenantId), lt(realtimeEvents.createdAt, cutoff)));
        const oldThrough = old?.through === null || old?.through === undefined ? 0 : Number(old.through);
        if (oldThrough <= sequence.prunedThrough) return 0;
        const through = Math.min(oldThrough, sequence.prunedThrough + batchSize);
        if (through < oldThrough) result.more = true;
        await tx
          .update(realtimeSequences)
          .set({ prunedThrough: through })
          .where(eq(realtimeSequences.tenantId, tenantId));
        const rows = await tx
          .delete(realtimeEvents)
          .where(and(eq(realtimeEvents.tenantId, tenantId), lte(realtimeEvents.seq, through)))
          .returning({ seq: realtimeEvents.seq });
        return rows.length;
      });
      if (deleted > 0) {
        result.events_deleted += deleted;
        result.tenants++;
      }
    }
    const last = page.at(-1);
    if (!last || page.length < 500) break;
    afterTenant = last.tenantId;
  }
  const tickets = await deps.db.withPlatform((tx) =>
    executeRows<{ n: number | string }>(
      tx.execute(sql`
        with gone as (
          delete from ${realtimeTickets}
          where ctid in (select ctid from ${realtimeTickets} where ${realtimeTickets.expiresAt} < ${now} ${
            options.tenantIds ? sql`and ${inArray(realtimeTickets.tenantId, [...options.tenantIds])}` : sql``
          } limit 5000)
          returning 1
        )
        select count(*) as n from gone`),
    ),
  );
  result.tickets_deleted = Number(tickets[0]?.n ?? 0);
  if (result.tickets_deleted === 5000) result.more = true;
  return result;
}
