import { describe, expect, it } from 'vitest';
import { resolveRange } from './reports-spec.js';
import { addMonths, isLocalDate, localDay, monthEnd, weekStart, zonedWallTime } from '../lib/time-zone.js';
import { nextRunAt } from './reports.js';

describe('report calendar', () => {
  it('knows real dates, ISO weeks and month ends', () => {
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2026-1-01')).toBe(false);
    expect(weekStart('2026-11-22')).toBe('2026-11-16'); // a Sunday belongs to the week of the Monday before
    expect(weekStart('2026-11-23')).toBe('2026-11-23');
    expect(monthEnd('2028-02-10')).toBe('2028-02-29');
    expect(addMonths('2026-01-31', -2)).toBe('2025-11-01');
  });

  it('resolves relative ranges against the local today', () => {
    expect(resolveRange('previous_week', '2026-11-23')).toEqual({ from: '2026-11-16', to: '2026-11-22' });
    expect(resolveRange('previous_month', '2026-03-01')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(resolveRange('last_12_months', '2026-11-20')).toEqual({ from: '2025-11-01', to: '2026-10-31' });
    expect(resolveRange('last_7_days', '2026-11-20')).toEqual({ from: '2026-11-14', to: '2026-11-20' });
  });

  it('puts 07:00 local time on the right instant on both sides of a daylight-saving change', () => {
    expect(zonedWallTime('2026-10-24', 7, 'Europe/Berlin').toISOString()).toBe('2026-10-24T05:00:00.000Z');
    expect(zonedWallTime('2026-10-26', 7, 'Europe/Berlin').toISOString()).toBe('2026-10-26T06:00:00.000Z');
    expect(zonedWallTime('2026-09-28', 7, 'Pacific/Auckland').toISOString()).toBe('2026-09-27T18:00:00.000Z');
    expect(localDay(new Date('2026-10-31T11:00:00Z'), 'Pacific/Auckland')).toBe('2026-11-01');
  });

  it('schedules the next Monday or 1st at 07:00, strictly after now', () => {
    // Monday 26 October 2026, 06:59 in Berlin (CET since Sunday): still today.
    expect(nextRunAt('weekly', new Date('2026-10-26T05:59:00Z'), 'Europe/Berlin').toISOString()).toBe(
      '2026-10-26T06:00:00.000Z',
    );
    expect(nextRunAt('weekly', new Date('2026-10-26T06:00:00Z'), 'Europe/Berlin').toISOString()).toBe(
      '2026-11-02T06:00:00.000Z',
    );
    expect(nextRunAt('monthly', new Date('2026-12-31T23:00:00Z'), 'UTC').toISOString()).toBe(
      '2027-01-01T07:00:00.000Z',
    );
    expect(nextRunAt('monthly', new Date('2026-11-30T19:00:00Z'), 'Pacific/Auckland').toISOString()).toBe(
      '2026-12-31T18:00:00.000Z',
    );
  });
});
