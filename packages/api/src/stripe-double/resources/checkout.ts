import { createDiscounts, resolveDiscounts } from '../engine/discounts.js';
import { attemptCharge, createPaymentIntent } from '../engine/payments.js';
import { licensedAmount } from '../engine/lines.js';
import { createSubscription, itemPrice } from '../engine/subscriptions.js';
import { registerIncludable } from '../expand.js';
import { filterBy, listObject } from '../lists.js';
import { bool, int, list, mergeMetadata, oneOf, str } from '../params.js';
import type { Router } from '../router.js';
import type { DoubleState } from '../state.js';
import { newId } from '../store.js';
import { cardDeclined, invalidRequest, missingParam, type Obj, type Params, resourceMissing } from '../types.js';
import { createCustomer } from './customers.js';
import { attachPaymentMethod, declineCodeOf, resolvePaymentMethod } from './payment-methods.js';
import { confirmSetupIntent, createSetupIntent } from './setup-intents.js';

const MIN_EXPIRY = 30 * 60;
const MAX_EXPIRY = 24 * 60 * 60;

function lineItems(state: DoubleState, account: string, session: Obj): Obj[] {
  return (session.__line_items as Obj[]).map((li) => {
    const price = state.store.get(account, li.price, 'price');
    const subtotal =
      price.recurring?.usage_type === 'metered' ? 0 : licensedAmount({ price, quantity: li.quantity ?? 1 });
    return {
      id: li.id,
      object: 'item',
      amount_discount: 0,
      amount_subtotal: subtotal,
      amount_tax: 0,
      amount_total: subtotal,
      currency: price.currency,
      description: state.store.find(account, price.product, 'product')?.name ?? null,
      metadata: {},
      price,
      ...(price.recurring?.usage_type === 'metered' ? {} : { quantity: li.quantity ?? 1 }),
    };
  });
}

/** Strips the double's bookkeeping (`__…`) from a session before it is answered. */
function publicSession(session: Obj): Obj {
  return Object.fromEntries(Object.entries(session).filter(([key]) => !key.startsWith('__')));
}

function createSession(state: DoubleState, account: string, p: Params): Obj {
  const mode = oneOf(p.mode, ['subscription', 'setup', 'payment'] as const, 'mode');
  if (!mode) throw missingParam('mode');
  const successUrl = str(p.success_url, 'success_url');
  if (!successUrl && p.ui_mode !== 'embedded') throw missingParam('success_url');
  const customerId = str(p.customer, 'customer') || null;
  const customer = customerId ? state.store.get(account, customerId, 'customer', 'customer', 'customer') : null;
  if (customer && p.customer_email)
    throw invalidRequest('You may only specify one of these parameters: customer, customer_email.', 'customer_email');
  if (p.discounts !== undefined && bool(p.allow_promotion_codes, 'allow_promotion_codes'))
    throw invalidRequest(
      'You may only specify one of these parameters: allow_promotion_codes, discounts.',
      'discounts',
    );
  const now = state.now();
  const expiresAt = int(p.expires_at, 'expires_at') ?? now + MAX_EXPIRY;
  if (expiresAt < now + MIN_EXPIRY || expiresAt > now + MAX_EXPIRY)
    throw invalidRequest(
      'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.',
      'expires_at',
    );

  const rawItems = list(p.line_items, 'line_items');
  if (mode !== 'setup' && rawItems.length === 0) throw missingParam('line_items');
  const items = rawItems.map((li, i) => {
    const price =
      mode === 'subscription'
        ? itemPrice(state, account, li.price, `line_items[${i}][price]`)
        : state.store.get(account, li.price, 'price', 'price', `line_items[${i}][price]`);
    const metered = price.recurring?.usage_type === 'metered';
    if (metered && li.quantity !== undefined)
      throw invalidRequest(
        'Quantity should not be specified where usage_type is `metered`.',
        `line_items[${i}][quantity]`,
      );
    return {
      id: newId('li'),
      price: price.id,
      quantity: metered ? undefined : (int(li.quantity, `line_items[${i}][quantity]`) ?? 1),
      currency: price.currency,
      product: price.product,
    };
  });
  const currency = (items[0]?.currency as string | undefined) ?? str(p.currency, 'currency') ?? null;
  const trialDays = int(p.subscription_data?.trial_period_days, 'subscription_data[trial_period_days]');
  if (trialDays !== undefined && trialDays < 1)
    throw invalidRequest(
      '`subscription_data[trial_period_days]` must be at least 1.',
      'subscription_data[trial_period_days]',
    );
  const trialEnd = int(p.subscription_data?.trial_end, 'subscription_data[trial_end]');
  const trial = trialDays !== undefined || trialEnd !== undefined;

  const id = `cs_test_${newId('x', 58).slice(2)}`;
  const session: Obj = {
    id,
    object: 'checkout.session',
    __line_items: items,
    after_expiration: null,
    allow_promotion_codes: bool(p.allow_promotion_codes, 'allow_promotion_codes') ?? null,
    amount_subtotal: null,
    amount_total: null,
    automatic_tax: { enabled: p.automatic_tax?.enabled === 'true', liability: null, provider: null, status: null },
    billing_address_collection: p.billing_address_collection ?? null,
    cancel_url: str(p.cancel_url, 'cancel_url') ?? null,
    client_reference_id: str(p.client_reference_id, 'client_reference_id') || null,
    client_secret: null,
    created: now,
    currency,
    customer: customer?.id ?? null,
    customer_creation: customer ? null : 'always',
    customer_details: null,
    customer_email: str(p.customer_email, 'customer_email') || null,
    discounts: [],
    expires_at: expiresAt,
    invoice: null,
    livemode: false,
    locale: p.locale ?? null,
    metadata: mergeMetadata({}, p.metadata),
    mode,
    payment_intent: null,
    payment_method_types: ['card'],
    payment_status: mode === 'setup' ? 'no_payment_required' : 'unpaid',
    setup_intent: null,
    status: 'open',
    submit_type: null,
    subscription: null,
    success_url: successUrl ?? null,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: p.ui_mode ?? 'hosted',
    url: `${state.url}/checkout/${id}`,
    __subscription_data: p.subscription_data ?? {},
  };
  const subtotal = lineItems(state, account, session).reduce((s, li) => s + li.amount_subtotal, 0);
  if (p.discounts !== undefined) {
    const applicable = resolveDiscounts(state, account, p.discounts, {
      customer,
      currency: currency ?? 'eur',
      productIds: items.map((i) => i.product),
      amount: subtotal,
      param: 'discounts',
    });
    session.discounts = applicable.map((a) => ({ coupon: a.coupon.id, promotion_code: a.promotionCode?.id ?? null }));
  }
  const discount = discountAmount(state, account, session.discounts, subtotal);
  session.amount_subtotal = mode === 'setup' ? null : subtotal;
  session.amount_total = mode === 'setup' ? null : trial ? 0 : subtotal - discount;
  session.total_details.amount_discount = trial ? 0 : discount;
  state.store.insert(account, session);
  return session;
}

function discountAmount(state: DoubleState, account: string, discounts: Obj[], subtotal: number): number {
  let total = 0;
  for (const d of discounts) {
    const coupon = state.store.find(account, d.coupon, 'coupon');
    if (!coupon) continue;
    total +=
      coupon.percent_off !== null
        ? Math.round((subtotal * coupon.percent_off) / 100)
        : Math.min(coupon.amount_off, subtotal - total);
  }
  return total;
}

/**
 * Completes an open session as the hosted page does: a customer (created when
 * the session had none), the card saved, then the subscription (charged now, or
 * trialing), the SetupIntent (setup mode) or the payment (payment mode). A
 * declined payment leaves the session open and throws Stripe's card error.
 * Emits `checkout.session.completed` after the objects' own events.
 */
export function completeCheckoutSession(
  state: DoubleState,
  account: string,
  id: string,
  paymentMethod: string,
  promotionCode?: string,
): Obj {
  const session = state.store.find(account, id, 'checkout.session');
  if (!session) throw resourceMissing('checkout.session', id);
  if (session.status === 'open' && session.expires_at <= state.now()) expireSession(state, account, session);
  if (session.status !== 'open')
    throw invalidRequest(`This Checkout Session is ${session.status}.`, undefined, 'checkout_session_not_open');

  let discounts = session.discounts as Obj[];
  if (promotionCode) {
    if (!session.allow_promotion_codes)
      throw invalidRequest('This Checkout Session does not accept promotion codes.', 'promotion_code');
    const promo = state.store
      .all(account, 'promotion_code')
      .find((x) => x.active && x.code.toLowerCase() === promotionCode.toLowerCase());
    if (!promo) throw invalidRequest('This code is invalid.', 'promotion_code', 'promotion_code_invalid');
    discounts = [{ coupon: promo.promotion.coupon, promotion_code: promo.id }];
  }

  const customer = session.customer
    ? state.store.get(account, session.customer, 'customer')
    : createCustomer(state, account, {
        email: session.customer_email ?? `buyer-${id.slice(-8).toLowerCase()}@example.com`,
      });
  const pm = resolvePaymentMethod(state, account, paymentMethod);
  const items = session.__line_items as Obj[];

  if (session.mode === 'subscription') {
    const applicable = resolveDiscounts(
      state,
      account,
      discounts.map((d) => (d.promotion_code ? { promotion_code: d.promotion_code } : { coupon: d.coupon })),
      {
        customer,
        currency: session.currency,
        productIds: items.map((i) => i.product),
        amount: session.amount_subtotal ?? 0,
        param: 'discounts',
      },
    );
    const data = session.__subscription_data as Params;
    const trial = data.trial_period_days !== undefined || data.trial_end !== undefined;
    // Checkout refuses a declining card before anything is created when money is due now.
    const decline = trial ? null : declineCodeOf(pm);
    if (decline) throw cardDeclined(decline);
    attachPaymentMethod(state, account, pm.id, customer.id);
    const created = createDiscounts(state, account, applicable, { customer: customer.id, checkoutSession: id });
    const sub = createSubscription(
      state,
      account,
      {
        customer: customer.id,
        items: items.map((i) => ({
          price: i.price,
          ...(i.quantity !== undefined ? { quantity: String(i.quantity) } : {}),
        })),
        ...(data.trial_period_days !== undefined ? { trial_period_days: data.trial_period_days } : {}),
        ...(data.trial_end !== undefined ? { trial_end: data.trial_end } : {}),
        metadata: data.metadata ?? {},
        ...(data.description ? { description: data.description } : {}),
        default_payment_method: pm.id,
        payment_behavior: 'error_if_incomplete',
      },
      created,
    );
    const invoice = state.store.get(account, sub.latest_invoice, 'invoice');
    Object.assign(session, {
      subscription: sub.id,
      invoice: invoice.id,
      payment_status: invoice.amount_paid > 0 ? 'paid' : 'no_payment_required',
      amount_subtotal: invoice.subtotal,
      amount_total: invoice.total,
      discounts: created.map((d) => ({ coupon: d.source.coupon, promotion_code: d.promotion_code, discount: d.id })),
    });
    session.total_details.amount_discount = invoice.subtotal - invoice.total;
  } else if (session.mode === 'setup') {
    const intent = createSetupIntent(state, account, { customer: customer.id, metadata: {} });
    confirmSetupIntent(state, account, intent, pm.id);
    session.setup_intent = intent.id;
  } else {
    const decline = declineCodeOf(pm);
    if (decline) throw cardDeclined(decline);
    attachPaymentMethod(state, account, pm.id, customer.id);
    const amount = session.amount_total as number;
    const intent = createPaymentIntent(state, account, amount, session.currency, customer.id, null);
    attemptCharge(state, account, intent, pm);
    session.payment_intent = intent.id;
    session.payment_status = 'paid';
  }
  session.customer = customer.id;
  session.customer_details = {
    address: null,
    business_name: null,
    email: customer.email,
    individual_name: null,
    name: customer.name,
    phone: null,
    tax_exempt: 'none',
    tax_ids: [],
  };
  session.status = 'complete';
  state.emit(account, 'checkout.session.completed', publicSession(session));
  return session;
}

function expireSession(state: DoubleState, account: string, session: Obj): void {
  session.status = 'expired';
  session.url = null;
  state.emit(account, 'checkout.session.expired', publicSession(session));
}

/** Expires open sessions whose `expires_at` has passed (run as time moves). */
export function expireDueSessions(state: DoubleState): void {
  for (const { account, obj } of state.store.everywhere('checkout.session'))
    if (obj.status === 'open' && obj.expires_at <= state.now()) expireSession(state, account, obj);
}

/** The success URL with `{CHECKOUT_SESSION_ID}` filled in, as Stripe redirects. */
export function successRedirect(session: Obj): string {
  return String(session.success_url).replaceAll('{CHECKOUT_SESSION_ID}', session.id);
}

/** Checkout Sessions: create, retrieve, list, line items, expire. */
export function registerCheckout(router: Router): void {
  registerIncludable('checkout.session', 'line_items', (state, account, session) => {
    const stored = state.store.find(account, session.id, 'checkout.session');
    const data = stored ? lineItems(state, account, stored) : [];
    return { object: 'list', data, has_more: false, url: `/v1/checkout/sessions/${session.id}/line_items` };
  });
  router.post('/v1/checkout/sessions', (ctx) => publicSession(createSession(ctx.state, ctx.account, ctx.params)));
  router.get('/v1/checkout/sessions/:id', (ctx) =>
    publicSession(ctx.state.store.get(ctx.account, ctx.path.id, 'checkout.session', 'checkout.session')),
  );
  router.get('/v1/checkout/sessions/:id/line_items', (ctx) => {
    const session = ctx.state.store.get(ctx.account, ctx.path.id, 'checkout.session', 'checkout.session');
    return listObject(
      ctx,
      `/v1/checkout/sessions/${session.id}/line_items`,
      lineItems(ctx.state, ctx.account, session),
    );
  });
  router.post('/v1/checkout/sessions/:id/expire', (ctx) => {
    const session = ctx.state.store.get(ctx.account, ctx.path.id, 'checkout.session', 'checkout.session');
    if (session.status !== 'open')
      throw invalidRequest(
        `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
      );
    expireSession(ctx.state, ctx.account, session);
    return publicSession(session);
  });
  router.get('/v1/checkout/sessions', (ctx) => {
    const items = filterBy(ctx.state.store.all(ctx.account, 'checkout.session'), ctx.params, {
      customer: (s) => s.customer,
      subscription: (s) => s.subscription,
      status: (s) => s.status,
      payment_intent: (s) => s.payment_intent,
    });
    return listObject(ctx, '/v1/checkout/sessions', items.map(publicSession));
  });
}
