import { planOf } from '../resources/prices.js';
import { previousAttributes } from '../resources/events.js';
import type { DoubleState } from '../state.js';
import { newId } from '../store.js';
import { cardDeclined, invalidRequest, type Obj, type Params, StripeDoubleError } from '../types.js';
import { activeDiscounts, retireOnceDiscounts } from './discounts.js';
import { buildInvoice, finalizeInvoice, type LineSpec, payInvoice } from './invoices.js';
import { isMetered, periodLine, remainingTimeLine, unusedTimeLine, usageLine } from './lines.js';
import { declineCodeOf } from '../resources/payment-methods.js';
import { paymentMethodFor } from './invoices.js';
import { periodEnd } from './periods.js';

const DAY = 86_400;

/** A subscription item object for `price`. */
export function itemObject(
  state: DoubleState,
  subId: string,
  price: Obj,
  quantity: number | undefined,
  start: number,
  end: number,
  metadata: Obj = {},
): Obj {
  const metered = price.recurring?.usage_type === 'metered';
  return {
    id: newId('si', 14),
    object: 'subscription_item',
    billing_thresholds: null,
    created: state.now(),
    current_period_end: end,
    current_period_start: start,
    discounts: [],
    metadata,
    plan: planOf(price),
    price: structuredClone(price),
    ...(metered ? {} : { quantity: quantity ?? 1 }),
    subscription: subId,
    tax_rates: [],
  };
}

/** The recurring price an item parameter names, checked the way Stripe checks it. */
export function itemPrice(state: DoubleState, account: string, id: unknown, param: string, currency?: string): Obj {
  const price = state.store.get(account, id, 'price', 'price', param);
  if (!price.active)
    throw invalidRequest(`The price specified is inactive. This field only accepts active prices.`, param);
  if (price.type !== 'recurring')
    throw invalidRequest(
      `The price specified is set to \`type=one_time\` but this field only accepts prices with \`type=recurring\`.`,
      param,
    );
  if (currency && price.currency !== currency)
    throw invalidRequest('Currency and interval fields must match across all plans on this subscription.', param);
  return price;
}

function interval(items: Obj[]): { interval: string; count: number } {
  const recurring = items[0]?.price.recurring;
  return { interval: recurring?.interval ?? 'month', count: recurring?.interval_count ?? 1 };
}

function checkIntervals(items: Obj[], param: string): void {
  const first = interval(items);
  for (const item of items)
    if (item.price.recurring.interval !== first.interval || item.price.recurring.interval_count !== first.count)
      throw invalidRequest('Currency and interval fields must match across all plans on this subscription.', param);
}

/** The subscription's current period (all items share it in the double). */
export function currentPeriod(sub: Obj): { start: number; end: number } {
  const item = sub.items.data[0];
  return { start: item.current_period_start, end: item.current_period_end };
}

function setPeriod(sub: Obj, start: number, end: number): void {
  for (const item of sub.items.data) {
    item.current_period_start = start;
    item.current_period_end = end;
  }
}

function customerOf(state: DoubleState, account: string, sub: Obj): Obj {
  return state.store.get(account, sub.customer, 'customer');
}

/** Pending invoice items of a subscription (prorations waiting for the next invoice), swept into `invoiceId` unless previewing. */
export function pendingLines(state: DoubleState, account: string, sub: Obj, sweepInto: string | null): LineSpec[] {
  const items = state.store
    .all(account, 'invoiceitem')
    .filter((ii) => ii.invoice === null && ii.parent?.subscription_details?.subscription === sub.id)
    .reverse();
  return items.map((ii) => {
    if (sweepInto) ii.invoice = sweepInto;
    return {
      amount: ii.amount,
      description: ii.description,
      period: { ...ii.period },
      price: ii.pricing?.price_details
        ? (state.store.find(account, ii.pricing.price_details.price, 'price') ?? null)
        : null,
      quantity: ii.quantity,
      proration: ii.proration,
      subscription: sub.id,
      subscriptionItem: ii.parent.subscription_details.subscription_item,
      invoiceItem: ii.id,
    };
  });
}

/** Stores proration lines as pending invoice items for the next invoice. */
function addPendingItems(state: DoubleState, account: string, sub: Obj, lines: LineSpec[]): void {
  for (const line of lines) {
    const ii = state.store.insert(account, {
      id: newId('ii'),
      object: 'invoiceitem',
      amount: line.amount,
      currency: sub.currency,
      customer: sub.customer,
      customer_account: null,
      date: state.now(),
      description: line.description,
      discountable: false,
      discounts: [],
      invoice: null,
      livemode: false,
      metadata: {},
      net_amount: line.amount,
      parent: {
        type: 'subscription_details',
        subscription_details: { subscription: sub.id, subscription_item: line.subscriptionItem },
      },
      period: { ...line.period },
      pricing: line.price
        ? {
            price_details: { price: line.price.id, product: line.price.product },
            type: 'price_details',
            unit_amount_decimal: line.price.unit_amount_decimal,
          }
        : null,
      proration: line.proration,
      proration_details: { credited_items: null },
      quantity: line.quantity,
      tax_rates: [],
      test_clock: null,
    });
    state.emit(account, 'invoiceitem.created', ii);
  }
}

/**
 * Finalizes and collects a subscription invoice, then moves the subscription:
 * paid → `active` (from trialing, incomplete, past_due, unpaid); failed → `incomplete`
 * on creation, `past_due` otherwise, with the first retry scheduled.
 */
function collect(state: DoubleState, account: string, sub: Obj, invoice: Obj, creating: boolean): boolean {
  finalizeInvoice(state, account, invoice);
  sub.latest_invoice = invoice.id;
  const paid = invoice.status === 'paid' || payInvoice(state, account, invoice).paid;
  if (paid) {
    if (sub.status !== 'trialing') sub.status = 'active';
    return true;
  }
  if (creating) sub.status = 'incomplete';
  else {
    sub.status = 'past_due';
    scheduleRetry(state, invoice);
  }
  return false;
}

/** Sets the invoice's next automatic attempt from the retry schedule (none left: null). */
export function scheduleRetry(state: DoubleState, invoice: Obj): void {
  const first = state.firstFailure.get(invoice.id) ?? state.now();
  state.firstFailure.set(invoice.id, first);
  const retriesDone = invoice.attempt_count - 1;
  const day = state.retryDays[retriesDone];
  invoice.next_payment_attempt = day === undefined ? null : first + day * DAY;
}

/**
 * `POST /v1/subscriptions`: items, trial (`trial_period_days`/`trial_end`), default
 * payment method, metadata, discounts, `payment_behavior`. Without a trial the first
 * invoice is charged now; a trial gets a $0 invoice.
 */
export function createSubscription(state: DoubleState, account: string, params: Params, discounts: Obj[] = []): Obj {
  const customer = state.store.get(account, params.customer, 'customer', 'customer', 'customer');
  const rawItems = params.items;
  if (!Array.isArray(rawItems) || rawItems.length === 0)
    throw invalidRequest('Missing required param: items.', 'items', 'parameter_missing');
  const now = state.now();
  const id = newId('sub');
  const prices = rawItems.map((it: Params, i: number) => itemPrice(state, account, it.price, `items[${i}][price]`));
  const currency = prices[0]!.currency as string;
  for (const [i, price] of prices.entries())
    if (price.currency !== currency)
      throw invalidRequest(
        'Currency and interval fields must match across all plans on this subscription.',
        `items[${i}][price]`,
      );

  let trialEnd: number | null = null;
  if (params.trial_end !== undefined && params.trial_end !== 'now') trialEnd = Number(params.trial_end);
  else if (params.trial_period_days !== undefined && Number(params.trial_period_days) > 0)
    trialEnd = now + Number(params.trial_period_days) * DAY;
  else if (params.trial_from_plan === 'true') {
    const days = prices[0]!.recurring?.trial_period_days;
    if (days) trialEnd = now + days * DAY;
  }
  if (trialEnd !== null && trialEnd <= now) throw invalidRequest('`trial_end` must be in the future.', 'trial_end');

  const first = prices[0]!.recurring;
  const end = trialEnd ?? periodEnd(now, first.interval, first.interval_count);
  const items = rawItems.map((it: Params, i: number) =>
    itemObject(
      state,
      id,
      prices[i]!,
      it.quantity === undefined ? undefined : Number(it.quantity),
      now,
      end,
      it.metadata ?? {},
    ),
  );
  checkIntervals(items, 'items');

  let defaultPm: string | null = null;
  if (params.default_payment_method) {
    const pm = state.store.get(
      account,
      params.default_payment_method,
      'payment_method',
      'PaymentMethod',
      'default_payment_method',
    );
    if (pm.customer !== customer.id)
      throw invalidRequest(
        `The customer does not have a payment method with the ID ${pm.id}. The payment method must be attached to the customer.`,
        'default_payment_method',
        'resource_missing',
      );
    defaultPm = pm.id;
  }
  const behavior = (params.payment_behavior as string | undefined) ?? 'allow_incomplete';
  const sub: Obj = {
    id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: params.automatic_tax?.enabled === 'true', liability: null },
    billing_cycle_anchor: trialEnd ?? now,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, reason: null },
    collection_method: 'charge_automatically',
    created: now,
    currency,
    customer: customer.id,
    customer_account: null,
    days_until_due: null,
    default_payment_method: defaultPm,
    default_source: null,
    default_tax_rates: [],
    description: params.description ?? null,
    discounts: discounts.map((d) => d.id),
    ended_at: null,
    invoice_settings: { account_tax_ids: null, issuer: { type: 'self' } },
    items: { object: 'list', data: items, has_more: false, url: `/v1/subscription_items?subscription=${id}` },
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: { ...(params.metadata ?? {}) },
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: now,
    status: trialEnd ? 'trialing' : 'incomplete',
    test_clock: null,
    transfer_data: null,
    trial_end: trialEnd,
    trial_settings: { end_behavior: { missing_payment_method: 'create_invoice' } },
    trial_start: trialEnd ? now : null,
  };
  for (const d of discounts) d.subscription = id;

  // error_if_incomplete: a charge that would fail is refused before anything exists, as Stripe answers 402.
  const lines = items.map((item: Obj) => periodLine(state, account, sub, item, now, end, trialEnd !== null));
  const dueNow = lines.reduce((s: number, l: LineSpec) => s + l.amount, 0);
  if (behavior === 'error_if_incomplete' && dueNow > 0) {
    const pm = defaultPm
      ? state.store.find(account, defaultPm, 'payment_method')
      : paymentMethodFor(state, account, { customer: customer.id });
    if (!pm)
      throw invalidRequest(
        'This customer has no attached payment source or default payment method.',
        'default_payment_method',
        'resource_missing',
      );
    const decline = declineCodeOf(pm);
    if (decline) throw cardDeclined(decline);
  }

  state.store.insert(account, sub);
  const invoice = buildInvoice(state, account, {
    customer,
    subscription: sub,
    lines,
    billingReason: 'subscription_create',
    currency,
    periodStart: now,
    periodEnd: now,
    discounts: activeDiscounts(state, account, sub.discounts, now),
  });
  if (behavior === 'default_incomplete' && invoice.total > 0) {
    finalizeInvoice(state, account, invoice);
    sub.latest_invoice = invoice.id;
  } else {
    collect(state, account, sub, invoice, true);
  }
  if (trialEnd) sub.status = 'trialing';
  if (invoice.total > 0 || invoice.total_discount_amounts.length) retireOnceDiscounts(state, account, sub);
  if (params.cancel_at_period_end === 'true') {
    sub.cancel_at_period_end = true;
    sub.cancel_at = end;
  }
  state.emit(account, 'customer.subscription.created', sub);
  return sub;
}

/** The result of working out a subscription change (used by the update and by `create_preview`). */
export interface Change {
  items: Obj[];
  prorationLines: LineSpec[];
  /** Lines of an invoice to issue now (always_invoice, or a reset billing cycle), else null. */
  immediate: LineSpec[] | null;
  /** The new period when the billing cycle resets now. */
  reset: { start: number; end: number } | null;
}

/**
 * Works out what an item change does: the new items, and Stripe's prorations
 * (credit for the unused time of what is replaced, charge for the remaining
 * time of what replaces it, each `round(amount × remaining / period)` at
 * `proration_date`). A change of interval resets the billing cycle and invoices
 * the new period now. Nothing is stored.
 */
export function computeChange(state: DoubleState, account: string, sub: Obj, params: Params, prefix = ''): Change {
  const behavior = (params.proration_behavior as string | undefined) ?? 'create_prorations';
  if (!['create_prorations', 'none', 'always_invoice'].includes(behavior))
    throw invalidRequest('Invalid proration_behavior', `${prefix}proration_behavior`);
  const now = state.now();
  const prorationDate = params.proration_date !== undefined ? Number(params.proration_date) : now;
  const period = currentPeriod(sub);
  const items: Obj[] = structuredClone(sub.items.data);
  const changed = new Set<string>();
  const removed: Obj[] = [];
  const raw = params.items;
  if (raw !== undefined && !Array.isArray(raw)) throw invalidRequest('Invalid array', `${prefix}items`);
  for (const [i, entry] of ((raw ?? []) as Params[]).entries()) {
    const param = `${prefix}items[${i}]`;
    if (entry.id) {
      const index = items.findIndex((it) => it.id === entry.id);
      if (index === -1)
        throw invalidRequest(`No such subscription item: '${entry.id}'`, `${param}[id]`, 'resource_missing');
      const item = items[index]!;
      if (entry.deleted === 'true') {
        removed.push(item);
        items.splice(index, 1);
        continue;
      }
      if (entry.price && entry.price !== item.price.id) {
        const price = itemPrice(state, account, entry.price, `${param}[price]`, sub.currency);
        item.price = structuredClone(price);
        item.plan = planOf(price);
        if (isMetered(item)) delete item.quantity;
        else item.quantity ??= 1;
        changed.add(item.id);
      }
      if (entry.quantity !== undefined && !isMetered(item) && Number(entry.quantity) !== item.quantity) {
        item.quantity = Number(entry.quantity);
        changed.add(item.id);
      }
      if (entry.metadata) item.metadata = { ...item.metadata, ...entry.metadata };
    } else {
      const price = itemPrice(state, account, entry.price, `${param}[price]`, sub.currency);
      const item = itemObject(
        state,
        sub.id,
        price,
        entry.quantity === undefined ? undefined : Number(entry.quantity),
        period.start,
        period.end,
        entry.metadata ?? {},
      );
      items.push(item);
      changed.add(item.id);
    }
  }
  if (items.length === 0) throw invalidRequest('A subscription must have at least one item.', `${prefix}items`);
  checkIntervals(items, `${prefix}items`);

  const oldInterval = interval(sub.items.data);
  const newInterval = interval(items);
  const trialing = sub.status === 'trialing';
  const resetCycle =
    !trialing &&
    (params.billing_cycle_anchor === 'now' ||
      oldInterval.interval !== newInterval.interval ||
      oldInterval.count !== newInterval.count);
  if (!resetCycle && (prorationDate < period.start || prorationDate > period.end))
    throw invalidRequest('`proration_date` must be within the current billing period.', `${prefix}proration_date`);

  const original = new Map<string, Obj>(sub.items.data.map((it: Obj) => [it.id, it]));
  const prorationLines: LineSpec[] = [];
  if (behavior !== 'none' && !trialing) {
    for (const item of [...removed, ...items.filter((it) => changed.has(it.id) && original.has(it.id))]) {
      const old = original.get(item.id)!;
      if (!isMetered(old))
        prorationLines.push(unusedTimeLine(state, account, sub, old, prorationDate, period.start, period.end));
    }
    if (!resetCycle)
      for (const item of items.filter((it) => changed.has(it.id) && !isMetered(it)))
        prorationLines.push(remainingTimeLine(state, account, sub, item, prorationDate, period.start, period.end));
  }

  let reset: Change['reset'] = null;
  let immediate: LineSpec[] | null = null;
  if (resetCycle) {
    const end = periodEnd(now, newInterval.interval, newInterval.count);
    reset = { start: now, end };
    const full = items.filter((it) => !isMetered(it)).map((it) => periodLine(state, account, sub, it, now, end));
    const usage = items.filter(isMetered).map((it) => usageLine(state, account, sub, it, period.start, now));
    immediate = [...prorationLines, ...full, ...usage];
  } else if (behavior === 'always_invoice' && prorationLines.length > 0) {
    immediate = [...prorationLines];
  }
  return { items, prorationLines, immediate, reset };
}

/** The renewal invoice's lines for `sub` at the end of its period (pending items, next period, usage). */
function renewalLines(
  state: DoubleState,
  account: string,
  sub: Obj,
  items: Obj[],
  period: { start: number; end: number },
  sweepInto: string | null,
  extraPending: LineSpec[] = [],
): { lines: LineSpec[]; next: { start: number; end: number } } {
  const { interval: every, count } = interval(items);
  const next = { start: period.end, end: periodEnd(period.end, every, count, sub.billing_cycle_anchor) };
  const wasTrial = sub.status === 'trialing';
  const lines = [
    ...pendingLines(state, account, sub, sweepInto),
    ...extraPending.map((l) => ({ ...l })),
    ...items.filter((it) => !isMetered(it)).map((it) => periodLine(state, account, sub, it, next.start, next.end)),
    ...(wasTrial
      ? []
      : items.filter(isMetered).map((it) => usageLine(state, account, sub, it, period.start, period.end))),
  ];
  return { lines, next };
}

/**
 * `POST /v1/invoices/create_preview` for an existing subscription, optionally
 * with `subscription_details` (items, `proration_date`, `proration_behavior`):
 * the invoice a change would issue now, or else the next renewal invoice.
 */
export function previewSubscriptionInvoice(
  state: DoubleState,
  account: string,
  sub: Obj,
  details: Params | undefined,
): Obj {
  const customer = customerOf(state, account, sub);
  const now = state.now();
  if (
    details &&
    (details.items !== undefined ||
      details.billing_cycle_anchor !== undefined ||
      details.proration_behavior !== undefined)
  ) {
    const change = computeChange(state, account, sub, details, 'subscription_details[');
    const prorationDate = details.proration_date !== undefined ? Number(details.proration_date) : now;
    if (change.immediate) {
      return buildInvoice(state, account, {
        customer,
        subscription: sub,
        lines: [...pendingLines(state, account, sub, null), ...change.immediate],
        billingReason: 'subscription_update',
        currency: sub.currency,
        periodStart: now,
        periodEnd: now,
        discounts: activeDiscounts(state, account, sub.discounts, now),
        preview: true,
        prorationDate,
      });
    }
    const period = currentPeriod(sub);
    const pending = change.prorationLines.map((l) => ({ ...l, invoiceItem: newId('ii') }));
    const { lines } = renewalLines(state, account, sub, change.items, period, null, pending);
    return buildInvoice(state, account, {
      customer,
      subscription: sub,
      lines,
      billingReason: 'subscription_cycle',
      currency: sub.currency,
      periodStart: period.start,
      periodEnd: period.end,
      discounts: activeDiscounts(state, account, sub.discounts, period.end),
      preview: true,
      prorationDate,
    });
  }
  if (['canceled', 'incomplete_expired'].includes(sub.status) || sub.cancel_at_period_end)
    throw new StripeDoubleError(404, 'invalid_request_error', `No upcoming invoices for customer: ${customer.id}`, {
      code: 'invoice_upcoming_none',
    });
  const period = currentPeriod(sub);
  const { lines } = renewalLines(state, account, sub, sub.items.data, period, null);
  return buildInvoice(state, account, {
    customer,
    subscription: sub,
    lines,
    billingReason: 'subscription_cycle',
    currency: sub.currency,
    periodStart: period.start,
    periodEnd: period.end,
    discounts: activeDiscounts(state, account, sub.discounts, period.end),
    preview: true,
  });
}

/**
 * `POST /v1/subscriptions/:id`: items (with prorations per `proration_behavior`
 * at `proration_date`), `cancel_at_period_end`, `cancel_at`, `metadata`,
 * `default_payment_method`, `trial_end=now`. Emits `customer.subscription.updated`.
 */
export function updateSubscription(state: DoubleState, account: string, sub: Obj, params: Params): Obj {
  if (['canceled', 'incomplete_expired'].includes(sub.status))
    throw invalidRequest(`A canceled subscription can only update its cancellation_details and metadata.`);
  const before = structuredClone(sub);
  const now = state.now();
  if (params.default_payment_method !== undefined) {
    if (params.default_payment_method === '') sub.default_payment_method = null;
    else {
      const pm = state.store.get(
        account,
        params.default_payment_method,
        'payment_method',
        'PaymentMethod',
        'default_payment_method',
      );
      if (pm.customer !== sub.customer)
        throw invalidRequest(
          `The customer does not have a payment method with the ID ${pm.id}. The payment method must be attached to the customer.`,
          'default_payment_method',
          'resource_missing',
        );
      sub.default_payment_method = pm.id;
    }
  }
  if (params.items !== undefined || params.billing_cycle_anchor === 'now') {
    const change = computeChange(state, account, sub, params);
    const behavior = params.payment_behavior as string | undefined;
    if (change.immediate && behavior === 'error_if_incomplete') {
      const total = change.immediate.reduce((s, l) => s + l.amount, 0);
      const pm = paymentMethodFor(state, account, {
        customer: sub.customer,
        parent: { subscription_details: { subscription: sub.id } },
      });
      if (total > 0 && (!pm || declineCodeOf(pm)))
        throw cardDeclined(pm ? (declineCodeOf(pm) ?? undefined) : undefined);
    }
    sub.items.data = change.items;
    if (change.reset) {
      setPeriod(sub, change.reset.start, change.reset.end);
      sub.billing_cycle_anchor = change.reset.start;
    }
    if (change.immediate) {
      const id = newId('in');
      const invoice = buildInvoice(state, account, {
        id,
        customer: customerOf(state, account, sub),
        subscription: sub,
        lines: [...pendingLines(state, account, sub, id), ...change.immediate],
        billingReason: 'subscription_update',
        currency: sub.currency,
        periodStart: now,
        periodEnd: now,
        discounts: activeDiscounts(state, account, sub.discounts, now),
        ...(params.proration_date !== undefined ? { prorationDate: Number(params.proration_date) } : {}),
      });
      collect(state, account, sub, invoice, false);
    } else if (change.prorationLines.length > 0) {
      addPendingItems(state, account, sub, change.prorationLines);
    }
  }
  if (params.cancel_at_period_end !== undefined) {
    const cancel = params.cancel_at_period_end === 'true';
    sub.cancel_at_period_end = cancel;
    sub.cancel_at = cancel ? currentPeriod(sub).end : null;
    sub.canceled_at = cancel ? now : null;
    if (cancel && params.cancellation_details)
      sub.cancellation_details = {
        ...sub.cancellation_details,
        ...params.cancellation_details,
        reason: 'cancellation_requested',
      };
    if (!cancel) sub.cancellation_details = { comment: null, feedback: null, reason: null };
  }
  if (params.cancel_at !== undefined) {
    sub.cancel_at = params.cancel_at === '' ? null : Number(params.cancel_at);
    sub.cancel_at_period_end = sub.cancel_at !== null && sub.cancel_at === currentPeriod(sub).end;
  }
  if (params.cancellation_details && params.cancel_at_period_end === undefined)
    sub.cancellation_details = { ...sub.cancellation_details, ...params.cancellation_details };
  if (params.metadata !== undefined) {
    const merged: Obj = params.metadata === '' ? {} : { ...sub.metadata };
    if (params.metadata !== '')
      for (const [k, v] of Object.entries(params.metadata as Obj)) {
        if (v === '') delete merged[k];
        else merged[k] = String(v);
      }
    sub.metadata = merged;
  }
  if (params.description !== undefined) sub.description = params.description || null;
  if (params.trial_end === 'now' && sub.status === 'trialing') {
    sub.trial_end = now;
    endTrial(state, account, sub, now, false);
    return sub;
  }
  const previous = previousAttributes(before, sub);
  if (Object.keys(previous).length > 0) state.emit(account, 'customer.subscription.updated', sub, previous);
  return sub;
}

/** Cancels now: status `canceled`, `customer.subscription.deleted`; `prorate` credits the unused time, `invoice_now` bills it (and pending items). */
export function cancelSubscription(
  state: DoubleState,
  account: string,
  sub: Obj,
  options: { prorate?: boolean; invoiceNow?: boolean; reason?: string; details?: Obj },
): Obj {
  if (['canceled', 'incomplete_expired'].includes(sub.status))
    throw invalidRequest(`No such subscription: '${sub.id}'`, 'id', 'resource_missing');
  const now = state.now();
  const period = currentPeriod(sub);
  if (options.prorate && sub.status !== 'trialing') {
    const credits = sub.items.data
      .filter((it: Obj) => !isMetered(it))
      .map((it: Obj) => unusedTimeLine(state, account, sub, it, now, period.start, period.end));
    addPendingItems(state, account, sub, credits);
  }
  if (options.invoiceNow) {
    const id = newId('in');
    const lines = [
      ...pendingLines(state, account, sub, id),
      ...sub.items.data.filter(isMetered).map((it: Obj) => usageLine(state, account, sub, it, period.start, now)),
    ];
    const invoice = buildInvoice(state, account, {
      id,
      customer: customerOf(state, account, sub),
      subscription: sub,
      lines,
      billingReason: 'subscription_cycle',
      currency: sub.currency,
      periodStart: period.start,
      periodEnd: now,
    });
    finalizeInvoice(state, account, invoice);
    if (invoice.status === 'open') payInvoice(state, account, invoice);
    sub.latest_invoice = invoice.id;
  }
  endSubscription(state, account, sub, now, options.reason ?? 'cancellation_requested', options.details);
  return sub;
}

/** Marks a subscription ended (`customer.subscription.deleted`). */
export function endSubscription(
  state: DoubleState,
  account: string,
  sub: Obj,
  at: number,
  reason: string,
  details?: Obj,
): void {
  sub.status = 'canceled';
  sub.canceled_at ??= at;
  sub.ended_at = at;
  sub.cancellation_details = { comment: null, feedback: null, ...sub.cancellation_details, ...(details ?? {}), reason };
  state.emit(account, 'customer.subscription.deleted', sub);
}

/** Ends a trial at `at`: the first paid period starts, invoiced and charged. */
export function endTrial(state: DoubleState, account: string, sub: Obj, at: number, scheduled = true): void {
  const before = structuredClone(sub);
  const items = sub.items.data as Obj[];
  const { interval: every, count } = interval(items);
  const end = periodEnd(at, every, count);
  setPeriod(sub, at, end);
  sub.billing_cycle_anchor = at;
  sub.status = 'active';
  if (!scheduled) sub.trial_end = at;
  const id = newId('in');
  const lines = [
    ...pendingLines(state, account, sub, id),
    ...items.filter((it) => !isMetered(it)).map((it) => periodLine(state, account, sub, it, at, end)),
  ];
  billAndCollect(
    state,
    account,
    sub,
    { id, lines, periodStart: before.items.data[0].current_period_start, periodEnd: at },
    at,
  );
  state.emit(account, 'customer.subscription.updated', sub, previousAttributes(before, sub));
}

/** Builds a renewal-type invoice from `lines` and collects it. */
function billAndCollect(
  state: DoubleState,
  account: string,
  sub: Obj,
  spec: { id: string; lines: LineSpec[]; periodStart: number; periodEnd: number },
  at: number,
): void {
  const invoice = buildInvoice(state, account, {
    id: spec.id,
    customer: customerOf(state, account, sub),
    subscription: sub,
    lines: spec.lines,
    billingReason: 'subscription_cycle',
    currency: sub.currency,
    periodStart: spec.periodStart,
    periodEnd: spec.periodEnd,
    discounts: activeDiscounts(state, account, sub.discounts, at),
  });
  collect(state, account, sub, invoice, false);
  if (invoice.total_discount_amounts.length) retireOnceDiscounts(state, account, sub);
}

/** Renews a subscription at the end of its period `at`: next period, renewal invoice (pending items, licensed, usage), charge. */
export function renewSubscription(state: DoubleState, account: string, sub: Obj, at: number): void {
  const before = structuredClone(sub);
  const period = currentPeriod(sub);
  const id = newId('in');
  const { lines, next } = renewalLines(state, account, sub, sub.items.data, period, id);
  setPeriod(sub, next.start, next.end);
  billAndCollect(state, account, sub, { id, lines, periodStart: period.start, periodEnd: period.end }, at);
  state.emit(account, 'customer.subscription.updated', sub, previousAttributes(before, sub));
}

/** Ends a subscription at its period end (`cancel_at_period_end` / `cancel_at`), billing the last period's usage. */
export function finishAtCancelAt(state: DoubleState, account: string, sub: Obj, at: number): void {
  const period = currentPeriod(sub);
  const usage = sub.items.data
    .filter(isMetered)
    .map((it: Obj) => usageLine(state, account, sub, it, period.start, Math.min(at, period.end)));
  const pending = pendingLines(state, account, sub, null);
  if (usage.some((l: LineSpec) => l.amount !== 0) || pending.length > 0) {
    const id = newId('in');
    billAndCollect(
      state,
      account,
      sub,
      { id, lines: [...pendingLines(state, account, sub, id), ...usage], periodStart: period.start, periodEnd: at },
      at,
    );
  }
  endSubscription(state, account, sub, at, sub.cancellation_details?.reason ?? 'cancellation_requested');
}
