import { and, eq, gte, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { activityMemberDays, members, tenants, type CustomFieldRow, type MemberStatus } from '../db/schema/index.js';
import { validationError } from '../lib/validation.js';

/** Filters shared by listing, bulk actions and export. */
export interface MemberFilter {
  search?: string;
  status?: MemberStatus[];
  tierId?: string;
  tag?: string;
  createdAfter?: Date;
  createdBefore?: Date;
  /** `key:value` pairs, matched against the typed custom field. */
  customFields?: { key: string; value: string }[];
  /** Engagement segment over the 30 local days ending on the tenant's local date at `asOf`. */
  segment?: { name: EngagementSegment; asOf: Date };
}

/** Engagement segments a member list can be filtered by (see services/analytics-engagement.ts). */
export type EngagementSegment = 'highly_active' | 'moderately_active' | 'low' | 'dormant';

/**
 * The condition of an engagement segment: the member's events in the 30 local days
 * ending today (the tenant's day at `asOf`), summed from `activity_member_days` through
 * its member index, against the tenant's thresholds. The window's bounds and the
 * thresholds are uncorrelated subqueries of the tenant row, evaluated once per
 * statement; only the sum is per member (and `dormant` stops at the first row).
 */
function segmentCondition(tenantId: string, segment: EngagementSegment, asOf: Date): SQL {
  const setting = (expr: SQL) => sql`(select ${expr} from ${tenants} where ${tenants.id} = ${tenantId})`;
  const today = setting(sql`(${asOf.toISOString()}::timestamptz at time zone ${tenants.timeZone})::date`);
  const inWindow = sql`${activityMemberDays.tenantId} = ${tenantId} and ${activityMemberDays.memberId} = ${members.id} and ${activityMemberDays.day} between ${today} - 29 and ${today}`;
  if (segment === 'dormant') return sql`not exists (select 1 from ${activityMemberDays} where ${inWindow})`;
  const events = sql`(select coalesce(sum(${activityMemberDays.events}), 0) from ${activityMemberDays} where ${inWindow})`;
  const high = setting(sql`${tenants.engagementHighMin}`);
  const moderate = setting(sql`${tenants.engagementModerateMin}`);
  if (segment === 'highly_active') return sql`${events} >= ${high}`;
  if (segment === 'moderately_active') return sql`${events} between ${moderate} and ${high} - 1`;
  return sql`${events} between 1 and ${moderate} - 1`;
}

/** Escapes LIKE wildcards so a search for `50%` finds the text `50%`. */
function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** The typed JSON a `key:value` filter must be contained in `custom_fields` as. */
function customFieldContainment(def: CustomFieldRow, raw: string): Record<string, unknown> {
  switch (def.type) {
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n))
        throw validationError([{ field: 'query.custom_field', message: `${def.key} is a number.` }]);
      return { [def.key]: n };
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false')
        throw validationError([{ field: 'query.custom_field', message: `${def.key} is true or false.` }]);
      return { [def.key]: raw === 'true' };
    case 'multi_select':
      return { [def.key]: [raw] };
    default:
      return { [def.key]: raw };
  }
}

/** What may come before a word in `search_text` (names and email): its start, or a separator. */
const WORD_STARTS = ['', ' ', '.', '@', '-', '_'];

/**
 * The condition one search word puts on `search_text`. A word of 3 or more
 * characters matches anywhere (`%word%`), through the trigram index. A shorter
 * one has no trigram of its own, so `%qx%` would read every row of the tenant
 * (522 ms at 200,000 members, bench/RESULTS.md); it matches the start of a word
 * instead (`Al` finds Alice and al@example.org, not Vidal), as `qx%` and
 * `% qx%` give the index the padded trigrams of a word start: 0.7 ms.
 */
function searchWordCondition(word: string): SQL {
  const escaped = likeEscape(word);
  if (word.length >= 3) return sql`${members.searchText} like ${`%${escaped}%`}`;
  return or(
    ...WORD_STARTS.map(
      (start) => sql`${members.searchText} like ${start === '' ? `${escaped}%` : `%${likeEscape(start)}${escaped}%`}`,
    ),
  )!;
}

/**
 * The WHERE conditions of a member filter (soft-deleted members excluded).
 * Search matches every word in names and email (see `searchWordCondition`),
 * served by the trigram index on `search_text`.
 */
export function memberFilterConditions(tenantId: string, filter: MemberFilter, fields: CustomFieldRow[]): SQL {
  const conditions: (SQL | undefined)[] = [eq(members.tenantId, tenantId), isNull(members.deletedAt)];
  const words = (filter.search ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
  for (const word of words) conditions.push(searchWordCondition(word));
  if (filter.status?.length === 1) conditions.push(eq(members.status, filter.status[0]!));
  else if (filter.status?.length) conditions.push(sql`${members.status} in ${filter.status}`);
  if (filter.tierId) conditions.push(eq(members.tierId, filter.tierId));
  if (filter.tag) conditions.push(sql`${members.tags} @> array[${filter.tag}]::text[]`);
  if (filter.createdAfter) conditions.push(gte(members.createdAt, filter.createdAfter));
  if (filter.createdBefore) conditions.push(lt(members.createdAt, filter.createdBefore));
  if (filter.segment) conditions.push(segmentCondition(tenantId, filter.segment.name, filter.segment.asOf));
  for (const { key, value } of filter.customFields ?? []) {
    const def = fields.find((f) => f.key === key);
    if (!def) throw validationError([{ field: 'query.custom_field', message: `Unknown custom field "${key}".` }]);
    conditions.push(sql`${members.customFields} @> ${JSON.stringify(customFieldContainment(def, value))}::jsonb`);
  }
  return and(...conditions)!;
}
