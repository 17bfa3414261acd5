/**
 * Calendar arithmetic of custom reports on local dates (`YYYY-MM-DD`, no time of
 * day, no zone) and the one conversion between a local wall time in a tenant's
 * zone and a UTC instant. Pure functions on `Intl`; nothing here reads a clock.
 */

const DAY_MS = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `value` is a real calendar date written `YYYY-MM-DD` (`2026-02-30` is not). */
export function isLocalDay(value: string): boolean {
  const match = DAY_PATTERN.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function toUtc(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

function fromUtc(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** `day` plus `n` days (negative goes back). */
export function addDays(day: string, n: number): string {
  return fromUtc(new Date(toUtc(day).getTime() + n * DAY_MS));
}

/** Days from `from` to `to` (0 when equal, negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to).getTime() - toUtc(from).getTime()) / DAY_MS);
}

/** The Monday of `day`'s ISO week. */
export function weekStart(day: string): string {
  const weekday = (toUtc(day).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return addDays(day, -weekday);
}

/** The first of `day`'s month. */
export function monthStart(day: string): string {
  return `${day.slice(0, 8)}01`;
}

/** The first of the month `n` months after `day`'s month. */
export function addMonths(day: string, n: number): string {
  const date = toUtc(monthStart(day));
  return fromUtc(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + n, 1)));
}

/** The last day of `day`'s month. */
export function monthEnd(day: string): string {
  return addDays(addMonths(day, 1), -1);
}

function parts(instant: Date, zone: string): Record<string, number> {
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const out: Record<string, number> = {};
  for (const part of formatter.formatToParts(instant)) if (part.type !== 'literal') out[part.type] = Number(part.value);
  return out;
}

/** The local calendar date of `instant` in `zone`. */
export function localDayOf(instant: Date, zone: string): string {
  const p = parts(instant, zone);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** How far `zone`'s wall clock is ahead of UTC at `instant`, in milliseconds. */
function offsetMs(instant: Date, zone: string): number {
  const p = parts(instant, zone);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The UTC instant at which `zone`'s wall clock shows `hour`:00 on `day`. (A wall
 * time skipped by a daylight-saving jump resolves near the gap; report schedules
 * use 07:00, which no zone skips.)
 */
export function zonedWallTime(day: string, hour: number, zone: string): Date {
  const wall = toUtc(day).getTime() + hour * 3_600_000;
  // Two passes settle the offset on either side of a transition.
  const first = wall - offsetMs(new Date(wall), zone);
  return new Date(wall - offsetMs(new Date(first), zone));
}
