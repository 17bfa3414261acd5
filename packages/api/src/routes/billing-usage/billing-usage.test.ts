import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCustomer } from '../../billing/customers.js';
import { graduatedAmount } from '../../billing/metered-prices.js';
import { drainUsageForwarder } from '../../billing/usage-forwarder.js';
import { subscriptions, usageRecords, type UsagePriceStep } from '../../db/schema/index.js';
import { createManualClock } from '../../lib/clock.js';
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
let tenant: TestTenant;
let accountId: string;
const clock = createManualClock(new Date());

beforeAll(async () => {
  stripe = await startStripeDouble({ clock });
  t = await createTestContext({ clock, billing: stripe.billingDeps() });
  tenant = await t.createTenant('Coworking club');
  accountId = await connectTestBilling(t, tenant, stripe);
});
afterAll(async () => {
  await t.close();
  await stripe.close();
});

let keyCounter = 0;
/** A fresh feature key per test, so tests share the tenant without colliding. */
const newKey = () => `hours_${++keyCounter}_${Math.random().toString(36).slice(2, 6)}`;

async function createFeature(key = newKey(), on: TestTenant = tenant) {
  const res = await t.request('POST', '/v1/billing/features', {
    key: on.secret_key,
    body: { key, name: 'Coworking hours', unit_label: 'hour' },
  });
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; key: string; stripe_meter_id: string };
}

async function createTier(name = 'Cowork') {
  const res = await t.request('POST', '/v1/tiers', {
    key: tenant.secret_key,
    body: { name, interval: 'month', price: { amount: 2000, currency: 'eur' } },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

/** A signed-up member with their id, token, and (optionally) a Stripe customer. */
async function member(options: { customer?: boolean; tierId?: string } = {}) {
  const session = await t.signUpMember(tenant);
  const me = await t.request('GET', '/v1/me', { key: session.access_token });
  const id = me.body.id as string;
  if (options.tierId) {
    const res = await t.request('PATCH', `/v1/members/${id}`, {
      key: tenant.secret_key,
      body: { tier_id: options.tierId },
    });
    expect(res.status, res.text).toBe(200);
  }
  if (options.customer) await ensureCustomer(t.deps, tenant.id, id);
  return { id, token: session.access_token as string };
}

const client = () => stripe.client();
const onAccount = () => ({ stripeAccount: accountId });

/** Sum the double's meter holds for `customer` over the last 40 days: what Stripe would bill. */
async function meteredTotal(meterId: string, memberId: string): Promise<number> {
  const customer = (await ensureCustomer(t.deps, tenant.id, memberId)).customer.stripeCustomerId;
  const now = Math.floor(clock.now().getTime() / 1000);
  const summaries = await client().billing.meters.listEventSummaries(
    meterId,
    { customer, start_time: now - 40 * 86_400, end_time: now + 3600 },
    onAccount(),
  );
  return summaries.data.reduce((sum, s) => sum + s.aggregated_value, 0);
}

async function storedRecords(memberId: string) {
  return t.db.withTenant(tenant.id, (tx) =>
    tx
      .select()
      .from(usageRecords)
      .where(and(eq(usageRecords.tenantId, tenant.id), eq(usageRecords.memberId, memberId))),
  );
}

describe('metered features', () => {
  it('creates a Stripe Billing Meter summing value per customer, named mk_<key>', async () => {
    const key = newKey();
    const feature = await createFeature(key);
    expect(feature).toMatchObject({ object: 'metered_feature', key, meter_event_name: `mk_${key}` });
    const meter = await client().billing.meters.retrieve(feature.stripe_meter_id, {}, onAccount());
    expect(meter).toMatchObject({
      event_name: `mk_${key}`,
      status: 'active',
      default_aggregation: { formula: 'sum' },
      customer_mapping: { event_payload_key: 'stripe_customer_id', type: 'by_id' },
      value_settings: { event_payload_key: 'value' },
    });
    const audit = await t.request('GET', '/v1/audit-log?action=billing_feature.created&limit=100', {
      key: tenant.secret_key,
    });
    expect(audit.body.data.map((e: { target: { id: string } }) => e.target.id)).toContain(feature.id);
  });

  it('lists, gets, renames and archives; an archived feature deactivates its meter and takes no usage', async () => {
    const feature = await createFeature();
    const got = await t.request('GET', `/v1/billing/features/${feature.id}`, { key: tenant.secret_key });
    expect(got.body.name).toBe('Coworking hours');
    const renamed = await t.request('PATCH', `/v1/billing/features/${feature.id}`, {
      key: tenant.secret_key,
      body: { name: 'Desk hours' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Desk hours');

    const archived = await t.request('DELETE', `/v1/billing/features/${feature.id}`, { key: tenant.secret_key });
    expect(archived.status).toBe(200);
    expect(archived.body.archived).toBe(true);
    const meter = await client().billing.meters.retrieve(feature.stripe_meter_id, {}, onAccount());
    expect(meter.status).toBe('inactive');

    const listed = await t.request('GET', '/v1/billing/features', { key: tenant.secret_key });
    expect(listed.body.data.map((f: { id: string }) => f.id)).not.toContain(feature.id);
    const all = await t.request('GET', '/v1/billing/features?include_archived=true&limit=100', {
      key: tenant.secret_key,
    });
    expect(all.body.data.map((f: { id: string }) => f.id)).toContain(feature.id);

    const m = await member();
    const refused = await t.request('POST', '/v1/usage', {
      key: tenant.secret_key,
      body: { member_id: m.id, feature: feature.key, quantity: 1, identifier: `arch-${feature.id}` },
    });
    expectProblem(refused, 409, 'FEATURE_ARCHIVED');
    expect(await storedRecords(m.id)).toHaveLength(0);
  });

  it('refuses a key used before (409) and a bad key (422), leaving no meter behind', async () => {
    const key = newKey();
    await createFeature(key);
    const again = await t.request('POST', '/v1/billing/features', {
      key: tenant.secret_key,
      body: { key, name: 'Twice' },
    });
    expectProblem(again, 409, 'FEATURE_KEY_TAKEN');
    const bad = await t.request('POST', '/v1/billing/features', {
      key: tenant.secret_key,
      body: { key: 'Guest Passes!', name: 'Guest passes' },
    });
    expectProblem(bad, 422, 'VALIDATION_FAILED');
    const meters = await client().billing.meters.list({ limit: 100 }, onAccount());
    expect(meters.data.filter((m) => m.event_name === `mk_${key}`)).toHaveLength(1);
  });

  it('needs billing:write to create and billing:read to list', async () => {
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    const manager = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'manager' });
    const body = { key: newKey(), name: 'Guest passes' };
    expectProblem(await t.request('POST', '/v1/billing/features', { key: viewer.key, body }), 403);
    expectProblem(await t.request('POST', '/v1/billing/features', { key: manager.key, body }), 403);
    expect((await t.request('GET', '/v1/billing/features', { key: viewer.key })).status).toBe(200);
  });

  it('answers 409 BILLING_NOT_CONFIGURED for a tenant without Stripe, storing nothing', async () => {
    const other = await t.createTenant('No billing');
    const res = await t.request('POST', '/v1/billing/features', {
      key: other.secret_key,
      body: { key: 'guest_passes', name: 'Guest passes' },
    });
    expectProblem(res, 409, 'BILLING_NOT_CONFIGURED');
    const list = await t.request('GET', '/v1/billing/features?include_archived=true', { key: other.secret_key });
    expect(list.body.data).toEqual([]);
  });
});

describe("another tenant's features and prices", () => {
  it('are 404 to every feature and metered-price route, and stay unchanged', async () => {
    const feature = await createFeature();
    const tierId = await createTier();
    const put = await t.request('PUT', `/v1/tiers/${tierId}/metered-prices/${feature.id}`, {
      key: tenant.secret_key,
      body: { interval: 'month', steps: [{ up_to: null, unit_amount: 100 }] },
    });
    expect(put.status).toBe(201);
    const other = await t.createTenant('Snooping club');
    await connectTestBilling(t, other, stripe);
    const key = other.secret_key;
    const price = `/v1/tiers/${tierId}/metered-prices/${feature.id}`;
    expectProblem(await t.request('GET', `/v1/billing/features/${feature.id}`, { key }), 404, 'FEATURE_NOT_FOUND');
    expectProblem(await t.request('PATCH', `/v1/billing/features/${feature.id}`, { key, body: { name: 'Mine' } }), 404);
    expectProblem(await t.request('DELETE', `/v1/billing/features/${feature.id}`, { key }), 404);
    expectProblem(await t.request('GET', `/v1/tiers/${tierId}/metered-prices`, { key }), 404, 'TIER_NOT_FOUND');
    const body = { interval: 'month', steps: [{ up_to: null, unit_amount: 1 }] };
    expectProblem(await t.request('PUT', price, { key, body }), 404);
    expectProblem(await t.request('DELETE', price, { key }), 404);
    expect((await t.request('GET', '/v1/billing/features', { key })).body.data).toEqual([]);

    const mine = await t.request('GET', `/v1/billing/features/${feature.id}`, { key: tenant.secret_key });
    expect(mine.body).toMatchObject({ name: 'Coworking hours', archived: false });
    const prices = await t.request('GET', `/v1/tiers/${tierId}/metered-prices`, { key: tenant.secret_key });
    expect(prices.body.data).toEqual([
      expect.objectContaining({ id: put.body.id, steps: [{ up_to: null, unit_amount: 100 }] }),
    ]);
  });
});

describe('PUT /v1/tiers/{id}/metered-prices/{feature_id}', () => {
  it('creates a graduated metered Stripe Price with the included units free, and archives the old one on change', async () => {
    const tierId = await createTier();
    const feature = await createFeature();
    const body = {
      interval: 'month',
      included_units: 10,
      steps: [
        { up_to: 50, unit_amount: 500 },
        { up_to: null, unit_amount: 400, flat_amount: 100 },
      ],
    };
    const put = await t.request('PUT', `/v1/tiers/${tierId}/metered-prices/${feature.id}`, {
      key: tenant.secret_key,
      body,
    });
    expect(put.status, put.text).toBe(201);
    const price = await client().prices.retrieve(put.body.stripe_price_id, {}, onAccount());
    expect(price).toMatchObject({
      currency: 'eur',
      billing_scheme: 'tiered',
      tiers_mode: 'graduated',
      recurring: { interval: 'month', usage_type: 'metered', meter: feature.stripe_meter_id },
      active: true,
    });
    const withTiers = await client().prices.retrieve(put.body.stripe_price_id, { expand: ['tiers'] }, onAccount());
    expect(withTiers.tiers?.map((tier) => [tier.up_to, tier.unit_amount, tier.flat_amount ?? null])).toEqual([
      [10, 0, null],
      [50, 500, null],
      [null, 400, 100],
    ]);

    const same = await t.request('PUT', `/v1/tiers/${tierId}/metered-prices/${feature.id}`, {
      key: tenant.secret_key,
      body,
    });
    expect(same.status).toBe(200);
    expect(same.body.id).toBe(put.body.id);

    const changed = await t.request('PUT', `/v1/tiers/${tierId}/metered-prices/${feature.id}`, {
      key: tenant.secret_key,
      body: { ...body, included_units: 0 },
    });
    expect(changed.status).toBe(201);
    expect((await client().prices.retrieve(put.body.stripe_price_id, {}, onAccount())).active).toBe(false);
    const list = await t.request('GET', `/v1/tiers/${tierId}/metered-prices`, { key: tenant.secret_key });
    expect(list.body.data.map((p: { id: string }) => p.id)).toEqual([changed.body.id]);

    const removed = await t.request('DELETE', `/v1/tiers/${tierId}/metered-prices/${feature.id}`, {
      key: tenant.secret_key,
    });
    expect(removed.status).toBe(200);
    expect((await client().prices.retrieve(changed.body.stripe_price_id, {}, onAccount())).active).toBe(false);
    expectProblem(
      await t.request('DELETE', `/v1/tiers/${tierId}/metered-prices/${feature.id}`, { key: tenant.secret_key }),
      404,
      'METERED_PRICE_NOT_FOUND',
    );
  });

  it('refuses steps that do not fit (422 naming the step) and unknown tiers or features (404)', async () => {
    const tierId = await createTier();
    const feature = await createFeature();
    const put = (body: unknown, tier = tierId, feat = feature.id) =>
      t.request('PUT', `/v1/tiers/${tier}/metered-prices/${feat}`, { key: tenant.secret_key, body });
    const notRising = await put({
      interval: 'month',
      included_units: 10,
      steps: [
        { up_to: 5, unit_amount: 100 },
        { up_to: null, unit_amount: 50 },
      ],
    });
    expect(expectProblem(notRising, 422, 'VALIDATION_FAILED').errors?.[0]?.field).toBe('steps.0.up_to');
    const capped = await put({ interval: 'month', steps: [{ up_to: 100, unit_amount: 100 }] });
    expect(expectProblem(capped, 422).errors?.[0]?.field).toBe('steps.0.up_to');
    expectProblem(await put({ interval: 'week', steps: [{ up_to: null, unit_amount: 1 }] }), 422);
    const valid = { interval: 'month', steps: [{ up_to: null, unit_amount: 1 }] };
    expectProblem(await put(valid, 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc'), 404, 'TIER_NOT_FOUND');
    expectProblem(await put(valid, tierId, 'feat_01jdx3v4k7m9q2w8e5r6t0y1zc'), 404, 'FEATURE_NOT_FOUND');
    const list = await t.request('GET', `/v1/tiers/${tierId}/metered-prices`, { key: tenant.secret_key });
    expect(list.body.data).toEqual([]);
  });
});

describe('POST /v1/usage', () => {
  it('records usage once per identifier: a replay answers 200 with the stored record, and Stripe gets one meter event', async () => {
    const feature = await createFeature();
    const m = await member({ customer: true });
    const body = { member_id: m.id, feature: feature.key, quantity: 3, identifier: `booking-${m.id}` };
    const first = await t.request('POST', '/v1/usage', { key: tenant.secret_key, body });
    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({ object: 'usage_record', quantity: 3, forward_status: 'pending' });
    const replay = await t.request('POST', '/v1/usage', { key: tenant.secret_key, body });
    expect(replay.status).toBe(200);
    expect(replay.body.id).toBe(first.body.id);

    expect((await drainUsageForwarder(t.deps, { onlyTenants: [tenant.id] })).sent).toBe(1);
    const again = await t.request('POST', '/v1/usage', { key: tenant.secret_key, body });
    expect(again.status).toBe(200);
    expect(again.body.forward_status).toBe('sent');
    await drainUsageForwarder(t.deps, { onlyTenants: [tenant.id] });
    expect(await storedRecords(m.id)).toHaveLength(1);
    expect(await meteredTotal(feature.stripe_meter_id, m.id)).toBe(3);
  });

  it('answers 409 USAGE_IDENTIFIER_REUSED for the same identifier with other values', async () => {
    const feature = await createFeature();
    const m = await member();
    const body = { member_id: m.id, feature: feature.key, quantity: 1, identifier: `reuse-${m.id}` };
    expect((await t.request('POST', '/v1/usage', { key: tenant.secret_key, body })).status).toBe(201);
    const other = await t.request('POST', '/v1/usage', { key: tenant.secret_key, body: { ...body, quantity: 2 } });
    expectProblem(other, 409, 'USAGE_IDENTIFIER_REUSED');
    const [record] = await storedRecords(m.id);
    expect(record?.quantity).toBe(1);
  });

  it('refuses bad input with a clear 4xx and stores nothing', async () => {
    const feature = await createFeature();
    const m = await member();
    const ok = { member_id: m.id, feature: feature.key, quantity: 1, identifier: `bad-${m.id}` };
    const cases: [unknown, number, string][] = [
      [{ ...ok, quantity: 0 }, 422, 'quantity'],
      [{ ...ok, quantity: 1.5 }, 422, 'quantity'],
      [{ ...ok, identifier: '' }, 422, 'identifier'],
      [{ ...ok, identifier: 'x'.repeat(256) }, 422, 'identifier'],
      [{ ...ok, timestamp: 'yesterday' }, 422, 'timestamp'],
      [{ ...ok, timestamp: new Date(clock.now().getTime() - 36 * 86_400_000).toISOString() }, 422, 'timestamp'],
      [{ ...ok, timestamp: new Date(clock.now().getTime() + 10 * 60_000).toISOString() }, 422, 'timestamp'],
      [{ ...ok, feature: 'no_such_feature' }, 404, 'feature'],
      [{ ...ok, member_id: 'mem_01jdx3v4k7m9q2w8e5r6t0y1zc' }, 404, 'member_id'],
      [{ ...ok, extra: true }, 422, 'extra'],
    ];
    for (const [body, status, field] of cases) {
      const res = await t.request('POST', '/v1/usage', { key: tenant.secret_key, body });
      const problem = expectProblem(res, status);
      expect(
        problem.errors?.map((e) => e.field),
        JSON.stringify(body).slice(0, 80),
      ).toContain(field);
    }
    expect(await storedRecords(m.id)).toHaveLength(0);
  });

  it("does not let another tenant's key record usage for this tenant's member", async () => {
    const feature = await createFeature();
    const m = await member();
    const other = await t.createTenant('Other club');
    await connectTestBilling(t, other, stripe);
    await createFeature(feature.key, other);
    const res = await t.request('POST', '/v1/usage', {
      key: other.secret_key,
      body: { member_id: m.id, feature: feature.key, quantity: 5, identifier: `cross-${m.id}` },
    });
    expectProblem(res, 404, 'MEMBER_NOT_FOUND');
    expect(await storedRecords(m.id)).toHaveLength(0);
  });

  it('needs member:update: a viewer key is refused, a manager key records', async () => {
    const feature = await createFeature();
    const m = await member();
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    const manager = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'manager' });
    const body = { member_id: m.id, feature: feature.key, quantity: 1, identifier: `perm-${m.id}` };
    expectProblem(await t.request('POST', '/v1/usage', { key: viewer.key, body }), 403);
    expectProblem(await t.request('POST', '/v1/usage', { key: m.token, body }), 403);
    expect((await t.request('POST', '/v1/usage', { key: manager.key, body })).status).toBe(201);
  });

  it('skips usage of a member without a Stripe customer, saying why', async () => {
    const feature = await createFeature();
    const m = await member();
    const body = { member_id: m.id, feature: feature.key, quantity: 2, identifier: `skip-${m.id}` };
    expect((await t.request('POST', '/v1/usage', { key: tenant.secret_key, body })).status).toBe(201);
    await drainUsageForwarder(t.deps, { onlyTenants: [tenant.id] });
    const [record] = await storedRecords(m.id);
    expect(record).toMatchObject({ forwardStatus: 'skipped' });
    expect(record?.lastError).toMatch(/no Stripe customer/);
  });
});

/** Brute force: every unit one by one, each charged by the step it falls in, a step's flat amount on its first unit. */
function bruteForce(units: number, included: number, steps: UsagePriceStep[]): number {
  let total = 0;
  const entered = new Set<number>();
  for (let unit = 1; unit <= units; unit++) {
    if (unit <= included) continue;
    const index = steps.findIndex((s) => s.up_to === null || unit <= s.up_to);
    const step = steps[index]!;
    if (!entered.has(index)) {
      entered.add(index);
      total += step.flat_amount ?? 0;
    }
    total += step.unit_amount;
  }
  return total;
}

describe('GET /v1/me/billing/usage', () => {
  it("shows this period's usage, included units and the estimated charge of the member's tier", async () => {
    const tierId = await createTier('Flex');
    const feature = await createFeature();
    const steps = [
      { up_to: 20, unit_amount: 250, flat_amount: 1000 },
      { up_to: 40, unit_amount: 199 },
      { up_to: null, unit_amount: 150 },
    ];
    const put = await t.request('PUT', `/v1/tiers/${tierId}/metered-prices/${feature.id}`, {
      key: tenant.secret_key,
      body: { interval: 'month', included_units: 5, steps },
    });
    expect(put.status, put.text).toBe(201);
    const m = await member({ tierId });

    const empty = await t.request('GET', '/v1/me/billing/usage', { key: m.token });
    expect(empty.status, empty.text).toBe(200);
    expect(empty.body.features).toEqual([
      {
        key: feature.key,
        name: 'Coworking hours',
        unit_label: 'hour',
        used: 0,
        included: 5,
        estimated_amount: 0,
        currency: 'eur',
      },
    ]);
    const now = clock.now();
    expect(empty.body.period_start).toBe(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString());

    // Usage arrives in pieces; after each the estimate is what a unit-by-unit count says.
    let used = 0;
    for (const [i, quantity] of [3, 2, 1, 14, 1, 19, 7].entries()) {
      const res = await t.request('POST', '/v1/usage', {
        key: tenant.secret_key,
        body: { member_id: m.id, feature: feature.key, quantity, identifier: `est-${m.id}-${i}` },
      });
      expect(res.status, res.text).toBe(201);
      used += quantity;
      const summary = await t.request('GET', '/v1/me/billing/usage', { key: m.token });
      expect(summary.body.features[0]).toMatchObject({
        used,
        included: 5,
        estimated_amount: bruteForce(used, 5, steps),
      });
    }
  });

  it("counts the subscription's current period and its interval's price, not the calendar month", async () => {
    const tierId = await createTier('Annual flex');
    const feature = await createFeature();
    const steps = [{ up_to: null, unit_amount: 300 }];
    for (const [interval, included] of [
      ['month', 100],
      ['year', 2],
    ] as const) {
      const put = await t.request('PUT', `/v1/tiers/${tierId}/metered-prices/${feature.id}`, {
        key: tenant.secret_key,
        body: { interval, included_units: included, steps },
      });
      expect(put.status, put.text).toBe(201);
    }
    const m = await member({ tierId });
    const now = clock.now().getTime();
    // A yearly subscription whose period began 10 days ago (as the webhook worker would have stored it).
    const periodStart = new Date(now - 10 * 86_400_000);
    const periodEnd = new Date(now + 355 * 86_400_000);
    await t.db.withTenant(tenant.id, (tx) =>
      tx.insert(subscriptions).values({
        tenantId: tenant.id,
        id: `msub_${m.id.slice(4)}`,
        memberId: m.id,
        kind: 'stripe',
        status: 'active',
        tierId,
        stripeSubscriptionId: `sub_test_${m.id.slice(4)}`,
        interval: 'year',
        currency: 'eur',
        currentPeriodStart: periodStart,
        currentPeriodEnd: periodEnd,
      }),
    );
    const record = (quantity: number, at: Date, identifier: string) =>
      t.request('POST', '/v1/usage', {
        key: tenant.secret_key,
        body: { member_id: m.id, feature: feature.key, quantity, identifier, timestamp: at.toISOString() },
      });
    expect((await record(7, new Date(now - 11 * 86_400_000), `before-${m.id}`)).status).toBe(201);
    expect((await record(3, new Date(now - 9 * 86_400_000), `inside-${m.id}`)).status).toBe(201);
    expect((await record(1, new Date(now), `now-${m.id}`)).status).toBe(201);

    const summary = await t.request('GET', '/v1/me/billing/usage', { key: m.token });
    expect(summary.body).toMatchObject({
      period_start: periodStart.toISOString(),
      period_end: periodEnd.toISOString(),
      features: [{ key: feature.key, used: 4, included: 2, estimated_amount: 600, currency: 'eur' }],
    });
  });

  it('computes graduated charges exactly, as a unit-by-unit count does', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let trial = 0; trial < 300; trial++) {
      const included = random(3) === 0 ? 0 : random(30);
      const steps: UsagePriceStep[] = [];
      let top = included;
      const count = 1 + random(4);
      for (let i = 0; i < count; i++) {
        const last = i === count - 1;
        top += 1 + random(25);
        steps.push({
          up_to: last ? null : top,
          unit_amount: random(5) === 0 ? 0 : random(100_000),
          ...(random(3) === 0 ? { flat_amount: random(5000) } : {}),
        });
      }
      const units = random(200);
      expect(Number(graduatedAmount(BigInt(units), included, steps))).toBe(bruteForce(units, included, steps));
    }
    // Beyond 2^53: 10^12 units at 99,999,999 stays exact.
    expect(graduatedAmount(10n ** 12n, 0, [{ up_to: null, unit_amount: 99_999_999 }])).toBe(99_999_999n * 10n ** 12n);
  });
});
