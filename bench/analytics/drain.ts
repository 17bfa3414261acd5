/**
 * Drains `activity_rollup_queue` with the product's rollup worker
 * (`drainActivityRollups` from `@memberkit/api/testing`), on the bench database
 * through the API's own node-postgres database (platform role, RLS on, as in
 * the API process). Loaded dynamically: the bench type-checks whether or not
 * the worker is there yet, and says so when it is missing.
 */
import { createUlidGenerator, systemClock } from '@memberkit/api';
import { openServices } from '../lib/explain.js';
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
  // The API's service dependencies over one connection, with drizzle's query logger timing
  // every statement the worker sends (its start to the next one's start). No statement limit:
  // a backfill applies 100 queue rows (100,000 events) per transaction, more than the API's
  // 15 s limit allows on a busy machine.
  const timeline: { at: number; label: string }[] = [];
  const services = openServices(url, (q) => {
    const text = q.sql.replace(/\s+/g, ' ').trim();
    // Statements named by the table they write (a CTE's insert included), else by their start.
    const label = /(insert into \w+|delete from \w+|update \w+ set)/i.exec(text)?.[0] ?? text.slice(0, 60);
    timeline.push({ at: performance.now(), label: label.replace(/\$\d+/g, '?') });
  });
  const db = services.deps.db;
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
    if (!options.quiet) {
      await report();
      log(`where the worker's time went (statement start to the next statement's start):`);
      for (const line of profile(timeline)) log(`  ${line}`);
    }
  } finally {
    if (timer) clearInterval(timer);
    await probe.end();
    await services.close();
  }
}

/** Time per statement kind, most first. */
function profile(timeline: { at: number; label: string }[]): string[] {
  const totals = new Map<string, { ms: number; n: number }>();
  for (let i = 0; i + 1 < timeline.length; i++) {
    const t = totals.get(timeline[i]!.label) ?? { ms: 0, n: 0 };
    t.ms += timeline[i + 1]!.at - timeline[i]!.at;
    t.n++;
    totals.set(timeline[i]!.label, t);
  }
  const all = [...totals.values()].reduce((s, t) => s + t.ms, 0);
  return [...totals]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 10)
    .map(([label, t]) => `${(t.ms / 1000).toFixed(1)} s (${Math.round((100 * t.ms) / all)} %), ${t.n}×: ${label}`);
}
