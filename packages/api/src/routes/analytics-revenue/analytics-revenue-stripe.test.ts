import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySubscriptionObject } from '../../billing/apply-subscription.js';
import { runGracePeriod } from '../../billing/grace-period.js';
import { createManualClock } from '../../lib/clock.js';
import {
  connectTestBilling,
  createTestContext,
  startStripeDouble,
  type StripeDouble,
  type TestContext,
  type TestTenant,
} from '../../testing/index.js';

/**
 * Revenue from histories written by the real billing path: subscriptions made in
 * the Stripe test double and applied by `applySubscriptionObject` (monthly and
 * yearly, an upgrade, a staff cancellation), a comp granted by staff and ended by
 * the grace-period job. One local day per step, in Europe/Berlin.
 */

const DAY = 86_400_000;
const clock = createManualClock(new Date('2026-03-02T09:00:00Z')); // a Monday, 10:00 in Berlin
let stripe: StripeDouble;
let t: TestContext;
let tenant: TestTenant;
let account: string;
const tiers: Record<'supporter' | 'patron', string> = { supporter: '', patron: '' };

beforeAll(async () => {
  stripe = await startStripeDouble({ clock });
  t = await createTestContext({ clock, billing: stripe.billingDeps() });
  stripe.webhooks.deliverTo((req) => t.app.request(req));
  tenant = await t.createTenant('Revenue through Stripe');
  expect(
    (await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { time_zone: 'Europe/Berlin' } })).status,
  ).toBe(200);
  account = await connectTestBilling(t, tenant, stripe);
  for (const name of ['supporter', 'patron'] as const) {
    const res = await t.request('POST', '/v1/tiers', { key: tenant.secret_key, body: { name, interval: 'free' } });
    tiers[name] = res.body.id;
  }
}, 60_000);
afterAll(async () => {
  await t.close();
  await stripe.close();
});

const opts = () => ({ stripeAccount: account });

async function price(tier: string, amount: number, interval: 'month' | 'year'): Promise<string> {
  const client = stripe.client();
  const product = await client.products.create({ name: tier, metadata: { memberkit_tenant_id: tenant.id } }, opts());
  return (
    await client.prices.create(
      {
        product: product.id,
        currency: 'eur',
        unit_amount: amount,
        recurring: { interval },
        metadata: { memberkit_tenant_id: tenant.id, memberkit_tier_id: tier },
      },
      opts(),
    )
  ).id;
}

async function subscribe(priceId: string, tier: string): Promise<{ memberId: string; sub: Stripe.Subscription }> {
  const res = await t.request('POST', '/v1/members', {
    key: tenant.secret_key,
    body: { email: `r-${Math.random().toString(36).slice(2, 9)}@example.org`, first_name: 'R', last_name: 'S' },
  });
  const memberId = res.body.id as string;
  const client = stripe.client();
  const customer = await client.customers.create({ metadata: { memberkit_member_id: memberId } }, opts());
  const pm = await client.paymentMethods.attach('pm_card_visa', { customer: customer.id }, opts());
  const sub = await client.subscriptions.create(
    {
      customer: customer.id,
      items: [{ price: priceId }],
      default_payment_method: pm.id,
      metadata: { memberkit_tenant_id: tenant.id, memberkit_member_id: memberId, memberkit_tier_id: tier },
    },
    opts(),
  );
  await apply(sub);
  return { memberId, sub };
}

async function apply(sub: Stripe.Subscription): Promise<void> {
  await applySubscriptionObject(t.deps, tenant.id, sub, {
    cause: `test:${sub.id}:${clock.now().getTime()}`,
    observedAt: clock.now(),
  });
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies read field by field
type Body = any;

describe('revenue from the billing path', () => {
  it('follows subscriptions, an upgrade, a cancellation and a comp day by day', async () => {
    // Day 1 (2026-03-02): a monthly supporter at 25.00 and a yearly patron at 300.00 (25.00 a month).
    const monthly = await subscribe(await price(tiers.supporter, 2500, 'month'), tiers.supporter);
    const yearly = await subscribe(await price(tiers.patron, 30000, 'year'), tiers.patron);
    const compMember = (
      await t.request('POST', '/v1/members', {
        key: tenant.secret_key,
        body: { email: 'comp@example.org', first_name: 'C', last_name: 'O' },
      })
    ).body.id;
    const comp = await t.request('POST', `/v1/members/${compMember}/billing/comp`, {
      key: tenant.secret_key,
      body: { tier_id: tiers.patron, ends_at: new Date(clock.now().getTime() + 3 * DAY).toISOString() },
    });
    expect(comp.status, comp.text).toBe(201);

    // Day 2: the supporter upgrades to patron monthly at 40.00.
    clock.advance(DAY);
    const item = monthly.sub.items.data[0]!;
    const upgraded = await stripe
      .client()
      .subscriptions.update(
        monthly.sub.id,
        { items: [{ id: item.id, price: await price(tiers.patron, 4000, 'month') }], proration_behavior: 'none' },
        opts(),
      );
    await apply(upgraded);

    // Day 3: staff cancel the yearly patron at once.
    clock.advance(DAY);
    const local = await t.request('GET', `/v1/members/${yearly.memberId}/billing`, { key: tenant.secret_key });
    const cancel = await t.request('POST', `/v1/billing/subscriptions/${local.body.subscription.id}/cancel`, {
      key: tenant.secret_key,
      body: { at_period_end: false },
    });
    expect(cancel.status, cancel.text).toBe(200);

    // Day 5: the comp has ended; the grace-period job ends it.
    clock.advance(2 * DAY);
    const run = await runGracePeriod(t.deps, { onlyTenants: [tenant.id] });
    expect(run.compsEnded).toBe(1);
    const member = await t.request('GET', `/v1/members/${compMember}`, { key: tenant.secret_key });
    expect(member.body.status).toBe('inactive');

    const res = await t.request('GET', '/v1/analytics/revenue?from=2026-03-01&to=2026-03-06&interval=day', {
      key: tenant.secret_key,
    });
    expect(res.status, res.text).toBe(200);
    const day = (d: string) => res.body.series.find((b: Body) => b.period === d);
    const moves = (b: Body) =>
      Object.fromEntries(
        ['new', 'expansion', 'contraction', 'churned', 'reactivated'].map((k) => [k, b.movements[k].amount]),
      );
    expect(res.body.mrr_at_start_amount).toBe(0);
    expect(day('2026-03-01')).toMatchObject({ mrr_amount: 0, paying_members: 0 });
    expect(day('2026-03-02')).toMatchObject({
      mrr_amount: 5000,
      arr_amount: 60000,
      paying_members: 2,
      arpu_amount: 2500,
    });
    expect(moves(day('2026-03-02'))).toEqual({ new: 5000, expansion: 0, contraction: 0, churned: 0, reactivated: 0 });
    expect(day('2026-03-03')).toMatchObject({ mrr_amount: 6500, paying_members: 2 });
    expect(moves(day('2026-03-03'))).toEqual({ new: 0, expansion: 1500, contraction: 0, churned: 0, reactivated: 0 });
    expect(day('2026-03-04')).toMatchObject({ mrr_amount: 4000, paying_members: 1, arpu_amount: 4000 });
    expect(moves(day('2026-03-04'))).toEqual({ new: 0, expansion: 0, contraction: 0, churned: 2500, reactivated: 0 });
    // LTV of day 3: ARPU 40.00 / (1 of 2 churned in one day × 30.4375) = 40.00 × 2 / 30.4375 = 2.63
    expect(day('2026-03-04').ltv_amount).toBe(263);
    // The comp's end moves no money.
    expect(day('2026-03-05')).toMatchObject({ mrr_amount: 4000, paying_members: 1 });
    expect(moves(day('2026-03-05'))).toEqual({ new: 0, expansion: 0, contraction: 0, churned: 0, reactivated: 0 });

    // By tier on the upgrade day: the supporter's MRR left supporter and arrived in patron.
    const byTier = (b: Body, tier: string) => b.by_tier.find((r: Body) => r.tier_id === tier);
    expect(moves(byTier(day('2026-03-03'), tiers.supporter))).toMatchObject({ churned: 2500 });
    expect(moves(byTier(day('2026-03-03'), tiers.patron))).toMatchObject({ new: 4000 });
    expect(byTier(res.body.summary, tiers.patron)).toMatchObject({ mrr_amount: 4000, paying_members: 1 });
    expect(byTier(res.body.summary, tiers.supporter)).toMatchObject({ mrr_amount: 0, paying_members: 0 });
    expect(res.body.summary.movements.net_amount).toBe(4000);
  });
});
