import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenants, tenantBilling } from '../db/schema/index.js';
import {
  connectTestBilling,
  createTestContext,
  type StripeDouble,
  startStripeDouble,
  type TestContext,
} from '../testing/index.js';

let double: StripeDouble;
let t: TestContext;

beforeAll(async () => {
  double = await startStripeDouble();
  t = await createTestContext({ billing: double.billingDeps() });
});
afterAll(async () => {
  await t.close();
  await double.close();
});

describe('connectTestBilling', () => {
  it('connects a tenant through a connected account of the platform', async () => {
    const tenant = await t.createTenant();
    const accountId = await connectTestBilling(t, tenant, double, { currency: 'usd' });
    const account = await double.client().accounts.retrieve(accountId);
    expect(account.charges_enabled).toBe(true);
    const rows = await t.db.withTenant(tenant.id, async (tx) => ({
      billing: await tx.select().from(tenantBilling).where(eq(tenantBilling.tenantId, tenant.id)),
      directory: await tx.select({ account: tenants.stripeConnectAccountId }).from(tenants),
    }));
    expect(rows.billing[0]).toMatchObject({ mode: 'connect', stripeAccountId: accountId, currency: 'usd' });
    expect(rows.directory).toEqual([{ account: accountId }]);
  });

  it('connects a tenant in direct mode with a sealed key and its own webhook endpoint', async () => {
    const tenant = await t.createTenant();
    const accountId = await connectTestBilling(t, tenant, double, { mode: 'direct' });
    const [row] = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(tenantBilling).where(eq(tenantBilling.tenantId, tenant.id)),
    );
    expect(row).toMatchObject({ mode: 'direct', stripeAccountId: accountId });
    const key = await t.deps.secretBox.open(row!.sealedSecretKey!, `stripe-key:${tenant.id}`);
    const endpoints = await double.client(key).webhookEndpoints.list();
    expect(endpoints.data.map((e) => e.url)).toEqual([`http://api.memberkit.test/v1/webhooks/stripe/${tenant.id}`]);
  });
});
