import { addDays, daysBetween, localDay } from '../lib/time-zone.js';
import { bucketOf, nextBucket } from '../services/analytics-growth.js';
import { annualAmount, monthlyOf, roundHalfUp, toAmount } from './revenue-money.js';

/**
 * The revenue report as pure arithmetic over loaded rows (see revenue-load.ts):
 * no database, no clock. Definitions (the route description repeats them):
 *
 * - A subscription's recurring revenue at an instant is the `amount_after`
 *   (per `interval_months_after`) of its newest ledger row at or before it.
 *   Sums are annual amounts (integer minor units per year); MRR = annual / 12.
 * - Movements are classified once per member and local day, comparing the
 *   member's MRR (all their subscriptions) at the end of the day with the end of
 *   the previous day: 0 → >0 is `new`, or `reactivated` when the member had MRR
 *   at the end of an earlier day; >0 → 0 `churned`; up `expansion`; down
 *   `contraction`. A change undone within the day moves nothing. So
 *   MRR(end) − MRR(start) = new + expansion + reactivated − contraction − churned.
 * - By tier, the same with a member's MRR in each tier counted apart (a move
 *   between tiers is a decrease in one and an increase in the other).
 * - Trials: a ledger row into `trialing` from another status starts one; a row
 *   from `trialing` to `active` converts one (by the subscription's previous row).
 * - Payments: `collected` every succeeded attempt; `failed` an invoice's first
 *   failed attempt; `recovered` the first success after a failure of that invoice.
 *   Refunds: every refund not `failed` or `canceled`, by its creation time.
 *   Payments and refunds count in the tier the invoice's subscription held then.
 */

export type RevenueInterval = 'day' | 'week' | 'month';

export interface LedgerRow {
  id: string;
  subscriptionId: string;
  memberId: string;
  occurredAt: Date;
  statusBefore: string | null;
  statusAfter: string;
  tierAfter: string;
  amountAfter: number;
  intervalMonthsAfter: number;
  currency: string;
}

export interface PaymentRow {
  id: string;
  invoiceId: string;
  subscriptionId: string | null;
  outcome: 'succeeded' | 'failed';
  amount: number;
  currency: string;
  occurredAt: Date;
}

export interface RefundRow {
  id: string;
  invoiceId: string;
  subscriptionId: string | null;
  amount: number;
  currency: string;
  status: string;
  createdAt: Date;
}

export interface RevenueInput {
  from: string;
  to: string;
  interval: RevenueInterval;
  timeZone: string;
  currency: string;
  /** The tenant's tiers in display order. */
  tiers: { id: string; name: string }[];
  /** Only this tier (already checked to exist), or every tier. */
  tierId: string | null;
  /** Rows up to the end of the window, any order. */
  ledger: LedgerRow[];
  payments: PaymentRow[];
  refunds: RefundRow[];
  /** Current tier of each subscription: the tier of payments of a subscription without ledger rows. */
  subscriptionTiers: Map<string, string>;
}

/** A money movement: its amount (minor units of MRR) and how many member-days it took. */
export interface Movement {
  amount: number;
  count: number;
}

export interface RevenueFigures {
  mrrAmount: number;
  arrAmount: number;
  movements: {
    new: Movement;
    expansion: Movement;
    contraction: Movement;
    churned: Movement;
    reactivated: Movement;
    /** `new + expansion + reactivated − contraction − churned`, rounded from the exact sum. */
    netAmount: number;
  };
  payingMembers: number;
  arpuAmount: number | null;
  ltvAmount: number | null;
  trialsStarted: number;
  trialConversions: number;
  payments: {
    collected: Movement;
    failed: Movement;
    recovered: Movement;
  };
  refunds: Movement;
  /** Collected minus refunded. */
  netRevenueAmount: number;
}

export interface RevenueBucket extends RevenueFigures {
  period: string;
  start: string;
  end: string;
  byTier: (RevenueFigures & { tierId: string; tierName: string | null })[];
}

export interface RevenueReport {
  from: string;
  to: string;
  interval: RevenueInterval;
  timeZone: string;
  currency: string;
  tierId: string | null;
  skippedOtherCurrency: number;
  mrrAtStartAmount: number;
  summary: RevenueFigures & { byTier: (RevenueFigures & { tierId: string; tierName: string | null })[] };
  series: RevenueBucket[];
}

interface Flow {
  moves: Record<MoveKind, { annual: bigint; count: number }>;
  trialsStarted: number;
  trialConversions: number;
  collected: { amount: bigint; count: number };
  failed: { amount: bigint; count: number };
  recovered: { amount: bigint; count: number };
  refunds: { amount: bigint; count: number };
}

type MoveKind = 'new' | 'expansion' | 'contraction' | 'churned' | 'reactivated';
const MOVE_KINDS: MoveKind[] = ['new', 'expansion', 'contraction', 'churned', 'reactivated'];

interface Level {
  annual: bigint;
  paying: number;
}

const emptyFlow = (): Flow => ({
  moves: {
    new: { annual: 0n, count: 0 },
    expansion: { annual: 0n, count: 0 },
    contraction: { annual: 0n, count: 0 },
    churned: { annual: 0n, count: 0 },
    reactivated: { annual: 0n, count: 0 },
  },
  trialsStarted: 0,
  trialConversions: 0,
  collected: { amount: 0n, count: 0 },
  failed: { amount: 0n, count: 0 },
  recovered: { amount: 0n, count: 0 },
  refunds: { amount: 0n, count: 0 },
});

function addFlow(into: Flow, f: Flow): void {
  for (const k of MOVE_KINDS) {
    into.moves[k].annual += f.moves[k].annual;
    into.moves[k].count += f.moves[k].count;
  }
  into.trialsStarted += f.trialsStarted;
  into.trialConversions += f.trialConversions;
  for (const k of ['collected', 'failed', 'recovered', 'refunds'] as const) {
    into[k].amount += f[k].amount;
    into[k].count += f[k].count;
  }
}

/** Where a figure goes: the whole tenant (`''`) or one tier. */
const TOTAL = '';

/** Average days per month (365.25 / 12 = 1461 / 48): churn rates of any bucket length become monthly. */
const MONTH_DAYS_NUM = 1461n;
const MONTH_DAYS_DEN = 48n;

/**
 * Figures of a span from its flow, the levels at its start and end and its days.
 * LTV = ARPU / monthly churn, monthly churn = churned / paying at start ×
 * (30.4375 / days): `4·annual·start·days / (paying·churned·1461)`, rounded once.
 */
function figuresOf(flow: Flow, start: Level, end: Level, days: number): RevenueFigures {
  const m = flow.moves;
  const net = m.new.annual + m.expansion.annual + m.reactivated.annual - m.contraction.annual - m.churned.annual;
  const move = (k: MoveKind): Movement => ({ amount: monthlyOf(m[k].annual), count: m[k].count });
  const paying = BigInt(end.paying);
  const churned = BigInt(m.churned.count);
  const ltv =
    end.paying > 0 && start.paying > 0 && m.churned.count > 0
      ? toAmount(
          roundHalfUp(
            end.annual * BigInt(start.paying) * BigInt(days) * MONTH_DAYS_DEN,
            paying * churned * 12n * MONTH_DAYS_NUM,
          ),
        )
      : null;
  const money = (x: { amount: bigint; count: number }): Movement => ({ amount: toAmount(x.amount), count: x.count });
  return {
    mrrAmount: monthlyOf(end.annual),
    arrAmount: toAmount(end.annual),
    movements: {
      new: move('new'),
      expansion: move('expansion'),
      contraction: move('contraction'),
      churned: move('churned'),
      reactivated: move('reactivated'),
      netAmount: monthlyOf(net),
    },
    payingMembers: end.paying,
    arpuAmount: end.paying > 0 ? toAmount(roundHalfUp(end.annual, 12n * paying)) : null,
    ltvAmount: ltv,
    trialsStarted: flow.trialsStarted,
    trialConversions: flow.trialConversions,
    payments: { collected: money(flow.collected), failed: money(flow.failed), recovered: money(flow.recovered) },
    refunds: money(flow.refunds),
    netRevenueAmount: toAmount(flow.collected.amount - flow.refunds.amount),
  };
}

const byTime =
  <T extends { id: string }>(at: (row: T) => Date) =>
  (a: T, b: T) =>
    at(a).getTime() - at(b).getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Computes the revenue report of `input` (see the definitions above). */
export function computeRevenue(input: RevenueInput): RevenueReport {
  const { from, to, interval, timeZone: zone, currency } = input;
  let skipped = 0;
  const keep = <T extends { currency: string }>(rows: T[]) =>
    rows.filter((r) => {
      if (r.currency === currency) return true;
      skipped += 1;
      return false;
    });
  const ledger = keep(input.ledger).sort(byTime((r) => r.occurredAt));
  const payments = keep(input.payments).sort(byTime((r) => r.occurredAt));
  const refunds = keep(input.refunds).sort(byTime((r) => r.createdAt));

  // Buckets of the window.
  const periods: { period: string; start: string; end: string }[] = [];
  for (let p = bucketOf(from, interval); p <= to; p = nextBucket(p, interval)) {
    const last = addDays(nextBucket(p, interval), -1);
    // Dates as YYYY-MM-DD strings compare in calendar order (no Math.min/max on strings).
    periods.push({ period: p, start: [p, from].sort()[1]!, end: [last, to].sort()[0]! });
  }
  const periodIndex = new Map(periods.map((b, i) => [b.period, i]));
  /** The bucket of a day inside the window. */
  const bucketIndex = (day: string) => periodIndex.get(bucketOf(day, interval)) ?? -1;
  const flows = periods.map(() => new Map<string, Flow>());
  const flowOf = (bucket: number, group: string) => {
    const map = flows[bucket]!;
    let f = map.get(group);
    if (!f) {
      f = emptyFlow();
      map.set(group, f);
    }
    return f;
  };
  const tierSeen = new Set<string>();
  /** Adds to the total and the tier's flow (a null tier only to the total). */
  const record = (day: string, tier: string | null, apply: (f: Flow) => void) => {
    if (day < from || day > to) return;
    const b = bucketIndex(day);
    if (b < 0) return;
    if (tier !== null) {
      tierSeen.add(tier);
      apply(flowOf(b, tier));
    }
    apply(flowOf(b, TOTAL));
  };

  // Subscription timelines: state now, tier over time (for payments).
  const subs = new Map<string, { member: string; tier: string; annual: bigint; status: string }>();
  const tierTimeline = new Map<string, { at: number; tier: string }[]>();
  for (const row of ledger) {
    const t = tierTimeline.get(row.subscriptionId) ?? [];
    tierTimeline.set(row.subscriptionId, t);
    t.push({ at: row.occurredAt.getTime(), tier: row.tierAfter });
    tierSeen.add(row.tierAfter);
  }
  const tierAt = (subscriptionId: string | null, at: Date): string | null => {
    if (subscriptionId === null) return null;
    const t = tierTimeline.get(subscriptionId);
    if (!t || t.length === 0) return input.subscriptionTiers.get(subscriptionId) ?? null;
    let tier = t[0]!.tier;
    for (const step of t) if (step.at <= at.getTime()) tier = step.tier;
    return tier;
  };

  // Keys: a member (`''` group) or a member in a tier. Current MRR and end of the last day.
  const keyOf = (group: string, member: string) => `${group}\u0000${member}`;
  const current = new Map<string, bigint>();
  const dayEnd = new Map<string, bigint>();
  const paidBefore = new Set<string>();
  const levels = new Map<string, Level>();
  const levelOf = (group: string) => {
    const l = levels.get(group) ?? { annual: 0n, paying: 0 };
    levels.set(group, l);
    return l;
  };
  const bump = (key: string, delta: bigint, touched: Set<string>) => {
    current.set(key, (current.get(key) ?? 0n) + delta);
    touched.add(key);
  };

  let next = 0;
  /** Applies every ledger row of local days up to `lastDay`, a day at a time. */
  const applyThrough = (lastDay: string) => {
    while (next < ledger.length) {
      const day = localDay(ledger[next]!.occurredAt, zone);
      if (day > lastDay) return;
      const touched = new Set<string>();
      while (next < ledger.length && localDay(ledger[next]!.occurredAt, zone) === day) {
        const row = ledger[next++]!;
        const before = subs.get(row.subscriptionId);
        if (before) {
          bump(keyOf(TOTAL, before.member), -before.annual, touched);
          bump(keyOf(before.tier, before.member), -before.annual, touched);
        }
        const annual = annualAmount(row.amountAfter, row.intervalMonthsAfter);
        bump(keyOf(TOTAL, row.memberId), annual, touched);
        bump(keyOf(row.tierAfter, row.memberId), annual, touched);
        const previous = before?.status ?? row.statusBefore;
        if (row.statusAfter === 'trialing' && previous !== 'trialing')
          record(day, row.tierAfter, (f) => f.trialsStarted++);
        if (previous === 'trialing' && row.statusAfter === 'active')
          record(day, row.tierAfter, (f) => f.trialConversions++);
        subs.set(row.subscriptionId, { member: row.memberId, tier: row.tierAfter, annual, status: row.statusAfter });
      }
      for (const key of touched) {
        const was = dayEnd.get(key) ?? 0n;
        const now = current.get(key) ?? 0n;
        if (was === now) continue;
        dayEnd.set(key, now);
        const group = key.slice(0, key.indexOf('\u0000'));
        const level = levelOf(group);
        level.annual += now - was;
        const kind: MoveKind =
          was === 0n
            ? paidBefore.has(key)
              ? 'reactivated'
              : 'new'
            : now === 0n
              ? 'churned'
              : now > was
                ? 'expansion'
                : 'contraction';
        if (was === 0n) level.paying += 1;
        if (now === 0n) level.paying -= 1;
        if (now > 0n) paidBefore.add(key);
        const size = now > was ? now - was : was - now;
        if (day >= from && day <= to) {
          const f = flowOf(bucketIndex(day), group);
          f.moves[kind].annual += size;
          f.moves[kind].count += 1;
          if (group !== TOTAL) tierSeen.add(group);
        }
      }
    }
  };

  applyThrough(addDays(from, -1));
  const snapshot = () => new Map([...levels].map(([g, l]) => [g, { ...l }]));
  const startLevels = snapshot();
  const endLevels: Map<string, Level>[] = [];
  for (const b of periods) {
    applyThrough(b.end);
    endLevels.push(snapshot());
  }

  // Payments and refunds.
  const attempts = new Map<string, PaymentRow[]>();
  for (const p of payments) {
    const list = attempts.get(p.invoiceId) ?? [];
    attempts.set(p.invoiceId, list);
    list.push(p);
  }
  for (const list of attempts.values()) {
    let failedSeen = false;
    let recovered = false;
    for (const p of list) {
      const day = localDay(p.occurredAt, zone);
      const tier = tierAt(p.subscriptionId, p.occurredAt);
      const amount = BigInt(p.amount);
      if (p.outcome === 'failed') {
        if (!failedSeen)
          record(day, tier, (f) => {
            f.failed.amount += amount;
            f.failed.count += 1;
          });
        failedSeen = true;
        continue;
      }
      record(day, tier, (f) => {
        f.collected.amount += amount;
        f.collected.count += 1;
      });
      if (failedSeen && !recovered) {
        recovered = true;
        record(day, tier, (f) => {
          f.recovered.amount += amount;
          f.recovered.count += 1;
        });
      }
    }
  }
  for (const r of refunds) {
    if (r.status === 'failed' || r.status === 'canceled') continue;
    const amount = BigInt(r.amount);
    record(localDay(r.createdAt, zone), tierAt(r.subscriptionId, r.createdAt), (f) => {
      f.refunds.amount += amount;
      f.refunds.count += 1;
    });
  }

  // Tiers shown: the filter's, or every tier seen, in display order (tiers unknown to the tenant after, by id).
  const order = new Map(input.tiers.map((t, i) => [t.id, i]));
  const names = new Map(input.tiers.map((t) => [t.id, t.name]));
  const shownTiers =
    input.tierId !== null
      ? [input.tierId]
      : [...tierSeen].sort(
          (a, b) =>
            (order.get(a) ?? Number.MAX_SAFE_INTEGER) - (order.get(b) ?? Number.MAX_SAFE_INTEGER) || (a < b ? -1 : 1),
        );
  const headGroup = input.tierId ?? TOTAL;
  const zeroLevel: Level = { annual: 0n, paying: 0 };
  const levelIn = (m: Map<string, Level>, g: string) => m.get(g) ?? zeroLevel;

  const series: RevenueBucket[] = periods.map((b, i) => {
    const startOf = i === 0 ? startLevels : endLevels[i - 1]!;
    const days = daysBetween(b.start, b.end) + 1;
    const figs = (g: string) =>
      figuresOf(flows[i]!.get(g) ?? emptyFlow(), levelIn(startOf, g), levelIn(endLevels[i]!, g), days);
    return {
      ...b,
      ...figs(headGroup),
      byTier: shownTiers.map((t) => ({ tierId: t, tierName: names.get(t) ?? null, ...figs(t) })),
    };
  });
  const windowDays = daysBetween(from, to) + 1;
  const lastLevels = endLevels.at(-1) ?? startLevels;
  const summaryOf = (g: string) => {
    const total = emptyFlow();
    for (const f of flows) {
      const x = f.get(g);
      if (x) addFlow(total, x);
    }
    return figuresOf(total, levelIn(startLevels, g), levelIn(lastLevels, g), windowDays);
  };
  return {
    from,
    to,
    interval,
    timeZone: zone,
    currency,
    tierId: input.tierId,
    skippedOtherCurrency: skipped,
    mrrAtStartAmount: monthlyOf(levelIn(startLevels, headGroup).annual),
    summary: {
      ...summaryOf(headGroup),
      byTier: shownTiers.map((t) => ({ tierId: t, tierName: names.get(t) ?? null, ...summaryOf(t) })),
    },
    series,
  };
}
