import { payInvoice, voidInvoice } from './engine/invoices.js';
import {
  currentPeriod,
  endSubscription,
  endTrial,
  finishAtCancelAt,
  previewSubscriptionInvoice,
  renewSubscription,
  scheduleRetry,
} from './engine/subscriptions.js';
import { previousAttributes } from './resources/events.js';
import { expireDueSessions } from './resources/checkout.js';
import type { DoubleState } from './state.js';
import type { Obj } from './types.js';

const DAY = 86_400;
/** Stripe expires an incomplete subscription whose first invoice stays unpaid for 23 hours. */
const INCOMPLETE_WINDOW = 23 * 3600;

interface Due {
  at: number;
  /** Orders work due at the same second: retries, then trial and period ends. */
  rank: number;
  run(): void;
}

/** Every piece of time-driven work that is due by `until`, earliest first. */
function dueWork(state: DoubleState, until: number): Due | null {
  let best: Due | null = null;
  const consider = (due: Due) => {
    if (due.at > until) return;
    if (!best || due.at < best.at || (due.at === best.at && due.rank < best.rank)) best = due;
  };
  for (const { account, obj: sub } of state.store.everywhere('subscription')) {
    const period = currentPeriod(sub);
    if (sub.status === 'trialing' && sub.trial_end !== null) {
      const warn = sub.trial_end - 3 * DAY;
      if (!state.remindersSent.has(`trial_will_end:${sub.id}`) && warn >= sub.trial_start)
        consider({ at: warn, rank: 1, run: () => trialWillEnd(state, account, sub) });
      if (sub.cancel_at !== null && sub.cancel_at <= sub.trial_end)
        consider({ at: sub.cancel_at, rank: 2, run: () => finishAtCancelAt(state, account, sub, sub.cancel_at) });
      else consider({ at: sub.trial_end, rank: 2, run: () => endTrial(state, account, sub, sub.trial_end) });
    } else if (sub.status === 'active' || sub.status === 'past_due') {
      if (sub.cancel_at !== null && sub.cancel_at <= period.end)
        consider({ at: sub.cancel_at, rank: 2, run: () => finishAtCancelAt(state, account, sub, sub.cancel_at) });
      else {
        consider({ at: period.end, rank: 3, run: () => renewSubscription(state, account, sub, period.end) });
        const remind = period.end - state.upcomingDays * DAY;
        const key = `upcoming:${sub.id}:${period.end}`;
        if (!state.remindersSent.has(key) && remind > period.start)
          consider({ at: remind, rank: 1, run: () => upcoming(state, account, sub, key) });
      }
    } else if (sub.status === 'incomplete') {
      consider({ at: sub.created + INCOMPLETE_WINDOW, rank: 4, run: () => expireIncomplete(state, account, sub) });
    }
  }
  for (const { account, obj: pm } of state.store.everywhere('payment_method')) {
    if (!pm.customer || pm.type !== 'card' || state.remindersSent.has(`expiring:${pm.id}`)) continue;
    const at = Date.UTC(pm.card.exp_year, pm.card.exp_month - 1, 1) / 1000;
    if (at >= pm.created) consider({ at, rank: 1, run: () => expiring(state, account, pm) });
  }
  for (const { account, obj: invoice } of state.store.everywhere('invoice'))
    if (invoice.status === 'open' && invoice.next_payment_attempt !== null)
      consider({ at: invoice.next_payment_attempt, rank: 0, run: () => retryInvoice(state, account, invoice) });
  return best;
}

function trialWillEnd(state: DoubleState, account: string, sub: Obj): void {
  state.remindersSent.add(`trial_will_end:${sub.id}`);
  state.emit(account, 'customer.subscription.trial_will_end', sub);
}

/** `invoice.upcoming`: the next renewal invoice, without an id (Stripe's upcoming invoices have none). */
function upcoming(state: DoubleState, account: string, sub: Obj, key: string): void {
  state.remindersSent.add(key);
  const { id: _id, ...invoice } = previewSubscriptionInvoice(state, account, sub, undefined);
  state.emit(account, 'invoice.upcoming', invoice);
}

/** `customer.source.expiring` on the first day of the month a saved card expires (a card-shaped object; its id is the payment method's). */
function expiring(state: DoubleState, account: string, pm: Obj): void {
  state.remindersSent.add(`expiring:${pm.id}`);
  state.emit(account, 'customer.source.expiring', {
    id: pm.id,
    object: 'card',
    brand: pm.card.brand,
    country: pm.card.country,
    customer: pm.customer,
    exp_month: pm.card.exp_month,
    exp_year: pm.card.exp_year,
    fingerprint: pm.card.fingerprint,
    funding: pm.card.funding,
    last4: pm.card.last4,
    metadata: {},
  });
}

function expireIncomplete(state: DoubleState, account: string, sub: Obj): void {
  const before = structuredClone(sub);
  const invoice = sub.latest_invoice ? state.store.find(account, sub.latest_invoice, 'invoice') : undefined;
  if (invoice?.status === 'open') voidInvoice(state, account, invoice);
  sub.status = 'incomplete_expired';
  sub.ended_at = state.now();
  state.emit(account, 'customer.subscription.updated', sub, previousAttributes(before, sub));
}

/** A scheduled retry of a failed renewal: recovery makes the subscription active; the last failure applies the after-retries policy. */
function retryInvoice(state: DoubleState, account: string, invoice: Obj): void {
  const subId = invoice.parent?.subscription_details?.subscription as string | undefined;
  const sub = subId ? state.store.find(account, subId, 'subscription') : undefined;
  const { paid } = payInvoice(state, account, invoice);
  if (paid) {
    state.firstFailure.delete(invoice.id);
    if (sub && (sub.status === 'past_due' || sub.status === 'unpaid')) {
      const before = structuredClone(sub);
      sub.status = 'active';
      state.emit(account, 'customer.subscription.updated', sub, previousAttributes(before, sub));
    }
    return;
  }
  scheduleRetry(state, invoice);
  if (invoice.next_payment_attempt !== null || !sub || sub.status === 'canceled') return;
  if (state.afterRetries === 'cancel') endSubscription(state, account, sub, state.now(), 'payment_failed');
  else if (state.afterRetries === 'unpaid') {
    const before = structuredClone(sub);
    sub.status = 'unpaid';
    state.emit(account, 'customer.subscription.updated', sub, previousAttributes(before, sub));
  }
}

/**
 * Catches up with the clock: runs everything due (trial warnings and ends,
 * renewals, retries, cancellations at period end, expiries) in time order, each
 * at its own due time, so periods and event times are exact.
 */
export function runDueWork(state: DoubleState): void {
  const until = state.now();
  for (let guard = 0; guard < 100_000; guard++) {
    const due = dueWork(state, until);
    if (!due) break;
    state.processingAt = due.at;
    try {
      due.run();
    } finally {
      state.processingAt = null;
    }
  }
  expireDueSessions(state);
}
