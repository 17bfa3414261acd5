import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  cachedZoneOffsetMs,
  canonicalTimeZone,
  daysBetween,
  isLocalDate,
  localDay,
  monthStart,
  weekStart,
  zonedDayStart,
  zoneOffsetMs,
} from './time-zone.js';

const H = 60 * 60 * 1000;

/** The local day by brute force: the runtime's own formatting of the date in the zone. */
function referenceDay(t: number, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(t),
  );
}

describe('time zones', () => {
  it('canonicalTimeZone keeps the list spelling', () => {
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('Mars/Olympus')).toBeNull();
  });

  it('zoneOffsetMs knows summer and winter time on both hemispheres', () => {
    expect(zoneOffsetMs(new Date('2026-01-15T00:00:00Z'), 'Pacific/Auckland')).toBe(13 * H);
    expect(zoneOffsetMs(new Date('2026-07-15T00:00:00Z'), 'Pacific/Auckland')).toBe(12 * H);
    expect(zoneOffsetMs(new Date('2026-01-15T00:00:00Z'), 'America/Los_Angeles')).toBe(-8 * H);
    expect(zoneOffsetMs(new Date('2026-07-15T00:00:00Z'), 'America/Los_Angeles')).toBe(-7 * H);
    expect(zoneOffsetMs(new Date('2026-07-15T00:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * H);
    expect(zoneOffsetMs(new Date('2026-07-15T00:00:00Z'), 'UTC')).toBe(0);
  });

  it('localDay agrees with Intl every 23 minutes across DST weeks of Auckland, Los Angeles, Berlin, Lord Howe', () => {
    const ranges: [string, string][] = [
      ['2026-04-03T00:00:00Z', '2026-04-07T00:00:00Z'], // Auckland ends DST (Apr 5), Lord Howe too
      ['2026-09-25T00:00:00Z', '2026-09-29T00:00:00Z'], // Auckland starts DST (Sep 27)
      ['2026-03-06T00:00:00Z', '2026-03-10T00:00:00Z'], // Los Angeles starts DST (Mar 8)
      ['2026-10-30T00:00:00Z', '2026-11-03T00:00:00Z'], // Los Angeles ends DST (Nov 1), Berlin (Oct 25) nearby
    ];
    for (const zone of ['Pacific/Auckland', 'America/Los_Angeles', 'Europe/Berlin', 'Australia/Lord_Howe', 'UTC']) {
      for (const [from, to] of ranges) {
        for (let t = Date.parse(from); t < Date.parse(to); t += 23 * 60 * 1000 + 13) {
          expect(localDay(t, zone), `${zone} ${new Date(t).toISOString()}`).toBe(referenceDay(t, zone));
          expect(cachedZoneOffsetMs(t, zone)).toBe(zoneOffsetMs(t, zone));
        }
      }
    }
  });

  it('localDay puts an instant on different days in Auckland and Los Angeles', () => {
    const t = new Date('2026-01-10T12:30:00Z');
    expect(localDay(t, 'Pacific/Auckland')).toBe('2026-01-11');
    expect(localDay(t, 'America/Los_Angeles')).toBe('2026-01-10');
    expect(localDay(new Date('2026-01-10T07:59:59.999Z'), 'America/Los_Angeles')).toBe('2026-01-09');
    expect(localDay(new Date('2026-01-10T08:00:00Z'), 'America/Los_Angeles')).toBe('2026-01-10');
  });

  it('zonedDayStart is the instant of local midnight, also on DST days', () => {
    expect(zonedDayStart('2026-07-01', 'America/Los_Angeles').toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(zonedDayStart('2026-03-08', 'America/Los_Angeles').toISOString()).toBe('2026-03-08T08:00:00.000Z');
    expect(zonedDayStart('2026-03-09', 'America/Los_Angeles').toISOString()).toBe('2026-03-09T07:00:00.000Z');
    expect(zonedDayStart('2026-09-27', 'Pacific/Auckland').toISOString()).toBe('2026-09-26T12:00:00.000Z');
    expect(zonedDayStart('2026-09-28', 'Pacific/Auckland').toISOString()).toBe('2026-09-27T11:00:00.000Z');
    expect(zonedDayStart('2026-04-05', 'Pacific/Auckland').toISOString()).toBe('2026-04-04T11:00:00.000Z');
    expect(zonedDayStart('2026-04-06', 'Pacific/Auckland').toISOString()).toBe('2026-04-05T12:00:00.000Z');
    expect(zonedDayStart('2026-05-05', 'UTC').toISOString()).toBe('2026-05-05T00:00:00.000Z');
    // Santiago skips midnight when DST starts (2026-09-06 00:00 → 01:00): the day begins at 01:00 local.
    expect(zonedDayStart('2026-09-06', 'America/Santiago').toISOString()).toBe('2026-09-06T04:00:00.000Z');
    for (const zone of ['Pacific/Auckland', 'America/Los_Angeles', 'America/Santiago']) {
      for (let day = '2026-01-01'; day < '2027-01-01'; day = addDays(day, 1)) {
        const start = zonedDayStart(day, zone).getTime();
        expect(localDay(start, zone)).toBe(day);
        expect(localDay(start - 1, zone)).toBe(addDays(day, -1));
      }
    }
  });

  it('day arithmetic: weeks start on Monday, months on the 1st', () => {
    expect(weekStart('2026-12-07')).toBe('2026-12-07'); // a Monday
    expect(weekStart('2026-12-13')).toBe('2026-12-07'); // Sunday
    expect(weekStart('2027-01-01')).toBe('2026-12-28');
    expect(monthStart('2026-02-28')).toBe('2026-02-01');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-01');
    expect(addMonths('2026-01-31', -1)).toBe('2025-12-01');
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2026-1-01')).toBe(false);
  });
});
