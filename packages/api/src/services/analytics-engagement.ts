import { and, eq, sql, type SQL } from 'drizzle-orm';
import { executeRows, type Tx } from '../db/database.js';
import { ALL_TIERS, tenants, tiers, type MemberStatus } from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import { AnalyticsErrors } from './analytics-errors.js';
import {
  addDays,
  bucketsOf,
  coverRange,
  daysInRange,
  dayNumber,
  localDay,
  type Bucket,
  type Interval,
} from './analytics-engagement-calendar.js';
import { labelLocale, labelOf, type LabelLocale } from './analytics-labels.js';
import type { ServiceDeps } from './service-deps.js';

/**
 * Engagement analytics (`GET /v1/analytics/engagement`): active members, events and
 * engagement segments over a window of the tenant's local days, read from the
 * activity rollups only (never raw events), in one statement after the tenant's
 * settings.
 */

/** Longest window of an engagement query, in days. */
export const MAX_RANGE_DAYS = 366;

/** Default window when `from` or `to` is left out: the 30 local days ending today. */
export const DEFAULT_RANGE_DAYS = 30;

/** Number of event types listed in `top_event_types`. */
const TOP_EVENT_TYPES = 10;

export const SEGMENTS = ['highly_active', 'moderately_active', 'low', 'dormant'] as const;
export type Segment = (typeof SEGMENTS)[number];

/** Tenant settings analytics answers depend on. */
export interface AnalyticsSettings {
  timeZone: string;
  defaultLocale: string;
  highMin: number;
  moderateMin: number;
}

/** A member's segment for `events` in a window. */
export function segmentOf(events: number, settings: Pick<AnalyticsSettings, 'highMin' | 'moderateMin'>): Segment {
  if (events >= settings.highMin) return 'highly_active';
  if (events >= settings.moderateMin) return 'moderately_active';
  return events >= 1 ? 'low' : 'dormant';
}

/** Reads the tenant's analytics settings and whether `tierId` (if given) is one of its tiers, in one statement. */
export async function readAnalyticsSettings(
  tx: Tx,
  tenantId: string,
  tierId?: string,
): Promise<AnalyticsSettings & { tierFound: boolean }> {
  const [row] = await tx
    .select({
      timeZone: tenants.timeZone,
      defaultLocale: tenants.defaultLocale,
      highMin: tenants.engagementHighMin,
      moderateMin: tenants.engagementModerateMin,
      tierFound: tierId
        ? sql<boolean>`exists (select 1 from ${tiers} where ${and(eq(tiers.tenantId, tenantId), eq(tiers.id, tierId))})`
        : sql<boolean>`true`,
    })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!row) throw new Error(`tenant ${tenantId} not found`);
  return row;
}

/** A window of local days, both ends included. */
export interface DayRange {
  from: string;
  to: string;
}

/**
 * The window `from`..`to` defaults to (the {@link DEFAULT_RANGE_DAYS} days ending
 * today in `zone`, or ending `to`, or starting `from`), checked: `from` ≤ `to` and at
 * most `maxDays` long, else 422 with a code naming which.
 */
export function resolveRange(
  query: { from?: string | undefined; to?: string | undefined },
  today: string,
  maxDays = MAX_RANGE_DAYS,
): DayRange {
  const to = query.to ?? (query.from ? addDays(query.from, DEFAULT_RANGE_DAYS - 1) : today);
  const from = query.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  if (from > to)
    throw new ApiError(AnalyticsErrors.ANALYTICS_INVALID_RANGE, `from (${from}) is after to (${to}).`, {
      errors: [{ field: 'query.from', message: 'Must be on or before to.' }],
    });
  if (daysInRange(from, to) > maxDays)
    throw new ApiError(
      AnalyticsErrors.ANALYTICS_RANGE_TOO_LONG,
      `The range ${from}..${to} has ${daysInRange(from, to)} days; at most ${maxDays} are allowed.`,
      { errors: [{ field: 'query.from', message: `At most ${maxDays} days before to.` }] },
    );
  return { from, to };
}

/** The tier a figure is restricted to (`tier_key` of rollups), and the current status of the members it counts. */
interface Filters {
  tierId: string | null;
  status: MemberStatus | null;
}

const dateArray = (days: string[]) => sql`${`{${days.join(',')}}`}::date[]`;

/**
 * Rows `(member_id, events)` of the per-member rollups covering `range`: whole months
 * from `activity_member_periods` (grain month), whole weeks from grain week, the
 * rest from `activity_member_days`. A member appears once per part and tier they
 * were active in; `tierId` keeps only their rows under that tier.
 */
function memberRowsIn(tenantId: string, range: DayRange, tierId: string | null): SQL {
  const cover = coverRange(range.from, range.to);
  const tierOf = (column: SQL) => (tierId === null ? sql`` : sql` and ${column} = ${tierId}`);
  const parts: SQL[] = [];
  for (const [grain, periods] of [
    ['month', cover.months],
    ['week', cover.weeks],
  ] as const) {
    if (periods.length === 0) continue;
    parts.push(
      // The range lets the planner scan the key (`= any` alone was planned as a filter over every period).
      sql`select member_id, events from activity_member_periods where tenant_id = ${tenantId} and grain = ${grain} and period between ${periods[0]!}::date and ${periods.at(-1)!}::date and period = any(${dateArray(periods)})${tierOf(sql`tier_key`)}`,
    );
  }
  for (const days of cover.days)
    parts.push(
      sql`select member_id, events from activity_member_days where tenant_id = ${tenantId} and day between ${days.from}::date and ${days.to}::date${tierOf(sql`tier_key`)}`,
    );
  return sql.join(parts, sql` union all `);
}

/**
 * Whether `alias.member_id` exists now (not deleted), in `tierId` (current tier) and
 * `status` if given: a correlated key lookup, evaluated once per row of `alias`.
 */
function liveMember(tenantId: string, alias: SQL, tierId: string | null, status: MemberStatus | null): SQL {
  return sql`coalesce((select true from members m where m.tenant_id = ${tenantId} and m.id = ${alias}.member_id and m.deleted_at is null${tierId === null ? sql`` : sql` and m.tier_id = ${tierId}`}${status === null ? sql`` : sql` and m.status = ${status}`}), false)`;
}

/** Members currently in `status` (and not deleted), joined to `alias.member_id`. */
function statusJoin(tenantId: string, alias: SQL, status: MemberStatus): SQL {
  return sql` join members m on m.tenant_id = ${tenantId} and m.id = ${alias}.member_id and m.status = ${status} and m.deleted_at is null`;
}

/** The one whole day, ISO week or month `range` is, if it is one. */
function singlePeriod(range: DayRange): { grain: Interval; period: string } | null {
  if (range.from === range.to) return { grain: 'day', period: range.from };
  const cover = coverRange(range.from, range.to);
  if (cover.days.length > 0 || cover.months.length + cover.weeks.length !== 1) return null;
  return cover.months.length === 1
    ? { grain: 'month', period: cover.months[0]! }
    : { grain: 'week', period: cover.weeks[0]! };
}

/**
 * Distinct members active in `range` (under `tierId`; currently in `status`): one
 * row of `activity_active_counts` when the range is one whole day, week or month
 * and no status applies, else counted from the per-member rollups.
 */
function activeMembersIn(tenantId: string, range: DayRange, f: Filters): SQL {
  const single = f.status === null ? singlePeriod(range) : null;
  if (single)
    return sql`(select coalesce(sum(members), 0) from activity_active_counts where tenant_id = ${tenantId} and grain = ${single.grain} and period = ${single.period}::date and tier_key = ${f.tierId ?? ALL_TIERS})`;
  const rows = memberRowsIn(tenantId, range, f.tierId);
  if (f.status === null) return sql`(select count(distinct member_id) from (${rows}) r)`;
  return sql`(select count(*) from (select distinct member_id from (${rows}) r) d where ${liveMember(tenantId, sql`d`, null, f.status)})`;
}

/** `sum(events)` by `group` of `activity_daily_counts` (or, under a status filter, the members' day-type rows) in `range`. */
function eventsBy(tenantId: string, range: DayRange, f: Filters, group: 'type' | Interval | 'none'): SQL {
  const source =
    f.status === null
      ? sql`activity_daily_counts e`
      : sql`activity_member_day_types e${statusJoin(tenantId, sql`e`, f.status)}`;
  const tier = f.tierId === null ? sql`` : sql` and e.tier_key = ${f.tierId}`;
  const where = sql`where e.tenant_id = ${tenantId} and e.day between ${range.from}::date and ${range.to}::date${tier}`;
  if (group === 'none') return sql`(select coalesce(sum(e.events), 0) from ${source} ${where})`;
  if (group === 'type')
    return sql`(select coalesce(json_agg(json_build_array(type, events) order by events desc, type), '[]') from (select e.type, sum(e.events) as events from ${source} ${where} group by e.type order by events desc, e.type limit ${TOP_EVENT_TYPES}) x)`;
  const period = group === 'day' ? sql`e.day` : sql`date_trunc(${group}, e.day::timestamp)::date`;
  return sql`(select coalesce(json_agg(json_build_array(period, type, events) order by period, type), '[]') from (select ${period} as period, e.type, sum(e.events) as events from ${source} ${where} group by 1, 2) x)`;
}

/** Sum over the window's days of each day's distinct active members (the DAU numerator). */
function activeMemberDays(tenantId: string, range: DayRange, f: Filters): SQL {
  if (f.status === null)
    return sql`(select coalesce(sum(members), 0) from activity_active_counts where tenant_id = ${tenantId} and grain = 'day' and period between ${range.from}::date and ${range.to}::date and tier_key = ${f.tierId ?? ALL_TIERS})`;
  const tier = f.tierId === null ? sql`` : sql` and d.tier_key = ${f.tierId}`;
  return sql`(select count(*) from (select distinct d.day, d.member_id from activity_member_days d${statusJoin(tenantId, sql`d`, f.status)} where d.tenant_id = ${tenantId} and d.day between ${range.from}::date and ${range.to}::date${tier}) x)`;
}

/** Active members per whole bucket of the series (`[period, members]` pairs). */
function activeByBucket(tenantId: string, interval: Interval, whole: Bucket[], f: Filters): SQL {
  if (whole.length === 0) return sql`'[]'::json`;
  const periods = dateArray(whole.map((b) => b.period));
  if (f.status === null)
    return sql`(select coalesce(json_agg(json_build_array(period, members)), '[]') from activity_active_counts where tenant_id = ${tenantId} and grain = ${interval} and period = any(${periods}) and tier_key = ${f.tierId ?? ALL_TIERS})`;
  const tier = (alias: SQL) => (f.tierId === null ? sql`` : sql` and ${alias}.tier_key = ${f.tierId}`);
  const source =
    interval === 'day'
      ? sql`select d.day as period, d.member_id from activity_member_days d${statusJoin(tenantId, sql`d`, f.status)} where d.tenant_id = ${tenantId} and d.day = any(${periods})${tier(sql`d`)}`
      : sql`select p.period, p.member_id from activity_member_periods p${statusJoin(tenantId, sql`p`, f.status)} where p.tenant_id = ${tenantId} and p.grain = ${interval} and p.period = any(${periods})${tier(sql`p`)}`;
  return sql`(select coalesce(json_agg(json_build_array(period, members)), '[]') from (select period, count(distinct member_id) as members from (${source}) s group by period) x)`;
}

/**
 * The summary figures of `range` as one JSON object: events, top types, the DAU
 * numerator, distinct actives over the window and its last 7 and 30 days, and the
 * segment counts of the existing members matching the filters (population counted
 * once per statement, passed in).
 */
function summaryOf(tenantId: string, range: DayRange, f: Filters, settings: AnalyticsSettings): SQL {
  const last = (days: number): DayRange => ({
    from: dayNumber(range.to) - dayNumber(range.from) + 1 > days ? addDays(range.to, -(days - 1)) : range.from,
    to: range.to,
  });
  const sums = sql`(select member_id, sum(events) as events from (${memberRowsIn(tenantId, range, null)}) r group by member_id)`;
  // One key lookup in members per active member of the window (a scalar subquery, never
  // flattened into a join: planned as a join, members were looped over and the sums
  // re-aggregated for each, seconds at 8,000 members).
  const segments = sql`(select json_build_array(count(*) filter (where s.events >= ${settings.highMin}), count(*) filter (where s.events >= ${settings.moderateMin} and s.events < ${settings.highMin}), count(*) filter (where s.events < ${settings.moderateMin})) from ${sums} s where ${liveMember(tenantId, sql`s`, f.tierId, f.status)})`;
  const wau = last(7);
  const mau = last(30);
  const sameAsWindow = (r: DayRange) => r.from === range.from;
  const active = activeMembersIn(tenantId, range, f);
  return sql`json_build_object(
    'events', ${eventsBy(tenantId, range, f, 'none')},
    'top', ${eventsBy(tenantId, range, f, 'type')},
    'active_days', ${activeMemberDays(tenantId, range, f)},
    'active', ${active},
    'wau', ${sameAsWindow(wau) ? active : activeMembersIn(tenantId, wau, f)},
    'mau', ${sameAsWindow(mau) ? active : activeMembersIn(tenantId, mau, f)},
    'segments', ${segments}
  )`;
}

/** A series bucket as the API answers it. */
export interface EngagementBucket {
  period: string;
  from: string;
  to: string;
  partial: boolean;
  active_members: number;
  events: number;
  events_by_type: Record<string, number>;
}

/** Summary figures of a window. */
export interface EngagementSummary {
  from: string;
  to: string;
  days: number;
  active_members: number;
  dau: number;
  wau: number;
  mau: number;
  stickiness: number;
  events: number;
  top_event_types: { type: string; label: string; events: number }[];
  segments: { segment: Segment; label: string; members: number }[];
}

export interface EngagementReport {
  object: 'engagement_report';
  from: string;
  to: string;
  interval: Interval;
  time_zone: string;
  tier_id: string | null;
  status: MemberStatus | null;
  thresholds: { highly_active: number; moderately_active: number };
  event_types: { type: string; label: string }[];
  series: EngagementBucket[];
  summary: EngagementSummary;
  previous: EngagementSummary;
}

export interface EngagementQuery {
  from?: string | undefined;
  to?: string | undefined;
  interval: Interval;
  tierId?: string | undefined;
  status?: MemberStatus | undefined;
  /** `Accept-Language` of the request: the locale of labels (else the tenant's default). */
  acceptLanguage?: string | undefined;
}

const round = (value: number, places: number) => {
  const f = 10 ** places;
  return Math.round(value * f) / f;
};

interface RawSummary {
  events: number;
  top: [string, number][];
  active_days: number;
  active: number;
  wau: number;
  mau: number;
  segments: [number, number, number];
}

function toSummary(range: DayRange, raw: RawSummary, population: number, locale: LabelLocale): EngagementSummary {
  const days = daysInRange(range.from, range.to);
  const dau = raw.active_days / days;
  const [high, moderate, low] = raw.segments.map(Number) as [number, number, number];
  const counts: Record<Segment, number> = {
    highly_active: high,
    moderately_active: moderate,
    low,
    dormant: population - high - moderate - low,
  };
  return {
    from: range.from,
    to: range.to,
    days,
    active_members: Number(raw.active),
    dau: round(dau, 2),
    wau: Number(raw.wau),
    mau: Number(raw.mau),
    stickiness: Number(raw.mau) === 0 ? 0 : round(dau / Number(raw.mau), 4),
    events: Number(raw.events),
    top_event_types: raw.top.map(([type, events]) => ({
      type,
      label: labelOf('event_type', type, locale),
      events: Number(events),
    })),
    segments: SEGMENTS.map((segment) => ({
      segment,
      label: labelOf('segment', segment, locale),
      members: counts[segment],
    })),
  };
}

/**
 * The engagement report of a window. Two statements in one transaction: the
 * tenant's settings (time zone for the default window, thresholds, whether the
 * tier exists), then every figure of the window and the previous one at once.
 */
export async function getEngagement(
  deps: ServiceDeps,
  tenantId: string,
  query: EngagementQuery,
): Promise<EngagementReport> {
  // A window given in full is checked before any database work.
  if (query.from !== undefined && query.to !== undefined) resolveRange(query, query.to);
  return deps.db.withTenant(tenantId, async (tx) => {
    const settings = await readAnalyticsSettings(tx, tenantId, query.tierId);
    if (!settings.tierFound)
      throw new ApiError(AnalyticsErrors.ANALYTICS_TIER_NOT_FOUND, `No tier ${query.tierId} in this tenant.`, {
        errors: [{ field: 'query.tier_id', message: 'Unknown tier.' }],
      });
    const window = resolveRange(query, localDay(deps.clock.now(), settings.timeZone));
    const days = daysInRange(window.from, window.to);
    const previous = { from: addDays(window.from, -days), to: addDays(window.from, -1) };
    const f: Filters = { tierId: query.tierId ?? null, status: query.status ?? null };
    const buckets = bucketsOf(window.from, window.to, query.interval);
    const partial = buckets.filter((b) => b.partial);
    const population = sql`(select count(*) from members m where m.tenant_id = ${tenantId} and m.deleted_at is null${f.tierId === null ? sql`` : sql` and m.tier_id = ${f.tierId}`}${f.status === null ? sql`` : sql` and m.status = ${f.status}`})`;
    const partialActives = partial.length
      ? sql`json_build_array(${sql.join(
          partial.map((b) => activeMembersIn(tenantId, b, f)),
          sql`, `,
        )})`
      : sql`'[]'::json`;
    const [row] = await executeRows<{ report: RawReport }>(
      tx.execute(sql`select json_build_object(
        'population', ${population},
        'series_events', ${eventsBy(tenantId, window, f, query.interval)},
        'series_active', ${activeByBucket(
          tenantId,
          query.interval,
          buckets.filter((b) => !b.partial),
          f,
        )},
        'partial_active', ${partialActives},
        'window', ${summaryOf(tenantId, window, f, settings)},
        'previous', ${summaryOf(tenantId, previous, f, settings)}
      ) as report`),
    );
    const raw = row!.report;
    const locale = labelLocale(query.acceptLanguage, settings.defaultLocale);
    const activeOf = new Map<string, number>(raw.series_active.map(([p, n]) => [p, Number(n)]));
    for (const [i, b] of partial.entries()) activeOf.set(b.period, Number(raw.partial_active[i] ?? 0));
    const byPeriod = new Map<string, { events: number; types: Record<string, number> }>();
    const types = new Set<string>();
    for (const [period, type, events] of raw.series_events) {
      const entry = byPeriod.get(period) ?? { events: 0, types: {} };
      entry.events += Number(events);
      entry.types[type] = Number(events);
      byPeriod.set(period, entry);
      types.add(type);
    }
    const population_ = Number(raw.population);
    return {
      object: 'engagement_report',
      from: window.from,
      to: window.to,
      interval: query.interval,
      time_zone: settings.timeZone,
      tier_id: f.tierId,
      status: f.status,
      thresholds: { highly_active: settings.highMin, moderately_active: settings.moderateMin },
      event_types: [...types].sort().map((type) => ({ type, label: labelOf('event_type', type, locale) })),
      series: buckets.map((b) => ({
        period: b.period,
        from: b.from,
        to: b.to,
        partial: b.partial,
        active_members: activeOf.get(b.period) ?? 0,
        events: byPeriod.get(b.period)?.events ?? 0,
        events_by_type: byPeriod.get(b.period)?.types ?? {},
      })),
      summary: toSummary(window, raw.window, population_, locale),
      previous: toSummary(previous, raw.previous, population_, locale),
    };
  });
}

interface RawReport {
  population: number;
  series_events: [string, string, number][];
  series_active: [string, number][];
  partial_active: number[];
  window: RawSummary;
  previous: RawSummary;
}
