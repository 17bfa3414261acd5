/**
 * Drains `activity_rollup_queue` with the product's rollup worker (H1's
 * `drainActivityRollups` from `@memberkit/api/testing`), on the bench database
 * through the API's own node-postgres database (platform role, RLS on, as in
 * the API process). Loaded dynamically: the bench type-checks whether or not
 * the worker is there yet, and says so when it is missing.
 */
import { createNodePostgresDatabase, createUlidGenerator, systemClock } from '@memberkit/api';
import pg from 'pg';

type Drain = (deps: unknown, options?: unknown) => Promise<unknown>;

async function loadDrain(): Promise<Drain> {
  const testing = (await import('@memberkit/api/testing')) as Record<string, unknown>;
  const drain = testing.drainActivityRollups;
  if (typeof drain !== 'function')
    throw new Error(
      '@memberkit/api/testing has no drainActivityRollups (the rollup worker is not there yet): use --rollups=sql or --rollups=none.',
    );
  return drain as Drain;
}

/** Runs the worker's drain until the queue is empty, logging progress every few seconds. */
export async function drainRollups(
  url: string,
  log: (message: string) => void,
  options: { quiet?: boolean } = {},
): Promise<void> {
  const drain = await loadDrain();
  // A backfill applies 100 queue rows (100,000 events) per transaction: more than the API's
  // 15 s statement limit allows on a busy machine, so the drain gets 10 minutes.
  const db = createNodePostgresDatabase({ connectionString: url, maxConnections: 4, statementTimeoutMs: 600_000 });
  // The worker's own errors (a tenant whose batch failed) are printed, not kept in memory.
  const logger = {
    info: () => undefined,
    warn: (message: string, fields?: Record<string, unknown>) =>
      log(`worker warn: ${message} ${JSON.stringify(fields ?? {})}`),
    error: (message: string, fields?: Record<string, unknown>) =>
      log(`worker error: ${message} ${JSON.stringify(fields ?? {})}`),
  };
  const deps = { db, clock: systemClock, ids: createUlidGenerator(systemClock), logger };
  const probe = new pg.Client({ connectionString: url });
  await probe.connect();
  const started = performance.now();
  const queued = async () =>
    (
      await probe.query<{ rows: number; events: number }>(
        'select count(*)::int as rows, coalesce(sum(events), 0)::bigint::int as events from activity_rollup_queue',
      )
    ).rows[0]!;
  const initial = await queued();
  let timer: NodeJS.Timeout | null = null;
  const report = async () => {
    const q = await queued();
    const s = (performance.now() - started) / 1000;
    const done = initial.events - q.events;
    log(
      `rollup worker: ${q.rows.toLocaleString('en-US')} queue rows left (${q.events.toLocaleString('en-US')} events), ${Math.round(done / s).toLocaleString('en-US')} events/s applied`,
    );
  };
  if (!options.quiet) timer = setInterval(() => void report().catch(() => undefined), 10_000);
  try {
    for (;;) {
      await drain(deps);
      const q = await queued();
      if (q.rows === 0) break;
    }
    if (!options.quiet) await report();
  } finally {
    if (timer) clearInterval(timer);
    await probe.end();
    await db.close();
  }
}
