import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, subscriptions, tierPrices } from '../../db/schema/index.js';
import {
  connectTestBilling,
  createTestContext,
  expectProblem,
  startStripeDouble,
  type StripeDouble,
  type TestContext,
  type TestTenant,
} from '../../testing/index.js';

let stripe: StripeDouble;
let t: TestContext;

beforeAll(async () => {
  stripe = await startStripeDouble();
  t = await createTestContext({ billing: stripe.billingDeps() });
});

afterAll(async () => {
  await t?.close();
  await stripe?.close();
});

/** A tenant connected (Connect mode, onboarded) to the double; returns it with its account. */
async function connectedTenant(): Promise<{ tenant: TestTenant; account: string }> {
  const tenant = await t.createTenant();
  const account = await connectTestBilling(t, tenant, stripe);
  return { tenant, account };
}

const createTier = (tenant: TestTenant, body: Record<string, unknown>) =>
  t.request('POST', '/v1/tiers', { key: tenant.secret_key, body });

describe('tier prices', () => {
  it('keeps prices locally until billing is connected, then creates the Product and Prices', async () => {
    const tenant = await t.createTenant();
    const res = await createTier(tenant, {
      name: 'Member',
      description: 'Full membership',
      interval: 'year',
      prices: [
        { interval: 'month', amount: 600 },
        { interval: 'year', amount: 6000 },
      ],
      trial_days: 14,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ price: { amount: 6000 }, interval: 'year', trial_days: 14 });
    expect(res.body.prices).toEqual([
      { id: expect.stringMatching(/^tpr_/), interval: 'month', amount: 600, currency: 'eur', stripe_price_id: null },
      { id: expect.stringMatching(/^tpr_/), interval: 'year', amount: 6000, currency: 'eur', stripe_price_id: null },
    ]);

    const connected = await t.request('PUT', '/v1/tenant/billing', {
      key: tenant.secret_key,
      body: { mode: 'connect', tax_behavior: 'inclusive' },
    });
    expect(connected.status).toBe(200);
    expect(connected.body.missing).not.toContain('tier_prices');
    const account: string = connected.body.account_id;

    const tier = (await t.request('GET', `/v1/tiers/${res.body.id}`, { key: tenant.secret_key })).body;
    expect(tier.prices.map((p: { amount: number }) => p.amount)).toEqual([600, 6000]);
    for (const price of tier.prices) {
      expect(price.stripe_price_id).toMatch(/^price_/);
      const remote = await stripe.client().prices.retrieve(price.stripe_price_id, {}, { stripeAccount: account });
      expect(remote).toMatchObject({
        active: true,
        currency: 'eur',
        unit_amount: price.amount,
        tax_behavior: 'inclusive',
        recurring: expect.objectContaining({ interval: price.interval }),
        metadata: { memberkit_tenant_id: tenant.id, memberkit_tier_id: tier.id, memberkit_tier_price_id: price.id },
      });
      const product = await stripe.client().products.retrieve(remote.product as string, {}, { stripeAccount: account });
      expect(product).toMatchObject({ name: 'Member', description: 'Full membership' });
      expect(product.metadata).toMatchObject({ memberkit_tenant_id: tenant.id, memberkit_tier_id: tier.id });
    }
  });

  it('prices a monthly tier sent without prices from its price and interval, in Stripe at once', async () => {
    const { tenant, account } = await connectedTenant();
    const res = await createTier(tenant, { name: 'Supporter', interval: 'month', price: { amount: 500 } });
    expect(res.status).toBe(201);
    expect(res.body.prices).toHaveLength(1);
    expect(res.body.prices[0]).toMatchObject({ interval: 'month', amount: 500, stripe_price_id: expect.any(String) });
    const remote = await stripe
      .client()
      .prices.retrieve(res.body.prices[0].stripe_price_id, {}, { stripeAccount: account });
    expect(remote.unit_amount).toBe(500);
  });

  it('archives the old Price when an amount changes, keeps unchanged ones, and renames the Product', async () => {
    const { tenant, account } = await connectedTenant();
    const created = await createTier(tenant, {
      name: 'Supporter',
      interval: 'month',
      prices: [
        { interval: 'month', amount: 500 },
        { interval: 'year', amount: 5000 },
      ],
    });
    const [month, year] = created.body.prices;
    const res = await t.request('PATCH', `/v1/tiers/${created.body.id}`, {
      key: tenant.secret_key,
      body: {
        name: 'Friend',
        prices: [
          { interval: 'month', amount: 700 },
          { interval: 'year', amount: 5000 },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.price.amount).toBe(700);
    const [newMonth, sameYear] = res.body.prices;
    expect(sameYear).toEqual(year);
    expect(newMonth).toMatchObject({ interval: 'month', amount: 700 });
    expect(newMonth.id).not.toBe(month.id);
    expect(newMonth.stripe_price_id).not.toBe(month.stripe_price_id);

    const client = stripe.client();
    expect((await client.prices.retrieve(month.stripe_price_id, {}, { stripeAccount: account })).active).toBe(false);
    expect((await client.prices.retrieve(newMonth.stripe_price_id, {}, { stripeAccount: account })).active).toBe(true);
    const product = await client.prices.retrieve(
      newMonth.stripe_price_id,
      { expand: ['product'] },
      { stripeAccount: account },
    );
    expect((product.product as { name: string }).name).toBe('Friend');

    const [archived] = await t.db.withTenant(tenant.id, (tx) =>
      tx
        .select()
        .from(tierPrices)
        .where(and(eq(tierPrices.tenantId, tenant.id), eq(tierPrices.id, month.id))),
    );
    expect(archived).toMatchObject({ active: false, archivedAt: expect.any(Date) });
  });

  it('refuses prices that do not fit the tier with 422 and creates nothing', async () => {
    const { tenant } = await connectedTenant();
    const cases = [
      { name: 'A', interval: 'year', prices: [{ interval: 'month', amount: 500 }] },
      { name: 'B', interval: 'free', prices: [{ interval: 'month', amount: 500 }] },
      {
        name: 'C',
        interval: 'month',
        prices: [
          { interval: 'month', amount: 500 },
          { interval: 'month', amount: 600 },
        ],
      },
      { name: 'D', interval: 'month', prices: [{ interval: 'month', amount: 0 }] },
      { name: 'E', interval: 'month', price: { amount: 500 }, trial_days: 1000 },
    ];
    for (const body of cases) expectProblem(await createTier(tenant, body), 422, 'VALIDATION_FAILED');
    const list = await t.request('GET', '/v1/tiers', { key: tenant.secret_key });
    expect(list.body.data).toHaveLength(0);
  });

  it('moves subscribers of an archived price to the current one with migrate-subscribers', async () => {
    const { tenant, account } = await connectedTenant();
    const created = await createTier(tenant, { name: 'Supporter', interval: 'month', price: { amount: 500 } });
    const oldPrice = created.body.prices[0].stripe_price_id as string;
    const member = await t.signUpMember(tenant);
    const memberId: string = member.member?.id ?? member.id;
    const client = stripe.client();
    const customer = await client.customers.create(
      { email: member.email, metadata: { memberkit_tenant_id: tenant.id, memberkit_member_id: memberId } },
      { stripeAccount: account },
    );
    const subscription = await client.subscriptions.create(
      {
        customer: customer.id,
        items: [{ price: oldPrice }],
        trial_period_days: 7,
        metadata: { memberkit_tenant_id: tenant.id, memberkit_member_id: memberId, memberkit_tier_id: created.body.id },
      },
      { stripeAccount: account },
    );

    const changed = await t.request('PATCH', `/v1/tiers/${created.body.id}`, {
      key: tenant.secret_key,
      body: { price: { amount: 800 } },
    });
    const newPrice = changed.body.prices[0].stripe_price_id as string;
    expect(newPrice).not.toBe(oldPrice);
    // Existing subscribers keep the price they bought.
    const untouched = await client.subscriptions.retrieve(subscription.id, {}, { stripeAccount: account });
    expect(untouched.items.data[0]!.price.id).toBe(oldPrice);

    const other = await t.createTenant();
    expectProblem(
      await t.request('POST', `/v1/tiers/${created.body.id}/migrate-subscribers`, {
        key: other.secret_key,
        body: { proration_behavior: 'none' },
      }),
      404,
    );

    const res = await t.request('POST', `/v1/tiers/${created.body.id}/migrate-subscribers`, {
      key: tenant.secret_key,
      body: { proration_behavior: 'none' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ object: 'subscriber_migration', tier_id: created.body.id, migrated: 1, failed: [] });
    const moved = await client.subscriptions.retrieve(subscription.id, {}, { stripeAccount: account });
    expect(moved.items.data[0]!.price.id).toBe(newPrice);

    const [local] = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, subscription.id)),
    );
    expect(local).toMatchObject({ stripePriceId: newPrice, tierId: created.body.id });
    const audit = await t.db.withTenant(tenant.id, (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.action, 'tier.subscribers_migrated'))),
    );
    expect(audit).toHaveLength(1);

    // A second run finds nobody left on the old price.
    const again = await t.request('POST', `/v1/tiers/${created.body.id}/migrate-subscribers`, {
      key: tenant.secret_key,
      body: { proration_behavior: 'create_prorations' },
    });
    expect(again.body).toMatchObject({ migrated: 0, failed: [] });

    // The currency is fixed while a subscription is charged.
    const before = (await t.request('GET', '/v1/tenant/billing', { key: tenant.secret_key })).body;
    const refused = await t.request('PUT', '/v1/tenant/billing', { key: tenant.secret_key, body: { currency: 'usd' } });
    expect(expectProblem(refused, 422).errors).toEqual([expect.objectContaining({ field: 'currency' })]);
    expect((await t.request('GET', '/v1/tenant/billing', { key: tenant.secret_key })).body).toEqual(before);
  });

  it('reprices the catalog in a new currency when no subscription is charged', async () => {
    const { tenant, account } = await connectedTenant();
    const created = await createTier(tenant, { name: 'Supporter', interval: 'month', price: { amount: 500 } });
    const old = created.body.prices[0];
    const res = await t.request('PUT', '/v1/tenant/billing', { key: tenant.secret_key, body: { currency: 'usd' } });
    expect(res.status).toBe(200);
    expect(res.body.currency).toBe('usd');
    const tier = (await t.request('GET', `/v1/tiers/${created.body.id}`, { key: tenant.secret_key })).body;
    expect(tier.prices).toEqual([
      expect.objectContaining({ interval: 'month', amount: 500, currency: 'usd', stripe_price_id: expect.any(String) }),
    ]);
    const client = stripe.client();
    expect((await client.prices.retrieve(old.stripe_price_id, {}, { stripeAccount: account })).active).toBe(false);
    const fresh = await client.prices.retrieve(tier.prices[0].stripe_price_id, {}, { stripeAccount: account });
    expect(fresh).toMatchObject({ currency: 'usd', unit_amount: 500, active: true });
    expect(tier.price).toEqual({ amount: 500, currency: 'usd' });

    // A tier cannot leave the tenant's billing currency on its own.
    const refused = await t.request('PATCH', `/v1/tiers/${created.body.id}`, {
      key: tenant.secret_key,
      body: { price: { amount: 900, currency: 'eur' } },
    });
    expect(expectProblem(refused, 422).errors).toEqual([expect.objectContaining({ field: 'price.currency' })]);
    const unchanged = (await t.request('GET', `/v1/tiers/${created.body.id}`, { key: tenant.secret_key })).body;
    expect(unchanged).toEqual(tier);
  });
});
