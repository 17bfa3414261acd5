import { and, eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.js';
import { usageRecords } from '../db/schema/index.js';
import { createManualClock } from '../lib/clock.js';
import {
  connectTestBilling,
  createTestContext,
  startStripeDouble,
  type StripeDouble,
  type TestContext,
  type TestTenant,
} from '../testing/index.js';
import type { BillingServiceDeps } from './billing-deps.js';
import { ensureCustomer } from './customers.js';
import { createUsageForwarder, drainUsageForwarder } from './usage-forwarder.js';

let stripe: StripeDouble;
let t: TestContext;
let tenant: TestTenant;
let accountId: string;
const clock = createManualClock(new Date());
const LEASE_MS = 5 * 60_000;

beforeAll(async () => {
  stripe = await startStripeDouble({ clock });
  t = await createTestContext({ clock, billing: stripe.billingDeps() });
  tenant = await t.createTenant('Forwarding club');
  accountId = await connectTestBilling(t, tenant, stripe);
});
afterAll(async () => {
  await t.close();
  await stripe.close();
});

let counter = 0;

/** A feature, a member with a Stripe customer, and `quantities` recorded through the API. */
async function recordSome(quantities: number[]) {
  const key = `fwd_${++counter}_${Math.random().toString(36).slice(2, 6)}`;
  const feature = await t.request('POST', '/v1/billing/features', {
    key: tenant.secret_key,
    body: { key, name: 'Guest passes' },
  });
  expect(feature.status, feature.text).toBe(201);
  const member = await t.request('POST', '/v1/members', {
    key: tenant.secret_key,
    body: { email: `${key}@example.org`, first_name: 'Ada', last_name: 'Byron' },
  });
  const memberId = member.body.id as string;
  const { customer } = await ensureCustomer(t.deps, tenant.id, memberId);
  for (const [i, quantity] of quantities.entries()) {
    const res = await t.request('POST', '/v1/usage', {
      key: tenant.secret_key,
      body: { member_id: memberId, feature: key, quantity, identifier: `${key}-${i}` },
    });
    expect(res.status, res.text).toBe(201);
  }
  return { meterId: feature.body.stripe_meter_id as string, memberId, customer: customer.stripeCustomerId };
}

/** What Stripe would bill: the meter's sum for the customer. */
async function meteredTotal(meterId: string, customer: string): Promise<number> {
  const now = Math.floor(clock.now().getTime() / 1000);
  const summaries = await stripe
    .client()
    .billing.meters.listEventSummaries(
      meterId,
      { customer, start_time: now - 40 * 86_400, end_time: now + 3600 },
      { stripeAccount: accountId },
    );
  return summaries.data.reduce((sum, s) => sum + s.aggregated_value, 0);
}

async function records(memberId: string) {
  return t.db.withTenant(tenant.id, (tx) =>
    tx
      .select()
      .from(usageRecords)
      .where(and(eq(usageRecords.tenantId, tenant.id), eq(usageRecords.memberId, memberId))),
  );
}

/** The same database, except that platform transactions after the first `allowed` ones fail: the process "died". */
function dyingDatabase(db: Database, allowed: number): Database {
  let calls = 0;
  return {
    driver: db.driver,
    liveness: db.liveness,
    withTenant: (tenantId, fn) => db.withTenant(tenantId, fn),
    withPlatform: (fn) => (++calls <= allowed ? db.withPlatform(fn) : Promise.reject(new Error('process died'))),
    migrate: () => db.migrate(),
    close: () => db.close(),
  };
}

const only = { onlyTenants: [] as string[] };
beforeAll(() => {
  only.onlyTenants = [tenant.id];
});

describe('usage forwarder', () => {
  it('loses nothing and doubles nothing when it dies after Stripe accepted the event', async () => {
    const { meterId, memberId, customer } = await recordSome([4]);
    // Claim commits, the meter event is sent, then the `sent` mark never commits.
    const dying: BillingServiceDeps = { ...t.deps, db: dyingDatabase(t.db, 1) };
    const crashed = await createUsageForwarder({ deps: dying, ...only }).runOnce();
    expect(crashed).toEqual({ sent: 0, skipped: 0, failed: 0, retried: 0 });
    expect(await meteredTotal(meterId, customer)).toBe(4);
    expect((await records(memberId))[0]).toMatchObject({ forwardStatus: 'pending', attempts: 1 });

    // Within the lease nobody sends it again…
    expect((await drainUsageForwarder(t.deps, only)).sent).toBe(0);
    // …after it, the next run sends it again, Stripe refuses the duplicate identifier, and that counts as sent.
    clock.advance(LEASE_MS + 1000);
    expect((await drainUsageForwarder(t.deps, only)).sent).toBe(1);
    expect((await records(memberId))[0]).toMatchObject({ forwardStatus: 'sent', attempts: 2 });
    expect(t.logger.lines.some((line) => line.includes('duplicate identifier'))).toBe(true);
    expect(await meteredTotal(meterId, customer)).toBe(4);
  });

  it('sends a record claimed by a forwarder that died before sending, once, after the lease', async () => {
    const { meterId, memberId, customer } = await recordSome([2, 5]);
    // The claim commits; the process dies before it reads the tenant or calls Stripe.
    const dying: BillingServiceDeps = {
      ...t.deps,
      db: { ...dyingDatabase(t.db, 1), withTenant: () => Promise.reject(new Error('process died')) },
    };
    await createUsageForwarder({ deps: dying, ...only }).runOnce();
    expect(await meteredTotal(meterId, customer)).toBe(0);
    clock.advance(LEASE_MS + 1000);
    expect((await drainUsageForwarder(t.deps, only)).sent).toBe(2);
    expect(await meteredTotal(meterId, customer)).toBe(7);
    expect((await records(memberId)).map((r) => r.forwardStatus)).toEqual(['sent', 'sent']);
  });

  it('sends each record once when two forwarders run at the same time', async () => {
    const quantities = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const { meterId, memberId, customer } = await recordSome(quantities);
    const [a, b] = await Promise.all([
      drainUsageForwarder(t.deps, { ...only, batchSize: 3 }),
      drainUsageForwarder(t.deps, { ...only, batchSize: 3 }),
    ]);
    expect(a.sent + b.sent).toBe(10);
    expect(await meteredTotal(meterId, customer)).toBe(55);
    expect((await records(memberId)).every((r) => r.forwardStatus === 'sent' && r.attempts === 1)).toBe(true);
  });

  it('retries with backoff while Stripe is unreachable, then fails with the last error', async () => {
    const { memberId } = await recordSome([1]);
    const billing = t.deps.billing!;
    // A port nothing listens on: connection refused, as when Stripe cannot be reached.
    const unreachable = new Stripe('sk_test_unreachable', {
      host: '127.0.0.1',
      port: 9,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    const offline: BillingServiceDeps = { ...t.deps, billing: { ...billing, stripe: () => unreachable } };
    const options = { ...only, maxAttempts: 3, retryDelaysMs: [60_000, 120_000] };
    expect((await drainUsageForwarder(offline, options)).retried).toBe(1);
    const [first] = await records(memberId);
    expect(first).toMatchObject({ forwardStatus: 'pending', attempts: 1 });
    expect(first!.nextAttemptAt.getTime()).toBe(clock.now().getTime() + 60_000);
    expect(first!.lastError).toMatch(/Stripe|connect/i);

    clock.advance(60_000);
    expect((await drainUsageForwarder(offline, options)).retried).toBe(1);
    clock.advance(120_000);
    expect((await drainUsageForwarder(offline, options)).failed).toBe(1);
    const [last] = await records(memberId);
    expect(last).toMatchObject({ forwardStatus: 'failed', attempts: 3 });
    expect(last!.lastError).toBeTruthy();
  });
});
