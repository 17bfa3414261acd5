import {
  billingPayments,
  billingRefunds,
  invoices,
  subscriptionChanges,
  subscriptions,
  tenantBilling,
} from '../../db/schema/index.js';
import type { Database } from '../../db/database.js';

/**
 * Test fixtures, not used by the app. Seeded random billing histories for the revenue tests, written straight into
 * the billing tables (as the webhook worker would have): subscriptions that
 * start (with or without a trial), change tier, quantity and interval, go past
 * due and recover or lapse, end and come back, comps, a second subscription at
 * once, refunds (some failed), proration credits, rows in a foreign currency,
 * many of them a minute either side of local midnight.
 */

export function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface HistoryChange {
  id: string;
  subscriptionId: string;
  memberId: string;
  occurredAt: Date;
  statusBefore: string | null;
  statusAfter: string;
  tierBefore: string | null;
  tierAfter: string;
  amountBefore: number;
  intervalMonthsBefore: number;
  amountAfter: number;
  intervalMonthsAfter: number;
  currency: string;
}

export interface HistoryPayment {
  id: string;
  invoiceId: string;
  memberId: string;
  subscriptionId: string;
  outcome: 'succeeded' | 'failed';
  amount: number;
  currency: string;
  occurredAt: Date;
}

export interface HistoryRefund {
  id: string;
  invoiceId: string;
  memberId: string;
  subscriptionId: string;
  amount: number;
  currency: string;
  status: string;
  createdAt: Date;
}

export interface History {
  changes: HistoryChange[];
  payments: HistoryPayment[];
  refunds: HistoryRefund[];
  invoices: { id: string; memberId: string; subscriptionId: string; currency: string; total: number; at: Date }[];
  subs: { id: string; memberId: string; kind: 'stripe' | 'comp'; status: string; tierId: string; currency: string }[];
  /** How often each kind of step happened (the generator must cover them all). */
  done: Record<string, number>;
}

const DAY = 86_400_000;

/**
 * A history for `members` over [start, end) with prices per tier (monthly; yearly = 10 months).
 * `midnights(t)` gives the UTC instant of the local midnight nearest `t` (to place changes around it).
 */
export function generateHistory(options: {
  seed: number;
  members: string[];
  tiers: { id: string; monthly: number }[];
  currency: string;
  otherCurrency: string;
  start: number;
  end: number;
  localMidnight: (t: number) => number;
}): History {
  const rnd = prng(options.seed);
  const h: History = { changes: [], payments: [], refunds: [], invoices: [], subs: [], done: {} };
  const did = (what: string) => {
    h.done[what] = (h.done[what] ?? 0) + 1;
  };
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  let seq = 0;
  const id = (prefix: string) => `${prefix}_${(++seq).toString().padStart(8, '0')}${Math.floor(rnd() * 1e9)}`;

  /** The next instant after `t`: often days later, sometimes minutes, sometimes a minute around local midnight. */
  const later = (t: number): number => {
    const r = rnd();
    if (r < 0.15) return t + Math.floor(rnd() * 50 + 1) * 60_000;
    const next = t + Math.floor(rnd() * 70 * DAY) + 3_600_000;
    if (r < 0.45) return options.localMidnight(next) + (rnd() < 0.5 ? -60_000 : 60_000);
    return next;
  };

  for (const member of options.members) {
    let t = options.start + Math.floor(rnd() * 60 * DAY);
    const runs = 1 + Math.floor(rnd() * 3);
    for (let run = 0; run < runs && t < options.end; run++) {
      if (run > 0 && rnd() < 0.3) {
        t -= 45 * DAY; // overlaps the previous subscription: a member with two at once
        did('overlap');
      }
      const kind: 'stripe' | 'comp' = rnd() < 0.1 ? 'comp' : 'stripe';
      const subId = id('msub');
      const currency = rnd() < 0.08 ? options.otherCurrency : options.currency;
      if (currency !== options.currency) did('foreign currency');
      let tier = pick(options.tiers);
      let months = rnd() < 0.3 ? 12 : 1;
      let quantity = rnd() < 0.15 ? 2 : 1;
      const price = () => tier.monthly * (months === 12 ? 10 : 1) * quantity;
      let status: string | null = null;
      let amount = 0;
      let intervalMonths = 1;
      let tierBefore: string | null = null;
      const change = (at: number, next: string, nextAmount: number) => {
        h.changes.push({
          id: id('sch'),
          subscriptionId: subId,
          memberId: member,
          occurredAt: new Date(at),
          statusBefore: status,
          statusAfter: next,
          tierBefore,
          tierAfter: tier.id,
          amountBefore: amount,
          intervalMonthsBefore: intervalMonths,
          amountAfter: nextAmount,
          intervalMonthsAfter: months,
          currency,
        });
        status = next;
        amount = nextAmount;
        intervalMonths = months;
        tierBefore = tier.id;
      };
      /** An invoice of `total` at `at`; paid at once, or after failures, or never. */
      const invoice = (at: number, total: number, outcome: 'paid' | 'recovered' | 'failed') => {
        const inv = { id: id('in'), memberId: member, subscriptionId: subId, currency, total, at: new Date(at) };
        h.invoices.push(inv);
        if (total <= 0) return inv; // a proration credit: nothing to charge
        const pay = (when: number, o: 'succeeded' | 'failed') =>
          h.payments.push({
            id: id('bpay'),
            invoiceId: inv.id,
            memberId: member,
            subscriptionId: subId,
            outcome: o,
            amount: total,
            currency,
            occurredAt: new Date(when),
          });
        if (outcome === 'paid') pay(at, 'succeeded');
        else {
          pay(at, 'failed');
          const retries = 1 + Math.floor(rnd() * 2);
          for (let i = 1; i < retries; i++) pay(at + i * 3 * DAY, 'failed');
          if (outcome === 'recovered') pay(at + retries * 3 * DAY + 3_600_000, 'succeeded');
        }
        if (outcome !== 'failed' && rnd() < 0.2) {
          const full = rnd() < 0.5;
          h.refunds.push({
            id: id('re'),
            invoiceId: inv.id,
            memberId: member,
            subscriptionId: subId,
            amount: full ? total : Math.max(1, Math.floor(total / 3)),
            currency,
            status: rnd() < 0.15 ? 'failed' : 'succeeded',
            createdAt: new Date(at + 5 * DAY + Math.floor(rnd() * 20 * DAY)),
          });
          did(full ? 'full refund' : 'partial refund');
        }
        return inv;
      };

      if (kind === 'comp') {
        change(t, 'comp', 0);
        did('comp');
        t = later(t);
        change(t, 'canceled', 0);
        h.subs.push({ id: subId, memberId: member, kind, status: 'canceled', tierId: tier.id, currency });
        t = later(t);
        continue;
      }
      if (rnd() < 0.35) {
        change(t, 'trialing', 0);
        did('trial');
        t = later(t);
        if (rnd() < 0.25) {
          change(t, 'canceled', 0);
          did('trial abandoned');
          h.subs.push({ id: subId, memberId: member, kind, status: 'canceled', tierId: tier.id, currency });
          t = later(t);
          continue;
        }
        did('trial converted');
      } else did(run === 0 ? 'new' : 'resubscribe');
      change(t, 'active', price());
      invoice(t, price(), 'paid');
      let ended = false;
      for (let step = 0; step < 8 && !ended; step++) {
        t = later(t);
        if (t >= options.end) break;
        const r = rnd();
        if (r < 0.22) {
          const others = options.tiers.filter((x) => x.id !== tier.id);
          const old = price();
          tier = pick(others);
          did(price() > old ? 'upgrade' : 'downgrade');
          change(t, 'active', price());
          invoice(t, Math.round((price() - old) / 2), 'paid'); // proration: a charge or a credit
          if (price() < old) did('proration credit');
        } else if (r < 0.32) {
          months = months === 12 ? 1 : 12;
          did('interval switch');
          change(t, 'active', price());
          invoice(t, price(), 'paid');
        } else if (r < 0.4) {
          quantity = quantity === 1 ? 3 : 1;
          did('quantity');
          change(t, 'active', price());
        } else if (r < 0.55) {
          // A renewal whose payment fails: past due, then recovered or lapsed.
          change(t, 'past_due', price());
          const recovers = rnd() < 0.6;
          invoice(t, price(), recovers ? 'recovered' : 'failed');
          t += 7 * DAY;
          if (recovers) {
            did('recovered');
            change(t, 'active', price());
          } else {
            did('lapsed');
            change(t, 'unpaid', 0);
            ended = true;
          }
        } else if (r < 0.7) {
          invoice(t, price(), 'paid');
          did('renewal');
        } else if (r < 0.8) {
          change(t, 'canceled', 0);
          did('canceled');
          ended = true;
        } else if (r < 0.85) {
          // Upgrade and downgrade back within minutes: no movement for the day.
          const old = tier;
          tier = pick(options.tiers.filter((x) => x.id !== tier.id));
          change(t, 'active', price());
          tier = old;
          change(t + 60_000, 'active', price());
          did('undone within minutes');
        }
      }
      h.subs.push({ id: subId, memberId: member, kind, status: status ?? 'active', tierId: tier.id, currency });
      t = later(t);
    }
  }
  return h;
}

/** Writes a history into the tenant's tables, with the tenant's billing settings. */
export async function insertHistory(db: Database, tenantId: string, currency: string, h: History): Promise<void> {
  await db.withTenant(tenantId, async (tx) => {
    await tx
      .insert(tenantBilling)
      .values({ tenantId, mode: 'connect', stripeAccountId: `acct_${tenantId.slice(-10)}`, currency });
    if (h.subs.length)
      await tx.insert(subscriptions).values(
        h.subs.map((s) => ({
          tenantId,
          id: s.id,
          memberId: s.memberId,
          kind: s.kind,
          status: s.status as 'active',
          tierId: s.tierId,
          stripeSubscriptionId: s.kind === 'stripe' ? `sub_${s.id}` : null,
          currency: s.currency,
        })),
      );
    for (let i = 0; i < h.changes.length; i += 500)
      await tx.insert(subscriptionChanges).values(
        h.changes.slice(i, i + 500).map((c) => ({
          tenantId,
          ...c,
          statusBefore: c.statusBefore as 'active' | null,
          statusAfter: c.statusAfter as 'active',
          cause: `test:${c.id}`,
        })),
      );
    if (h.invoices.length)
      await tx.insert(invoices).values(
        h.invoices.map((inv) => ({
          tenantId,
          id: inv.id,
          memberId: inv.memberId,
          subscriptionId: inv.subscriptionId,
          status: 'paid' as const,
          currency: inv.currency,
          total: inv.total,
          stripeCreatedAt: inv.at,
        })),
      );
    if (h.payments.length)
      await tx.insert(billingPayments).values(
        h.payments.map((p) => ({
          tenantId,
          id: p.id,
          invoiceId: p.invoiceId,
          memberId: p.memberId,
          outcome: p.outcome,
          amount: p.amount,
          currency: p.currency,
          occurredAt: p.occurredAt,
          stripeEventId: `evt_${p.id}`,
        })),
      );
    if (h.refunds.length)
      await tx.insert(billingRefunds).values(
        h.refunds.map((r) => ({
          tenantId,
          id: r.id,
          invoiceId: r.invoiceId,
          memberId: r.memberId,
          amount: r.amount,
          currency: r.currency,
          reason: null,
          status: r.status,
          stripeCreatedAt: r.createdAt,
        })),
      );
  });
}
