/**
 * Analytics data generator: 10,000,000 activity events over 13 months across the
 * members bench's 50 tenants (the 200,000-member tenant gets 22 %, ≥ 2,200,000),
 * plus what membership analytics read (member sources, join tiers, lifecycle
 * events with their growth rollup), then the activity rollups.
 *
 *   node --conditions=memberkit-source --import tsx bench/analytics/generate.ts [--scale=0.01] [--tenants=1] [--reset]
 *
 * Needs the members dataset of `npm run bench:generate` (same database). The path:
 *
 * 1. Tenants get time zones by locale (the big one America/New_York), so day
 *    boundaries are local as in production.
 * 2. Members: `source` and `join_tier_id` set; 10 % of the active members with a tier
 *    changed tier once in the 13 months (joined one tier lower, or higher from the
 *    lowest); inactive/suspended members churned (were active until a date). Their
 *    `member_events` (created, status_changed, tier_changed) are inserted as the
 *    product records them, and `membership_daily` is computed from exactly those
 *    events with the rules of `applyMembershipEvents` (services/membership-rollup.ts).
 * 3. Events: generated per member in sessions (5 % power users with 70 % of the
 *    events, 30 % regular, 45 % occasional, 20 % near-dormant; a weekly rhythm with
 *    quiet weekends, a summer and a Christmas dip; daytime hours in the tenant's
 *    zone), several types and sources, the member's tier at the time (tier_key), plus
 *    the platform's own member.* events (signed_up, email_verified, tier_changed,
 *    status_changed). Streamed as CSV into `\copy activity_events … from stdin`
 *    through psql (secondary indexes dropped during the load and rebuilt).
 * 4. Rollups, the product's way: one `activity_rollup_queue` row per 1,000 events in
 *    time order (`delta.rows` = `[member_id, local day, type, tier_key, events]`
 *    aggregated over the batch, as the ingest transaction writes them), then the
 *    rollup worker's own drain (`--rollups=worker`, default). `--rollups=sql` instead
 *    computes the rollup tables with one INSERT … SELECT each from the raw events (the
 *    SPEC's definitions); `--rollups=none` leaves the queue full.
 *
 * `--scale` multiplies the 10,000,000; `--events=N` sets the total; `--tenants=N`
 * keeps the N largest tenants (the budget is shared among them).
 */
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import pg from 'pg';
import { benchDatabaseUrl, DATA_DIR, readTenantsFile, type BenchTenant } from '../lib/config.js';
import {
  type AnalyticsFile,
  type AnalyticsTenant,
  createLogger,
  DAY_MS,
  mulberry32,
  readAnalyticsFile,
  writeAnalyticsFile,
  ZONE_BY_LOCALE,
} from './common.js';
import { drainRollups } from './drain.js';

const SEED = 20261207;
const FULL_EVENTS = 10_000_000;
/** Share of all events that belongs to the largest tenant (200,000 members): ≥ 2,000,000 at full scale. */
const BIG_SHARE = 0.22;
const MONTHS = 13;

const { log, since } = createLogger('analytics-generate');

const USAGE = `Usage: node --conditions=memberkit-source --import tsx bench/analytics/generate.ts [options]

  --scale=<0..1>       share of the 10,000,000 events (default 1)
  --events=<n>         total events instead (overrides --scale)
  --tenants=<n>        only the n largest bench tenants (default all 50)
  --rollups=worker|sql|none
                       how the rollup tables are filled (default worker: queue rows of
                       --queue-batch events each, drained by the product's rollup worker)
  --queue-batch=<n>    events per queue row, as one ingest batch (default 1000)
  --reset              delete the activity data of an earlier run first
  --redo-rollups       keep the generated events: empty the rollup tables and fill them again
                       (with --rollups=…)
  --verify-rollups     afterwards, compare every rollup table with the SPEC's definitions
                       computed by SQL over the raw events (rows missing / extra)
  --help

Needs \`npm run bench:generate\` (members) on the same database (BENCH_DATABASE_URL).
`;

interface Args {
  events: number;
  tenants: number;
  rollups: 'worker' | 'sql' | 'none';
  queueBatch: number;
  reset: boolean;
  /** Only redo the rollups of the generated events (truncate them, queue, drain). */
  redo: boolean;
  verify: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    events: FULL_EVENTS,
    tenants: 50,
    rollups: 'worker',
    queueBatch: 1000,
    reset: false,
    redo: false,
    verify: false,
  };
  for (const arg of argv) {
    const [key, value] = arg.split('=', 2) as [string, string | undefined];
    const num = () => {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${key} needs a positive number.`);
      return n;
    };
    if (key === '--help' || key === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else if (key === '--reset') args.reset = true;
    else if (key === '--redo-rollups') args.redo = true;
    else if (key === '--verify-rollups') args.verify = true;
    else if (key === '--scale') args.events = Math.round(FULL_EVENTS * Math.min(1, num()));
    else if (key === '--events') args.events = Math.round(num());
    else if (key === '--tenants') args.tenants = Math.round(num());
    else if (key === '--queue-batch') args.queueBatch = Math.round(num());
    else if (key === '--rollups' && (value === 'worker' || value === 'sql' || value === 'none')) args.rollups = value;
    else throw new Error(`Unknown argument ${arg}.\n${USAGE}`);
  }
  return args;
}

// ---------------------------------------------------------------------------
// The shape of activity

/** Weekday factors, Sunday first (local day). */
const WEEKDAY = [0.5, 1.0, 1.0, 1.0, 0.95, 0.85, 0.55];
/** Month factors, January first: a summer dip, a Christmas dip. */
const MONTH = [1.05, 1.0, 1.0, 0.95, 0.95, 0.9, 0.7, 0.65, 1.0, 1.05, 1.05, 0.8];

/** Member classes: share of members, share of events, mean session length. */
const CLASSES = [
  { name: 'power', members: 0.05, events: 0.7, session: 4 },
  { name: 'regular', members: 0.3, events: 0.22, session: 3 },
  { name: 'occasional', members: 0.45, events: 0.075, session: 2 },
  { name: 'dormant', members: 0.2, events: 0.005, session: 1 },
] as const;

/** Event types after the first event of a session; `source` m = member token (widgets) 70 % / api, a = api. */
const TYPES: readonly { type: string; weight: number; prop: 'path' | 'course' | 'event' | 'content' | 'none' }[] = [
  { type: 'page.viewed', weight: 50, prop: 'path' },
  { type: 'content.read', weight: 14, prop: 'content' },
  { type: 'course.lesson_completed', weight: 6, prop: 'course' },
  { type: 'course.started', weight: 5, prop: 'course' },
  { type: 'course.completed', weight: 2.5, prop: 'course' },
  { type: 'event.registered', weight: 3, prop: 'event' },
  { type: 'event.attended', weight: 2, prop: 'event' },
  { type: 'content.downloaded', weight: 3, prop: 'content' },
  { type: 'x.forum_posted', weight: 4, prop: 'none' },
  { type: 'x.newsletter_clicked', weight: 3, prop: 'none' },
  { type: 'content.shared', weight: 1.5, prop: 'content' },
];
const PLATFORM_TYPES = [
  'member.signed_in',
  'member.signed_up',
  'member.email_verified',
  'member.tier_changed',
  'member.status_changed',
] as const;
const ALL_TYPES = [...TYPES.map((t) => t.type), ...PLATFORM_TYPES];
const T_SIGNED_IN = TYPES.length;
const T_SIGNED_UP = TYPES.length + 1;
const T_VERIFIED = TYPES.length + 2;
const T_TIER = TYPES.length + 3;
const T_STATUS = TYPES.length + 4;
const TYPE_CUMULATIVE = (() => {
  const total = TYPES.reduce((s, t) => s + t.weight, 0);
  let acc = 0;
  return TYPES.map((t) => (acc += t.weight / total));
})();

const SOURCES = ['api', 'member', 'platform'] as const;
const MEMBER_SOURCES: readonly (readonly [string, number])[] = [
  ['signup', 40],
  ['import', 20],
  ['invite', 15],
  ['staff', 10],
  ['api', 10],
  ['oidc', 5],
];

/** Local hour of a session's start: mornings, lunch, evenings. */
const HOURS = [
  0.2, 0.1, 0.05, 0.05, 0.1, 0.3, 1.2, 2.5, 3, 2.5, 2.2, 2.4, 3.2, 3, 2.4, 2.2, 2.4, 3.2, 4.2, 4.6, 4.4, 3.6, 2.2, 0.8,
];
const HOUR_CUMULATIVE = (() => {
  const total = HOURS.reduce((s, h) => s + h, 0);
  let acc = 0;
  return HOURS.map((h) => (acc += h / total));
})();

function pickCumulative(cumulative: readonly number[], u: number): number {
  for (let i = 0; i < cumulative.length; i++) if (u < cumulative[i]!) return i;
  return cumulative.length - 1;
}

function weighted<T>(rand: () => number, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = rand() * total;
  for (const [value, w] of items) {
    x -= w;
    if (x < 0) return value;
  }
  return items[items.length - 1]![0];
}

/** Offset of a zone from UTC at an instant, in ms (for placing sessions at local hours). */
function zoneOffsetMs(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(at));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return local - Math.floor(at / 1000) * 1000;
}

// ---------------------------------------------------------------------------
// Fast ULID-shaped ids (time + PRNG): the generator makes millions.

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function fastUlid(ms: number, rand: () => number): string {
  let out = '';
  let t = ms;
  const time: string[] = new Array(10);
  for (let i = 9; i >= 0; i--) {
    time[i] = CROCKFORD[t % 32]!;
    t = Math.floor(t / 32);
  }
  out = time.join('');
  for (let i = 0; i < 4; i++) {
    let r = Math.floor(rand() * 1048576); // 20 bits → 4 chars
    for (let j = 0; j < 4; j++) {
      out += CROCKFORD[r & 31]!;
      r >>= 5;
    }
  }
  return out.toLowerCase();
}

// ---------------------------------------------------------------------------
// Members

interface MemberRow {
  id: string;
  createdAt: number;
  status: string;
  tierId: string | null;
}

interface MemberPlan {
  source: string;
  joinTier: string | null;
  /** Tier change: [at, from, to]. */
  change: [number, string, string] | null;
  /** Churn (active → status): [at, to]. */
  churn: [number, string] | null;
}

interface EventColumns {
  at: number[];
  member: number[];
  type: number[];
  /** Index into the tenant's tiers, -1 none. */
  tier: number[];
  source: number[];
  prop: number[];
}

function planMembers(members: MemberRow[], tiers: string[], startMs: number, nowMs: number, rand: () => number) {
  return members.map<MemberPlan>((m) => {
    const source = weighted(rand, MEMBER_SOURCES);
    let change: MemberPlan['change'] = null;
    let churn: MemberPlan['churn'] = null;
    if (m.status === 'active' && m.tierId && tiers.length > 1 && rand() < 0.1) {
      const lo = Math.max(m.createdAt + DAY_MS, startMs);
      const hi = nowMs - DAY_MS;
      if (hi > lo) {
        const idx = tiers.indexOf(m.tierId);
        const from = idx > 0 ? tiers[idx - 1]! : tiers[1]!;
        change = [Math.floor(lo + rand() * (hi - lo)), from, m.tierId];
      }
    }
    if (m.status === 'inactive' || m.status === 'suspended') {
      churn = [Math.floor(m.createdAt + (0.2 + 0.8 * rand()) * (nowMs - m.createdAt)), m.status];
    }
    return { source, joinTier: change ? change[1] : m.tierId, change, churn };
  });
}

/** Generates one tenant's events into columns; returns the platform events' count too. */
function generateEvents(
  members: MemberRow[],
  plans: MemberPlan[],
  tiers: string[],
  timeZone: string,
  budget: number,
  startMs: number,
  nowMs: number,
  rand: () => number,
): EventColumns {
  const cols: EventColumns = { at: [], member: [], type: [], tier: [], source: [], prop: [] };
  const tierIndex = new Map(tiers.map((t, i) => [t, i]));
  const tierAt = (i: number, at: number): number => {
    const p = plans[i]!;
    const current = members[i]!.tierId;
    if (p.change && at < p.change[0]) return tierIndex.get(p.change[1]) ?? -1;
    return current ? (tierIndex.get(current) ?? -1) : -1;
  };
  const push = (i: number, at: number, type: number, source: number, prop: number) => {
    cols.at.push(at);
    cols.member.push(i);
    cols.type.push(type);
    cols.tier.push(tierAt(i, at));
    cols.source.push(source);
    cols.prop.push(prop);
  };

  // Platform events first (they are not part of the budget).
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    const p = plans[i]!;
    if (m.createdAt >= startMs) {
      push(i, m.createdAt, T_SIGNED_UP, 2, 0);
      if (m.status !== 'pending' || rand() < 0.3) {
        const at = m.createdAt + Math.floor(60_000 + rand() * 3_600_000);
        if (at < nowMs) push(i, at, T_VERIFIED, 2, 0);
      }
    }
    if (p.change) push(i, p.change[0], T_TIER, 2, 0);
    if (p.churn && p.churn[0] >= startMs) push(i, p.churn[0], T_STATUS, 2, 0);
  }
  // Platform events count into the budget; a small run (smoke) keeps at least half of it for the rest.
  const remaining = Math.max(budget - cols.at.length, Math.round(budget / 2));

  // Local-day factors over the span: weekday × month.
  const offset = zoneOffsetMs(timeZone, nowMs);
  const firstDay = Math.floor((startMs + offset) / DAY_MS);
  const lastDay = Math.floor((nowMs + offset) / DAY_MS);
  const dayFactor = new Float64Array(lastDay - firstDay + 1);
  for (let d = firstDay; d <= lastDay; d++) {
    const date = new Date(d * DAY_MS);
    dayFactor[d - firstDay] = WEEKDAY[date.getUTCDay()]! * MONTH[date.getUTCMonth()]!;
  }
  const maxFactor = Math.max(...dayFactor);

  // Each member's weight: class × active window × log-normal noise.
  const weights = new Float64Array(members.length);
  const klass = new Uint8Array(members.length);
  const windows = new Float64Array(members.length * 2);
  let total = 0;
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    const p = plans[i]!;
    const u = rand();
    let k = 0;
    let acc = CLASSES[0].members;
    while (u >= acc && k < CLASSES.length - 1) acc += CLASSES[++k]!.members;
    klass[i] = k;
    const ws = Math.max(startMs, m.createdAt);
    const we = p.churn ? Math.min(nowMs, p.churn[0]) : nowMs;
    windows[2 * i] = ws;
    windows[2 * i + 1] = we;
    if (we - ws < DAY_MS) continue;
    const c = CLASSES[k]!;
    const noise = Math.exp(0.6 * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
    const w = (c.events / c.members) * ((we - ws) / (nowMs - startMs)) * noise * (m.status === 'pending' ? 0.1 : 1);
    weights[i] = w;
    total += w;
  }

  for (let i = 0; i < members.length; i++) {
    if (weights[i] === 0) continue;
    let n = Math.floor((remaining * weights[i]!) / total + rand());
    const ws = windows[2 * i]!;
    const we = windows[2 * i + 1]!;
    const meanSession = CLASSES[klass[i]!]!.session;
    while (n > 0) {
      // A session: a local day by the rhythm, a local hour, then events minutes apart.
      let t = 0;
      for (let tries = 0; tries < 50; tries++) {
        t = ws + rand() * (we - ws);
        const d = Math.floor((t + offset) / DAY_MS) - firstDay;
        if (rand() * maxFactor < (dayFactor[d] ?? 1)) break;
      }
      const dayStart = Math.floor((t + offset) / DAY_MS) * DAY_MS - offset;
      const hour = pickCumulative(HOUR_CUMULATIVE, rand());
      let at = dayStart + hour * 3_600_000 + Math.floor(rand() * 3_600_000);
      if (at < ws) at = ws + Math.floor(rand() * 60_000);
      if (at >= we) at = we - Math.floor(1000 + rand() * 600_000);
      if (at < ws) at = ws;
      const length = Math.min(n, 1 + Math.floor(-Math.log(1 - rand()) * (meanSession - 1)));
      for (let e = 0; e < length; e++) {
        let type: number;
        let source: number;
        if (e === 0 && rand() < 0.3) {
          type = T_SIGNED_IN;
          source = 2;
        } else {
          type = pickCumulative(TYPE_CUMULATIVE, rand());
          source = type === 0 && rand() < 0.7 ? 1 : 0;
        }
        push(i, Math.min(at, nowMs - 1), type, source, Math.floor(rand() * 500));
        at += 20_000 + Math.floor(rand() * 240_000);
        if (at >= we) at = we - 1;
      }
      n -= length;
    }
  }
  return cols;
}

function propertiesOf(type: number, n: number): string {
  const spec = TYPES[type];
  if (!spec) return '{}';
  switch (spec.prop) {
    case 'path':
      return `{"path":"/articles/${n}"}`;
    case 'course':
      return `{"course_id":"crs_${n % 40}"}`;
    case 'event':
      return `{"event_id":"ev_${n % 60}"}`;
    case 'content':
      return `{"content_id":"c_${n}","minutes":${1 + (n % 17)}}`;
    default:
      return '{}';
  }
}

// ---------------------------------------------------------------------------
// Loading

/** Streams CSV lines into `\copy … from stdin` through psql (COPY without a client library). */
function copyIn(url: string, statement: string): { write(chunk: string): Promise<void>; end(): Promise<void> } {
  const child = spawn('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', statement], {
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`psql \\copy exited with ${code}`)))),
  );
  exited.catch(() => undefined);
  return {
    write: (chunk) =>
      new Promise((resolve, reject) => {
        if (child.exitCode !== null) return reject(new Error('psql exited'));
        if (child.stdin.write(chunk)) resolve();
        else child.stdin.once('drain', resolve);
      }),
    end: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

const EVENT_COLUMNS = 'tenant_id, occurred_at, id, member_id, type, properties, tier_key, source, received_at';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const url = benchDatabaseUrl();
  const file = await readTenantsFile();
  if (!file?.complete || file.databaseUrl !== url)
    throw new Error('No complete members dataset for this database: run `npm run bench:generate` first.');
  const tenants: BenchTenant[] = [...file.tenants].sort((a, b) => b.members - a.members).slice(0, args.tenants);
  const ids = tenants.map((t) => t.id);
  const timings: Record<string, number> = {};
  const timed = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const result = await fn();
    timings[label] = Math.round(performance.now() - t);
    log(`${label}: ${since(t)}`);
    return result;
  };

  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query("set maintenance_work_mem = '1GB'");
    await admin.query("set work_mem = '256MB'");
    if (args.redo) {
      const data = await readAnalyticsFile();
      if (!data || data.databaseUrl !== url)
        throw new Error('--redo-rollups: no bench/.data/analytics.json for this database.');
      await admin.query(`truncate activity_rollup_queue, ${ROLLUP_TABLES.join(', ')}`);
      data.rollups = args.rollups;
      data.queueBatch = args.queueBatch;
      await buildRollups(admin, url, data, args, timed);
      data.timings = { ...data.timings, ...timings };
      await writeAnalyticsFile(data);
      log(`rollups redone (${args.rollups}) in ${since(0)}`);
      return;
    }
    const existing = Number(
      (await admin.query<{ n: string }>('select count(*) as n from (select 1 from activity_events limit 1) x')).rows[0]!
        .n,
    );
    const previous = await readAnalyticsFile();
    if (existing > 0 && !args.reset) {
      if (previous?.complete && previous.databaseUrl === url) {
        log(`already generated: ${previous.totalEvents.toLocaleString('en-US')} events. Use --reset to start over.`);
        return;
      }
      throw new Error('activity_events has rows but no complete bench/.data/analytics.json: run with --reset.');
    }
    if (args.reset) {
      await timed('reset: truncate activity tables, membership_daily, member_events', async () => {
        await admin.query(`truncate activity_events, activity_ingest_keys, activity_rollup_queue, activity_daily_counts,
          activity_member_days, activity_member_day_types, activity_member_periods, activity_active_counts,
          activity_cohort_counts, membership_daily, member_events`);
      });
    }

    const nowMs = Date.now();
    const startDate = new Date(nowMs);
    startDate.setUTCMonth(startDate.getUTCMonth() - MONTHS);
    const startMs = startDate.getTime();

    // 1. Time zones.
    const zones = new Map(tenants.map((t) => [t.id, ZONE_BY_LOCALE[t.locale] ?? 'UTC']));
    await admin.query(
      'update tenants t set time_zone = v.z from unnest($1::text[], $2::text[]) v(id, z) where t.id = v.id',
      [ids, ids.map((id) => zones.get(id)!)],
    );

    // Budgets: the big tenant 22 %, the rest by members.
    const big = tenants[0]!;
    const restMembers = tenants.slice(1).reduce((s, t) => s + t.members, 0);
    const budgets = new Map<string, number>();
    if (tenants.length === 1) budgets.set(big.id, args.events);
    else {
      budgets.set(big.id, Math.round(args.events * BIG_SHARE));
      for (const t of tenants.slice(1))
        budgets.set(t.id, Math.round((args.events * (1 - BIG_SHARE) * t.members) / restMembers));
    }

    // 2. Partitions, and the secondary indexes out of the way while loading.
    await admin.query('select memberkit_ensure_activity_partitions($1, $2)', [
      new Date(startMs - 31 * DAY_MS),
      new Date(nowMs + 62 * DAY_MS),
    ]);
    const pkDef = (
      await admin.query<{ def: string }>(
        "select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'activity_events_pkey' and conrelid = 'activity_events'::regclass",
      )
    ).rows[0]?.def;
    const indexDefs = (
      await admin.query<{ name: string; def: string }>(
        `select indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as def from pg_index
         where indrelid = 'activity_events'::regclass and not indisprimary`,
      )
    ).rows;
    await timed('drop activity_events indexes', async () => {
      if (pkDef) await admin.query('alter table activity_events drop constraint activity_events_pkey');
      for (const ix of indexDefs) await admin.query(`drop index ${ix.name}`);
    });

    const rand = mulberry32(SEED);
    const out: AnalyticsTenant[] = [];
    let totalEvents = 0;
    const genStart = performance.now();
    let memberRows = 0;
    let lifecycleEvents = 0;
    // Members of every tenant, planned first; then one bulk update and one bulk insert of lifecycle
    // events with the tables' secondary indexes dropped (rebuilt after, as bench/generate.ts loads).
    const planned: { tenant: BenchTenant; members: MemberRow[]; plans: MemberPlan[] }[] = [];
    for (const tenant of tenants) {
      const members = (
        await admin.query<{ id: string; c: string; status: string; tier_id: string | null }>(
          `select id, (extract(epoch from created_at) * 1000)::bigint::text as c, status, tier_id
           from members where tenant_id = $1 and deleted_at is null order by created_at, id`,
          [tenant.id],
        )
      ).rows.map<MemberRow>((r) => ({ id: r.id, createdAt: Number(r.c), status: r.status, tierId: r.tier_id }));
      memberRows += members.length;
      const plans = planMembers(
        members,
        tenant.tiers.map((t) => t.id),
        startMs,
        nowMs,
        rand,
      );
      planned.push({ tenant, members, plans });
    }
    await timed(`members: source and join_tier_id of ${memberRows.toLocaleString('en-US')}`, () =>
      withIndexesDropped(admin, 'members', async () => {
        for (const { tenant, members, plans } of planned)
          for (let i = 0; i < members.length; i += 50_000)
            await admin.query(
              `update members m set source = v.s, join_tier_id = v.j
               from unnest($2::text[], $3::text[], $4::text[]) v(id, s, j) where m.tenant_id = $1 and m.id = v.id`,
              [
                tenant.id,
                members.slice(i, i + 50_000).map((m) => m.id),
                plans.slice(i, i + 50_000).map((p) => p.source),
                plans.slice(i, i + 50_000).map((p) => p.joinTier),
              ],
            );
      }),
    );
    await timed('member_events: created/imported, tier_changed, status_changed', () =>
      withIndexesDropped(admin, 'member_events', async () => {
        for (const { tenant, members, plans } of planned) {
          for (let i = 0; i < members.length; i += 50_000) {
            const ev = { id: [] as string[], member: [] as string[], type: [] as string[] };
            const evFrom: (string | null)[] = [];
            const evTo: (string | null)[] = [];
            const evAt: string[] = [];
            const add = (m: MemberRow, at: number, type: string, from: string | null, to: string | null) => {
              ev.id.push(`mev_${fastUlid(at, rand)}`);
              ev.member.push(m.id);
              ev.type.push(type);
              evFrom.push(from);
              evTo.push(to);
              evAt.push(new Date(at).toISOString());
            };
            for (let j = i; j < Math.min(i + 50_000, members.length); j++) {
              const m = members[j]!;
              const p = plans[j]!;
              add(m, m.createdAt, p.source === 'import' ? 'imported' : 'created', null, p.churn ? 'active' : m.status);
              if (p.change) add(m, p.change[0], 'tier_changed', p.change[1], p.change[2]);
              if (p.churn) add(m, p.churn[0], 'status_changed', 'active', p.churn[1]);
            }
            await admin.query(
              `insert into member_events (tenant_id, id, member_id, type, from_value, to_value, actor_type, actor_id, occurred_at)
               select $1, i, m, t, f, v, 'api_key', 'key_bench', a
               from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[]) x(i, m, t, f, v, a)`,
              [tenant.id, ev.id, ev.member, ev.type, evFrom, evTo, evAt],
            );
            lifecycleEvents += ev.id.length;
          }
        }
      }),
    );

    const copier = copyIn(url, `\\copy activity_events (${EVENT_COLUMNS}) from stdin with (format csv)`);
    const copyStart = performance.now();
    for (const { tenant, members, plans } of planned) {
      const zone = zones.get(tenant.id)!;
      const tierIds = tenant.tiers.map((t) => t.id);
      // Events, in time order.
      const cols = generateEvents(members, plans, tierIds, zone, budgets.get(tenant.id)!, startMs, nowMs, rand);
      const n = cols.at.length;
      const order = new Uint32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      order.sort((a, b) => cols.at[a]! - cols.at[b]!);
      let chunk = '';
      for (let k = 0; k < n; k++) {
        const i = order[k]!;
        const at = cols.at[i]!;
        const type = cols.type[i]!;
        const tier = cols.tier[i]!;
        const props = propertiesOf(type, cols.prop[i]!).replace(/"/g, '""');
        chunk += `${tenant.id},${new Date(at).toISOString()},evt_${fastUlid(at, rand)},${members[cols.member[i]!]!.id},${ALL_TYPES[type]},"${props}","${tier < 0 ? '' : tierIds[tier]}",${SOURCES[cols.source[i]!]},${new Date(at + 1500).toISOString()}\n`;
        if (chunk.length > 1 << 20) {
          await copier.write(chunk);
          chunk = '';
        }
      }
      if (chunk) await copier.write(chunk);
      totalEvents += n;
      out.push({ id: tenant.id, slug: tenant.slug, timeZone: zone, members: members.length, events: n });
      if (tenant === big || out.length % 10 === 0 || out.length === tenants.length)
        log(
          `  ${tenant.slug}: ${members.length.toLocaleString('en-US')} members, ${n.toLocaleString('en-US')} events (${out.length}/${tenants.length} tenants, ${totalEvents.toLocaleString('en-US')} events, ${Math.round(totalEvents / ((performance.now() - copyStart) / 1000)).toLocaleString('en-US')} events/s)`,
        );
    }
    await copier.end();
    timings['generate + copy events'] = Math.round(performance.now() - copyStart);
    log(
      `generated and copied ${totalEvents.toLocaleString('en-US')} events (${memberRows.toLocaleString('en-US')} members updated, ${lifecycleEvents.toLocaleString('en-US')} member_events) in ${since(genStart)} (events ${since(copyStart)})`,
    );

    await timed('rebuild activity_events indexes', async () => {
      if (pkDef) await admin.query(`alter table activity_events add constraint activity_events_pkey ${pkDef}`);
      for (const ix of indexDefs) await admin.query(ix.def);
    });
    await timed('membership_daily from member_events', () => fillMembershipDaily(admin, ids));
    await timed('vacuum (analyze) activity_events, members, member_events', async () => {
      await admin.query('vacuum (analyze) activity_events');
      await admin.query('vacuum (analyze) members');
      await admin.query('vacuum (analyze) member_events');
      await admin.query('analyze membership_daily');
      await admin.query('analyze tenants');
    });

    const data: AnalyticsFile = {
      version: 1,
      databaseUrl: url,
      generatedAt: new Date(nowMs).toISOString(),
      startMs,
      nowMs,
      totalEvents,
      rollups: args.rollups,
      queueBatch: args.queueBatch,
      complete: false,
      timings,
      tenants: out,
    };
    await mkdir(DATA_DIR, { recursive: true });
    await writeAnalyticsFile(data);

    // 4. Rollups.
    await buildRollups(admin, url, data, args, timed);
    const sizes = (
      await admin.query<{ t: string; rows: string; size: string }>(
        `select c.relname as t, c.reltuples::bigint::text as rows, pg_size_pretty(pg_total_relation_size(c.oid)) as size
         from pg_class c where c.relname in ('activity_daily_counts','activity_member_days','activity_member_day_types',
           'activity_member_periods','activity_active_counts','activity_cohort_counts','membership_daily','member_events')
         union all
         select 'activity_events (all partitions)', sum(c.reltuples)::bigint::text,
           pg_size_pretty(sum(pg_total_relation_size(c.oid))::bigint)
         from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'activity_events'::regclass`,
      )
    ).rows;
    for (const s of sizes) log(`  ${s.t}: ~${Number(s.rows).toLocaleString('en-US')} rows, ${s.size}`);
    data.complete = true;
    data.timings = timings;
    await writeAnalyticsFile(data);
    log(
      `done: ${totalEvents.toLocaleString('en-US')} events, ${big.slug} ${out[0]!.events.toLocaleString('en-US')}; total ${since(0)}`,
    );
  } finally {
    await admin.end();
  }
}

/** Step 4: queue rows and the worker's drain, or SQL; then `--verify-rollups`. */
async function buildRollups(
  admin: pg.Client,
  url: string,
  data: AnalyticsFile,
  args: Args,
  timed: <T>(label: string, fn: () => Promise<T>) => Promise<T>,
): Promise<void> {
  const ids = data.tenants.map((t) => t.id);
  if (args.rollups !== 'none') {
    if (args.rollups === 'worker') {
      const rows = await timed(`queue rows (${args.queueBatch} events each, time order)`, () =>
        fillQueue(admin, data.tenants, args.queueBatch),
      );
      log(`  ${rows.toLocaleString('en-US')} queue rows`);
      await timed('rollup worker drain', () => drainRollups(url, (m) => log(`  ${m}`)));
    } else {
      await timed('rollups by SQL', async () => {
        // Secondary indexes rebuilt after the load (the tables were emptied first).
        const defs = (
          await admin.query<{ name: string; def: string }>(
            `select indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as def from pg_index
             where indrelid = any($1::regclass[]) and not indisprimary`,
            [ROLLUP_TABLES],
          )
        ).rows;
        // Primary keys too: built once by sorting instead of row by row (as pg_restore loads).
        const keys = (
          await admin.query<{ table: string; name: string; def: string }>(
            `select conrelid::regclass::text as table, conname as name, pg_get_constraintdef(oid) as def
             from pg_constraint where conrelid = any($1::regclass[]) and contype = 'p'`,
            [ROLLUP_TABLES],
          )
        ).rows;
        for (const d of defs) await admin.query(`drop index ${d.name}`);
        for (const k of keys) await admin.query(`alter table ${k.table} drop constraint ${k.name}`);
        await fillRollupsBySql(admin, ids);
        const rebuild = performance.now();
        for (const k of keys) await admin.query(`alter table ${k.table} add constraint ${k.name} ${k.def}`);
        for (const d of defs) await admin.query(d.def);
        log(`    primary keys and indexes rebuilt: ${since(rebuild)}`);
      });
    }
    await timed('vacuum (analyze) rollup tables', async () => {
      for (const t of [...ROLLUP_TABLES, 'activity_rollup_queue']) await admin.query(`vacuum (analyze) ${t}`);
    });
  }
  if (args.verify) {
    const result = await timed('verify rollups against SQL over the raw events', () => verifyRollups(admin, ids));
    for (const [table, line] of Object.entries(result)) log(`  ${table}: ${line}`);
    data.verification = result;
  }
}

/**
 * Runs `fn` in a transaction with the table's secondary indexes and foreign keys
 * dropped, then re-creates them from their own definitions (as pg_restore loads).
 */
async function withIndexesDropped(admin: pg.Client, table: string, fn: () => Promise<void>): Promise<void> {
  const indexes = (
    await admin.query<{ indexname: string; indexdef: string }>(
      `select i.indexname, i.indexdef from pg_indexes i
       where i.schemaname = 'public' and i.tablename = $1
         and not exists (select 1 from pg_constraint k where k.conname = i.indexname)`,
      [table],
    )
  ).rows;
  const foreignKeys = (
    await admin.query<{ conname: string; def: string }>(
      `select conname, pg_get_constraintdef(oid) as def from pg_constraint
       where conrelid = $1::regclass and contype = 'f'`,
      [`public.${table}`],
    )
  ).rows;
  await admin.query('begin');
  try {
    for (const ix of indexes) await admin.query(`drop index "${ix.indexname}"`);
    for (const fk of foreignKeys) await admin.query(`alter table ${table} drop constraint "${fk.conname}"`);
    await fn();
    for (const ix of indexes) await admin.query(ix.indexdef);
    for (const fk of foreignKeys) await admin.query(`alter table ${table} add constraint "${fk.conname}" ${fk.def}`);
    await admin.query('commit');
  } catch (error) {
    await admin.query('rollback').catch(() => undefined);
    throw error;
  }
}

/**
 * `membership_daily` from the member_events just written, by the rules of
 * `applyMembershipEvents`: `created`/`imported` → joined +1 and the initial status +1
 * on the creation day under the join tier; `status_changed` a → b under the tier at
 * the time (churners never change tier here: their current tier) → a −1, b +1, churned
 * +1 (active → inactive/suspended); `tier_changed` x → y (active members only) →
 * active −1 under x, +1 under y. Local days in the tenant's zone.
 */
async function fillMembershipDaily(admin: pg.Client, tenantIds: string[]): Promise<void> {
  await admin.query(
    `insert into membership_daily (tenant_id, day, tier_key, source, joined, churned, reactivated, pending, active, inactive, suspended, deleted)
     select tenant_id, day, tier_key, source, sum(joined), sum(churned), 0, sum(pending), sum(active), sum(inactive), sum(suspended), 0
     from (
       select e.tenant_id, (e.occurred_at at time zone t.time_zone)::date as day, coalesce(m.join_tier_id, '') as tier_key,
         m.source, 1 as joined, 0 as churned, (e.to_value = 'pending')::int as pending, (e.to_value = 'active')::int as active,
         (e.to_value = 'inactive')::int as inactive, (e.to_value = 'suspended')::int as suspended
       from member_events e join members m on m.tenant_id = e.tenant_id and m.id = e.member_id join tenants t on t.id = e.tenant_id
       where e.tenant_id = any($1) and e.type in ('created', 'imported')
       union all
       select e.tenant_id, (e.occurred_at at time zone t.time_zone)::date, coalesce(m.tier_id, ''), m.source, 0,
         (e.from_value in ('pending', 'active') and e.to_value in ('inactive', 'suspended'))::int,
         (e.to_value = 'pending')::int - (e.from_value = 'pending')::int, (e.to_value = 'active')::int - (e.from_value = 'active')::int,
         (e.to_value = 'inactive')::int - (e.from_value = 'inactive')::int, (e.to_value = 'suspended')::int - (e.from_value = 'suspended')::int
       from member_events e join members m on m.tenant_id = e.tenant_id and m.id = e.member_id join tenants t on t.id = e.tenant_id
       where e.tenant_id = any($1) and e.type = 'status_changed'
       union all
       select e.tenant_id, (e.occurred_at at time zone t.time_zone)::date, x.tier, m.source, 0, 0, 0, x.d, 0, 0
       from member_events e join members m on m.tenant_id = e.tenant_id and m.id = e.member_id join tenants t on t.id = e.tenant_id
       cross join lateral (values (coalesce(e.from_value, ''), -1), (coalesce(e.to_value, ''), 1)) x(tier, d)
       where e.tenant_id = any($1) and e.type = 'tier_changed'
     ) x group by 1, 2, 3, 4`,
    [tenantIds],
  );
}

/**
 * What ingest would have queued: the events in time order, cut into batches of
 * `batch`, each batch's events aggregated to `[member_id, local day, type, tier_key,
 * events]` rows — one `activity_rollup_queue` row per batch, as one ingest call of
 * `batch` events writes it in its transaction.
 */
async function fillQueue(admin: pg.Client, tenants: AnalyticsTenant[], batch: number): Promise<number> {
  let rows = 0;
  for (const t of tenants) {
    const res = await admin.query(
      `insert into activity_rollup_queue (tenant_id, delta, events, created_at)
       select $1, jsonb_build_object('rows', jsonb_agg(jsonb_build_array(member_id, day, type, tier_key, n) order by day, member_id, type, tier_key)),
         sum(n)::int, now()
       from (
         select b, member_id, to_char(day, 'YYYY-MM-DD') as day, type, tier_key, count(*)::int as n
         from (
           select member_id, type, tier_key, (occurred_at at time zone $2)::date as day,
             (row_number() over (order by occurred_at, id) - 1) / $3 as b
           from activity_events where tenant_id = $1
         ) e group by b, member_id, day, type, tier_key
       ) g group by b order by b`,
      [t.id, t.timeZone, batch],
    );
    rows += res.rowCount ?? 0;
  }
  return rows;
}

const ROLLUP_TABLES = [
  'activity_daily_counts',
  'activity_member_days',
  'activity_member_day_types',
  'activity_member_periods',
  'activity_active_counts',
  'activity_cohort_counts',
] as const;

/**
 * The rollup tables by SQL from the raw events, with the SPEC's definitions: the
 * fallback path, and the expected contents `--verify-rollups` compares the worker's
 * tables with. `prefix` names the target tables (`''`: the real ones).
 */
async function fillRollupsBySql(admin: pg.Client, tenantIds: string[], prefix = ''): Promise<void> {
  const t = (name: string) => `${prefix}${name}`;
  const step = async (label: string, text: string, params: unknown[] = []) => {
    const started = performance.now();
    await admin.query(text, params);
    log(`    ${label}: ${since(started)}`);
  };
  await admin.query('begin');
  try {
    await step(
      'raw events with local days',
      `create temp table ev on commit drop as
       select e.tenant_id, e.member_id, e.type, e.tier_key, (e.occurred_at at time zone t.time_zone)::date as day
       from activity_events e join tenants t on t.id = e.tenant_id where e.tenant_id = any($1)`,
      [tenantIds],
    );
    await step(
      'activity_daily_counts',
      `insert into ${t('activity_daily_counts')} (tenant_id, day, type, tier_key, events)
       select tenant_id, day, type, tier_key, count(*) from ev group by 1, 2, 3, 4`,
    );
    await step(
      'activity_member_day_types',
      `insert into ${t('activity_member_day_types')} (tenant_id, day, type, member_id, tier_key, events)
       select tenant_id, day, type, member_id, tier_key, count(*) from ev group by 1, 2, 3, 4, 5`,
    );
    // Member days from the member-day-types (one row per member, day, tier: sums of its types);
    // member weeks and months from the member days; distinct counts from both (a member has one
    // row per period and tier, so per tier it is count(*); over all tiers count(distinct)).
    await step(
      'activity_member_days',
      `insert into ${t('activity_member_days')} (tenant_id, day, member_id, tier_key, events)
       select tenant_id, day, member_id, tier_key, sum(events) from ${t('activity_member_day_types')}
       where tenant_id = any($1) group by 1, 2, 3, 4`,
      [tenantIds],
    );
    await step(
      'activity_member_periods',
      `insert into ${t('activity_member_periods')} (tenant_id, grain, period, member_id, tier_key, events)
       select tenant_id, g.grain, case g.grain when 'week' then date_trunc('week', day)::date else date_trunc('month', day)::date end,
         member_id, tier_key, sum(events)
       from ${t('activity_member_days')} cross join (values ('week'), ('month')) g(grain)
       where tenant_id = any($1)
       group by 1, 2, 3, 4, 5`,
      [tenantIds],
    );
    await step(
      'activity_active_counts',
      `insert into ${t('activity_active_counts')} (tenant_id, grain, period, tier_key, members)
       select tenant_id, 'day', day, tier_key, count(*) from ${t('activity_member_days')} where tenant_id = any($1) group by 1, 2, 3, 4
       union all
       select tenant_id, 'day', day, '*', count(distinct member_id) from ${t('activity_member_days')} where tenant_id = any($1) group by 1, 2, 3
       union all
       select tenant_id, grain, period, tier_key, count(*) from ${t('activity_member_periods')} where tenant_id = any($1) group by 1, 2, 3, 4
       union all
       select tenant_id, grain, period, '*', count(distinct member_id) from ${t('activity_member_periods')} where tenant_id = any($1) group by 1, 2, 3`,
      [tenantIds],
    );
    await step(
      'activity_cohort_counts',
      `insert into ${t('activity_cohort_counts')} (tenant_id, grain, cohort, period, join_tier_key, members)
       with mp as (
         select distinct tenant_id, grain, period, member_id from ${t('activity_member_periods')} where tenant_id = any($1)
       ), mm as (
         select m.tenant_id, m.id, coalesce(m.join_tier_id, '') as join_tier_key,
           (m.created_at at time zone tz.time_zone)::date as created_day
         from members m join tenants tz on tz.id = m.tenant_id where m.tenant_id = any($1)
       )
       select mp.tenant_id, mp.grain, c.cohort, mp.period, mm.join_tier_key, count(*)
       from mp join mm on mm.tenant_id = mp.tenant_id and mm.id = mp.member_id
       cross join lateral (select case mp.grain when 'week' then date_trunc('week', mm.created_day)::date
         else date_trunc('month', mm.created_day)::date end as cohort) c
       where mp.period >= c.cohort
       group by 1, 2, 3, 4, 5`,
      [tenantIds],
    );
    await admin.query('commit');
  } catch (error) {
    await admin.query('rollback').catch(() => undefined);
    throw error;
  }
}

/**
 * Compares the rollup tables (as the worker left them) with what the SPEC's
 * definitions give over the raw events: rows in one and not the other, per table.
 */
async function verifyRollups(admin: pg.Client, tenantIds: string[]): Promise<Record<string, string>> {
  const prefix = 'bench_expected_';
  for (const name of ROLLUP_TABLES) {
    await admin.query(`drop table if exists ${prefix}${name}`);
    await admin.query(`create unlogged table ${prefix}${name} (like ${name} including defaults)`);
  }
  const out: Record<string, string> = {};
  try {
    await fillRollupsBySql(admin, tenantIds, prefix);
    for (const name of ROLLUP_TABLES) {
      const row = (
        await admin.query<{ rows: number; missing: number; extra: number }>(
          `select (select count(*)::int from ${prefix}${name}) as rows,
             (select count(*)::int from (select * from ${prefix}${name} except select * from ${name} where tenant_id = any($1)) x) as missing,
             (select count(*)::int from (select * from ${name} where tenant_id = any($1) except select * from ${prefix}${name}) x) as extra`,
          [tenantIds],
        )
      ).rows[0]!;
      out[name] = `${row.rows} rows expected, ${row.missing} missing, ${row.extra} extra`;
    }
  } finally {
    for (const name of ROLLUP_TABLES) await admin.query(`drop table if exists ${prefix}${name}`);
  }
  return out;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench/analytics/generate: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
