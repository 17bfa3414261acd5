import { sql, type SQL } from 'drizzle-orm';
import { executeRows, type Tx } from '../db/database.js';
import { MEMBER_SOURCES, type MemberSource } from '../db/schema/index.js';
import { ApiError, type ErrorCodeSpec } from '../lib/errors.js';
import { AnalyticsErrors } from './analytics-errors.js';
import { addDays, addMonths, daysBetween, isLocalDate, localDay, monthStart, weekStart } from '../lib/time-zone.js';
import { GROWTH_STATUSES } from './membership-rollup.js';
import type { ServiceDeps } from './service-deps.js';

/** Longest growth window: three years of days (one of them a leap year). */
export const MAX_GROWTH_DAYS = 1096;

export const GROWTH_INTERVALS = ['day', 'week', 'month'] as const;
export type GrowthInterval = (typeof GROWTH_INTERVALS)[number];

export { GROWTH_STATUSES, MEMBER_SOURCES };
export type GrowthStatus = (typeof GROWTH_STATUSES)[number];

/** Members per status at a moment (deleted members excluded) and their sum. */
export type StatusCounts = Record<GrowthStatus, number> & { total: number };

/** Membership flow over a span of days. */
export interface GrowthFigures {
  new: number;
  churned: number;
  reactivated: number;
  /** `new − churned + reactivated`. */
  net: number;
  /** Members per status at the end of the span. */
  members: StatusCounts;
}

export interface GrowthBucket extends GrowthFigures {
  /** The bucket's calendar start (the day, the week's Monday, the month's 1st). */
  period: string;
  /** First and last day of the bucket inside the window. */
  start: string;
  end: string;
  byTier: (GrowthFigures & { tierId: string | null; tierName: string | null })[];
  bySource: (GrowthFigures & { source: MemberSource })[];
}

export interface GrowthReport {
  from: string;
  to: string;
  interval: GrowthInterval;
  timeZone: string;
  defaultLocale: string;
  /** Members per status at the end of the day before `from`. */
  startMembers: StatusCounts;
  summary: GrowthFigures;
  series: GrowthBucket[];
}

export interface GrowthQuery {
  from?: string | undefined;
  to?: string | undefined;
  interval: GrowthInterval;
}

/** The tenant's zone, default locale and tiers (by display order): one statement. */
export interface AnalyticsTenant {
  timeZone: string;
  defaultLocale: string;
  tiers: { id: string; name: string }[];
}

/** The tenant settings analytics answers need, with its tiers, in one statement. */
export async function selectAnalyticsTenant(tx: Tx, tenantId: string): Promise<AnalyticsTenant> {
  const [row] = await executeRows<{
    time_zone: string;
    default_locale: string;
    tiers: { id: string; name: string }[] | string | null;
  }>(
    tx.execute(sql`
      select t.time_zone, t.default_locale,
        (select json_agg(json_build_object('id', r.id, 'name', r.name) order by r.sort_order, r.id)
         from tiers r where r.tenant_id = t.id) as tiers
      from tenants t where t.id = ${tenantId}`),
  );
  if (!row) throw new Error(`tenant ${tenantId} not found`);
  const tiers = typeof row.tiers === 'string' ? JSON.parse(row.tiers) : (row.tiers ?? []);
  return { timeZone: row.time_zone, defaultLocale: row.default_locale, tiers };
}

/** The calendar start of the `interval` bucket holding `day`. */
export function bucketOf(day: string, interval: GrowthInterval): string {
  return interval === 'day' ? day : interval === 'week' ? weekStart(day) : monthStart(day);
}

/** The calendar start of the bucket after the one starting at `period`. */
export function nextBucket(period: string, interval: GrowthInterval): string {
  return interval === 'day' ? addDays(period, 1) : interval === 'week' ? addDays(period, 7) : addMonths(period, 1);
}

/** SQL of the bucket start of `membership_daily.day`, as `YYYY-MM-DD` text. */
export function bucketSql(interval: GrowthInterval): SQL {
  if (interval === 'day') return sql`to_char(day, 'YYYY-MM-DD')`;
  // On a timestamp without zone: truncation is calendar arithmetic, whatever the session's TimeZone.
  return interval === 'week'
    ? sql`to_char(date_trunc('week', day::timestamp), 'YYYY-MM-DD')`
    : sql`to_char(date_trunc('month', day::timestamp), 'YYYY-MM-DD')`;
}

/** The default window of an interval ending on `to`: 30 days, 12 weeks or 12 months. */
function defaultFrom(to: string, interval: GrowthInterval): string {
  if (interval === 'day') return addDays(to, -29);
  if (interval === 'week') return addDays(weekStart(to), -7 * 11);
  return addMonths(monthStart(to), -11);
}

function rangeError(
  field: string,
  message: string,
  code: ErrorCodeSpec & { code: string } = AnalyticsErrors.ANALYTICS_INVALID_RANGE,
): ApiError {
  return new ApiError(code, message, { errors: [{ field, message }] });
}

/**
 * Checks a `from`/`to` window of local dates (both included): real dates, `from` not
 * after `to`, at most `maxDays` days. Throws 422 problems naming the parameter.
 */
export function checkWindow(from: string, to: string, maxDays: number, what: string): void {
  if (!isLocalDate(from)) throw rangeError('query.from', `from must be a date written YYYY-MM-DD; got ${from}.`);
  if (!isLocalDate(to)) throw rangeError('query.to', `to must be a date written YYYY-MM-DD; got ${to}.`);
  if (from > to) throw rangeError('query.from', `from (${from}) is after to (${to}).`);
  const days = daysBetween(from, to) + 1;
  if (days > maxDays)
    throw rangeError(
      'query.to',
      `The range ${from} to ${to} spans ${days} days; ${what} covers at most ${maxDays} days.`,
      AnalyticsErrors.ANALYTICS_RANGE_TOO_LONG,
    );
}

type Counters = { joined: number; churned: number; reactivated: number } & Record<GrowthStatus, number>;

const zeroCounters = (): Counters => ({
  joined: 0,
  churned: 0,
  reactivated: 0,
  pending: 0,
  active: 0,
  inactive: 0,
  suspended: 0,
});

function addInto(target: Counters, row: Counters): void {
  target.joined += row.joined;
  target.churned += row.churned;
  target.reactivated += row.reactivated;
  for (const s of GROWTH_STATUSES) target[s] += row[s];
}

function statusCounts(level: Record<GrowthStatus, number>): StatusCounts {
  const out = { total: 0 } as StatusCounts;
  for (const s of GROWTH_STATUSES) {
    out[s] = level[s];
    out.total += level[s];
  }
  return out;
}

function figures(flow: Counters, level: Record<GrowthStatus, number>): GrowthFigures {
  return {
    new: flow.joined,
    churned: flow.churned,
    reactivated: flow.reactivated,
    net: flow.joined - flow.churned + flow.reactivated,
    members: statusCounts(level),
  };
}

interface GrowthRow extends Record<string, unknown> {
  bucket: string;
  tier_key: string;
  source: MemberSource;
  joined: number;
  churned: number;
  reactivated: number;
  pending: number;
  active: number;
  inactive: number;
  suspended: number;
}

/**
 * Membership growth of a window of local days from the `membership_daily` rollup:
 * per bucket (day, ISO week or month, clipped to the window) new, churned,
 * reactivated and net members, and members per status at the bucket's end, in
 * total, by tier (the tier members held at the time) and by source. One statement
 * over the rollup (rows before the window summed into the starting levels) and
 * one for the tenant's zone and tiers.
 */
export async function growthReport(deps: ServiceDeps, tenantId: string, query: GrowthQuery): Promise<GrowthReport> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const tenant = await selectAnalyticsTenant(tx, tenantId);
    const { interval } = query;
    const to = query.to ?? localDay(deps.clock.now(), tenant.timeZone);
    if (!isLocalDate(to)) throw rangeError('query.to', `to must be a date written YYYY-MM-DD; got ${to}.`);
    const from = query.from ?? defaultFrom(to, interval);
    checkWindow(from, to, MAX_GROWTH_DAYS, 'growth');

    const rows = await executeRows<GrowthRow>(
      tx.execute(sql`
        select case when day < ${from}::date then '' else ${bucketSql(interval)} end as bucket, tier_key, source,
          sum(joined)::int as joined, sum(churned)::int as churned, sum(reactivated)::int as reactivated,
          sum(pending)::int as pending, sum(active)::int as active,
          sum(inactive)::int as inactive, sum(suspended)::int as suspended
        from membership_daily
        where tenant_id = ${tenantId} and day <= ${to}::date
        group by 1, 2, 3`),
    );

    // Levels (members per status) before the window, and the flow of each bucket, per tier and source.
    const tierOrder = new Map(tenant.tiers.map((t, i) => [t.id, i]));
    const tierNames = new Map(tenant.tiers.map((t) => [t.id, t.name]));
    const startLevel = zeroCounters();
    const startByTier = new Map<string, Counters>();
    const startBySource = new Map<MemberSource, Counters>();
    const flows = new Map<string, { total: Counters; tier: Map<string, Counters>; source: Map<string, Counters> }>();
    const tierKeys = new Set<string>();
    const get = <K>(map: Map<K, Counters>, key: K) => {
      let c = map.get(key);
      if (!c) {
        c = zeroCounters();
        map.set(key, c);
      }
      return c;
    };
    for (const raw of rows) {
      const row = normalize(raw);
      if (row.bucket === '') {
        addInto(startLevel, row);
        addInto(get(startByTier, row.tier_key), row);
        addInto(get(startBySource, row.source), row);
        if (GROWTH_STATUSES.some((s) => row[s] !== 0)) tierKeys.add(row.tier_key);
        continue;
      }
      let flow = flows.get(row.bucket);
      if (!flow) {
        flow = { total: zeroCounters(), tier: new Map(), source: new Map() };
        flows.set(row.bucket, flow);
      }
      addInto(flow.total, row);
      addInto(get(flow.tier, row.tier_key), row);
      addInto(get(flow.source, row.source), row);
      tierKeys.add(row.tier_key);
    }
    // Tiers in display order, tiers since deleted after them, members without a tier last.
    const tiers = [...tierKeys].sort((a, b) => {
      const rank = (k: string) => (k === '' ? [2, 0] : tierOrder.has(k) ? [0, tierOrder.get(k)!] : [1, 0]);
      const [ra, ia] = rank(a);
      const [rb, ib] = rank(b);
      return ra! - rb! || ia! - ib! || (a < b ? -1 : a > b ? 1 : 0);
    });

    const level = { ...startLevel };
    const tierLevel = new Map(tiers.map((k) => [k, { ...(startByTier.get(k) ?? zeroCounters()) }]));
    const sourceLevel = new Map(MEMBER_SOURCES.map((s) => [s, { ...(startBySource.get(s) ?? zeroCounters()) }]));
    const total = zeroCounters();
    const series: GrowthBucket[] = [];
    for (let period = bucketOf(from, interval); period <= to; period = nextBucket(period, interval)) {
      const flow = flows.get(period);
      const bucketFlow = flow?.total ?? zeroCounters();
      addInto(level, bucketFlow);
      addInto(total, bucketFlow);
      const last = addDays(nextBucket(period, interval), -1);
      // Dates as YYYY-MM-DD strings compare in calendar order (no Math.min/max on strings).
      const start = [period, from].sort()[1]!;
      const end = [last, to].sort()[0]!;
      series.push({
        period,
        start,
        end,
        ...figures(bucketFlow, level),
        byTier: tiers.map((k) => {
          const f = flow?.tier.get(k) ?? zeroCounters();
          const l = tierLevel.get(k)!;
          addInto(l, f);
          return { tierId: k === '' ? null : k, tierName: tierNames.get(k) ?? null, ...figures(f, l) };
        }),
        bySource: MEMBER_SOURCES.map((s) => {
          const f = flow?.source.get(s) ?? zeroCounters();
          const l = sourceLevel.get(s)!;
          addInto(l, f);
          return { source: s, ...figures(f, l) };
        }),
      });
    }
    return {
      from,
      to,
      interval,
      timeZone: tenant.timeZone,
      defaultLocale: tenant.defaultLocale,
      startMembers: statusCounts(startLevel),
      summary: figures(total, level),
      series,
    };
  });
}

/** Sums come back as numbers or (some drivers, for bigints) strings. */
function normalize(row: GrowthRow): GrowthRow & Counters {
  return {
    ...row,
    joined: Number(row.joined),
    churned: Number(row.churned),
    reactivated: Number(row.reactivated),
    pending: Number(row.pending),
    active: Number(row.active),
    inactive: Number(row.inactive),
    suspended: Number(row.suspended),
  };
}
