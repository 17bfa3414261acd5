import { sql, type SQL } from 'drizzle-orm';
import { executeRows } from '../db/database.js';
import { ACTIVITY_SOURCES, type ActivitySource } from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import { readAnalyticsSettings, resolveRange } from './analytics-engagement.js';
import { localDay } from './analytics-engagement-calendar.js';
import { labelLocale, labelOf } from './analytics-labels.js';
import { MemberErrors } from './members.js';
import type { ServiceDeps } from './service-deps.js';

/**
 * Member timelines (`GET /v1/members/{id}/activity`, `GET /v1/me/activity`) from the
 * raw events, newest first, through the member index of `activity_events`
 * (`tenant_id, member_id, occurred_at desc, id desc`): every page is one index range
 * per monthly partition, merged. And the event types in use
 * (`GET /v1/activity/types`), from the rollups.
 */

export { ACTIVITY_SOURCES };

/** A type filter: one exact type (`event.attended`), or a namespace (`event.*`, `x.quiz.*`). */
export const TYPE_FILTER_PATTERN = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*(?:\.\*)?$/;

/** One event of a timeline, as stored. */
export interface TimelineEvent {
  id: string;
  memberId: string;
  type: string;
  label: string;
  /** ISO 8601, UTC, milliseconds. */
  occurredAt: string;
  receivedAt: string;
  source: ActivitySource;
  /** The member's tier when the event was recorded; null for none. */
  tierId: string | null;
  properties: Record<string, unknown>;
}

export interface TimelineQuery {
  memberId: string;
  type?: string | undefined;
  limit: number;
  /** Sort key of the last row of the previous page: `occurred_at` as Postgres prints it, and the id. */
  after?: readonly [string, string] | undefined;
  acceptLanguage?: string | undefined;
}

export interface TimelinePage {
  events: TimelineEvent[];
  hasMore: boolean;
  /** Sort key of the page's last row, for the next cursor. */
  lastKey: [string, string] | null;
}

const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A page of a member's events, newest first (ties by id), in one statement that
 * also tells a member of the tenant without events from no member at all (404).
 */
export async function listMemberActivity(
  deps: ServiceDeps,
  tenantId: string,
  query: TimelineQuery,
): Promise<TimelinePage> {
  const type = query.type;
  const typeCondition =
    type === undefined
      ? sql``
      : type.endsWith('.*')
        ? sql` and starts_with(e.type, ${type.slice(0, -1)})`
        : sql` and e.type = ${type}`;
  const keyset = query.after
    ? sql` and (e.occurred_at, e.id) < (${query.after[0]}::timestamptz, ${query.after[1]})`
    : sql``;
  const rows = await deps.db.withTenant(tenantId, (tx) =>
    executeRows<{
      found: string;
      default_locale: string;
      id: string | null;
      type: string;
      occurred_at: string;
      received_at: string;
      sort_key: string;
      source: ActivitySource;
      tier_key: string;
      properties: Record<string, unknown>;
    }>(
      tx.execute(sql`select m.id as found, t.default_locale, e.*
        from tenants t join members m on m.tenant_id = t.id and m.id = ${query.memberId}
        left join lateral (
          select e.id, e.type, ${iso(sql`e.occurred_at`)} as occurred_at, ${iso(sql`e.received_at`)} as received_at,
            e.occurred_at::text as sort_key, e.source, e.tier_key, e.properties
          from activity_events e
          where e.tenant_id = ${tenantId} and e.member_id = m.id${typeCondition}${keyset}
          order by e.occurred_at desc, e.id desc
          limit ${query.limit + 1}
        ) e on true
        where t.id = ${tenantId}`),
    ),
  );
  if (rows.length === 0) throw new ApiError(MemberErrors.MEMBER_NOT_FOUND, `No member ${query.memberId}.`);
  const locale = labelLocale(query.acceptLanguage, rows[0]!.default_locale);
  const found = rows.filter((r) => r.id !== null);
  const hasMore = found.length > query.limit;
  const page = hasMore ? found.slice(0, query.limit) : found;
  const last = page.at(-1);
  return {
    events: page.map((r) => ({
      id: r.id!,
      memberId: query.memberId,
      type: r.type,
      label: labelOf('event_type', r.type, locale),
      occurredAt: r.occurred_at,
      receivedAt: r.received_at,
      source: r.source,
      tierId: r.tier_key === '' ? null : r.tier_key,
      properties: r.properties,
    })),
    hasMore,
    lastKey: last ? [last.sort_key, last.id!] : null,
  };
}

/** An event type in use in a range of days. */
export interface ActivityTypeCount {
  type: string;
  label: string;
  /** Events of the type in the range. */
  events: number;
  /** Distinct members with an event of the type in the range. */
  members: number;
}

/**
 * The event types recorded in `from`..`to` (local days, default the last 30, at most
 * 366), most events first, with their distinct members: `activity_daily_counts` and
 * `activity_member_day_types`, one statement after the tenant's settings.
 */
export async function listActivityTypes(
  deps: ServiceDeps,
  tenantId: string,
  query: { from?: string | undefined; to?: string | undefined; acceptLanguage?: string | undefined },
): Promise<{ from: string; to: string; types: ActivityTypeCount[] }> {
  if (query.from !== undefined && query.to !== undefined) resolveRange(query, query.to);
  return deps.db.withTenant(tenantId, async (tx) => {
    const settings = await readAnalyticsSettings(tx, tenantId);
    const range = resolveRange(query, localDay(deps.clock.now(), settings.timeZone));
    const rows = await executeRows<{ type: string; events: number; members: number }>(
      tx.execute(sql`select c.type, c.events, coalesce(d.members, 0) as members
        from (select type, sum(events)::float8 as events from activity_daily_counts
              where tenant_id = ${tenantId} and day between ${range.from}::date and ${range.to}::date group by type) c
        left join (select type, count(distinct member_id)::int as members from activity_member_day_types
              where tenant_id = ${tenantId} and day between ${range.from}::date and ${range.to}::date group by type) d
          on d.type = c.type
        order by c.events desc, c.type`),
    );
    const locale = labelLocale(query.acceptLanguage, settings.defaultLocale);
    return {
      ...range,
      types: rows.map((r) => ({
        type: r.type,
        label: labelOf('event_type', r.type, locale),
        events: Number(r.events),
        members: Number(r.members),
      })),
    };
  });
}
