import type { History } from './revenue-fixtures.js';

/**
 * Revenue figures the slow, obvious way, to check the API against: every local
 * day from the first recorded change to `to`, every subscription's state at the
 * end of that day found by scanning its rows, every member's MRR summed and
 * compared with the day before. Its own local dates (Intl `en-CA`), its own
 * calendar and its own rounding; written from the route's description, not
 * from the service.
 */

const formats = new Map<string, Intl.DateTimeFormat>();
export function localDate(instant: Date, zone: string): string {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(zone, f);
  }
  return f.format(instant);
}
const plusDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const mondayOf = (day: string) => plusDays(day, -((new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7));
const periodOf = (day: string, interval: string) =>
  interval === 'day' ? day : interval === 'week' ? mondayOf(day) : `${day.slice(0, 7)}-01`;

/** a / b rounded half up (ties toward +∞), b > 0, by quotient and remainder. */
function round(a: bigint, b: bigint): number {
  let q = a / b;
  let r = a % b;
  if (r < 0n) {
    q -= 1n;
    r += b;
  }
  return Number(2n * r >= b ? q + 1n : q);
}

type Kind = 'new' | 'expansion' | 'contraction' | 'churned' | 'reactivated';
interface Acc {
  moves: Record<Kind, { annual: bigint; count: number }>;
  trialsStarted: number;
  trialConversions: number;
  collected: [number, bigint];
  failed: [number, bigint];
  recovered: [number, bigint];
  refunds: [number, bigint];
}
const acc = (): Acc => ({
  moves: {
    new: { annual: 0n, count: 0 },
    expansion: { annual: 0n, count: 0 },
    contraction: { annual: 0n, count: 0 },
    churned: { annual: 0n, count: 0 },
    reactivated: { annual: 0n, count: 0 },
  },
  trialsStarted: 0,
  trialConversions: 0,
  collected: [0, 0n],
  failed: [0, 0n],
  recovered: [0, 0n],
  refunds: [0, 0n],
});

export interface BruteOptions {
  from: string;
  to: string;
  interval: 'day' | 'week' | 'month';
  zone: string;
  currency: string;
  tierFilter: string | null;
}

export function bruteForceRevenue(h: History, o: BruteOptions) {
  const day = (d: Date) => localDate(d, o.zone);
  let skipped = 0;
  const mine = <T extends { currency: string }>(rows: T[], at: (r: T) => Date) =>
    rows.filter((r) => {
      if (day(at(r)) > o.to) return false;
      if (r.currency !== o.currency) {
        skipped++;
        return false;
      }
      return true;
    });
  const changes = mine(h.changes, (c) => c.occurredAt);
  const payments = mine(h.payments, (p) => p.occurredAt);
  const refunds = mine(h.refunds, (r) => r.createdAt);

  const rowsOf = new Map<string, typeof changes>();
  for (const c of changes) rowsOf.set(c.subscriptionId, [...(rowsOf.get(c.subscriptionId) ?? []), c]);
  for (const rows of rowsOf.values())
    rows.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || (a.id < b.id ? -1 : 1));

  // Groups: '' (every tier) and each tier; keys are group + member.
  const days: string[] = [];
  const first = changes.map((c) => day(c.occurredAt)).sort()[0] ?? o.from;
  for (let d = [first, o.from].sort()[0]!; d <= o.to; d = plusDays(d, 1)) days.push(d);

  const perDay = new Map<string, Map<string, Acc>>();
  const accOn = (d: string, group: string) => {
    const m = perDay.get(d) ?? new Map<string, Acc>();
    perDay.set(d, m);
    const a = m.get(group) ?? acc();
    m.set(group, a);
    return a;
  };
  const levelOn = new Map<string, Map<string, { annual: bigint; paying: number }>>();
  const tiersSeen = new Set<string>(changes.map((c) => c.tierAfter));

  let yesterday = new Map<string, bigint>();
  const paid = new Set<string>();
  for (const d of days) {
    const today = new Map<string, bigint>();
    for (const rows of rowsOf.values()) {
      let state: (typeof rows)[number] | undefined;
      for (const r of rows) if (day(r.occurredAt) <= d) state = r;
      if (!state) continue;
      const annual = BigInt(state.amountAfter) * BigInt(12 / state.intervalMonthsAfter);
      for (const group of ['', state.tierAfter]) {
        const key = `${group}|${state.memberId}`;
        today.set(key, (today.get(key) ?? 0n) + annual);
      }
    }
    const keys = new Set([...today.keys(), ...yesterday.keys()]);
    const levels = new Map<string, { annual: bigint; paying: number }>();
    for (const key of keys) {
      const group = key.slice(0, key.indexOf('|'));
      const before = yesterday.get(key) ?? 0n;
      const after = today.get(key) ?? 0n;
      const l = levels.get(group) ?? { annual: 0n, paying: 0 };
      l.annual += after;
      if (after > 0n) l.paying++;
      levels.set(group, l);
      if (before !== after) {
        let kind: Kind;
        if (before === 0n) kind = paid.has(key) ? 'reactivated' : 'new';
        else if (after === 0n) kind = 'churned';
        else kind = after > before ? 'expansion' : 'contraction';
        const a = accOn(d, group).moves[kind];
        a.annual += after > before ? after - before : before - after;
        a.count++;
      }
      if (after > 0n) paid.add(key);
    }
    levelOn.set(d, levels);
    yesterday = today;
  }

  // Trials, row by row of each subscription.
  for (const rows of rowsOf.values())
    rows.forEach((r, i) => {
      const prev = i === 0 ? r.statusBefore : rows[i - 1]!.statusAfter;
      const d = day(r.occurredAt);
      for (const group of ['', r.tierAfter]) {
        if (r.statusAfter === 'trialing' && prev !== 'trialing') accOn(d, group).trialsStarted++;
        if (prev === 'trialing' && r.statusAfter === 'active') accOn(d, group).trialConversions++;
      }
    });

  const tierOf = (subId: string, at: Date): string | null => {
    const rows = rowsOf.get(subId);
    if (!rows) return h.subs.find((s) => s.id === subId)?.tierId ?? null;
    let tier = rows[0]!.tierAfter;
    for (const r of rows) if (r.occurredAt.getTime() <= at.getTime()) tier = r.tierAfter;
    return tier;
  };
  const add = (
    d: string,
    tier: string | null,
    field: 'collected' | 'failed' | 'recovered' | 'refunds',
    amount: number,
  ) => {
    const groups = tier === null ? [''] : ['', tier];
    if (tier !== null && d >= o.from) tiersSeen.add(tier);
    for (const g of groups) {
      const a = accOn(d, g)[field];
      a[0] += 1;
      a[1] += BigInt(amount);
    }
  };
  const invoicesPaid = new Set<string>();
  const invoicesFailed = new Set<string>();
  const sortedPayments = [...payments].sort(
    (a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || (a.id < b.id ? -1 : 1),
  );
  for (const p of sortedPayments) {
    const d = day(p.occurredAt);
    const tier = tierOf(p.subscriptionId, p.occurredAt);
    if (p.outcome === 'failed') {
      if (!invoicesFailed.has(p.invoiceId)) add(d, tier, 'failed', p.amount);
      invoicesFailed.add(p.invoiceId);
    } else {
      add(d, tier, 'collected', p.amount);
      if (invoicesFailed.has(p.invoiceId) && !invoicesPaid.has(p.invoiceId)) add(d, tier, 'recovered', p.amount);
      invoicesPaid.add(p.invoiceId);
    }
  }
  for (const r of refunds)
    if (r.status !== 'failed' && r.status !== 'canceled')
      add(day(r.createdAt), tierOf(r.subscriptionId, r.createdAt), 'refunds', r.amount);

  // Buckets and figures.
  const level = (d: string, g: string) => levelOn.get(d)?.get(g) ?? { annual: 0n, paying: 0 };
  const sum = (ds: string[], g: string) => {
    const total = acc();
    for (const d of ds) {
      const a = perDay.get(d)?.get(g);
      if (!a) continue;
      for (const k of Object.keys(total.moves) as Kind[]) {
        total.moves[k].annual += a.moves[k].annual;
        total.moves[k].count += a.moves[k].count;
      }
      total.trialsStarted += a.trialsStarted;
      total.trialConversions += a.trialConversions;
      for (const f of ['collected', 'failed', 'recovered', 'refunds'] as const) {
        total[f][0] += a[f][0];
        total[f][1] += a[f][1];
      }
    }
    return total;
  };
  const figures = (a: Acc, start: { paying: number }, end: { annual: bigint; paying: number }, nDays: number) => {
    const m = a.moves;
    const mv = (k: Kind) => ({ amount: round(m[k].annual, 12n), count: m[k].count });
    const churned = m.churned.count;
    return {
      mrr_amount: round(end.annual, 12n),
      arr_amount: Number(end.annual),
      movements: {
        new: mv('new'),
        expansion: mv('expansion'),
        contraction: mv('contraction'),
        churned: mv('churned'),
        reactivated: mv('reactivated'),
        net_amount: round(
          m.new.annual + m.expansion.annual + m.reactivated.annual - m.contraction.annual - m.churned.annual,
          12n,
        ),
      },
      paying_members: end.paying,
      arpu_amount: end.paying ? round(end.annual, 12n * BigInt(end.paying)) : null,
      // ARPU / (churned / start × 30.4375 / days)
      ltv_amount:
        end.paying && start.paying && churned
          ? round(
              end.annual * BigInt(start.paying) * 48n * BigInt(nDays),
              12n * BigInt(end.paying) * BigInt(churned) * 1461n,
            )
          : null,
      trials_started: a.trialsStarted,
      trial_conversions: a.trialConversions,
      payments: {
        collected: { count: a.collected[0], amount: Number(a.collected[1]) },
        failed: { count: a.failed[0], amount: Number(a.failed[1]) },
        recovered: { count: a.recovered[0], amount: Number(a.recovered[1]) },
      },
      refunds: { count: a.refunds[0], amount: Number(a.refunds[1]) },
      net_revenue_amount: Number(a.collected[1] - a.refunds[1]),
    };
  };
  const head = o.tierFilter ?? '';
  const tiers = o.tierFilter ? [o.tierFilter] : [...tiersSeen].sort();
  const windowDays = days.filter((d) => d >= o.from);
  const buckets = new Map<string, string[]>();
  for (const d of windowDays)
    buckets.set(periodOf(d, o.interval), [...(buckets.get(periodOf(d, o.interval)) ?? []), d]);
  const dayBefore = plusDays(o.from, -1);
  const series = [...buckets].map(([period, ds]) => {
    const before = plusDays(ds[0]!, -1);
    const end = ds.at(-1)!;
    const figs = (g: string) => figures(sum(ds, g), level(before, g), level(end, g), ds.length);
    return {
      period,
      start: ds[0]!,
      end,
      ...figs(head),
      by_tier: tiers.map((t) => ({ tier_id: t, ...figs(t) })),
    };
  });
  const whole = (g: string) => figures(sum(windowDays, g), level(dayBefore, g), level(o.to, g), windowDays.length);
  return {
    skipped_other_currency: skipped,
    mrr_at_start_amount: round(level(dayBefore, head).annual, 12n),
    summary: { ...whole(head), by_tier: tiers.map((t) => ({ tier_id: t, ...whole(t) })) },
    series,
  };
}
