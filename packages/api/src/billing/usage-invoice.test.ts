import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../lib/clock.js';
import {
  connectTestBilling,
  createTestContext,
  startStripeDouble,
  type StripeDouble,
  type TestContext,
  type TestTenant,
} from '../testing/index.js';
import { applySubscriptionObject } from './apply-subscription.js';
import { ensureCustomer } from './customers.js';
import { meteredLineItems } from './metered-prices.js';
import { drainUsageForwarder } from './usage-forwarder.js';

let stripe: StripeDouble;
let t: TestContext;
let tenant: TestTenant;
let accountId: string;
const clock = createManualClock(new Date());

beforeAll(async () => {
  stripe = await startStripeDouble({ clock });
  t = await createTestContext({ clock, billing: stripe.billingDeps() });
  tenant = await t.createTenant('Invoiced club');
  accountId = await connectTestBilling(t, tenant, stripe);
});
afterAll(async () => {
  await t.close();
  await stripe.close();
});

describe('usage on the invoice', () => {
  it("bills at renewal exactly the portal's estimate, once per recorded usage", async () => {
    const tier = await t.request('POST', '/v1/tiers', {
      key: tenant.secret_key,
      body: { name: 'Flex desk', interval: 'month', price: { amount: 2000, currency: 'eur' } },
    });
    const feature = await t.request('POST', '/v1/billing/features', {
      key: tenant.secret_key,
      body: { key: 'desk_hours', name: 'Desk hours', unit_label: 'hour' },
    });
    const priced = await t.request('PUT', `/v1/tiers/${tier.body.id}/metered-prices/${feature.body.id}`, {
      key: tenant.secret_key,
      body: {
        interval: 'month',
        included_units: 5,
        steps: [
          { up_to: 20, unit_amount: 250, flat_amount: 1000 },
          { up_to: null, unit_amount: 150 },
        ],
      },
    });
    expect(priced.status, priced.text).toBe(201);
    const meteredPrice = priced.body.stripe_price_id as string;

    // What a checkout of the tier would add as a second line item.
    const lineItems = await t.db.withTenant(tenant.id, (tx) => meteredLineItems(tx, tenant.id, tier.body.id, 'month'));
    expect(lineItems).toEqual([{ price: meteredPrice }]);
    expect(await t.db.withTenant(tenant.id, (tx) => meteredLineItems(tx, tenant.id, tier.body.id, 'year'))).toEqual([]);

    const session = await t.signUpMember(tenant);
    const memberId = (await t.request('GET', '/v1/me', { key: session.access_token })).body.id as string;
    const { customer } = await ensureCustomer(t.deps, tenant.id, memberId);
    // A subscription as checkout makes it: the tier's price, then the metered line items.
    const onAccount = { stripeAccount: accountId };
    const card = await stripe
      .client()
      .paymentMethods.attach('pm_card_visa', { customer: customer.stripeCustomerId }, onAccount);
    const tierPrice = await stripe.client().prices.create(
      {
        currency: 'eur',
        unit_amount: 2000,
        recurring: { interval: 'month' },
        product_data: { name: 'Flex desk' },
        metadata: { memberkit_tenant_id: tenant.id, memberkit_tier_id: tier.body.id },
      },
      onAccount,
    );
    const subscription = await stripe.client().subscriptions.create(
      {
        customer: customer.stripeCustomerId,
        items: [{ price: tierPrice.id, quantity: 1 }, ...lineItems],
        default_payment_method: card.id,
        metadata: { memberkit_tenant_id: tenant.id, memberkit_member_id: memberId, memberkit_tier_id: tier.body.id },
      },
      onAccount,
    );
    expect(subscription.status).toBe('active');
    expect(
      await applySubscriptionObject(t.deps, tenant.id, subscription, { cause: 'test', observedAt: clock.now() }),
    ).not.toBeNull();

    for (const [i, quantity] of [4, 9, 1, 13].entries()) {
      const res = await t.request('POST', '/v1/usage', {
        key: tenant.secret_key,
        body: { member_id: memberId, feature: 'desk_hours', quantity, identifier: `desk-${i}` },
      });
      expect(res.status, res.text).toBe(201);
    }
    expect((await drainUsageForwarder(t.deps, { onlyTenants: [tenant.id] })).sent).toBe(4);

    const summary = await t.request('GET', '/v1/me/billing/usage', { key: session.access_token });
    const periodEnd = subscription.items.data[0]!.current_period_end;
    expect(summary.body.period_end).toBe(new Date(periodEnd * 1000).toISOString());
    // 27 hours: 5 included, 15 at 2.50 plus the step's 10.00, 7 at 1.50.
    expect(summary.body.features).toEqual([
      expect.objectContaining({
        key: 'desk_hours',
        used: 27,
        included: 5,
        estimated_amount: 1000 + 15 * 250 + 7 * 150,
      }),
    ]);

    await stripe.advanceTime(periodEnd - Math.floor(clock.now().getTime() / 1000) + 60);
    const invoices = await stripe.client().invoices.list({ customer: customer.stripeCustomerId, limit: 10 }, onAccount);
    const usageLines = invoices.data
      .flatMap((invoice) => invoice.lines.data)
      .filter((line) => line.pricing?.price_details?.price === meteredPrice && line.amount > 0);
    expect(usageLines.map((line) => line.amount)).toEqual([summary.body.features[0].estimated_amount]);
  });
});
