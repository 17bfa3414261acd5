import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestContext,
  startStripeDouble,
  type StripeDouble,
  type TestContext,
  type TestTenant,
} from '../testing/index.js';
import { connectDemoBilling, ensureDemoPrices } from './demo-seed-billing.js';

let first: StripeDouble;
let second: StripeDouble;
let t: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  first = await startStripeDouble();
  second = await startStripeDouble();
  t = await createTestContext({ billing: first.billingDeps() });
  tenant = await t.createTenant('Demo Association');
  for (const body of [
    { name: 'Community', interval: 'free' },
    { name: 'Supporter', interval: 'month', price: { amount: 500 } },
    { name: 'Member', interval: 'year', price: { amount: 6000 } },
  ]) {
    const res = await t.request('POST', '/v1/tiers', { key: tenant.secret_key, body });
    expect(res.status).toBe(201);
  }
});

afterAll(async () => {
  await t?.close();
  await first?.close();
  await second?.close();
});

async function tiersByName() {
  const res = await t.request('GET', '/v1/tiers', { key: tenant.secret_key });
  return Object.fromEntries(res.body.data.map((tier: { name: string }) => [tier.name, tier]));
}

describe('the demo tenant on the offline Stripe test double', () => {
  it('prices the paid tiers monthly and yearly with a trial on Member, connected and onboarded', async () => {
    await ensureDemoPrices(t.deps, tenant.id);
    const account = await connectDemoBilling(t.deps, tenant.id, (id) => first.completeOnboarding(id));
    const billing = await t.request('GET', '/v1/tenant/billing', { key: tenant.secret_key });
    expect(billing.body).toMatchObject({ mode: 'connect', account_id: account, charges_enabled: true, missing: [] });

    const tiers = await tiersByName();
    expect(tiers.Community.prices).toEqual([]);
    expect(tiers.Member.trial_days).toBe(14);
    for (const name of ['Supporter', 'Member']) {
      expect(tiers[name].prices.map((p: { interval: string }) => p.interval)).toEqual(['month', 'year']);
      for (const price of tiers[name].prices) {
        const remote = await first.client().prices.retrieve(price.stripe_price_id, {}, { stripeAccount: account });
        expect(remote.unit_amount).toBe(price.amount);
      }
    }
  });

  it('connects again to a fresh double on the next start, with the catalog made anew there', async () => {
    const before = await tiersByName();
    const restarted = { ...t.deps, billing: second.billingDeps() };
    const account = await connectDemoBilling(restarted, tenant.id, (id) => second.completeOnboarding(id));
    const billing = await t.request('GET', '/v1/tenant/billing', { key: tenant.secret_key });
    expect(billing.body.account_id).toBe(account);

    const after = await tiersByName();
    expect(after.Supporter.prices.map((p: { amount: number }) => p.amount)).toEqual([500, 5000]);
    for (const price of [...after.Supporter.prices, ...after.Member.prices]) {
      expect(before.Supporter.prices.concat(before.Member.prices).map((p: { id: string }) => p.id)).not.toContain(
        price.id,
      );
      const remote = await second.client().prices.retrieve(price.stripe_price_id, {}, { stripeAccount: account });
      expect(remote).toMatchObject({ active: true, unit_amount: price.amount });
    }
    // A second start on the same double changes nothing.
    await ensureDemoPrices(t.deps, tenant.id);
    expect(await connectDemoBilling(restarted, tenant.id, (id) => second.completeOnboarding(id))).toBe(account);
    expect(await tiersByName()).toEqual(after);
  });
});
