import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StripeDouble, startStripeDouble } from '../testing/index.js';

let double: StripeDouble;
let stripe: Stripe;

beforeAll(async () => {
  double = await startStripeDouble();
  stripe = double.client();
});
afterAll(() => double.close());

/** The error the SDK throws for `promise`. */
async function stripeError(promise: Promise<unknown>): Promise<InstanceType<typeof Stripe.errors.StripeError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error('expected a Stripe error');
}

describe('Stripe double: the REST conventions', () => {
  it('answers a wrong key with an authentication error', async () => {
    const error = await stripeError(double.client('sk_test_nope').customers.list());
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error.statusCode).toBe(401);
  });

  it('answers a missing object with 404 resource_missing in Stripe’s shape', async () => {
    const error = await stripeError(stripe.customers.retrieve('cus_missing'));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe('resource_missing');
    expect(error.param).toBe('id');
    expect(error.message).toBe("No such customer: 'cus_missing'");
  });

  it('names the missing parameter', async () => {
    const error = await stripeError(stripe.products.create({} as Stripe.ProductCreateParams));
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('parameter_missing');
    expect(error.param).toBe('name');
  });

  it('replays an idempotent request and refuses the key with other parameters', async () => {
    const first = await stripe.customers.create({ email: 'a@example.com' }, { idempotencyKey: 'idem-1' });
    const again = await stripe.customers.create({ email: 'a@example.com' }, { idempotencyKey: 'idem-1' });
    expect(again.id).toBe(first.id);
    const error = await stripeError(stripe.customers.create({ email: 'b@example.com' }, { idempotencyKey: 'idem-1' }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(error.statusCode).toBe(400);
    const list = await stripe.customers.list({ email: 'a@example.com' });
    expect(list.data.map((c) => c.id)).toEqual([first.id]);
  });

  it('parses nested form parameters and keeps metadata', async () => {
    const product = await stripe.products.create({ name: 'Gold', metadata: { memberkit_tier_id: 'tier_1' } });
    const meter = await stripe.billing.meters.create({
      display_name: 'Hours',
      event_name: 'hours_nested',
      default_aggregation: { formula: 'sum' },
    });
    const price = await stripe.prices.create({
      product: product.id,
      currency: 'eur',
      recurring: { interval: 'month', usage_type: 'metered', meter: meter.id },
      billing_scheme: 'tiered',
      tiers_mode: 'graduated',
      tiers: [
        { up_to: 10, unit_amount: 0 },
        { up_to: 'inf', unit_amount: 250, flat_amount: 100 },
      ],
      metadata: { memberkit_tenant_id: 'ten_1' },
      expand: ['tiers'],
    });
    expect(price.recurring).toMatchObject({ interval: 'month', usage_type: 'metered', meter: meter.id });
    expect(price.tiers).toEqual([
      expect.objectContaining({ up_to: 10, unit_amount: 0, flat_amount: null }),
      expect.objectContaining({ up_to: null, unit_amount: 250, flat_amount: 100 }),
    ]);
    expect(price.metadata).toEqual({ memberkit_tenant_id: 'ten_1' });
    const updated = await stripe.products.update(product.id, { metadata: { memberkit_tier_id: '', extra: 'x' } });
    expect(updated.metadata).toEqual({ extra: 'x' });
  });

  it('pages lists newest first with starting_after, ending_before and has_more', async () => {
    const product = await stripe.products.create({ name: 'Paged' });
    const created: string[] = [];
    for (const amount of [100, 200, 300, 400, 500])
      created.push((await stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: amount })).id);
    const newestFirst = [...created].reverse();
    const first = await stripe.prices.list({ product: product.id, limit: 2 });
    expect(first.object).toBe('list');
    expect(first.data.map((p) => p.id)).toEqual(newestFirst.slice(0, 2));
    expect(first.has_more).toBe(true);
    const second = await stripe.prices.list({ product: product.id, limit: 2, starting_after: first.data[1]!.id });
    expect(second.data.map((p) => p.id)).toEqual(newestFirst.slice(2, 4));
    const back = await stripe.prices.list({ product: product.id, limit: 2, ending_before: second.data[0]!.id });
    expect(back.data.map((p) => p.id)).toEqual(newestFirst.slice(0, 2));
    const all: string[] = [];
    for await (const price of stripe.prices.list({ product: product.id, limit: 2 })) all.push(price.id);
    expect(all).toEqual(newestFirst);
    await stripe.prices.update(created[0]!, { active: false });
    const active = await stripe.prices.list({ product: product.id, active: true, limit: 10 });
    expect(active.data.map((p) => p.id)).toEqual(newestFirst.slice(0, 4));
  });

  it('expands ids into objects', async () => {
    const customer = await stripe.customers.create({ email: 'pm@example.com' });
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    const expanded = await stripe.customers.retrieve(customer.id, {
      expand: ['invoice_settings.default_payment_method'],
    });
    const method = (expanded as Stripe.Customer).invoice_settings.default_payment_method as Stripe.PaymentMethod;
    expect(method.card).toMatchObject({ brand: 'visa', last4: '4242' });
    const listed = await stripe.paymentMethods.list({ customer: customer.id, expand: ['data.customer'] });
    expect((listed.data[0]!.customer as Stripe.Customer).email).toBe('pm@example.com');
  });

  it('keeps connected accounts in their own namespace', async () => {
    const account = await stripe.accounts.create({ type: 'express', country: 'DE' });
    const customer = await stripe.customers.create({ email: 'c@example.com' }, { stripeAccount: account.id });
    await expect(stripe.customers.retrieve(customer.id)).rejects.toMatchObject({ statusCode: 404 });
    const found = await stripe.customers.retrieve(customer.id, {}, { stripeAccount: account.id });
    expect(found.id).toBe(customer.id);
    const self = await stripe.accounts.retrieveCurrent({}, { stripeAccount: account.id });
    expect(self.id).toBe(account.id);
    const link = await stripe.accountLinks.create({
      account: account.id,
      type: 'account_onboarding',
      refresh_url: 'http://app.test/refresh',
      return_url: 'http://app.test/return',
    });
    expect(link.url).toContain(double.url);

    const direct = double.createDirectAccount();
    const error = await stripeError(double.client(direct.secretKey).customers.list({}, { stripeAccount: account.id }));
    expect(error).toBeInstanceOf(Stripe.errors.StripePermissionError);
    const own = await double.client(direct.secretKey).accounts.retrieve(null);
    expect(own.id).toBe(direct.accountId);
  });

  it('returns a webhook endpoint’s secret only when creating it', async () => {
    const endpoint = await stripe.webhookEndpoints.create({
      url: 'http://app.test/hook',
      enabled_events: ['*'],
      connect: true,
    });
    expect(endpoint.secret).toMatch(/^whsec_/);
    const listed = await stripe.webhookEndpoints.list();
    expect(listed.data.find((e) => e.id === endpoint.id)?.secret).toBeUndefined();
    const deleted = await stripe.webhookEndpoints.del(endpoint.id);
    expect(deleted.deleted).toBe(true);
  });

  it('onboards a connected account through the Account Link page', async () => {
    const account = await stripe.accounts.create({ type: 'express' });
    expect(account.charges_enabled).toBe(false);
    const link = await stripe.accountLinks.create({
      account: account.id,
      type: 'account_onboarding',
      refresh_url: 'http://app.test/refresh',
      return_url: 'http://app.test/return',
    });
    expect((await fetch(link.url)).status).toBe(200);
    const done = await fetch(link.url, { method: 'POST', redirect: 'manual' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('http://app.test/return');
    expect((await stripe.accounts.retrieve(account.id)).charges_enabled).toBe(true);
  });

  it('accepts the key as Basic auth, as curl -u sends it', async () => {
    const res = await fetch(`${double.url}/v1/customers?limit=1`, {
      headers: { Authorization: `Basic ${Buffer.from(`${double.platformSecretKey}:`).toString('base64')}` },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { object: string }).object).toBe('list');
  });

  it('answers an unknown id given as a parameter with 400, as Stripe does', async () => {
    const error = await stripeError(
      stripe.subscriptions.create({ customer: 'cus_nope', items: [{ price: 'price_x' }] }),
    );
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('resource_missing');
    expect(error.param).toBe('customer');
  });
});
