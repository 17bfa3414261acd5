/**
 * Calendar arithmetic on local dates (`YYYY-MM-DD`), the unit every analytics range
 * and rollup key is in. A local date is a plain calendar date: once an instant is
 * turned into the tenant's local date ({@link localDay}), days, ISO weeks and months
 * are counted on the proleptic Gregorian calendar, with no time zone left to get
 * wrong (a DST day is one day like any other).
 */

import { addDays, daysBetween, isLocalDate, localDay, monthEnd, monthStart, weekStart } from '../lib/time-zone.js';

export { addDays, localDay, monthEnd, monthStart, weekStart };

/** Whether `value` is a real calendar date written `YYYY-MM-DD`, years 1000 to 9999 (what Postgres `date` and ISO strings agree on). */
export function isDay(value: string): boolean {
  return /^[1-9]\d{3}-/.test(value) && isLocalDate(value);
}

/** Days since 1970-01-01 of a date. */
export function dayNumber(day: string): number {
  return daysBetween('1970-01-01', day);
}

/** Days from `from` to `to`, both included (0 when `to` is before `from`). */
export function daysInRange(from: string, to: string): number {
  return Math.max(0, daysBetween(from, to) + 1);
}

export type Interval = 'day' | 'week' | 'month';

/** The first day of the `interval` bucket holding `day`. */
export function bucketStart(day: string, interval: Interval): string {
  return interval === 'day' ? day : interval === 'week' ? weekStart(day) : monthStart(day);
}

/** The last day of the `interval` bucket starting on `start`. */
export function bucketEnd(start: string, interval: Interval): string {
  return interval === 'day' ? start : interval === 'week' ? addDays(start, 6) : monthEnd(start);
}

/** One bucket of a series: its period (first day of the whole bucket) and the days of it inside the window. */
export interface Bucket {
  period: string;
  from: string;
  to: string;
  /** The window cuts the bucket: only `from`..`to` of it count. */
  partial: boolean;
}

/** The `interval` buckets covering `from`..`to`, clipped to it. */
export function bucketsOf(from: string, to: string, interval: Interval): Bucket[] {
  const out: Bucket[] = [];
  for (let period = bucketStart(from, interval); period <= to; period = addDays(bucketEnd(period, interval), 1)) {
    const end = bucketEnd(period, interval);
    const clippedFrom = period < from ? from : period;
    const clippedTo = end > to ? to : end;
    out.push({ period, from: clippedFrom, to: clippedTo, partial: clippedFrom !== period || clippedTo !== end });
  }
  return out;
}

/**
 * A range of days split into whole calendar months, then whole ISO weeks, then
 * single runs of days, greedily from its start: what a per-member rollup is read
 * from with the fewest rows (a member's month row stands for all their days of it).
 */
export interface RangeCover {
  months: string[];
  weeks: string[];
  days: { from: string; to: string }[];
}

/** The {@link RangeCover} of `from`..`to`. */
export function coverRange(from: string, to: string): RangeCover {
  const cover: RangeCover = { months: [], weeks: [], days: [] };
  let day = from;
  while (day <= to) {
    if (day === monthStart(day) && monthEnd(day) <= to) {
      cover.months.push(day);
      day = addDays(monthEnd(day), 1);
    } else if (day === weekStart(day) && addDays(day, 6) <= to) {
      cover.weeks.push(day);
      day = addDays(day, 7);
    } else {
      const last = cover.days.at(-1);
      if (last && addDays(last.to, 1) === day) last.to = day;
      else cover.days.push({ from: day, to: day });
      day = addDays(day, 1);
    }
  }
  return cover;
}
