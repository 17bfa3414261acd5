/**
 * Ingest benchmark: sustained `POST /v1/activity` batches of 1,000 events with the
 * large tenant's secret key, through the real API process on the bench database,
 * and the rollup lag (age of the oldest `activity_rollup_queue` row) sampled every
 * second during the load and after it until the queue is empty.
 *
 *   node --conditions=memberkit-source --import tsx bench/analytics/ingest.ts
 *
 * Environment: BENCH_DATABASE_URL, BENCH_PORT (8797), BENCH_POOL_SIZE (10),
 * BENCH_INGEST_CONNECTIONS (6, comma-separated for a sweep, e.g. 2,4,8),
 * BENCH_INGEST_DURATION (60 s), BENCH_WARMUP (3 s), BENCH_INGEST_BATCH (1000),
 * BENCH_INGEST_IDS (1: every event carries a client id, the idempotent path; 0: none),
 * BENCH_LAG_AFTER (300 s: how long to wait for the queue to drain after the load),
 * BENCH_QUIET_WAIT (10 s), BENCH_INGEST_WORKER (api: the API process's own rollup
 * worker; process: a separate worker process running the drain in a loop, for an API
 * that does not start one).
 * Events land in the large tenant (occurred_at: 90 % within the last minute, 10 % up
 * to 3 days late); they stay (the read benchmark's windows end before today).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AutocannonRequest } from 'autocannon';
import pg from 'pg';
import { benchDatabaseUrl, databaseNameOf, DATA_DIR, intEnv, readTenantsFile, REPO_ROOT } from '../lib/config.js';
import { waitForQuiet } from '../lib/cpu.js';
import { runLoad, type LoadResult } from '../lib/load.js';
import { createProbe } from '../lib/probe.js';
import { startServer, type RunningServer } from '../lib/server.js';
import { createLogger, readAnalyticsFile, round } from './common.js';

const { log } = createLogger('analytics-ingest');

const TYPES: readonly [string, number][] = [
  ['page.viewed', 55],
  ['content.read', 14],
  ['course.lesson_completed', 6],
  ['course.started', 5],
  ['event.registered', 3],
  ['event.attended', 2],
  ['content.downloaded', 3],
  ['x.forum_posted', 4],
  ['x.newsletter_clicked', 3],
];
const TYPE_TOTAL = TYPES.reduce((s, [, w]) => s + w, 0);
function pickType(): string {
  let x = Math.random() * TYPE_TOTAL;
  for (const [t, w] of TYPES) {
    x -= w;
    if (x < 0) return t;
  }
  return TYPES[0]![0];
}

interface LagSample {
  t: number;
  phase: 'load' | 'after';
  queueRows: number;
  queuedEvents: number;
  lagSeconds: number;
}

interface SweepResult {
  connections: number;
  load: LoadResult;
  accepted: number;
  duplicates: number;
  rejected: number;
  eventsPerSecond: number;
  lag: LagSample[];
  maxLagDuringLoad: number;
  lagAtEndOfLoad: number;
  drainSeconds: number | null;
  rollupEventsAdded: number;
}

async function main(): Promise<void> {
  const url = benchDatabaseUrl();
  const sweep = (process.env.BENCH_INGEST_CONNECTIONS ?? '6').split(',').map((s) => Number(s.trim()));
  if (sweep.some((n) => !Number.isInteger(n) || n < 1 || n > 200))
    throw new Error('BENCH_INGEST_CONNECTIONS: integers 1–200.');
  const duration = intEnv('BENCH_INGEST_DURATION', 60, 1, 900);
  const warmup = intEnv('BENCH_WARMUP', 3, 0, 60);
  const batch = intEnv('BENCH_INGEST_BATCH', 1000, 1, 1000);
  const withIds = process.env.BENCH_INGEST_IDS !== '0';
  const lagAfter = intEnv('BENCH_LAG_AFTER', 300, 0, 3600);
  const quietWait = intEnv('BENCH_QUIET_WAIT', 10, 0, 300);
  const poolSize = intEnv('BENCH_POOL_SIZE', 10, 1, 90);
  const port = intEnv('BENCH_PORT', 8797, 1024, 65535);
  const maxConnections = Math.max(...sweep);
  const workerMode = process.env.BENCH_INGEST_WORKER === 'process' ? 'process' : 'api';

  const tenants = await readTenantsFile();
  const data = await readAnalyticsFile();
  if (!tenants?.complete || !data?.complete || data.databaseUrl !== url)
    throw new Error('No complete analytics dataset: run bench:generate and bench:analytics:generate first.');
  const big = data.tenants[0]!;
  const tenant = tenants.tenants.find((t) => t.id === big.id)!;
  const loadBefore = os.loadavg();

  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const memberIds = (
    await admin.query<{ id: string }>(
      'select id from members where tenant_id = $1 and deleted_at is null order by random() limit 20000',
      [big.id],
    )
  ).rows.map((r) => r.id);
  const leftover = (await admin.query<{ n: number }>('select count(*)::int as n from activity_rollup_queue')).rows[0]!
    .n;
  if (leftover > 0) log(`note: ${leftover} queue rows were already waiting before the run`);

  const runTag = Date.now().toString(36);
  let seq = 0;
  // BENCH_INGEST_DISJOINT=1: the members are cut into one share per connection and consecutive
  // requests take the shares in turn, so the batches in flight at once (about one per connection)
  // rarely touch the same member rows. (autocannon's per-connection context does not survive
  // between requests, so the turn is by request number.)
  const disjoint = process.env.BENCH_INGEST_DISJOINT === '1';
  let requestNo = 0;
  const body = () => {
    let pool = memberIds;
    if (disjoint) {
      const share = Math.floor(memberIds.length / maxConnections);
      const slot = requestNo++ % maxConnections;
      pool = memberIds.slice(slot * share, (slot + 1) * share);
    }
    const now = Date.now();
    const events = new Array(batch);
    for (let i = 0; i < batch; i++) {
      const late = Math.random() < 0.1;
      const at = now - (late ? Math.floor(Math.random() * 3 * 86_400_000) : Math.floor(Math.random() * 60_000));
      const type = pickType();
      events[i] = {
        ...(withIds ? { id: `b${runTag}-${seq++}` } : {}),
        type,
        member_id: pool[Math.floor(Math.random() * pool.length)],
        occurred_at: new Date(at).toISOString(),
        properties:
          type === 'page.viewed'
            ? { path: `/articles/${Math.floor(Math.random() * 500)}` }
            : { content_id: `c_${Math.floor(Math.random() * 500)}`, minutes: 1 + Math.floor(Math.random() * 17) },
      };
    }
    return JSON.stringify({ events });
  };

  let server: RunningServer | null = null;
  let worker: ChildProcess | null = null;
  const stopAll = async () => {
    worker?.kill('SIGTERM');
    worker = null;
    await server?.stop();
    server = null;
  };
  process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));
  try {
    server = await startServer({
      databaseUrl: url,
      port,
      poolSize,
      logFile: path.join(DATA_DIR, 'analytics-ingest-server.log'),
    });
    const srv = server;
    if (workerMode === 'process') {
      worker = spawn(
        process.execPath,
        ['--conditions=memberkit-source', '--import', 'tsx', path.join(REPO_ROOT, 'bench/analytics/worker-process.ts')],
        { cwd: REPO_ROOT, env: { ...process.env, BENCH_DATABASE_URL: url }, stdio: ['ignore', 'inherit', 'inherit'] },
      );
    }
    log(
      `server ${srv.pid} at ${srv.baseUrl}; ${tenant.slug}; batches of ${batch}${withIds ? ' with client ids' : ''}; rollup worker: ${workerMode}`,
    );

    // One request first: what the API answers.
    const first = await fetch(`${srv.baseUrl}/v1/activity`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tenant.secretKey}`, 'Content-Type': 'application/json' },
      body: body(),
    });
    const firstText = await first.text();
    if (first.status !== 200) throw new Error(`POST /v1/activity: ${first.status} ${firstText.slice(0, 500)}`);
    log(`verified: 200, ${firstText.slice(0, 80)}…`);

    const probe = createProbe(admin, databaseNameOf(url).name, srv.pid);
    const sampler = new pg.Client({ connectionString: url });
    await sampler.connect();
    const sample = async () =>
      (
        await sampler.query<{ rows: number; events: string; lag: number | null }>(
          `select count(*)::int as rows, coalesce(sum(events), 0)::text as events,
             extract(epoch from clock_timestamp() - min(created_at))::float8 as lag from activity_rollup_queue`,
        )
      ).rows[0]!;
    const rollupEvents = async () =>
      Number(
        (
          await admin.query<{ n: string }>(
            'select coalesce(sum(events), 0)::text as n from activity_daily_counts where tenant_id = $1',
            [big.id],
          )
        ).rows[0]!.n,
      );

    const results: SweepResult[] = [];
    const notes: string[] = [];
    for (const connections of sweep) {
      if (quietWait > 0) {
        const q = await waitForQuiet(quietWait);
        const line = `${connections} connections: ${q.busy.toFixed(2)} cores busy with other programs before (waited ${q.waited} s); load average ${os
          .loadavg()
          .map((n) => n.toFixed(2))
          .join(' / ')}`;
        log(line);
        if (q.busy > 0.3) notes.push(line);
      }
      // Start from an empty queue, so the lag measured is this run's.
      const drainDeadline = Date.now() + lagAfter * 1000;
      while ((await sample()).rows > 0 && Date.now() < drainDeadline) await new Promise((r) => setTimeout(r, 1000));
      const rollupBefore = await rollupEvents();
      let accepted = 0;
      let duplicates = 0;
      let rejected = 0;
      let okResponses = 0;
      const request: AutocannonRequest = {
        method: 'POST',
        path: '/v1/activity',
        headers: { Authorization: `Bearer ${tenant.secretKey}`, 'Content-Type': 'application/json' },
        body: '{}',
        setupRequest: (r) => ({ ...r, body: body() }),
        onResponse: (status, text) => {
          if (process.env.BENCH_DEBUG && okResponses < 3) log(`response ${status}: ${text.slice(0, 200)}`);
          if (status !== 200) return;
          okResponses++;
          const head = text.slice(0, 120);
          accepted += Number(/"accepted":(\d+)/.exec(head)?.[1] ?? 0);
          duplicates += Number(/"duplicates":(\d+)/.exec(head)?.[1] ?? 0);
          rejected += Number(/"rejected":(\d+)/.exec(head)?.[1] ?? 0);
        },
      };
      const lag: LagSample[] = [];
      const t0 = performance.now();
      let phase: LagSample['phase'] = 'load';
      let sampling = true;
      const lagLoop = (async () => {
        while (sampling) {
          const s = await sample().catch(() => null);
          if (s)
            lag.push({
              t: round((performance.now() - t0) / 1000, 1),
              phase,
              queueRows: s.rows,
              queuedEvents: Number(s.events),
              lagSeconds: round(s.lag ?? 0, 2),
            });
          await new Promise((r) => setTimeout(r, 1000));
        }
      })();
      const load = await runLoad(
        srv.baseUrl,
        {
          key: `ingest-${connections}`,
          title: `POST /v1/activity ×${batch}, ${connections} connections`,
          connections,
          duration,
          warmup,
          requests: [request],
        },
        probe,
        async () => undefined,
      );
      phase = 'after';
      const endOfLoad = performance.now();
      const lagAtEnd = lag.at(-1)?.lagSeconds ?? 0;
      let drainSeconds: number | null = null;
      while (performance.now() - endOfLoad < lagAfter * 1000) {
        const s = await sample();
        if (s.rows === 0) {
          drainSeconds = round((performance.now() - endOfLoad) / 1000, 1);
          break;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      sampling = false;
      await lagLoop;
      // Events accepted per second in the measured window: its 200 responses × the events a 200 accepted on average.
      const ok = load.statusCodes['200'] ?? 0;
      const perOk = okResponses > 0 ? accepted / okResponses : 0;
      const r: SweepResult = {
        connections,
        load,
        accepted,
        duplicates,
        rejected,
        eventsPerSecond: round((ok / load.durationSeconds) * perOk, 0),
        lag,
        maxLagDuringLoad: Math.max(0, ...lag.filter((s) => s.phase === 'load').map((s) => s.lagSeconds)),
        lagAtEndOfLoad: lagAtEnd,
        drainSeconds,
        rollupEventsAdded: (await rollupEvents()) - rollupBefore,
      };
      results.push(r);
      log(
        `${connections} connections: ${r.load.rps} req/s = ${r.eventsPerSecond.toLocaleString('en-US')} events/s; p50 ${load.p50} / p95 ${load.p95} / p99 ${load.p99} ms; ${load.non2xx} non-2xx; lag max ${r.maxLagDuringLoad} s during load, ${r.lagAtEndOfLoad} s at its end, queue empty ${drainSeconds === null ? `not within ${lagAfter} s` : `${drainSeconds} s after`}; rollups +${r.rollupEventsAdded.toLocaleString('en-US')} events of ${accepted.toLocaleString('en-US')} accepted (warm-up included); cores api ${load.cpu?.api.toFixed(2)} pg ${load.cpu?.postgres.toFixed(2)} gen ${load.cpu?.loadGenerator.toFixed(2)} other ${load.cpu?.other.toFixed(2)}`,
      );
    }
    await sampler.end();
    await stopAll();

    // Report. The server's own log: unhandled errors by message.
    const serverLog = await readFile(path.join(DATA_DIR, 'analytics-ingest-server.log'), 'utf8').catch(() => '');
    const errorCounts = new Map<string, number>();
    for (const m of serverLog.matchAll(/"msg":"unhandled error".*?"message":"([^"]*)"/g))
      errorCounts.set(m[1]!, (errorCounts.get(m[1]!) ?? 0) + 1);
    const serverErrors = [...errorCounts].map(([m, n]) => `${n}× ${m}`).join('; ') || 'none';
    log(`server errors: ${serverErrors}`);
    const command = `${Object.entries(process.env)
      .filter(([k]) => k.startsWith('BENCH_'))
      .map(([k, v]) => `${k}=${v} `)
      .join('')}node --conditions=memberkit-source --import tsx bench/analytics/ingest.ts`;
    const lines: string[] = [`# Activity ingest benchmark — ${new Date().toISOString()}`, ''];
    lines.push(
      `- Command: \`${command}\``,
      `- Server: \`${srv.command}\`; rollup worker: ${workerMode === 'api' ? 'the API process’s own' : 'a separate process (bench/analytics/worker-process.ts)'}`,
      `- Tenant ${tenant.slug} (${big.id}); batches of ${batch} events${withIds ? ', each with a client id (idempotency keys written)' : ', no client ids'}; members drawn from 20,000 of the tenant's${disjoint ? ', each connection its own share of them (BENCH_INGEST_DISJOINT=1)' : ' by every connection'}; 10 % of events up to 3 days late`,
      `- Load average before: ${loadBefore.map((n) => n.toFixed(2)).join(' / ')}; after: ${os
        .loadavg()
        .map((n) => n.toFixed(2))
        .join(' / ')}; ${os.cpus().length} cores`,
      `- Unhandled errors in the API's log (whole run, warm-ups included): ${serverErrors}`,
      ...notes.map((n) => `- ${n}`),
      '',
      '| connections | req/s | events/s | p50 ms | p95 ms | p99 ms | max ms | non-2xx | errors | max lag (load) s | lag at end s | queue empty after s | API cores | PG cores | load gen cores | other cores |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const r of results)
      lines.push(
        `| ${r.connections} | ${r.load.rps} | ${r.eventsPerSecond.toLocaleString('en-US')} | ${r.load.p50} | ${r.load.p95} | ${r.load.p99} | ${r.load.max} | ${r.load.non2xx} | ${r.load.errors + r.load.timeouts} | ${r.maxLagDuringLoad} | ${r.lagAtEndOfLoad} | ${r.drainSeconds ?? `> ${lagAfter}`} | ${r.load.cpu?.api.toFixed(2)} | ${r.load.cpu?.postgres.toFixed(2)} | ${r.load.cpu?.loadGenerator.toFixed(2)} | ${r.load.cpu?.other.toFixed(2)} |`,
      );
    for (const r of results) {
      lines.push('', `## Rollup lag over time, ${r.connections} connections (every 5 s)`, '');
      lines.push('| t s | phase | queue rows | queued events | lag s |', '| ---: | --- | ---: | ---: | ---: |');
      for (const s of r.lag.filter((_, i) => i % 5 === 0 || i === r.lag.length - 1))
        lines.push(
          `| ${s.t} | ${s.phase} | ${s.queueRows} | ${s.queuedEvents.toLocaleString('en-US')} | ${s.lagSeconds} |`,
        );
      lines.push(
        '',
        `Accepted ${r.accepted.toLocaleString('en-US')} (warm-up included), duplicates ${r.duplicates}, rejected ${r.rejected}; the rollups' event total grew by ${r.rollupEventsAdded.toLocaleString('en-US')}. Backends: ${Object.entries(
          r.load.dbActivity,
        )
          .slice(0, 4)
          .map(([k, v]) => `${k} ${Math.round(v * 100)}%`)
          .join(', ')}${r.load.sampleErrors.length ? `; errors: ${r.load.sampleErrors.join(' | ')}` : ''}`,
      );
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    await mkdir(DATA_DIR, { recursive: true });
    const md = path.join(DATA_DIR, `analytics-ingest-${stamp}.md`);
    await writeFile(md, `${lines.join('\n')}\n`);
    await writeFile(
      path.join(DATA_DIR, `analytics-ingest-${stamp}.json`),
      `${JSON.stringify({ command, results }, null, 2)}\n`,
    );
    log(`report: ${path.relative(REPO_ROOT, md)}`);
  } finally {
    await stopAll();
    await admin.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench/analytics/ingest: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
