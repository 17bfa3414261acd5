import { sql } from 'drizzle-orm';
import { executeRows } from '../db/database.js';
import { addDays, dayNumber, localDay } from './analytics-engagement-calendar.js';
import { segmentOf, type Segment } from './analytics-engagement.js';
import { labelLocale, labelOf } from './analytics-labels.js';
import { MemberErrors } from './members.js';
import { ApiError } from '../lib/errors.js';
import type { ServiceDeps } from './service-deps.js';

/** Days of the window a member's engagement (and `GET /v1/members?segment=`) is measured over, ending today. */
export const MEMBER_WINDOW_DAYS = 30;

/** Within ±10 % of the previous window's events, a trend is `flat`. */
const FLAT_BAND = 0.1;

export type TrendDirection = 'up' | 'down' | 'flat';

/** One member's engagement, as `GET /v1/analytics/members/{id}/engagement` answers it. */
export interface MemberEngagement {
  object: 'member_engagement';
  member_id: string;
  time_zone: string;
  window: { from: string; to: string };
  events: number;
  active_days: number;
  segment: Segment;
  segment_label: string;
  score: number;
  current_streak: number;
  longest_streak: number;
  last_active_day: string | null;
  last_active_at: string | null;
  trend: { direction: TrendDirection; events: number; previous_events: number; ratio: number | null };
  thresholds: { highly_active: number; moderately_active: number };
}

/**
 * The score of `events` in the window: 0–100, `min(100, round(100 * events / (2 *
 * highly_active threshold)))`, so a member at the "highly active" threshold scores 50
 * and one at twice it (or more) 100.
 */
export function engagementScore(events: number, highMin: number): number {
  return Math.min(100, Math.round((100 * events) / (2 * highMin)));
}

/**
 * `up` when the window's events are at least 10 % above the previous window's,
 * `down` when at least 10 % below, else `flat`; from no events before, any event is `up`.
 * `ratio` = events / previous events (4 decimals), null when there were none before.
 */
export function trendOf(events: number, previous: number): { direction: TrendDirection; ratio: number | null } {
  if (previous === 0) return { direction: events > 0 ? 'up' : 'flat', ratio: null };
  const ratio = Math.round((events / previous) * 10_000) / 10_000;
  return {
    direction: ratio >= 1 + FLAT_BAND ? 'up' : ratio <= 1 - FLAT_BAND ? 'down' : 'flat',
    ratio,
  };
}

/** Streaks of consecutive active days: the longest, and the one ending today or yesterday (else 0). */
export function streaksOf(activeDays: string[], today: string): { current: number; longest: number } {
  const numbers = [...new Set(activeDays.map(dayNumber))].sort((a, b) => a - b);
  let longest = 0;
  let run = 0;
  for (let i = 0; i < numbers.length; i++) {
    run = i > 0 && numbers[i] === numbers[i - 1]! + 1 ? run + 1 : 1;
    longest = Math.max(longest, run);
  }
  const active = new Set(numbers);
  let end = dayNumber(today);
  if (!active.has(end)) end -= 1;
  let current = 0;
  while (active.has(end - current)) current += 1;
  return { current, longest };
}

/**
 * A member's engagement over the {@link MEMBER_WINDOW_DAYS} local days ending today,
 * from `activity_member_days` only, in one statement (settings, the member, and the
 * member's events per day over the whole of the rollups, for the longest streak).
 * 404 when the member is not the tenant's (soft-deleted members are answered).
 */
export async function getMemberEngagement(
  deps: ServiceDeps,
  tenantId: string,
  memberId: string,
  acceptLanguage?: string,
): Promise<MemberEngagement> {
  const [row] = await deps.db.withTenant(tenantId, (tx) =>
    executeRows<{
      time_zone: string;
      default_locale: string;
      high_min: number;
      moderate_min: number;
      member_id: string | null;
      last_active_at: string | null;
      days: [string, number][];
    }>(
      tx.execute(sql`select t.time_zone, t.default_locale, t.engagement_high_min as high_min,
          t.engagement_moderate_min as moderate_min, m.id as member_id,
          to_char(m.last_active_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as last_active_at,
          (select coalesce(json_agg(json_build_array(day, events) order by day), '[]')
             from (select day, sum(events) as events from activity_member_days
                   where tenant_id = ${tenantId} and member_id = ${memberId} group by day) d) as days
        from tenants t left join members m on m.tenant_id = t.id and m.id = ${memberId}
        where t.id = ${tenantId}`),
    ),
  );
  if (!row?.member_id) throw new ApiError(MemberErrors.MEMBER_NOT_FOUND, `No member ${memberId}.`);
  const settings = { highMin: Number(row.high_min), moderateMin: Number(row.moderate_min) };
  const today = localDay(deps.clock.now(), row.time_zone);
  const from = addDays(today, -(MEMBER_WINDOW_DAYS - 1));
  const previousFrom = addDays(from, -MEMBER_WINDOW_DAYS);
  let events = 0;
  let previous = 0;
  let activeDays = 0;
  for (const [day, n] of row.days) {
    if (day >= from && day <= today) {
      events += Number(n);
      activeDays += 1;
    } else if (day >= previousFrom && day < from) previous += Number(n);
  }
  const segment = segmentOf(events, settings);
  const streaks = streaksOf(
    row.days.map(([day]) => day).filter((day) => day <= today),
    today,
  );
  const locale = labelLocale(acceptLanguage, row.default_locale);
  return {
    object: 'member_engagement',
    member_id: row.member_id,
    time_zone: row.time_zone,
    window: { from, to: today },
    events,
    active_days: activeDays,
    segment,
    segment_label: labelOf('segment', segment, locale),
    score: engagementScore(events, settings.highMin),
    current_streak: streaks.current,
    longest_streak: streaks.longest,
    last_active_day: row.days.filter(([day]) => day <= today).at(-1)?.[0] ?? null,
    last_active_at: row.last_active_at,
    trend: { ...trendOf(events, previous), events, previous_events: previous },
    thresholds: { highly_active: settings.highMin, moderately_active: settings.moderateMin },
  };
}
