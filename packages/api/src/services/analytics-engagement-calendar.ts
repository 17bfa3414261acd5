/**
 * Calendar arithmetic on local dates (`YYYY-MM-DD`), the unit every analytics range
 * and rollup key is in. A local date is a plain calendar date: once an instant is
 * turned into the tenant's local date ({@link localDay}), days, ISO weeks and months
 * are counted on the proleptic Gregorian calendar, with no time zone left to get
 * wrong (a DST day is one day like any other).
 */

/** Milliseconds of a calendar day (dates are handled as UTC midnights, where every day has them). */
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The local calendar date of `instant` in IANA `zone`.
 * @example
 * localDay(new Date('2026-12-06T12:30:00Z'), 'Pacific/Auckland') // '2026-12-07'
 */
export function localDay(instant: Date, zone: string): string {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** Whether `value` is a real calendar date written `YYYY-MM-DD` (years 1000–9999). */
export function isDay(value: string): boolean {
  if (!/^[1-9]\d{3}-\d{2}-\d{2}$/.test(value)) return false;
  return new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}

/** Days since 1970-01-01 of a date. */
export function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

/** The date `n` days since 1970-01-01. */
export function dayOfNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** `day` plus `n` days (n may be negative). */
export function addDays(day: string, n: number): string {
  return dayOfNumber(dayNumber(day) + n);
}

/** Days from `from` to `to`, both included (0 when `to` is before `from`). */
export function daysInRange(from: string, to: string): number {
  return Math.max(0, dayNumber(to) - dayNumber(from) + 1);
}

/** The Monday starting the ISO week of `day`. */
export function weekStart(day: string): string {
  const n = dayNumber(day);
  // 1970-01-01 was a Thursday: (n + 3) mod 7 is 0 on Mondays.
  return dayOfNumber(n - ((((n + 3) % 7) + 7) % 7));
}

/** The first of the month of `day`. */
export function monthStart(day: string): string {
  return `${day.slice(0, 8)}01`;
}

/** The last day of the month of `day`. */
export function monthEnd(day: string): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
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
