import { createHash } from 'node:crypto';
import { filterBy, listObject } from '../lists.js';
import { int, mergeMetadata, str } from '../params.js';
import type { Router } from '../router.js';
import type { DoubleState } from '../state.js';
import { newId } from '../store.js';
import { invalidRequest, missingParam, type Obj, type Params } from '../types.js';
import { previousAttributes } from './events.js';

interface TestCard {
  brand: string;
  last4: string;
  /** Charges to this card fail with this decline code (attaching always succeeds in the double). */
  decline?: string;
}

/** Stripe's test payment method tokens and card numbers the double knows. */
const TEST_CARDS: Record<string, TestCard> = {
  pm_card_visa: { brand: 'visa', last4: '4242' },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444' },
  pm_card_amex: { brand: 'amex', last4: '8431' },
  pm_card_chargeDeclined: { brand: 'visa', last4: '0002', decline: 'generic_decline' },
  pm_card_chargeCustomerFail: { brand: 'visa', last4: '0341', decline: 'generic_decline' },
  pm_card_chargeDeclinedInsufficientFunds: { brand: 'visa', last4: '9995', decline: 'insufficient_funds' },
};
const TOKENS: Record<string, string> = {
  tok_visa: 'pm_card_visa',
  tok_mastercard: 'pm_card_mastercard',
  tok_amex: 'pm_card_amex',
  tok_chargeDeclined: 'pm_card_chargeDeclined',
  tok_chargeCustomerFail: 'pm_card_chargeCustomerFail',
};
const NUMBERS: Record<string, string> = {
  '4242424242424242': 'pm_card_visa',
  '5555555555554444': 'pm_card_mastercard',
  '378282246310005': 'pm_card_amex',
  '4000000000000002': 'pm_card_chargeDeclined',
  '4000000000000341': 'pm_card_chargeCustomerFail',
  '4000000000009995': 'pm_card_chargeDeclinedInsufficientFunds',
};

/** Names of the test payment methods (`pm_card_visa`, …). */
export type TestPaymentMethod = keyof typeof TEST_CARDS;

/** The decline code charges to `pm` fail with, or null when the card pays. */
export function declineCodeOf(pm: Obj): string | null {
  const card = Object.values(TEST_CARDS).find((c) => c.brand === pm.card?.brand && c.last4 === pm.card?.last4);
  return card?.decline ?? null;
}

/** Creates an (unattached) card payment method from a test token name. */
function createCard(state: DoubleState, account: string, token: string, exp?: { month?: number; year?: number }): Obj {
  const card = TEST_CARDS[token];
  if (!card) throw invalidRequest(`No such PaymentMethod: '${token}'`, 'payment_method', 'resource_missing');
  const year = new Date(state.now() * 1000).getUTCFullYear();
  return state.store.insert(account, {
    id: newId('pm'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: {
      address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
      email: null,
      name: null,
      phone: null,
      tax_id: null,
    },
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      country: 'US',
      display_brand: card.brand,
      exp_month: exp?.month ?? 12,
      exp_year: exp?.year ?? year + 3,
      fingerprint: createHash('sha1').update(token).digest('hex').slice(0, 16),
      funding: 'credit',
      generated_from: null,
      last4: card.last4,
      networks: { available: [card.brand], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: state.now(),
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: 'card',
  });
}

/**
 * The payment method `id` names: a stored one, or a new one for a test token
 * (`pm_card_visa` makes a fresh payment method each time, as on Stripe).
 */
export function resolvePaymentMethod(state: DoubleState, account: string, id: string, param = 'payment_method'): Obj {
  if (TEST_CARDS[id]) return createCard(state, account, id);
  return state.store.get(account, id, 'payment_method', 'PaymentMethod', param);
}

/** Attaches a payment method (or test token) to a customer; emits `payment_method.attached`. */
export function attachPaymentMethod(state: DoubleState, account: string, id: string, customerId: string): Obj {
  const customer = state.store.get(account, customerId, 'customer', 'customer', 'customer');
  const pm = resolvePaymentMethod(state, account, id);
  if (pm.customer === customer.id) return pm;
  if (pm.customer)
    throw invalidRequest(
      'The payment method you provided has already been attached to a customer.',
      'payment_method',
      'payment_method_unexpected_state',
    );
  pm.customer = customer.id;
  state.emit(account, 'payment_method.attached', pm);
  return pm;
}

/** Payment methods: create (test tokens, `card[number]`), retrieve, update, attach, detach, list by customer. */
export function registerPaymentMethods(router: Router): void {
  router.post('/v1/payment_methods', (ctx) => {
    const p = ctx.params;
    if (p.type !== 'card') throw invalidRequest('Only `type=card` is supported by the Stripe double.', 'type');
    const token = TOKENS[p.card?.token] ?? NUMBERS[String(p.card?.number ?? '').replace(/\s/g, '')];
    if (!token) throw missingParam('card');
    const pm = createCard(ctx.state, ctx.account, token, {
      month: int(p.card?.exp_month, 'card[exp_month]'),
      year: int(p.card?.exp_year, 'card[exp_year]'),
    });
    pm.metadata = mergeMetadata({}, p.metadata);
    if (p.billing_details) Object.assign(pm.billing_details, p.billing_details);
    return pm;
  });
  router.get('/v1/payment_methods/:id', (ctx) => resolvePaymentMethod(ctx.state, ctx.account, ctx.path.id!, 'id'));
  router.post('/v1/payment_methods/:id', (ctx) => {
    const pm = ctx.state.store.get(ctx.account, ctx.path.id, 'payment_method', 'PaymentMethod');
    const before = structuredClone(pm);
    pm.metadata = mergeMetadata(pm.metadata, ctx.params.metadata);
    if (ctx.params.card?.exp_month) pm.card.exp_month = int(ctx.params.card.exp_month, 'card[exp_month]');
    if (ctx.params.card?.exp_year) pm.card.exp_year = int(ctx.params.card.exp_year, 'card[exp_year]');
    if (ctx.params.billing_details) Object.assign(pm.billing_details, ctx.params.billing_details);
    ctx.state.emit(ctx.account, 'payment_method.updated', pm, previousAttributes(before, pm));
    return pm;
  });
  router.post('/v1/payment_methods/:id/attach', (ctx) => {
    const customer = str(ctx.params.customer, 'customer');
    if (!customer) throw missingParam('customer');
    return attachPaymentMethod(ctx.state, ctx.account, ctx.path.id!, customer);
  });
  router.post('/v1/payment_methods/:id/detach', (ctx) => {
    const pm = ctx.state.store.get(ctx.account, ctx.path.id, 'payment_method', 'PaymentMethod');
    if (!pm.customer)
      throw invalidRequest(
        'The payment method you provided is not attached to a customer so detachment is impossible.',
        'payment_method',
        'payment_method_unexpected_state',
      );
    const customer = ctx.state.store.find(ctx.account, pm.customer, 'customer');
    if (customer && customer.invoice_settings.default_payment_method === pm.id)
      customer.invoice_settings.default_payment_method = null;
    for (const sub of ctx.state.store.all(ctx.account, 'subscription'))
      if (sub.default_payment_method === pm.id) sub.default_payment_method = null;
    const previous = pm.customer;
    pm.customer = null;
    ctx.state.emit(ctx.account, 'payment_method.detached', pm, { customer: previous });
    return pm;
  });
  const listFor = (account: string, state: DoubleState, customer: string, params: Params) =>
    filterBy(
      state.store.all(account, 'payment_method').filter((pm) => pm.customer === customer),
      params,
      { type: (pm) => pm.type },
    );
  router.get('/v1/payment_methods', (ctx) => {
    const customer = str(ctx.params.customer, 'customer');
    if (!customer) throw missingParam('customer');
    return listObject(ctx, '/v1/payment_methods', listFor(ctx.account, ctx.state, customer, ctx.params));
  });
  router.get('/v1/customers/:id/payment_methods', (ctx) => {
    const customer = ctx.state.store.get(ctx.account, ctx.path.id, 'customer');
    return listObject(
      ctx,
      `/v1/customers/${customer.id}/payment_methods`,
      listFor(ctx.account, ctx.state, customer.id, ctx.params),
    );
  });
  router.get('/v1/customers/:customer/payment_methods/:id', (ctx) => {
    const pm = ctx.state.store.get(ctx.account, ctx.path.id, 'payment_method', 'PaymentMethod');
    if (pm.customer !== ctx.path.customer)
      throw invalidRequest(`No such PaymentMethod: '${pm.id}'`, 'id', 'resource_missing');
    return pm;
  });
}
