/**
 * Analytics read benchmark: the API's engagement (30 days), retention (12 months),
 * growth (12 months) and a custom report (unique members by tier × month) on the
 * 200,000-member tenant at 10 connections, against the naive SQL over the raw
 * tables (bench/analytics/naive.ts) at the same concurrency, in the same run. Before
 * measuring, API and naive answers are compared figure by figure on a few windows.
 *
 *   node --conditions=memberkit-source --import tsx bench/analytics/run.ts
 *
 * Environment: BENCH_DATABASE_URL, BENCH_PORT (8798), BENCH_POOL_SIZE (10),
 * BENCH_CONNECTIONS (10), BENCH_DURATION (15 s per API scenario), BENCH_WARMUP (3 s),
 * BENCH_NAIVE_DURATION (30 s per naive scenario; at least BENCH_NAIVE_MIN_SAMPLES, 40,
 * up to 180 s), BENCH_QUIET_WAIT (10 s), BENCH_ONLY (engagement,retention,growth,report,report-months),
 * BENCH_NAIVE=0 skips the naive side, BENCH_CHECK_WINDOWS (3).
 * Needs `npm run bench:generate` and `npm run bench:analytics:generate` first.
 * Writes bench/.data/analytics-report-<time>.md and .json.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AutocannonRequest } from 'autocannon';
import pg from 'pg';
import { benchDatabaseUrl, databaseNameOf, DATA_DIR, intEnv, readTenantsFile, REPO_ROOT } from '../lib/config.js';
import { waitForQuiet } from '../lib/cpu.js';
import { runLoad, type LoadResult } from '../lib/load.js';
import { createProbe } from '../lib/probe.js';
import { startServer, type RunningServer } from '../lib/server.js';
import {
  addMonths,
  createLogger,
  DAY_MS,
  dayIndexOf,
  dayString,
  localDay,
  pct,
  readAnalyticsFile,
  round,
} from './common.js';
import { explainApi } from './explain-api.js';
import { explainAsAppSql, NAIVE_ENGAGEMENT, NAIVE_GROWTH, NAIVE_REPORT, NAIVE_RETENTION, runAsApp } from './naive.js';

const { log } = createLogger('analytics-bench');
const SCENARIOS = ['engagement', 'retention', 'growth', 'report', 'report-months'] as const;
type Scenario = (typeof SCENARIOS)[number];

interface Window {
  from: string;
  to: string;
}

interface Config {
  databaseUrl: string;
  port: number;
  poolSize: number;
  connections: number;
  duration: number;
  warmup: number;
  naiveDuration: number;
  naiveMinSamples: number;
  quietWait: number;
  naive: boolean;
  checkWindows: number;
  only: Set<Scenario>;
}

function readConfig(): Config {
  const only = process.env.BENCH_ONLY
    ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim()) as Scenario[])
    : new Set(SCENARIOS);
  for (const s of only) if (!SCENARIOS.includes(s)) throw new Error(`BENCH_ONLY: unknown scenario ${s}.`);
  return {
    databaseUrl: benchDatabaseUrl(),
    port: intEnv('BENCH_PORT', 8798, 1024, 65535),
    poolSize: intEnv('BENCH_POOL_SIZE', 10, 1, 90),
    connections: intEnv('BENCH_CONNECTIONS', 10, 1, 500),
    duration: intEnv('BENCH_DURATION', 15, 1, 300),
    warmup: intEnv('BENCH_WARMUP', 3, 0, 60),
    naiveDuration: intEnv('BENCH_NAIVE_DURATION', 30, 1, 600),
    naiveMinSamples: intEnv('BENCH_NAIVE_MIN_SAMPLES', 40, 1, 10_000),
    quietWait: intEnv('BENCH_QUIET_WAIT', 10, 0, 300),
    naive: process.env.BENCH_NAIVE !== '0',
    checkWindows: intEnv('BENCH_CHECK_WINDOWS', 3, 1, 50),
    only,
  };
}

// ---------------------------------------------------------------------------
// API answers and naive answers, reduced to comparable figures

type Figures = Map<string, number>;

interface EngagementSummary {
  active_members: number;
  dau: number;
  wau: number;
  mau: number;
  events: number;
  top_event_types: { type: string; events: number }[];
  segments: { segment: string; members: number }[];
}
interface EngagementBody {
  series: { period: string; active_members: number; events: number }[];
  summary: EngagementSummary;
  previous: EngagementSummary;
}
interface NaiveEngagement {
  summary: Record<
    'current' | 'previous',
    { active_members: number; events: number; wau: number; mau: number; dau_sum: number }
  >;
  daily: { day: string; active: number; events: number }[] | null;
  types: { type: string; events: number }[] | null;
  segments: Record<'current' | 'previous', Record<string, number>>;
}

function engagementFigures(body: EngagementBody): Figures {
  const f: Figures = new Map();
  for (const [name, s] of [
    ['summary', body.summary],
    ['previous', body.previous],
  ] as const) {
    f.set(`${name}.active_members`, s.active_members);
    f.set(`${name}.events`, s.events);
    f.set(`${name}.dau`, s.dau);
    f.set(`${name}.wau`, s.wau);
    f.set(`${name}.mau`, s.mau);
    for (const seg of s.segments) f.set(`${name}.segments.${seg.segment}`, seg.members);
  }
  for (const t of body.summary.top_event_types) f.set(`summary.type.${t.type}`, t.events);
  for (const b of body.series) {
    f.set(`series.${b.period}.active_members`, b.active_members);
    f.set(`series.${b.period}.events`, b.events);
  }
  return f;
}

function naiveEngagementFigures(n: NaiveEngagement, days: number): Figures {
  const f: Figures = new Map();
  for (const [name, key] of [
    ['summary', 'current'],
    ['previous', 'previous'],
  ] as const) {
    const s = n.summary[key] ?? { active_members: 0, events: 0, wau: 0, mau: 0, dau_sum: 0 };
    f.set(`${name}.active_members`, s.active_members);
    f.set(`${name}.events`, s.events);
    f.set(`${name}.dau`, round(s.dau_sum / days, 2));
    f.set(`${name}.wau`, s.wau);
    f.set(`${name}.mau`, s.mau);
    for (const [seg, members] of Object.entries(n.segments[key] ?? {})) f.set(`${name}.segments.${seg}`, members);
  }
  for (const t of (n.types ?? []).slice(0, 10)) f.set(`summary.type.${t.type}`, t.events);
  for (const d of n.daily ?? []) {
    f.set(`series.${d.day}.active_members`, d.active);
    f.set(`series.${d.day}.events`, d.events);
  }
  return f;
}

interface RetentionBody {
  cohorts: { cohort: string; size: number; retention: { period: string; retained: number }[] }[];
  churn: { period: string; churned: number }[];
}
interface NaiveRetention {
  sizes: Record<string, number> | null;
  retained: [string, string, number][] | null;
  churn: Record<string, number> | null;
}
function retentionFigures(body: RetentionBody): Figures {
  const f: Figures = new Map();
  for (const c of body.cohorts) {
    f.set(`cohort.${c.cohort}.size`, c.size);
    for (const r of c.retention) f.set(`cohort.${c.cohort}.${r.period}.retained`, r.retained);
  }
  for (const c of body.churn) f.set(`churn.${c.period}`, c.churned);
  return f;
}
function naiveRetentionFigures(n: NaiveRetention, api: Figures): Figures {
  const f: Figures = new Map();
  for (const [cohort, size] of Object.entries(n.sizes ?? {})) f.set(`cohort.${cohort}.size`, size);
  for (const [cohort, period, retained] of n.retained ?? []) f.set(`cohort.${cohort}.${period}.retained`, retained);
  for (const [period, churned] of Object.entries(n.churn ?? {})) f.set(`churn.${period}`, churned);
  // Cells the API shows with 0 (no row on the naive side).
  for (const key of api.keys()) if (!f.has(key)) f.set(key, 0);
  return f;
}

interface GrowthFigure {
  new: number;
  churned: number;
  reactivated: number;
  members: { pending: number; active: number; inactive: number; suspended: number; total: number };
}
interface GrowthBody {
  series: (GrowthFigure & { period: string })[];
}
interface NaiveGrowth {
  moves: Record<string, { new: number; churned: number; reactivated: number }> | null;
  status: [string, string, number][] | null;
}
function growthFigures(body: GrowthBody): Figures {
  const f: Figures = new Map();
  for (const b of body.series) {
    f.set(`${b.period}.new`, b.new);
    f.set(`${b.period}.churned`, b.churned);
    f.set(`${b.period}.reactivated`, b.reactivated);
    for (const s of ['pending', 'active', 'inactive', 'suspended'] as const) f.set(`${b.period}.${s}`, b.members[s]);
  }
  return f;
}
function naiveGrowthFigures(n: NaiveGrowth, api: Figures): Figures {
  const f: Figures = new Map();
  for (const [period, m] of Object.entries(n.moves ?? {})) {
    f.set(`${period}.new`, m.new);
    f.set(`${period}.churned`, m.churned);
    f.set(`${period}.reactivated`, m.reactivated);
  }
  for (const [period, status, count] of n.status ?? []) f.set(`${period}.${status}`, count);
  for (const key of api.keys()) if (!f.has(key)) f.set(key, 0);
  return f;
}

interface ReportBody {
  rows: Record<string, string | number | null>[];
  totals: Record<string, number> | null;
}
function reportFigures(body: ReportBody): Figures {
  const f: Figures = new Map();
  for (const r of body.rows) f.set(`${r.month}.${r.tier ?? ''}`, Number(r.unique_members));
  if (body.totals) f.set('total', body.totals.unique_members ?? Number.NaN);
  return f;
}
function naiveReportFigures(n: [string | null, string | null, number][] | null): Figures {
  const f: Figures = new Map();
  for (const [month, tier, members] of n ?? []) f.set(month === null ? 'total' : `${month}.${tier}`, members);
  return f;
}

interface Agreement {
  scenario: Scenario;
  window: string;
  compared: number;
  mismatches: string[];
  sample: string[];
}

function compare(scenario: Scenario, window: string, api: Figures, naive: Figures): Agreement {
  const mismatches: string[] = [];
  const keys = new Set([...api.keys(), ...naive.keys()]);
  for (const k of keys) {
    const a = api.get(k);
    const b = naive.get(k);
    if (a === undefined || b === undefined || Math.abs(a - b) > 1e-9) mismatches.push(`${k}: api ${a} naive ${b}`);
  }
  const sample = [...api.keys()].slice(0, 4).map((k) => `${k}=${api.get(k)}`);
  return { scenario, window, compared: keys.size, mismatches, sample };
}

// ---------------------------------------------------------------------------
// Naive load: the SQL at the same concurrency

interface NaiveResult {
  key: string;
  connections: number;
  seconds: number;
  samples: number;
  qps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
}

async function runNaiveLoad(
  url: string,
  tenantId: string,
  key: string,
  connections: number,
  minSeconds: number,
  minSamples: number,
  next: () => { sql: string; params: unknown[] },
): Promise<NaiveResult> {
  const pool = new pg.Pool({ connectionString: url, max: connections });
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const hardStop = started + 180_000;
  const done = () => {
    const now = performance.now();
    return now > hardStop || (now - started >= minSeconds * 1000 && latencies.length >= minSamples);
  };
  try {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        const client = await pool.connect();
        try {
          while (!done()) {
            const q = next();
            const t = performance.now();
            try {
              await runAsApp(client, tenantId, q.sql, q.params);
              latencies.push(performance.now() - t);
            } catch (error) {
              errors++;
              if (errors < 3) log(`naive ${key}: ${String(error)}`);
            }
          }
        } finally {
          client.release();
        }
      }),
    );
  } finally {
    await pool.end();
  }
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    key,
    connections,
    seconds: round(seconds, 1),
    samples: latencies.length,
    qps: round(latencies.length / seconds, 2),
    p50: round(pct(sorted, 0.5)),
    p95: round(pct(sorted, 0.95)),
    p99: round(pct(sorted, 0.99)),
    max: round(sorted.at(-1) ?? Number.NaN),
    errors,
  };
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const config = readConfig();
  const runStarted = performance.now();
  const tenantsFile = await readTenantsFile();
  const data = await readAnalyticsFile();
  if (!tenantsFile?.complete || !data?.complete || data.databaseUrl !== config.databaseUrl)
    throw new Error('No complete analytics dataset: run bench:generate and bench:analytics:generate first.');
  const big = data.tenants[0]!;
  const tenant = tenantsFile.tenants.find((t) => t.id === big.id)!;
  const tz = big.timeZone;
  const auth = { Authorization: `Bearer ${tenant.secretKey}` };
  const loadBefore = os.loadavg();

  const admin = new pg.Client({ connectionString: config.databaseUrl });
  await admin.connect();
  const thresholds = (
    await admin.query<{ high: number; moderate: number }>(
      'select engagement_high_min as high, engagement_moderate_min as moderate from tenants where id = $1',
      [big.id],
    )
  ).rows[0]!;

  // Windows: the data ends at generation time; windows end on one of the 60 days before it,
  // chosen per request, so consecutive requests ask different questions.
  const lastDay = dayIndexOf(localDay(new Date(data.nowMs), tz)) - 1;
  const endDays = Array.from({ length: 60 }, (_, i) => dayString(lastDay - i));
  const engagementWindow = (to: string): Window => ({ from: dayString(dayIndexOf(to) - 29), to });
  const yearWindow = (to: string): Window => ({ from: addMonths(`${to.slice(0, 7)}-01`, -11), to });
  const currentMonth = `${localDay(new Date(), tz).slice(0, 7)}-01`;
  // Whole calendar months for a report the month rollup can answer: the 10, 11 or 12 months ending
  // with the last whole month (by the end day), never reaching back past the raw events' 13-month
  // retention (the API's retention job prunes raw events, not rollups: the naive side could not agree).
  const lastWholeMonth = addMonths(currentMonth, -1);
  const monthsWindow = (to: string): Window => ({
    from: addMonths(lastWholeMonth, -(9 + (dayIndexOf(to) % 3))),
    to: dayString(dayIndexOf(currentMonth) - 1),
  });
  const pickEnd = () => endDays[Math.floor(Math.random() * endDays.length)]!;
  const firstCohort = addMonths(currentMonth, -11);

  const apiRequest = (s: Scenario, to: string): { method: 'GET' | 'POST'; path: string; body?: string } => {
    switch (s) {
      case 'engagement': {
        const w = engagementWindow(to);
        return { method: 'GET', path: `/v1/analytics/engagement?from=${w.from}&to=${w.to}&interval=day` };
      }
      case 'retention':
        return { method: 'GET', path: '/v1/analytics/retention?cohort=month&periods=12' };
      case 'growth': {
        const w = yearWindow(to);
        return { method: 'GET', path: `/v1/analytics/growth?from=${w.from}&to=${w.to}&interval=month` };
      }
      case 'report':
      case 'report-months': {
        const w = s === 'report' ? yearWindow(to) : monthsWindow(to);
        return {
          method: 'POST',
          path: '/v1/reports/query',
          body: JSON.stringify({ metric: 'unique_members', dimensions: ['month', 'tier'], from: w.from, to: w.to }),
        };
      }
    }
  };
  const naiveQuery = (s: Scenario, to: string): { sql: string; params: unknown[] } => {
    switch (s) {
      case 'engagement': {
        const w = engagementWindow(to);
        return { sql: NAIVE_ENGAGEMENT, params: [big.id, w.from, w.to, tz, thresholds.high, thresholds.moderate] };
      }
      case 'retention':
        return { sql: NAIVE_RETENTION, params: [big.id, tz, firstCohort] };
      case 'growth': {
        const w = yearWindow(to);
        return { sql: NAIVE_GROWTH, params: [big.id, tz, w.from, w.to] };
      }
      case 'report':
      case 'report-months': {
        const w = s === 'report' ? yearWindow(to) : monthsWindow(to);
        return { sql: NAIVE_REPORT, params: [big.id, tz, w.from, w.to] };
      }
    }
  };
  const describeWindow = (s: Scenario, to: string) =>
    s === 'engagement'
      ? `${engagementWindow(to).from}..${to}`
      : s === 'retention'
        ? `cohorts ${firstCohort}..${currentMonth}`
        : s === 'report-months'
          ? `${monthsWindow(to).from}..${monthsWindow(to).to}`
          : `${yearWindow(to).from}..${to}`;

  let server: RunningServer | null = null;
  const onSignal = () => void server?.stop().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    server = await startServer({
      databaseUrl: config.databaseUrl,
      port: config.port,
      poolSize: config.poolSize,
      logFile: path.join(DATA_DIR, 'analytics-server.log'),
    });
    const srv = server;
    log(`server ${srv.pid} healthy at ${srv.baseUrl}; tenant ${tenant.slug} (${big.id}), ${tz}`);
    const call = async (s: Scenario, to: string) => {
      const r = apiRequest(s, to);
      const res = await fetch(`${srv.baseUrl}${r.path}`, {
        method: r.method,
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: r.body,
        signal: AbortSignal.timeout(60_000),
      });
      return { status: res.status, body: (await res.json()) as unknown };
    };

    // 1. Which endpoints exist, and do they agree with the naive SQL?
    const available: Scenario[] = [];
    const missing: string[] = [];
    const agreements: Agreement[] = [];
    const checkClient = new pg.Client({ connectionString: config.databaseUrl });
    await checkClient.connect();
    try {
      for (const s of SCENARIOS) {
        if (!config.only.has(s)) continue;
        const probeRes = await call(s, endDays[0]!);
        if (probeRes.status === 404 || probeRes.status === 405 || probeRes.status === 501) {
          missing.push(`${s}: ${probeRes.status} ${JSON.stringify(probeRes.body).slice(0, 200)}`);
          log(`${s}: missing (${probeRes.status})`);
          continue;
        }
        if (probeRes.status !== 200)
          throw new Error(`${s}: ${probeRes.status} ${JSON.stringify(probeRes.body).slice(0, 500)}`);
        available.push(s);
        const windows =
          s === 'retention' ? [endDays[0]!] : endDays.filter((_, i) => i % 17 === 0).slice(0, config.checkWindows);
        for (const to of windows) {
          const api = await call(s, to);
          const q = naiveQuery(s, to);
          const n = await runAsApp<unknown>(checkClient, big.id, q.sql, q.params);
          let a: Figures;
          let b: Figures;
          if (s === 'engagement') {
            a = engagementFigures(api.body as EngagementBody);
            b = naiveEngagementFigures(n as NaiveEngagement, 30);
          } else if (s === 'retention') {
            a = retentionFigures(api.body as RetentionBody);
            b = naiveRetentionFigures(n as NaiveRetention, a);
          } else if (s === 'growth') {
            a = growthFigures(api.body as GrowthBody);
            b = naiveGrowthFigures(n as NaiveGrowth, a);
          } else {
            // report, report-months
            a = reportFigures(api.body as ReportBody);
            b = naiveReportFigures(n as [string | null, string | null, number][] | null);
          }
          const agreement = compare(s, describeWindow(s, to), a, b);
          agreements.push(agreement);
          log(
            `check ${s} ${agreement.window}: ${agreement.compared} figures, ${agreement.mismatches.length} differ${agreement.mismatches.length ? `: ${agreement.mismatches.slice(0, 5).join('; ')}` : ''}`,
          );
        }
      }
    } finally {
      await checkClient.end();
    }

    // 2. EXPLAIN (ANALYZE) of the API's statements (captured from its services) and of the naive SQL.
    const explains: { title: string; sql: string; plan: string }[] = [];
    for (const s of available) {
      try {
        for (const e of await explainApi(
          config.databaseUrl,
          big.id,
          s === 'report-months' ? 'report' : s,
          naiveWindowFor(s),
        ))
          explains.push({ title: `API ${s}: ${e.title}`, sql: e.sql, plan: e.plan });
      } catch (error) {
        log(`explain API ${s}: ${String(error)}`);
      }
      if (config.naive) {
        const c = new pg.Client({ connectionString: config.databaseUrl });
        await c.connect();
        try {
          const q = naiveQuery(s, endDays[0]!);
          explains.push({
            title: `naive ${s} (${describeWindow(s, endDays[0]!)})`,
            sql: `${q.sql}\n-- params: ${JSON.stringify(q.params)}`,
            plan: await explainAsAppSql(c, big.id, q.sql, q.params),
          });
        } finally {
          await c.end();
        }
      }
    }
    function naiveWindowFor(s: Scenario): { from: string; to: string } {
      const to = endDays[0]!;
      return s === 'engagement'
        ? engagementWindow(to)
        : s === 'retention'
          ? { from: firstCohort, to }
          : s === 'report-months'
            ? monthsWindow(to)
            : yearWindow(to);
    }

    // 3. Load: the API with autocannon, then the naive SQL, each scenario after waiting for quiet.
    const probe = createProbe(admin, databaseNameOf(config.databaseUrl).name, srv.pid);
    const drain = async () => {
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline) {
        const { rows } = await admin.query<{ n: number }>(
          "select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state in ('active', 'idle in transaction')",
        );
        if (rows[0]!.n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const notes: string[] = [];
    const quiet = async (label: string) => {
      if (config.quietWait === 0) return;
      const q = await waitForQuiet(config.quietWait);
      const line = `${label}: ${q.busy.toFixed(2)} cores busy with other programs after waiting ${q.waited} s; load average ${os
        .loadavg()
        .map((n) => n.toFixed(2))
        .join(' / ')}`;
      if (q.busy > 0.3) notes.push(line);
      log(line);
    };
    const apiResults: LoadResult[] = [];
    const naiveResults: NaiveResult[] = [];
    for (const s of available) {
      await quiet(`API ${s}`);
      const first = apiRequest(s, endDays[0]!);
      const request: AutocannonRequest = {
        method: first.method,
        path: first.path,
        headers: { ...auth, 'Content-Type': 'application/json' },
        ...(first.body ? { body: first.body } : {}),
        setupRequest: (r) => {
          const next = apiRequest(s, pickEnd());
          return { ...r, path: next.path, ...(next.body ? { body: next.body } : {}) };
        },
      };
      const r = await runLoad(
        srv.baseUrl,
        {
          key: s,
          title: s,
          connections: config.connections,
          duration: config.duration,
          warmup: config.warmup,
          requests: [request],
        },
        probe,
        drain,
      );
      apiResults.push(r);
      log(
        `API ${s}: ${r.rps} req/s, p50 ${r.p50} / p95 ${r.p95} / p99 ${r.p99} ms, ${r.responses} responses, ${r.non2xx} non-2xx, ${r.errors + r.timeouts} errors; cores api ${r.cpu?.api.toFixed(2)} pg ${r.cpu?.postgres.toFixed(2)} other ${r.cpu?.other.toFixed(2)}`,
      );
    }
    await server.stop();
    server = null;
    if (config.naive) {
      for (const s of available) {
        await quiet(`naive ${s}`);
        const r = await runNaiveLoad(
          config.databaseUrl,
          big.id,
          s,
          config.connections,
          config.naiveDuration,
          config.naiveMinSamples,
          () => naiveQuery(s, pickEnd()),
        );
        naiveResults.push(r);
        log(
          `naive ${s}: ${r.qps} q/s, p50 ${r.p50} / p95 ${r.p95} / p99 ${r.p99} ms, ${r.samples} samples in ${r.seconds} s`,
        );
      }
    }

    // 4. Report.
    const git = (args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const pgVersion = (await admin.query<{ v: string }>('select version() as v')).rows[0]!.v.split(' on ')[0]!;
    const settings = (
      await admin.query<{ name: string; setting: string; unit: string | null }>(
        "select name, setting, unit from pg_settings where name in ('shared_buffers', 'work_mem', 'effective_cache_size', 'max_parallel_workers_per_gather', 'jit') order by name",
      )
    ).rows.map(
      (s) => `${s.name}=${s.unit === '8kB' ? `${(Number(s.setting) * 8) / 1024} MB` : `${s.setting}${s.unit ?? ''}`}`,
    );
    const counts = (
      await admin.query<{ events: string; big: string }>(
        'select (select count(*) from activity_events)::text as events, (select count(*) from activity_events where tenant_id = $1)::text as big',
        [big.id],
      )
    ).rows[0]!;
    const command = `${Object.entries(process.env)
      .filter(([k]) => k.startsWith('BENCH_'))
      .map(([k, v]) => `${k}=${v} `)
      .join('')}node --conditions=memberkit-source --import tsx bench/analytics/run.ts`;
    const lines: string[] = [];
    lines.push(`# Analytics read benchmark — ${new Date().toISOString()}`, '');
    lines.push(
      `- Commit ${git(['rev-parse', '--short', 'HEAD'])}${git(['status', '--porcelain', '--', 'packages']).length ? ' (with uncommitted changes in packages/)' : ''}`,
      `- Machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB; ${pgVersion}; ${settings.join(', ')}`,
      `- Load average before: ${loadBefore.map((n) => n.toFixed(2)).join(' / ')}; after: ${os
        .loadavg()
        .map((n) => n.toFixed(2))
        .join(' / ')}`,
      `- Data: ${Number(counts.events).toLocaleString('en-US')} events (${tenant.slug}: ${Number(counts.big).toLocaleString('en-US')}), generated ${data.generatedAt}, rollups by ${data.rollups}`,
      `- Tenant ${tenant.slug} (${big.id}), ${big.members.toLocaleString('en-US')} members, ${tz}; thresholds ${thresholds.high}/${thresholds.moderate}`,
      `- Command: \`${command}\``,
      `- Server: \`${srv.command}\``,
      `- ${config.connections} connections; API ${config.warmup} s warm-up + ${config.duration} s; naive ≥ ${config.naiveDuration} s and ≥ ${config.naiveMinSamples} queries (≤ 180 s), same windows, role memberkit_app with RLS, one transaction per query`,
      `- Windows: the end day drawn per request from the 60 days before the data's last day (${endDays.at(-1)}..${endDays[0]}); engagement 30 days (+ the previous 30), growth and report the 12 calendar months up to the end day (the last one partial), report-months 10–12 whole months ending with the last whole month; retention cohorts ${firstCohort}..${currentMonth} (the API has no end parameter: the same question every time)`,
    );
    for (const n of notes) lines.push(`- ${n}`);
    if (missing.length) lines.push(`- Missing endpoints: ${missing.join('; ')}`);
    lines.push(
      '',
      '| scenario | API req/s | API p50 | API p95 | API p99 | non-2xx | naive q/s | naive p50 | naive p95 | naive p99 | naive samples | p95 ratio |',
    );
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of apiResults) {
      const n = naiveResults.find((x) => x.key === r.key);
      lines.push(
        `| ${r.key} | ${r.rps} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.non2xx} | ${n?.qps ?? '–'} | ${n?.p50 ?? '–'} | ${n?.p95 ?? '–'} | ${n?.p99 ?? '–'} | ${n?.samples ?? '–'} | ${n ? `${round(n.p95 / r.p95, 1)}×` : '–'} |`,
      );
    }
    lines.push('', 'CPU during the API runs (cores): ');
    for (const r of apiResults)
      lines.push(
        `- ${r.key}: api ${r.cpu?.api.toFixed(2)}, postgres ${r.cpu?.postgres.toFixed(2)}, load generator ${r.cpu?.loadGenerator.toFixed(2)}, other ${r.cpu?.other.toFixed(2)}; db tx/request ${r.transactionsPerRequest}; backends: ${Object.entries(
          r.dbActivity,
        )
          .slice(0, 3)
          .map(([k, v]) => `${k} ${Math.round(v * 100)}%`)
          .join(', ')}${r.sampleErrors.length ? `; errors: ${r.sampleErrors.join(' | ')}` : ''}`,
      );
    lines.push('', '## API vs naive: the same figures', '');
    lines.push('| scenario | window | figures compared | differing | e.g. |', '| --- | --- | ---: | ---: | --- |');
    for (const a of agreements)
      lines.push(
        `| ${a.scenario} | ${a.window} | ${a.compared} | ${a.mismatches.length} | ${a.mismatches.length ? a.mismatches.slice(0, 3).join('; ') : a.sample.join(', ')} |`,
      );
    lines.push('', '## EXPLAIN (ANALYZE, BUFFERS)', '');
    for (const e of explains)
      lines.push(`### ${e.title}`, '', '```sql', e.sql.trim(), '```', '', '```', e.plan, '```', '');
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    await mkdir(DATA_DIR, { recursive: true });
    const md = path.join(DATA_DIR, `analytics-report-${stamp}.md`);
    await writeFile(md, `${lines.join('\n')}\n`);
    await writeFile(
      path.join(DATA_DIR, `analytics-report-${stamp}.json`),
      `${JSON.stringify({ apiResults, naiveResults, agreements, missing, notes, explains, command, seconds: (performance.now() - runStarted) / 1000 }, null, 2)}\n`,
    );
    log(`report: ${path.relative(REPO_ROOT, md)}`);
  } finally {
    await server?.stop();
    await admin.end();
  }
}

void DAY_MS;
main().catch((error: unknown) => {
  process.stderr.write(
    `bench/analytics/run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
