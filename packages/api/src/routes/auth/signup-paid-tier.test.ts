import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenants } from '../../db/schema/index.js';
import { createTestContext, expectProblem, TEST_PASSWORD, type TestContext } from '../../testing/index.js';

type Tenant = Awaited<ReturnType<TestContext['createTenant']>>;
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const person = () => ({
  email: `ada-${Math.random().toString(36).slice(2)}@example.org`,
  password: TEST_PASSWORD,
  first_name: 'Ada',
  last_name: 'Lovelace',
});

async function tenantWith(settings: Record<string, boolean>): Promise<Tenant> {
  const tenant = await t.createTenant();
  await t.db.withPlatform((tx) => tx.update(tenants).set({ authSettings: settings }).where(eq(tenants.id, tenant.id)));
  return tenant;
}

async function createTier(tenant: Tenant, body: Record<string, unknown>): Promise<string> {
  const res = await t.request('POST', '/v1/tiers', { key: tenant.secret_key, body });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe('POST /v1/auth/signup with a paid tier', () => {
  it('creates the member without the tier and tells the client to continue to checkout', async () => {
    const tenant = await tenantWith({ require_email_verification: false });
    const tier = await createTier(tenant, {
      name: 'Supporter',
      interval: 'month',
      price: { amount: 1500, currency: 'eur' },
    });
    const res = await t.request('POST', '/v1/auth/signup', {
      key: tenant.publishable_key,
      body: { ...person(), tier_id: tier },
    });
    expect(res.status).toBe(201);
    expect(res.body.next).toEqual({ action: 'checkout', tier_id: tier, interval: 'month' });
    expect(res.body.member.tier_id).toBeNull();
    const me = await t.request('GET', '/v1/me', { key: res.body.access_token });
    expect(me.body.tier_id).toBeNull();
  });

  it('says the same when the email must be verified first, and verifying grants no tier', async () => {
    const tenant = await t.createTenant();
    const tier = await createTier(tenant, {
      name: 'Patron',
      interval: 'year',
      price: { amount: 12000, currency: 'eur' },
    });
    const body = { ...person(), tier_id: tier };
    const res = await t.request('POST', '/v1/auth/signup', { key: tenant.publishable_key, body });
    expect(res.status).toBe(202);
    expect(res.body.next).toEqual({ action: 'checkout', tier_id: tier, interval: 'year' });
    // An address already registered gets the same answer (sign-up reveals no members).
    const again = await t.request('POST', '/v1/auth/signup', { key: tenant.publishable_key, body });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(res.body);
    const token = await t.mailToken(tenant.id, 'verify_email', body.email);
    const verified = await t.request('POST', '/v1/auth/verify-email', { key: tenant.publishable_key, body: { token } });
    expect(verified.status).toBe(200);
    expect(verified.body.member.tier_id).toBeNull();
  });

  it('still joins a free tier at once, without a next step', async () => {
    const tenant = await tenantWith({ require_email_verification: false });
    const tier = await createTier(tenant, { name: 'Friend', interval: 'free' });
    const res = await t.request('POST', '/v1/auth/signup', {
      key: tenant.publishable_key,
      body: { ...person(), tier_id: tier },
    });
    expect(res.status).toBe(201);
    expect(res.body.next).toBeUndefined();
    expect(res.body.member.tier_id).toBe(tier);
  });

  it('refuses one-time, inactive and unknown tiers with 422 and creates nobody', async () => {
    const tenant = await tenantWith({ require_email_verification: false });
    const once = await createTier(tenant, {
      name: 'Lifetime',
      interval: 'one_time',
      price: { amount: 50000, currency: 'eur' },
    });
    const inactive = await createTier(tenant, {
      name: 'Closed',
      interval: 'month',
      price: { amount: 900, currency: 'eur' },
      active: false,
    });
    for (const tierId of [once, inactive, 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc']) {
      const body = { ...person(), tier_id: tierId };
      const res = await t.request('POST', '/v1/auth/signup', { key: tenant.publishable_key, body });
      const problem = expectProblem(res, 422, 'VALIDATION_FAILED');
      expect(problem.errors?.[0]?.field).toBe('tier_id');
      const login = await t.request('POST', '/v1/auth/login', {
        key: tenant.publishable_key,
        body: { email: body.email, password: TEST_PASSWORD },
      });
      expect(login.status).toBe(401);
    }
  });
});
