import { createWakeableLoop } from '../lib/wakeable-loop.js';
import { sql } from 'drizzle-orm';
import { executeRows, type Database } from '../db/database.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { createMemoryLogger, type Logger } from '../lib/logger.js';
import { ensureActivityPartitions, monthAfter } from '../services/activity-partitions.js';
import { applyActivityRollups } from '../services/activity-rollups.js';

export interface ActivityRollupWorkerOptions {
  db: Database;
  logger: Logger;
  clock?: Clock;
  /**
   * Queue rows claimed per tenant per transaction (each holds up to one ingest batch of 1,000 events). Default
   * 20: under sustained ingest, 100 full batches in one transaction ran past the 15 s statement limit.
   */
  batchSize?: number;
  /** How soon after a `wake()` the worker runs: batches arriving meanwhile are merged. Default 50 ms. */
  wakeDelayMs?: number;
  /** Only these tenants (tests sharing a database); all when omitted. */
  onlyTenants?: readonly string[];
}

export interface ActivityRollupRun {
  /** Events applied to the rollups in this run. */
  applied: number;
  /** Age of the oldest queued row when the run began (database time), null when the queue was empty: the rollup lag. */
  lagMs: number | null;
}

/** Applies queued activity to the rollups (see `activity-rollups.ts`). */
export interface ActivityRollupWorker {
  /** One pass: each tenant with queued work gets one batch (one transaction). */
  runOnce(): Promise<ActivityRollupRun>;
  /** Runs until the queue is empty (tests, shutdown). */
  drain(): Promise<void>;
  /** Asks for a run soon (after an ingest committed); a no-op unless started. */
  wake(): void;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

const HOUR_MS = 60 * 60 * 1000;

/**
 * Creates the rollup worker. Finds tenants with queued work as the platform role,
 * then applies each tenant's oldest rows in a transaction of that tenant
 * (row-level security holds; an advisory lock per tenant keeps concurrent workers,
 * in this process or others, from applying one tenant twice at once). It also
 * creates the next months' `activity_events` partitions ahead of need, once an hour.
 */
export function createActivityRollupWorker(options: ActivityRollupWorkerOptions): ActivityRollupWorker {
  const { db, logger } = options;
  const clock = options.clock ?? systemClock;
  const batchSize = options.batchSize ?? 20;
  const wakeDelayMs = options.wakeDelayMs ?? 50;
  const onlyTenants = options.onlyTenants ? [...options.onlyTenants] : null;
  let partitionsCheckedAt = Number.NEGATIVE_INFINITY;

  async function ensurePartitionsAhead(): Promise<void> {
    const now = clock.now().getTime();
    if (now - partitionsCheckedAt < HOUR_MS) return;
    await ensureActivityPartitions(db, null, [monthAfter(now, 0), monthAfter(now, 1), monthAfter(now, 2)]);
    partitionsCheckedAt = now;
  }

  async function run(): Promise<ActivityRollupRun & { more: boolean }> {
    try {
      await ensurePartitionsAhead();
    } catch (error) {
      logger.error('activity partitions ahead failed', {
        reason: error instanceof Error ? error.message : String(error),
      });
    }
    const pending = await db.withPlatform((tx) =>
      executeRows<{ tenant_id: string; age_ms: number }>(
        tx.execute(sql`select tenant_id, (extract(epoch from (clock_timestamp() - min(created_at))) * 1000)::float8 as age_ms
          from activity_rollup_queue
          ${onlyTenants ? sql`where tenant_id = any(${sql.param(onlyTenants)}::text[])` : sql``}
          group by tenant_id order by min(created_at)`),
      ),
    );
    if (pending.length === 0) return { applied: 0, lagMs: null, more: false };
    const lagMs = Math.max(0, ...pending.map((p) => Number(p.age_ms)));
    let applied = 0;
    let more = false;
    for (const { tenant_id: tenantId } of pending) {
      // One tenant's failure does not hold up the others.
      try {
        const result = await db.withTenant(tenantId, (tx) => applyActivityRollups(tx, tenantId, batchSize));
        applied += result.events;
        if (result.queueRows >= batchSize) more = true;
      } catch (error) {
        logger.error('activity rollup failed for a tenant', {
          tenant_id: tenantId,
          reason: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return { applied, lagMs, more };
  }

  const loop = createWakeableLoop(
    async () => (await run()).more,
    (error) =>
      logger.error('activity rollup run failed', { reason: error instanceof Error ? error.message : String(error) }),
    wakeDelayMs,
  );

  return {
    runOnce: async () => {
      const { applied, lagMs } = await run();
      return { applied, lagMs };
    },
    async drain() {
      for (let i = 0; i < 100_000; i++) {
        const result = await run();
        if (result.lagMs === null) return;
        // Failed tenants would loop for ever: give up when a run applies nothing.
        if (result.applied === 0 && !result.more) {
          const left = await run();
          if (left.lagMs === null) return;
          if (left.applied === 0) throw new Error('activity rollups: queued work could not be applied (see the log)');
        }
      }
    },
    wake: loop.wake,
    start: loop.start,
    stop: loop.stop,
  };
}

/**
 * Applies every queued activity batch to the rollups, now: what the rollup worker
 * does in the background of a running server. Tests call it (from
 * `@memberkit/api/testing`) after ingesting and before reading analytics; the demo
 * seed after seeding.
 *
 * @example
 * await t.request('POST', '/v1/activity', { key: tenant.secret_key, body: { events } });
 * await drainActivityRollups(t.deps);
 */
export async function drainActivityRollups(deps: { db: Database; logger?: Logger; clock?: Clock }): Promise<void> {
  const worker = createActivityRollupWorker({
    db: deps.db,
    logger: deps.logger ?? createMemoryLogger(),
    ...(deps.clock ? { clock: deps.clock } : {}),
  });
  await worker.drain();
}
