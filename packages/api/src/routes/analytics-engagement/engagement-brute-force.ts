/**
 * Test support: every engagement figure recomputed from raw `activity_events` rows
 * and member rows, with a local-day conversion of its own (Intl, no code shared with
 * the service), so the API's rollup-based answers can be compared exactly.
 */

export interface RawEvent {
  id: string;
  memberId: string;
  type: string;
  occurredAt: Date;
  tierKey: string;
}

export interface RawMember {
  id: string;
  status: string;
  tierId: string | null;
  deletedAt: Date | null;
}

export interface Thresholds {
  high: number;
  moderate: number;
}

const parts = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of `instant` on the wall clocks of `zone`. */
export function wallDate(instant: Date, zone: string): string {
  let f = parts.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric' });
    parts.set(zone, f);
  }
  const p = f.formatToParts(instant);
  const get = (type: string) => Number(p.find((x) => x.type === type)!.value);
  return `${String(get('year')).padStart(4, '0')}-${String(get('month')).padStart(2, '0')}-${String(get('day')).padStart(2, '0')}`;
}

function shift(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Every date from `from` to `to`. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = shift(d, 1)) out.push(d);
  return out;
}

function startOf(day: string, interval: 'day' | 'week' | 'month'): string {
  if (interval === 'day') return day;
  if (interval === 'month') return `${day.slice(0, 7)}-01`;
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay(); // 0 Sunday
  return shift(day, -((weekday + 6) % 7));
}

function distinct(events: { memberId: string }[]): number {
  return new Set(events.map((e) => e.memberId)).size;
}

const round = (v: number, places: number) => Math.round(v * 10 ** places) / 10 ** places;

/** The expected engagement report (the API's shape, labels aside). */
export function expectedEngagement(input: {
  events: RawEvent[];
  members: RawMember[];
  zone: string;
  from: string;
  to: string;
  interval: 'day' | 'week' | 'month';
  tierId?: string;
  status?: string;
  thresholds: Thresholds;
}) {
  const dayOf = new Map<RawEvent, string>();
  for (const e of input.events) dayOf.set(e, wallDate(e.occurredAt, input.zone));
  const memberById = new Map(input.members.map((m) => [m.id, m]));
  const counted = input.events.filter((e) => {
    if (input.tierId !== undefined && e.tierKey !== input.tierId) return false;
    if (input.status !== undefined) {
      const m = memberById.get(e.memberId);
      if (!m || m.deletedAt !== null || m.status !== input.status) return false;
    }
    return true;
  });
  const inRange = (list: RawEvent[], from: string, to: string) =>
    list.filter((e) => dayOf.get(e)! >= from && dayOf.get(e)! <= to);
  const population = input.members.filter(
    (m) =>
      m.deletedAt === null &&
      (input.tierId === undefined || m.tierId === input.tierId) &&
      (input.status === undefined || m.status === input.status),
  );

  const summary = (from: string, to: string) => {
    const days = datesBetween(from, to);
    const inWindow = inRange(counted, from, to);
    const dailySum = days.reduce((sum, d) => sum + distinct(inRange(counted, d, d)), 0);
    const dau = dailySum / days.length;
    const lastDays = (n: number) => inRange(counted, days.length > n ? shift(to, -(n - 1)) : from, to);
    const mau = distinct(lastDays(30));
    const byType = new Map<string, number>();
    for (const e of inWindow) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
    const top = [...byType]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 10)
      .map(([type, events]) => ({ type, events }));
    // Segments: the population's events in the window, every tier's.
    const allInWindow = inRange(input.events, from, to);
    const perMember = new Map<string, number>();
    for (const e of allInWindow) perMember.set(e.memberId, (perMember.get(e.memberId) ?? 0) + 1);
    const segments = { highly_active: 0, moderately_active: 0, low: 0, dormant: 0 };
    for (const m of population) {
      const n = perMember.get(m.id) ?? 0;
      if (n >= input.thresholds.high) segments.highly_active++;
      else if (n >= input.thresholds.moderate) segments.moderately_active++;
      else if (n >= 1) segments.low++;
      else segments.dormant++;
    }
    return {
      from,
      to,
      days: days.length,
      active_members: distinct(inWindow),
      dau: round(dau, 2),
      wau: distinct(lastDays(7)),
      mau,
      stickiness: mau === 0 ? 0 : round(dau / mau, 4),
      events: inWindow.length,
      top_event_types: top,
      segments: (['highly_active', 'moderately_active', 'low', 'dormant'] as const).map((segment) => ({
        segment,
        members: segments[segment],
      })),
    };
  };

  const series: {
    period: string;
    from: string;
    to: string;
    partial: boolean;
    active_members: number;
    events: number;
    events_by_type: Record<string, number>;
  }[] = [];
  for (const day of datesBetween(input.from, input.to)) {
    const period = startOf(day, input.interval);
    let bucket = series.at(-1);
    if (!bucket || bucket.period !== period) {
      const wholeEnd =
        input.interval === 'day'
          ? period
          : input.interval === 'week'
            ? shift(period, 6)
            : shift(`${shift(period, 32).slice(0, 7)}-01`, -1);
      bucket = {
        period,
        from: day,
        to: day,
        partial: day !== period || wholeEnd > input.to,
        active_members: 0,
        events: 0,
        events_by_type: {},
      };
      series.push(bucket);
    }
    bucket.to = day;
  }
  for (const bucket of series) {
    const list = inRange(counted, bucket.from, bucket.to);
    bucket.active_members = distinct(list);
    bucket.events = list.length;
    for (const e of list) bucket.events_by_type[e.type] = (bucket.events_by_type[e.type] ?? 0) + 1;
  }
  const length = datesBetween(input.from, input.to).length;
  return {
    series,
    summary: summary(input.from, input.to),
    previous: summary(shift(input.from, -length), shift(input.from, -1)),
  };
}

/** A member's expected engagement on `today` (the API's shape, labels aside). */
export function expectedMemberEngagement(input: {
  events: RawEvent[];
  memberId: string;
  zone: string;
  today: string;
  thresholds: Thresholds;
}) {
  const days = input.events.filter((e) => e.memberId === input.memberId).map((e) => wallDate(e.occurredAt, input.zone));
  const from = shift(input.today, -29);
  const prevFrom = shift(from, -30);
  const events = days.filter((d) => d >= from && d <= input.today).length;
  const previous = days.filter((d) => d >= prevFrom && d < from).length;
  const active = new Set(days.filter((d) => d <= input.today));
  let longest = 0;
  for (const d of active) {
    if (active.has(shift(d, -1))) continue;
    let n = 0;
    while (active.has(shift(d, n))) n++;
    longest = Math.max(longest, n);
  }
  let end = active.has(input.today) ? input.today : shift(input.today, -1);
  let current = 0;
  while (active.has(end)) {
    current++;
    end = shift(end, -1);
  }
  const segment =
    events >= input.thresholds.high
      ? 'highly_active'
      : events >= input.thresholds.moderate
        ? 'moderately_active'
        : events >= 1
          ? 'low'
          : 'dormant';
  const ratio = previous === 0 ? null : round(events / previous, 4);
  return {
    window: { from, to: input.today },
    events,
    active_days: new Set(days.filter((d) => d >= from && d <= input.today)).size,
    segment,
    score: Math.min(100, Math.round((100 * events) / (2 * input.thresholds.high))),
    current_streak: current,
    longest_streak: longest,
    last_active_day: [...active].sort().at(-1) ?? null,
    trend: {
      direction: ratio === null ? (events > 0 ? 'up' : 'flat') : ratio >= 1.1 ? 'up' : ratio <= 0.9 ? 'down' : 'flat',
      events,
      previous_events: previous,
      ratio,
    },
  };
}
