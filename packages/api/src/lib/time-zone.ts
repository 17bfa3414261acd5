/**
 * IANA time zones a tenant may choose: the runtime's own list
 * (`Intl.supportedValuesOf('timeZone')`) plus `UTC`, which the list leaves out.
 * The list, not the IANA database, is the authority: a zone the runtime cannot
 * compute day boundaries in is of no use to analytics.
 */
export const DEFAULT_TIME_ZONE = 'UTC';

let supported: ReadonlySet<string> | undefined;

function supportedTimeZones(): ReadonlySet<string> {
  supported ??= new Set([...Intl.supportedValuesOf('timeZone'), DEFAULT_TIME_ZONE]);
  return supported;
}

/**
 * The list's spelling of `name`, or null when it is no supported zone. Case and
 * aliases are forgiven the way the runtime resolves them (`europe/berlin` →
 * `Europe/Berlin`, `Etc/UTC` → `UTC`, `US/Pacific` → `America/Los_Angeles`), so
 * what is stored is always a name from the list.
 */
export function canonicalTimeZone(name: string): string | null {
  const zones = supportedTimeZones();
  if (zones.has(name)) return name;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null; // RangeError: not a zone at all
  }
  return zones.has(resolved) ? resolved : null;
}

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/**
 * The offset of `zone` from UTC at `instant`, in milliseconds (local wall time − UTC):
 * `+46_800_000` for Pacific/Auckland in January (NZDT), `-25_200_000` for
 * America/Los_Angeles in July (PDT). Exact, through `Intl`; {@link localDay} caches it.
 */
export function zoneOffsetMs(instant: Date | number, zone: string): number {
  const t = typeof instant === 'number' ? instant : instant.getTime();
  const whole = Math.floor(t / 1000) * 1000;
  const parts = formatterOf(zone).formatToParts(new Date(whole));
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  let year = field('year');
  // Years before 1 CE come with an era; analytics never sees them, but stay finite.
  if (parts.some((p) => p.type === 'era' && p.value.startsWith('B'))) year = 1 - year;
  const wall = Date.UTC(year, field('month') - 1, field('day'), field('hour'), field('minute'), field('second'));
  return wall - whole;
}

/** Offsets per zone per UTC hour (`NaN`: a transition inside that hour, computed exactly). */
const hourOffsets = new Map<string, Map<number, number>>();
const HOUR_CACHE_LIMIT = 200_000;

/**
 * {@link zoneOffsetMs}, cached per UTC hour: offsets change at most once an hour
 * (transitions fall on full or half hours), so an hour whose first and last
 * millisecond share an offset has it throughout. Millions of events cost a few
 * thousand `Intl` calls.
 */
export function cachedZoneOffsetMs(instantMs: number, zone: string): number {
  let hours = hourOffsets.get(zone);
  if (!hours) {
    hours = new Map();
    hourOffsets.set(zone, hours);
  }
  const hour = Math.floor(instantMs / HOUR_MS);
  let offset = hours.get(hour);
  if (offset === undefined) {
    if (hours.size >= HOUR_CACHE_LIMIT) hours.clear();
    const start = zoneOffsetMs(hour * HOUR_MS, zone);
    offset = start === zoneOffsetMs(hour * HOUR_MS + HOUR_MS - 1, zone) ? start : Number.NaN;
    hours.set(hour, offset);
  }
  return Number.isNaN(offset) ? zoneOffsetMs(instantMs, zone) : offset;
}

const dayStrings = new Map<number, string>();

/** `YYYY-MM-DD` of the UTC day number `index` (days since 1970-01-01). */
function dayOfIndex(index: number): string {
  let day = dayStrings.get(index);
  if (day === undefined) {
    if (dayStrings.size >= 100_000) dayStrings.clear();
    day = new Date(index * DAY_MS).toISOString().slice(0, 10);
    dayStrings.set(index, day);
  }
  return day;
}

/**
 * The local calendar date (`YYYY-MM-DD`) of `instant` in `zone`: the day an event
 * counts on in analytics.
 *
 * @example
 * localDay(new Date('2026-01-10T12:30:00Z'), 'Pacific/Auckland'); // '2026-01-11' (NZDT, +13:00)
 */
export function localDay(instant: Date | number, zone: string): string {
  const t = typeof instant === 'number' ? instant : instant.getTime();
  return dayOfIndex(Math.floor((t + cachedZoneOffsetMs(t, zone)) / DAY_MS));
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds of UTC midnight of the date `day` (`YYYY-MM-DD`); throws on anything else. */
function utcMidnight(day: string): number {
  const m = DAY_PATTERN.exec(day);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${day}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/** Whether `day` is a real calendar date written `YYYY-MM-DD`. */
export function isLocalDate(day: string): boolean {
  if (!DAY_PATTERN.test(day)) return false;
  const t = utcMidnight(day);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === day;
}

/** `day` plus `days` calendar days (negative goes back). */
export function addDays(day: string, days: number): string {
  return dayOfIndex(Math.round(utcMidnight(day) / DAY_MS) + days);
}

/** Whole days from `from` to `to` (`to − from`; negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS);
}

/** The Monday of `day`'s ISO week (weeks start on Monday): the week's `period`. */
export function weekStart(day: string): string {
  const t = utcMidnight(day);
  const dow = new Date(t).getUTCDay(); // 0 = Sunday
  return dayOfIndex(Math.round(t / DAY_MS) - ((dow + 6) % 7));
}

/** The first of `day`'s month: the month's `period`. */
export function monthStart(day: string): string {
  utcMidnight(day);
  return `${day.slice(0, 7)}-01`;
}

/** The first of the month `months` after (or before, negative) `day`'s month. */
export function addMonths(day: string, months: number): string {
  const t = new Date(utcMidnight(day));
  return dayOfIndex(Math.round(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + months, 1) / DAY_MS));
}

/** The last day of `day`'s month. */
export function monthEnd(day: string): string {
  return addDays(addMonths(day, 1), -1);
}

/**
 * The UTC instant at which `zone`'s wall clock shows `hour`:00 on `day` (scheduled
 * report mails at 07:00 local). A wall time skipped by a daylight-saving jump
 * resolves near the gap; 07:00 is skipped by no zone.
 */
export function zonedWallTime(day: string, hour: number, zone: string): Date {
  const wall = utcMidnight(day) + hour * HOUR_MS;
  // Two passes settle the offset on either side of a transition.
  const first = wall - zoneOffsetMs(wall, zone);
  return new Date(wall - zoneOffsetMs(first, zone));
}

/**
 * The UTC instant local day `day` starts in `zone`: its local midnight, or where a
 * clock change skips midnight (spring forward at 00:00), the first instant of the day.
 * Where midnight happens twice (fall back at 00:00), the first.
 *
 * @example
 * zonedDayStart('2026-07-01', 'America/Los_Angeles'); // 2026-07-01T07:00:00.000Z
 */
export function zonedDayStart(day: string, zone: string): Date {
  const midnight = utcMidnight(day);
  // Every offset in effect around that midnight (offsets are within ±14 h).
  const offsets = new Set<number>();
  for (let h = -15; h <= 15; h += 3) offsets.add(zoneOffsetMs(midnight + h * HOUR_MS, zone));
  let best: number | null = null;
  for (const offset of offsets) {
    const candidate = midnight - offset;
    if (zoneOffsetMs(candidate, zone) === offset && (best === null || candidate < best)) best = candidate;
  }
  if (best !== null) return new Date(best);
  // Midnight was skipped: the day begins at the transition; find it by the minute.
  let t = midnight - Math.max(...offsets);
  const end = midnight - Math.min(...offsets) + HOUR_MS;
  while (t < end && localDayExact(t, zone) < day) t += MINUTE_MS;
  return new Date(t);
}

/** {@link localDay} without the caches (for the rare paths). */
function localDayExact(t: number, zone: string): string {
  return new Date(t + zoneOffsetMs(t, zone)).toISOString().slice(0, 10);
}

/** The local day `zone` is on at `now`: "today" of a tenant. */
export function todayIn(now: Date, zone: string): string {
  return localDay(now, zone);
}
