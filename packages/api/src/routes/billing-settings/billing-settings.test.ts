import { and, eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRIPE_CLIENT_OPTIONS } from '../../billing/billing-deps.js';
import { auditLog, tenants, tenantBilling } from '../../db/schema/index.js';
import {
  createTestContext,
  expectProblem,
  startStripeDouble,
  type StripeDouble,
  type TestContext,
  type TestTenant,
} from '../../testing/index.js';

const BASE = 'http://api.memberkit.test';

let stripe: StripeDouble;
let t: TestContext;

beforeAll(async () => {
  stripe = await startStripeDouble();
  t = await createTestContext({ billing: stripe.billingDeps({ webhookBaseUrl: BASE }) });
});

afterAll(async () => {
  await t?.close();
  await stripe?.close();
});

async function billingRow(tenantId: string) {
  const [row] = await t.db.withTenant(tenantId, (tx) =>
    tx.select().from(tenantBilling).where(eq(tenantBilling.tenantId, tenantId)),
  );
  return row ?? null;
}

async function auditActions(tenantId: string, action: string) {
  return t.db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.action, action))),
  );
}

const put = (tenant: TestTenant, body: Record<string, unknown>, key = tenant.secret_key) =>
  t.request('PUT', '/v1/tenant/billing', { key, body });
const get = (tenant: TestTenant, key = tenant.secret_key) => t.request('GET', '/v1/tenant/billing', { key });

describe('GET /v1/tenant/billing', () => {
  it('shows a tenant without billing as not connected, missing a Stripe account', async () => {
    const tenant = await t.createTenant();
    const res = await get(tenant);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      object: 'tenant_billing',
      mode: null,
      account_id: null,
      connected: false,
      charges_enabled: false,
      currency: 'eur',
      missing: ['stripe_account'],
      onboarding_url: null,
    });
  });

  it('is readable with billing:read (viewer) but not writable without billing:write', async () => {
    const tenant = await t.createTenant();
    const viewer = await t.signInStaff(tenant, 'viewer');
    expect((await get(tenant, viewer.access_token)).status).toBe(200);
    expectProblem(await put(tenant, { mode: 'connect' }, viewer.access_token), 403);
    expect(await billingRow(tenant.id)).toBeNull();
  });
});

describe('PUT /v1/tenant/billing in Connect mode', () => {
  it('creates a connected account, asks for onboarding, and is ready once onboarded', async () => {
    const tenant = await t.createTenant();
    const res = await put(tenant, { mode: 'connect', grace_period_days: 10, allow_cancel_now: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      mode: 'connect',
      connected: true,
      charges_enabled: false,
      missing: ['onboarding'],
      grace_period_days: 10,
      allow_cancel_now: true,
    });
    const accountId: string = res.body.account_id;
    expect(accountId).toMatch(/^acct_/);
    expect(res.body.onboarding_url).toContain(`/connect/onboarding/${accountId}`);

    const account = await stripe.client().accounts.retrieve(accountId);
    expect(account.metadata).toMatchObject({ memberkit_tenant_id: tenant.id });
    const directory = await t.db.withTenant(tenant.id, (tx) =>
      tx.select({ account: tenants.stripeConnectAccountId }).from(tenants).where(eq(tenants.id, tenant.id)),
    );
    expect(directory).toEqual([{ account: accountId }]);

    await stripe.completeOnboarding(accountId);
    const after = await get(tenant);
    expect(after.body).toMatchObject({
      charges_enabled: true,
      missing: [],
      onboarding_url: null,
      account_id: accountId,
    });

    const [entry] = await auditActions(tenant.id, 'billing.settings_updated');
    expect(entry!.diff).toMatchObject({ mode: { from: null, to: 'connect' }, stripe_account: { to: accountId } });
  });

  it('refuses an unknown lapse tier with 422 and stores nothing', async () => {
    const tenant = await t.createTenant();
    const res = await put(tenant, { mode: 'connect', lapse_tier_id: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc' });
    const problem = expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(problem.errors).toEqual([expect.objectContaining({ field: 'lapse_tier_id' })]);
    expect(await billingRow(tenant.id)).toBeNull();
    expect(
      (await stripe.client().accounts.list({ limit: 100 })).data.map((a) => a.metadata?.memberkit_tenant_id),
    ).not.toContain(tenant.id);
  });

  it('accepts a lapse tier of the tenant', async () => {
    const tenant = await t.createTenant();
    const tier = await t.request('POST', '/v1/tiers', {
      key: tenant.secret_key,
      body: { name: 'Friends', interval: 'free' },
    });
    const res = await put(tenant, { mode: 'connect', lapse_tier_id: tier.body.id });
    expect(res.status).toBe(200);
    expect(res.body.lapse_tier_id).toBe(tier.body.id);
  });

  it('refuses the first PUT without a mode', async () => {
    const tenant = await t.createTenant();
    const problem = expectProblem(await put(tenant, { currency: 'usd' }), 422);
    expect(problem.errors).toEqual([expect.objectContaining({ field: 'mode' })]);
  });
});

describe('PUT /v1/tenant/billing in direct mode', () => {
  it('verifies the key, stores it sealed, creates the webhook endpoint, and never returns the key', async () => {
    const tenant = await t.createTenant();
    const direct = stripe.createDirectAccount();
    const res = await put(tenant, { mode: 'direct', secret_key: direct.secretKey });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      mode: 'direct',
      account_id: direct.accountId,
      connected: true,
      charges_enabled: true,
      missing: [],
      secret_key_hint: direct.secretKey.slice(-4),
    });
    expect(res.text).not.toContain(direct.secretKey);
    expect((await get(tenant)).text).not.toContain(direct.secretKey);

    const row = await billingRow(tenant.id);
    expect(row!.sealedSecretKey).toBeTruthy();
    expect(JSON.stringify(row)).not.toContain(direct.secretKey);

    const endpoints = await stripe.client(direct.secretKey).webhookEndpoints.list();
    expect(endpoints.data).toHaveLength(1);
    const endpoint = endpoints.data[0]!;
    expect(endpoint.id).toBe(res.body.webhook_endpoint_id);
    expect(endpoint.url).toBe(`${BASE}/v1/webhooks/stripe/${tenant.id}`);
    expect(endpoint.enabled_events).toEqual(
      expect.arrayContaining(['checkout.session.completed', 'customer.subscription.updated', 'invoice.paid']),
    );
    const [entry] = await auditActions(tenant.id, 'billing.settings_updated');
    expect(JSON.stringify(entry!.diff)).not.toContain(direct.secretKey);
  });

  it('replaces the webhook endpoint when the key changes, deleting the old one', async () => {
    const tenant = await t.createTenant();
    const first = stripe.createDirectAccount();
    const second = stripe.createDirectAccount();
    expect((await put(tenant, { mode: 'direct', secret_key: first.secretKey })).status).toBe(200);
    const res = await put(tenant, { secret_key: second.secretKey });
    expect(res.status).toBe(200);
    expect(res.body.account_id).toBe(second.accountId);
    expect((await stripe.client(first.secretKey).webhookEndpoints.list()).data).toHaveLength(0);
    const endpoints = (await stripe.client(second.secretKey).webhookEndpoints.list()).data;
    expect(endpoints.map((e) => e.id)).toEqual([res.body.webhook_endpoint_id]);
  });

  it('deletes the direct endpoint when switching to Connect', async () => {
    const tenant = await t.createTenant();
    const direct = stripe.createDirectAccount();
    expect((await put(tenant, { mode: 'direct', secret_key: direct.secretKey })).status).toBe(200);
    const res = await put(tenant, { mode: 'connect' });
    expect(res.body).toMatchObject({ mode: 'connect', secret_key_hint: null, webhook_endpoint_id: null });
    expect((await stripe.client(direct.secretKey).webhookEndpoints.list()).data).toHaveLength(0);
    expect((await billingRow(tenant.id))!.sealedSecretKey).toBeNull();
  });

  it('refuses a key Stripe does not know with 422 and stores nothing', async () => {
    const tenant = await t.createTenant();
    const problem = expectProblem(
      await put(tenant, { mode: 'direct', secret_key: 'rk_test_unknownkey0123456789' }),
      422,
      'VALIDATION_FAILED',
    );
    expect(problem.errors).toEqual([expect.objectContaining({ field: 'secret_key' })]);
    expect(await billingRow(tenant.id)).toBeNull();
  });

  it('refuses direct mode without a key, and a malformed key, with 422', async () => {
    const tenant = await t.createTenant();
    expectProblem(await put(tenant, { mode: 'direct' }), 422);
    expectProblem(await put(tenant, { mode: 'direct', secret_key: 'pk_test_123456789' }), 422);
    expect(await billingRow(tenant.id)).toBeNull();
  });

  it('keeps the old key when a new key is refused', async () => {
    const tenant = await t.createTenant();
    const direct = stripe.createDirectAccount();
    await put(tenant, { mode: 'direct', secret_key: direct.secretKey });
    const before = await billingRow(tenant.id);
    expectProblem(await put(tenant, { secret_key: 'sk_test_notarealkey0123456789' }), 422);
    expect(await billingRow(tenant.id)).toEqual(before);
    expect((await stripe.client(direct.secretKey).webhookEndpoints.list()).data).toHaveLength(1);
  });
});

describe('tenant isolation', () => {
  it("does not let one tenant see or change another tenant's billing", async () => {
    const a = await t.createTenant();
    const b = await t.createTenant();
    const connected = await put(a, { mode: 'connect', currency: 'usd' });
    expect(connected.status).toBe(200);

    const seenByB = await get(b);
    expect(seenByB.body).toMatchObject({ mode: null, account_id: null, currency: 'eur' });
    expect(await put(b, { mode: 'connect', currency: 'chf' })).toMatchObject({ status: 200 });

    const aAfter = await get(a);
    expect(aAfter.body).toMatchObject({ mode: 'connect', account_id: connected.body.account_id, currency: 'usd' });
    expect((await get(b)).body.account_id).not.toBe(connected.body.account_id);
  });
});

describe('a server without Stripe access', () => {
  it('shows billing as unavailable and refuses to connect with 503', async () => {
    const bare = await createTestContext({ db: t.db });
    const tenant = await bare.createTenant();
    const res = await bare.request('GET', '/v1/tenant/billing', { key: tenant.secret_key });
    expect(res.body).toMatchObject({ mode: null, connected: false, missing: ['stripe', 'stripe_account'] });
    expectProblem(
      await bare.request('PUT', '/v1/tenant/billing', { key: tenant.secret_key, body: { mode: 'connect' } }),
      503,
      'BILLING_UNAVAILABLE',
    );
    expect(await billingRow(tenant.id)).toBeNull();
  });
});

describe('a Stripe failure midway', () => {
  it('stores nothing when the key was verified but the webhook endpoint could not be created', async () => {
    // The real SDK against the double, with the network failing for endpoint creation only.
    const port = Number(new URL(stripe.url).port);
    const failingFetch: typeof fetch = (input, init) =>
      String(input instanceof Request ? input.url : input).includes('/v1/webhook_endpoints')
        ? Promise.reject(new TypeError('connection reset'))
        : fetch(input, init);
    const deps = stripe.billingDeps({ webhookBaseUrl: BASE });
    const faulty = await createTestContext({
      db: t.db,
      billing: {
        ...deps,
        stripe: (key) =>
          new Stripe(key, {
            ...STRIPE_CLIENT_OPTIONS,
            maxNetworkRetries: 0,
            host: '127.0.0.1',
            port,
            protocol: 'http',
            httpClient: Stripe.createFetchHttpClient(failingFetch),
          }),
      },
    });
    const tenant = await faulty.createTenant();
    const direct = stripe.createDirectAccount();
    const res = await faulty.request('PUT', '/v1/tenant/billing', {
      key: tenant.secret_key,
      body: { mode: 'direct', secret_key: direct.secretKey },
    });
    expectProblem(res, 502, 'STRIPE_UNREACHABLE');
    expect(await billingRow(tenant.id)).toBeNull();
    expect((await stripe.client(direct.secretKey).webhookEndpoints.list()).data).toHaveLength(0);
    expect(await auditActions(tenant.id, 'billing.settings_updated')).toHaveLength(0);
  });
});
