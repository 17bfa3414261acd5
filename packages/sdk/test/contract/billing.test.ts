import {
  connectTestBilling,
  createTestContext,
  drainStripeEvents,
  PLATFORM_KEY,
  startStripeDouble,
  type StripeDouble,
  type TestContext,
} from '@memberkit/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, InvalidRequestError, Memberkit, type CreatedTenant } from '../../src/index.js';
import { BASE_URL, email, PASSWORD } from '../support/api.js';

let stripe: StripeDouble;
let t: TestContext;
let tenant: CreatedTenant;
let mk: Memberkit;
const RETURN = 'https://www.example.org/billing';

/** A client of the real app on the test double. */
function client(options: { secretKey?: string; accessToken?: string; publishableKey?: string }): Memberkit {
  return new Memberkit({ baseUrl: BASE_URL, fetch: (url, init) => t.app.request(url, init), ...options });
}

/** Delivers Stripe's webhooks and applies them, as the API's webhook worker does in a running server. */
async function applyWebhooks(): Promise<void> {
  await stripe.webhooks.idle();
  await drainStripeEvents(t.deps);
}

/** The session id at the end of the double's hosted checkout URL. */
const sessionOf = (url: string) => new URL(url).pathname.split('/').pop()!;

beforeAll(async () => {
  stripe = await startStripeDouble();
  t = await createTestContext({ billing: stripe.billingDeps() });
  stripe.webhooks.deliverTo((request) => t.app.request(request));
  const platform = client({ secretKey: PLATFORM_KEY });
  tenant = await platform.platform.tenants.create({
    name: 'SDK Billing',
    slug: `sdk-billing-${Date.now().toString(36)}`,
  });
  mk = client({ secretKey: tenant.secret_key });
  await mk.tenant.update({ allowed_origins: ['https://www.example.org'], auth: { require_email_verification: false } });
  await connectTestBilling(t, tenant, stripe);
});
afterAll(async () => {
  await t?.close();
  await stripe?.close();
});

/** A member signed up and signed in: a client with their token. */
async function member(): Promise<{ id: string; mk: Memberkit }> {
  const address = email('payer');
  const publishable = client({ publishableKey: tenant.publishable_key });
  const signup = await publishable.auth.signup({
    email: address,
    password: PASSWORD,
    first_name: 'Ada',
    last_name: 'Lovelace',
  });
  const tokens = await publishable.auth.login({ email: address, password: PASSWORD });
  return { id: (signup as { member: { id: string } }).member.id, mk: client({ accessToken: tokens.access_token }) };
}

describe('billing settings and catalog', () => {
  it('reads the tenant billing settings, nothing secret in them', async () => {
    const billing = await mk.tenant.billing.retrieve();
    expect(billing).toMatchObject({ object: 'tenant_billing', mode: 'connect', connected: true, currency: 'eur' });
    expect(JSON.stringify(billing)).not.toMatch(/sk_test_/);
  });

  it('defines a metered feature, prices it on a tier, lists and removes both', async () => {
    const tier = await mk.tiers.create({ name: 'Desk', interval: 'month', price: { amount: 2000, currency: 'eur' } });
    const feature = await mk.billing.features.create({ key: 'desk_hours', name: 'Desk hours', unit_label: 'hour' });
    expect((await mk.billing.features.retrieve(feature.id)).key).toBe('desk_hours');
    expect(await mk.billing.features.list().toArray({ limit: 100 })).toContainEqual(
      expect.objectContaining({ id: feature.id }),
    );
    const renamed = await mk.billing.features.update(feature.id, { name: 'Desk time' });
    expect(renamed.name).toBe('Desk time');
    const price = await mk.tiers.meteredPrices.set(tier.id, feature.id, {
      interval: 'month',
      included_units: 10,
      steps: [{ up_to: null, unit_amount: 250 }],
    });
    expect(price).toMatchObject({ object: 'tier_metered_price', included_units: 10 });
    expect((await mk.tiers.meteredPrices.list(tier.id)).data.map((p) => p.id)).toContain(price.id);
    await mk.tiers.meteredPrices.del(tier.id, feature.id, { interval: 'month' });
    expect((await mk.tiers.meteredPrices.list(tier.id)).data).toHaveLength(0);
    await mk.billing.features.del(feature.id);
  });
});

describe('mk.me.billing', () => {
  it('buys a tier through checkout, previews and confirms a change, cancels and resumes', async () => {
    const supporter = await mk.tiers.create({
      name: 'Supporter',
      interval: 'month',
      price: { amount: 1000, currency: 'eur' },
    });
    const patron = await mk.tiers.create({
      name: 'Patron',
      interval: 'month',
      price: { amount: 3000, currency: 'eur' },
    });
    const m = await member();
    expect((await m.mk.me.billing.retrieve()).subscription).toBeNull();

    const checkout = await m.mk.me.billing.checkout({
      tier_id: supporter.id,
      interval: 'month',
      success_url: RETURN,
      cancel_url: RETURN,
    });
    expect(checkout.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/checkout\//);
    await stripe.completeCheckout(sessionOf(checkout.url!));
    await applyWebhooks();
    const billing = await m.mk.me.billing.retrieve();
    expect(billing.subscription).toMatchObject({ tier_id: supporter.id, status: 'active', interval: 'month' });

    const preview = await m.mk.me.billing.preview({ tier_id: patron.id, interval: 'month' });
    expect(preview.amount_due).toBeGreaterThan(0);
    const changed = await m.mk.me.billing.change({ preview_id: preview.id });
    expect(changed.subscription?.tier_id).toBe(patron.id);
    await applyWebhooks(); // the proration invoice

    const canceled = await m.mk.me.billing.cancel({ reason: 'too_expensive', comment: 'Back next year' });
    expect(canceled.subscription?.cancel_at_period_end).toBe(true);
    expect((await m.mk.me.billing.resume()).subscription?.cancel_at_period_end).toBe(false);

    const cards = await m.mk.me.billing.paymentMethods.list();
    expect(cards.data.filter((c) => c.default)).toHaveLength(1);
    const invoices = await m.mk.me.billing.invoices.list({ limit: 1 }).toArray({ limit: 10 });
    expect(invoices.length).toBeGreaterThanOrEqual(2);
    expect(invoices[0]?.hosted_invoice_url).toBeTruthy();
    const setup = await m.mk.me.billing.paymentMethods.setup({ success_url: RETURN, cancel_url: RETURN });
    expect(setup.url).toMatch(/\/checkout\//);
  });

  it('refuses a checkout for an unknown tier with a clear error', async () => {
    const m = await member();
    const refused = m.mk.me.billing.checkout({
      tier_id: 'tier_nope',
      interval: 'month',
      success_url: RETURN,
      cancel_url: RETURN,
    });
    await expect(refused).rejects.toSatisfy(
      (e) => e instanceof InvalidRequestError || (e as { status: number }).status === 404,
    );
  });
});

describe('mk.billing (staff)', () => {
  it("grants and revokes a complimentary membership, and reads the member's billing and the subscriptions", async () => {
    const tier = await mk.tiers.create({
      name: 'Honorary',
      interval: 'year',
      price: { amount: 5000, currency: 'eur' },
    });
    const m = await member();
    const endsAt = new Date(Date.now() + 90 * 86_400_000).toISOString();
    const comp = await mk.billing.comps.create(m.id, { tier_id: tier.id, ends_at: endsAt });
    expect(comp).toMatchObject({ kind: 'comp', tier_id: tier.id, amount: 0 });
    expect((await mk.members.retrieve(m.id)).tier_id).toBe(tier.id);
    const detail = await mk.billing.member(m.id);
    expect(detail).toMatchObject({ object: 'staff_member_billing', member_id: m.id });
    expect(detail.subscription?.id).toBe(comp.id);
    const comps = await mk.billing.subscriptions.list({ tier_id: tier.id }).toArray({ limit: 100 });
    expect(comps.map((s) => s.id)).toContain(comp.id);
    const revoked = await mk.billing.comps.del(m.id);
    expect(revoked.id).toBe(comp.id);
    expect((await mk.billing.member(m.id)).subscription).toBeNull();
  });
});

describe('mk.usage and revenue', () => {
  it('records usage once per identifier, shows it to the member, and reads revenue', async () => {
    const tier = await mk.tiers.create({
      name: 'Coworker',
      interval: 'month',
      price: { amount: 1500, currency: 'eur' },
    });
    const feature = await mk.billing.features.create({ key: 'guest_passes', name: 'Guest passes', unit_label: 'pass' });
    await mk.tiers.meteredPrices.set(tier.id, feature.id, {
      interval: 'month',
      included_units: 2,
      steps: [{ up_to: null, unit_amount: 500 }],
    });
    const m = await member();
    const checkout = await m.mk.me.billing.checkout({
      tier_id: tier.id,
      interval: 'month',
      success_url: RETURN,
      cancel_url: RETURN,
    });
    await stripe.completeCheckout(sessionOf(checkout.url!));
    await applyWebhooks();

    const usage = { member_id: m.id, feature: 'guest_passes', quantity: 3, identifier: 'visit-1' };
    const first = await mk.usage.record(usage);
    expect(first).toMatchObject({ object: 'usage_record', quantity: 3 });
    expect((await mk.usage.record(usage)).id).toBe(first.id);
    await expect(mk.usage.record({ ...usage, quantity: 4 })).rejects.toBeInstanceOf(ConflictError);

    const summary = await m.mk.me.billing.usage();
    expect(summary.features).toContainEqual(
      expect.objectContaining({ key: 'guest_passes', used: 3, included: 2, estimated_amount: 500 }),
    );

    const today = new Date().toISOString().slice(0, 10);
    const revenue = await mk.analytics.revenue({ from: today, to: today, interval: 'day' });
    expect(revenue).toHaveProperty('object');
  });
});
