import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import {
  ALL_TIERS,
  activityActiveCounts,
  activityDailyCounts,
  activityMemberDays,
  activityMemberDayTypes,
  activityMemberPeriods,
  MEMBER_SOURCES,
  MEMBER_STATUSES,
  members,
  membershipDaily,
  NO_TIER,
  type CustomFieldRow,
  type MemberSource,
  type MemberStatus,
} from '../db/schema/index.js';
import type { FieldError } from '../lib/errors.js';
import { addDays, addMonths, daysBetween, isLocalDate, monthEnd, monthStart, weekStart } from '../lib/time-zone.js';

/**
 * Custom reports: a typed spec compiled to one parameterised SQL statement over
 * the analytics rollups (never raw events, never SQL from the request). Every
 * value of the spec is a bound parameter; every identifier comes from the drizzle
 * schema objects below, chosen by a fixed map, never from input.
 *
 * Supported metric × dimension combinations:
 *
 * | metric | time (day/week/month) | tier | event_type | status, source, custom_field:<key> | filters |
 * | --- | --- | --- | --- | --- | --- |
 * | `event_count` | yes | tier at event time | yes | member's current attribute | all |
 * | `unique_members` | yes | tier at event time (a member under two tiers counts in each) | yes | member's current attribute | all |
 * | `members`, no time dimension | — | current tier | 422 | current attribute | all but event_type |
 * | `members` by day/week/month | members at each bucket's end | tier at that time | 422 | status, source (custom_field 422) | tier_id, status, source |
 * | `sum` | 422: numeric properties have no rollup yet | | | | |
 *
 * Rules: at most 3 dimensions, at most one of them a time dimension, no dimension
 * twice; `from` ≤ `to`, at most {@link MAX_RANGE_DAYS} days, local dates in the
 * tenant's zone, inclusive (or a relative `range`); at most {@link MAX_GROUPS}
 * result rows, more is a 422 (`REPORT_TOO_MANY_GROUPS`, never a silent cut).
 * Week and month buckets are clipped to the range: a bucket partly outside counts
 * only its days inside. `status`, `source` and custom fields are the member's
 * current values (a deleted member has status `deleted`); custom fields must be
 * `select` fields. Rows whose value is 0 are left out.
 */

export const REPORT_METRICS = ['event_count', 'unique_members', 'members', 'sum'] as const;
export type ReportMetric = (typeof REPORT_METRICS)[number];

export const TIME_DIMENSIONS = ['day', 'week', 'month'] as const;
export type TimeDimension = (typeof TIME_DIMENSIONS)[number];

/** Dimensions without a parameter; `custom_field:<key>` is the one with. */
export const PLAIN_DIMENSIONS = ['tier', 'status', 'event_type', 'source'] as const;

/** Ranges relative to "today" in the tenant's zone, for saved and scheduled reports. */
export const REPORT_RANGES = [
  'last_7_days',
  'last_30_days',
  'last_90_days',
  'previous_week',
  'previous_month',
  'last_12_months',
] as const;
export type ReportRange = (typeof REPORT_RANGES)[number];

/** How members came, as `source` filters and dimensions name it. */
export const REPORT_SOURCES = MEMBER_SOURCES;

/** Status of a member in reports: the member's status, or `deleted` for a soft-deleted member. */
export const REPORT_STATUSES = [...MEMBER_STATUSES, 'deleted'] as const;

export const MAX_DIMENSIONS = 3;
export const MAX_GROUPS = 1000;
/** Three years, a leap day included. */
export const MAX_RANGE_DAYS = 3 * 365 + 1;
/** The tier filter's name for "no tier". */
export const NO_TIER_FILTER = 'none';
/** Custom field keys as the fields API allows them; anything else cannot name a field. */
const FIELD_KEY = /^[a-z][a-z0-9_]{0,63}$/;

/** A report spec as stored and as sent (`POST /v1/reports/query`). */
export interface ReportSpec {
  metric: ReportMetric;
  /** The numeric property `sum` adds up. */
  property?: string | undefined;
  dimensions?: string[] | undefined;
  filters?: ReportFilters | undefined;
  from?: string | undefined;
  to?: string | undefined;
  range?: ReportRange | undefined;
}

export interface ReportFilters {
  tier_id?: string[] | undefined;
  event_type?: string[] | undefined;
  status?: (MemberStatus | 'deleted')[] | undefined;
  source?: MemberSource[] | undefined;
  custom_field?: { key: string; values: string[] } | undefined;
}

/** One dimension after checking. */
export type Dimension =
  | { kind: 'time'; grain: TimeDimension }
  | { kind: 'tier' | 'status' | 'event_type' | 'source' }
  | { kind: 'custom_field'; key: string; field: CustomFieldRow };

/** A checked spec with its range resolved. */
export interface ReportPlan {
  metric: Exclude<ReportMetric, 'sum'>;
  dimensions: Dimension[];
  filters: ReportFilters;
  from: string;
  to: string;
}

/** What checking a spec needs from the tenant. */
export interface SpecContext {
  /** Today in the tenant's zone: relative ranges end here. */
  today: string;
  customFields: CustomFieldRow[];
}

/** The key of a dimension's column in results. */
export function dimensionKey(d: Dimension): string {
  if (d.kind === 'time') return d.grain;
  if (d.kind === 'custom_field') return `custom_field:${d.key}`;
  return d.kind;
}

/** `[from, to]` of a relative range ending `today`. */
export function resolveRange(range: ReportRange, today: string): { from: string; to: string } {
  switch (range) {
    case 'last_7_days':
      return { from: addDays(today, -6), to: today };
    case 'last_30_days':
      return { from: addDays(today, -29), to: today };
    case 'last_90_days':
      return { from: addDays(today, -89), to: today };
    case 'previous_week': {
      const monday = addDays(weekStart(today), -7);
      return { from: monday, to: addDays(monday, 6) };
    }
    case 'previous_month': {
      const first = addMonths(today, -1);
      return { from: first, to: monthEnd(first) };
    }
    case 'last_12_months':
      return { from: addMonths(today, -12), to: addDays(monthStart(today), -1) };
  }
}

/**
 * Checks a spec against the rules above and the tenant's custom fields. Returns
 * the plan, or every problem as `errors[]` entries named `prefix` + field
 * (`dimensions.1`, `filters.custom_field.key`).
 */
export function checkReportSpec(
  spec: ReportSpec,
  context: SpecContext,
  prefix = '',
): { ok: true; plan: ReportPlan } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string): void => {
    errors.push({ field: prefix + field, message });
  };

  if (!(REPORT_METRICS as readonly string[]).includes(spec.metric)) {
    fail('metric', `Unknown metric; one of ${REPORT_METRICS.join(', ')}.`);
  }
  if (spec.property !== undefined && !/^[a-z][a-z0-9_]{0,63}$/.test(spec.property)) {
    fail('property', 'Must be a property name: lower-case letters, digits and _, starting with a letter.');
  }
  if (spec.metric === 'sum') {
    if (spec.property === undefined) fail('property', 'Required for the metric sum.');
    fail(
      'metric',
      'The metric sum is not supported yet: numeric event properties have no rollup. Use event_count or unique_members.',
    );
  } else if (spec.property !== undefined) {
    fail('property', 'Only the metric sum takes a property.');
  }

  // Range: explicit dates or a relative range, not both.
  let from = spec.from;
  let to = spec.to;
  if (spec.range !== undefined) {
    if (from !== undefined || to !== undefined) fail('range', 'Send either range or from and to, not both.');
    else ({ from, to } = resolveRange(spec.range, context.today));
  } else {
    if (from === undefined) fail('from', 'Required (or send range).');
    if (to === undefined) fail('to', 'Required (or send range).');
  }
  if (from !== undefined && !isLocalDate(from)) fail('from', 'Must be a date YYYY-MM-DD.');
  if (to !== undefined && !isLocalDate(to)) fail('to', 'Must be a date YYYY-MM-DD.');
  if (from !== undefined && to !== undefined && isLocalDate(from) && isLocalDate(to)) {
    const days = daysBetween(from, to);
    if (days < 0) fail('to', 'Must not be before from.');
    else if (days + 1 > MAX_RANGE_DAYS) fail('to', `The range may span at most ${MAX_RANGE_DAYS} days (3 years).`);
  }

  // Dimensions.
  const dimensions: Dimension[] = [];
  const raw = spec.dimensions ?? [];
  if (raw.length > MAX_DIMENSIONS) fail('dimensions', `At most ${MAX_DIMENSIONS} dimensions.`);
  const seen = new Set<string>();
  for (const [i, name] of raw.entries()) {
    const field = `dimensions.${i}`;
    if (seen.has(name)) {
      fail(field, `Dimension ${name} appears twice.`);
      continue;
    }
    seen.add(name);
    if ((TIME_DIMENSIONS as readonly string[]).includes(name)) {
      if (dimensions.some((d) => d.kind === 'time')) {
        fail(field, 'At most one time dimension (day, week or month).');
        continue;
      }
      dimensions.push({ kind: 'time', grain: name as TimeDimension });
    } else if ((PLAIN_DIMENSIONS as readonly string[]).includes(name)) {
      dimensions.push({ kind: name as (typeof PLAIN_DIMENSIONS)[number] });
    } else if (name.startsWith('custom_field:')) {
      const key = name.slice('custom_field:'.length);
      const def = selectField(key, context.customFields);
      if (typeof def === 'string') {
        fail(field, def);
        continue;
      }
      dimensions.push({ kind: 'custom_field', key, field: def });
    } else {
      fail(
        field,
        `Unknown dimension; one of ${[...TIME_DIMENSIONS, ...PLAIN_DIMENSIONS].join(', ')} or custom_field:<key>.`,
      );
    }
  }

  const filters = spec.filters ?? {};
  if (filters.custom_field !== undefined) {
    const def = selectField(filters.custom_field.key, context.customFields);
    if (typeof def === 'string') fail('filters.custom_field.key', def);
  }

  // Metric × dimension support.
  const time = dimensions.find((d) => d.kind === 'time');
  if (spec.metric === 'members') {
    const eventType = raw.indexOf('event_type');
    if (eventType >= 0) fail(`dimensions.${eventType}`, 'The metric members has no event_type dimension.');
    if (filters.event_type !== undefined)
      fail('filters.event_type', 'The metric members cannot be filtered by event_type.');
    if (time) {
      const custom = raw.findIndex((name) => name.startsWith('custom_field:'));
      if (custom >= 0)
        fail(
          `dimensions.${custom}`,
          'Members over time are counted by tier, status and source only; drop the time dimension to count by a custom field.',
        );
      if (filters.custom_field !== undefined)
        fail(
          'filters.custom_field',
          'Members over time cannot be filtered by a custom field; drop the time dimension to count current members.',
        );
    }
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    plan: {
      metric: spec.metric as ReportPlan['metric'],
      dimensions,
      filters,
      from: from!,
      to: to!,
    },
  };
}

/** The tenant's select field `key`, or why it cannot be used. */
function selectField(key: string, fields: CustomFieldRow[]): CustomFieldRow | string {
  if (!FIELD_KEY.test(key)) return 'Not a custom field key: lower-case letters, digits and _, starting with a letter.';
  const def = fields.find((f) => f.key === key);
  if (!def) return `No custom field ${key}.`;
  if (def.type !== 'select') return `Custom field ${key} is a ${def.type} field; reports group by select fields only.`;
  return def;
}

// --- SQL ---------------------------------------------------------------------

/** A compiled report: the statement and the dimensions of its columns `d0…dn` (in order) and `value`. */
export interface CompiledReport {
  query: SQL;
  dimensions: Dimension[];
  /** Which rollup the statement reads (for tests and EXPLAIN). */
  source: string;
}

const GRAIN_UNIT: Record<TimeDimension, SQL> = {
  day: sql.raw(`'day'`),
  week: sql.raw(`'week'`),
  month: sql.raw(`'month'`),
};
const GRAIN_INTERVAL: Record<TimeDimension, SQL> = {
  day: sql.raw(`interval '1 day'`),
  week: sql.raw(`interval '1 week'`),
  month: sql.raw(`interval '1 month'`),
};

/** A list of bound values for `in (…)`. */
function inList(expr: SQL | AnyPgColumn, values: readonly string[]): SQL {
  return sql`${expr} in (${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;
}

function tierKeys(ids: readonly string[]): string[] {
  return ids.map((id) => (id === NO_TIER_FILTER ? NO_TIER : id));
}

const memberStatus = sql`(case when ${members.deletedAt} is not null then 'deleted' else ${members.status} end)`;

function customFieldValue(key: string): SQL {
  return sql`(${members.customFields} ->> ${key})`;
}

/** Conditions on the member's current attributes (the members table). */
function memberConditions(filters: ReportFilters): SQL[] {
  const out: SQL[] = [];
  if (filters.status) out.push(inList(memberStatus, filters.status));
  if (filters.source) out.push(inList(sql`${members.source}`, filters.source));
  if (filters.custom_field) out.push(inList(customFieldValue(filters.custom_field.key), filters.custom_field.values));
  return out;
}

function groupAndOrder(count: number): SQL {
  if (count === 0) return sql``;
  const ordinals = sql.raw(Array.from({ length: count }, (_, i) => String(i + 1)).join(', '));
  return sql` group by ${ordinals} order by ${ordinals}`;
}

function selectList(exprs: SQL[], value: SQL): SQL {
  return sql.join([...exprs.map((e, i) => sql`${e} as ${sql.raw(`d${i}`)}`), sql`${value} as value`], sql`, `);
}

/** True when `[from, to]` covers whole buckets of `grain`, so period rollups are exact. */
function aligned(grain: TimeDimension, from: string, to: string): boolean {
  if (grain === 'day') return true;
  if (grain === 'week') return weekStart(from) === from && addDays(weekStart(to), 6) === to;
  return monthStart(from) === from && monthEnd(to) === to;
}

/**
 * Compiles a checked plan to one statement whose rows are `d0…dn` (dimension
 * values as text, in the plan's order) and `value`, grouped and ordered by the
 * dimensions, at most {@link MAX_GROUPS} + 1 rows (the extra one tells that the
 * limit was passed).
 */
export function compileReport(plan: ReportPlan, tenantId: string): CompiledReport {
  const compiled = plan.metric === 'members' ? compileMembers(plan, tenantId) : compileActivity(plan, tenantId);
  return {
    ...compiled,
    query: sql`${compiled.query} limit ${MAX_GROUPS + 1}`,
    dimensions: plan.dimensions,
  };
}

interface ActivityTable {
  name: string;
  table: typeof activityDailyCounts | typeof activityMemberDays | typeof activityMemberDayTypes;
  tenantId: AnyPgColumn;
  day: AnyPgColumn;
  tierKey: AnyPgColumn;
  type: AnyPgColumn | null;
  memberId: AnyPgColumn | null;
  events: AnyPgColumn;
}

const DAILY_COUNTS: ActivityTable = {
  name: 'activity_daily_counts',
  table: activityDailyCounts,
  tenantId: activityDailyCounts.tenantId,
  day: activityDailyCounts.day,
  tierKey: activityDailyCounts.tierKey,
  type: activityDailyCounts.type,
  memberId: null,
  events: activityDailyCounts.events,
};
const MEMBER_DAYS: ActivityTable = {
  name: 'activity_member_days',
  table: activityMemberDays,
  tenantId: activityMemberDays.tenantId,
  day: activityMemberDays.day,
  tierKey: activityMemberDays.tierKey,
  type: null,
  memberId: activityMemberDays.memberId,
  events: activityMemberDays.events,
};
const MEMBER_DAY_TYPES: ActivityTable = {
  name: 'activity_member_day_types',
  table: activityMemberDayTypes,
  tenantId: activityMemberDayTypes.tenantId,
  day: activityMemberDayTypes.day,
  tierKey: activityMemberDayTypes.tierKey,
  type: activityMemberDayTypes.type,
  memberId: activityMemberDayTypes.memberId,
  events: activityMemberDayTypes.events,
};

function compileActivity(plan: ReportPlan, tenantId: string): Omit<CompiledReport, 'dimensions'> {
  const { dimensions, filters, from, to } = plan;
  const kinds = new Set(dimensions.map((d) => d.kind));
  const needsMember =
    kinds.has('status') ||
    kinds.has('source') ||
    kinds.has('custom_field') ||
    filters.status !== undefined ||
    filters.source !== undefined ||
    filters.custom_field !== undefined;
  const needsType = kinds.has('event_type') || filters.event_type !== undefined;
  const time = dimensions.find((d): d is Extract<Dimension, { kind: 'time' }> => d.kind === 'time');

  if (plan.metric === 'unique_members' && !needsType && time && aligned(time.grain, from, to)) {
    const active = activeCountsQuery(plan, tenantId, time.grain, needsMember);
    if (active) return active;
    if (time.grain !== 'day') return memberPeriodsQuery(plan, tenantId, time.grain, needsMember);
  }

  const t: ActivityTable =
    plan.metric === 'event_count'
      ? needsMember
        ? needsType
          ? MEMBER_DAY_TYPES
          : MEMBER_DAYS
        : DAILY_COUNTS
      : needsType
        ? MEMBER_DAY_TYPES
        : MEMBER_DAYS;

  const exprs = dimensions.map((d) => activityDimension(d, t.day, t.tierKey, t.type));
  const value = plan.metric === 'event_count' ? sql`sum(${t.events})::bigint` : sql`count(distinct ${t.memberId})`;
  const conditions: SQL[] = [
    sql`${t.tenantId} = ${tenantId}`,
    sql`${t.day} between ${from}::date and ${to}::date`,
    ...activityFilters(filters, t.tierKey, t.type),
    ...(needsMember ? memberConditions(filters) : []),
  ];
  const join = needsMember
    ? sql` join ${members} on ${members.tenantId} = ${t.tenantId} and ${members.id} = ${t.memberId}`
    : sql``;
  return {
    source: t.name,
    query: sql`select ${selectList(exprs, value)} from ${t.table}${join} where ${sql.join(conditions, sql` and `)}${groupAndOrder(exprs.length)}`,
  };
}

function activityFilters(filters: ReportFilters, tierKey: AnyPgColumn, type: AnyPgColumn | null): SQL[] {
  const out: SQL[] = [];
  if (filters.tier_id) out.push(inList(tierKey, tierKeys(filters.tier_id)));
  if (filters.event_type && type) out.push(inList(type, filters.event_type));
  return out;
}

function activityDimension(d: Dimension, day: AnyPgColumn, tierKey: AnyPgColumn, type: AnyPgColumn | null): SQL {
  switch (d.kind) {
    case 'time':
      return d.grain === 'day'
        ? sql`to_char(${day}, 'YYYY-MM-DD')`
        : sql`to_char(date_trunc(${GRAIN_UNIT[d.grain]}, ${day}::timestamp), 'YYYY-MM-DD')`;
    case 'tier':
      return sql`${tierKey}`;
    case 'event_type':
      return sql`${type}`;
    case 'status':
      return memberStatus;
    case 'source':
      return sql`${members.source}`;
    case 'custom_field':
      return customFieldValue(d.key);
  }
}

/**
 * Distinct members per whole period from `activity_active_counts` (already
 * distinct, by tier and over all tiers): only when the report groups by time and
 * at most tier, filters by nothing but tier, and over all tiers or one tier.
 */
function activeCountsQuery(
  plan: ReportPlan,
  tenantId: string,
  grain: TimeDimension,
  needsMember: boolean,
): Omit<CompiledReport, 'dimensions'> | null {
  const { dimensions, filters, from, to } = plan;
  if (needsMember || dimensions.some((d) => d.kind !== 'time' && d.kind !== 'tier')) return null;
  const byTier = dimensions.some((d) => d.kind === 'tier');
  const a = activityActiveCounts;
  let tierCondition: SQL;
  if (byTier) {
    tierCondition = filters.tier_id ? inList(a.tierKey, tierKeys(filters.tier_id)) : sql`${a.tierKey} <> ${ALL_TIERS}`;
  } else if (!filters.tier_id) {
    tierCondition = sql`${a.tierKey} = ${ALL_TIERS}`;
  } else if (filters.tier_id.length === 1) {
    tierCondition = sql`${a.tierKey} = ${tierKeys(filters.tier_id)[0]!}`;
  } else {
    return null; // distinct over several tiers is not a sum of per-tier counts
  }
  const exprs = dimensions.map((d) =>
    d.kind === 'time' ? sql`to_char(${a.period}, 'YYYY-MM-DD')` : sql`${a.tierKey}`,
  );
  return {
    source: 'activity_active_counts',
    query: sql`select ${selectList(exprs, sql`sum(${a.members})::bigint`)} from ${a} where ${a.tenantId} = ${tenantId} and ${a.grain} = ${grain} and ${a.period} between ${from}::date and ${to}::date and ${tierCondition}${groupAndOrder(exprs.length)}`,
  };
}

/** Distinct members per whole week or month from `activity_member_periods`. */
function memberPeriodsQuery(
  plan: ReportPlan,
  tenantId: string,
  grain: 'week' | 'month',
  needsMember: boolean,
): Omit<CompiledReport, 'dimensions'> {
  const { dimensions, filters, from, to } = plan;
  const p = activityMemberPeriods;
  const exprs = dimensions.map((d) =>
    d.kind === 'time' ? sql`to_char(${p.period}, 'YYYY-MM-DD')` : activityDimension(d, p.period, p.tierKey, null),
  );
  const conditions: SQL[] = [
    sql`${p.tenantId} = ${tenantId}`,
    sql`${p.grain} = ${grain}`,
    sql`${p.period} between ${from}::date and ${to}::date`,
    ...activityFilters(filters, p.tierKey, null),
    ...(needsMember ? memberConditions(filters) : []),
  ];
  const join = needsMember
    ? sql` join ${members} on ${members.tenantId} = ${p.tenantId} and ${members.id} = ${p.memberId}`
    : sql``;
  return {
    source: 'activity_member_periods',
    query: sql`select ${selectList(exprs, sql`count(distinct ${p.memberId})`)} from ${p}${join} where ${sql.join(conditions, sql` and `)}${groupAndOrder(exprs.length)}`,
  };
}

function compileMembers(plan: ReportPlan, tenantId: string): Omit<CompiledReport, 'dimensions'> {
  const { dimensions, filters } = plan;
  const time = dimensions.find((d): d is Extract<Dimension, { kind: 'time' }> => d.kind === 'time');
  if (!time) {
    // Current state: the members that exist now (not deleted), by their current attributes.
    const exprs = dimensions.map((d) => {
      switch (d.kind) {
        case 'tier':
          return sql`coalesce(${members.tierId}, ${NO_TIER})`;
        case 'status':
          return sql`${members.status}`;
        case 'source':
          return sql`${members.source}`;
        case 'custom_field':
          return customFieldValue(d.key);
        default:
          throw new Error(`unreachable: ${d.kind}`);
      }
    });
    const conditions: SQL[] = [sql`${members.tenantId} = ${tenantId}`, sql`${members.deletedAt} is null`];
    if (filters.tier_id)
      conditions.push(inList(sql`coalesce(${members.tierId}, ${NO_TIER})`, tierKeys(filters.tier_id)));
    conditions.push(...memberConditions(filters));
    return {
      source: 'members',
      query: sql`select ${selectList(exprs, sql`count(*)`)} from ${members} where ${sql.join(conditions, sql` and `)}${groupAndOrder(exprs.length)}`,
    };
  }

  // Over time: members per status at the end of each bucket (clipped to `to`), the sum of membership_daily's deltas.
  const md = membershipDaily;
  const unit = GRAIN_UNIT[time.grain];
  const step = GRAIN_INTERVAL[time.grain];
  const bucketEnd = sql`least((b.bucket + ${step} - interval '1 day')::date, ${plan.to}::date)`;
  const exprs = dimensions.map((d) => {
    switch (d.kind) {
      case 'time':
        return sql`to_char(b.bucket, 'YYYY-MM-DD')`;
      case 'tier':
        return sql`${md.tierKey}`;
      case 'source':
        return sql`${md.source}`;
      case 'status':
        return sql`s.status`;
      default:
        throw new Error(`unreachable: ${d.kind}`);
    }
  });
  const conditions: SQL[] = [sql`true`];
  if (filters.tier_id) conditions.push(inList(md.tierKey, tierKeys(filters.tier_id)));
  if (filters.source) conditions.push(inList(md.source, filters.source));
  if (filters.status) conditions.push(inList(sql`s.status`, filters.status));
  const statuses = sql.join(
    MEMBER_STATUSES.map((status) => sql`(${sql.raw(`'${status}'`)}, ${md[status]})`),
    sql`, `,
  );
  const buckets = sql`(select generate_series(date_trunc(${unit}, ${plan.from}::date::timestamp), ${plan.to}::date::timestamp, ${step})::date as bucket) b`;
  const count = exprs.length;
  const ordinals = sql.raw(Array.from({ length: count }, (_, i) => String(i + 1)).join(', '));
  return {
    source: 'membership_daily',
    query: sql`select ${selectList(exprs, sql`sum(s.n)::bigint`)} from ${buckets} join ${md} on ${md.tenantId} = ${tenantId} and ${md.day} <= ${bucketEnd} cross join lateral (values ${statuses}) as s(status, n) where ${sql.join(conditions, sql` and `)} group by ${ordinals} having sum(s.n) <> 0 order by ${ordinals}`,
  };
}
