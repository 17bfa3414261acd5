import { eq } from 'drizzle-orm';
import { stripeKeyContext, stripeWebhookSecretContext } from '../billing/stripe-account.js';
import { tenants, tenantBilling } from '../db/schema/index.js';
import type { StripeDouble } from '../stripe-double/double.js';
import type { TestContext, TestTenant } from './harness.js';

/** Options of {@link connectTestBilling}. */
export interface TestBillingOptions {
  /** `connect` (default): a connected account of the double's platform. `direct`: a standalone account and its sealed key. */
  mode?: 'connect' | 'direct';
  currency?: string;
  gracePeriodDays?: number;
  lapseTierId?: string | null;
  allowCancelNow?: boolean;
  allowPromotionCodes?: boolean;
  automaticTax?: boolean;
  /** Connect: finish the account's onboarding (default true). */
  onboarded?: boolean;
  /** Direct: base URL of the webhook endpoint created in the account (default `http://api.memberkit.test`). */
  webhookBaseUrl?: string;
}

/**
 * Sets a test tenant's billing up against the Stripe test double, as
 * `PUT /v1/tenant/billing` would leave it: Connect mode creates a connected
 * account through the platform key (onboarded) and writes `tenant_billing` and
 * the `stripe_account_directory` row; direct mode creates a standalone account,
 * seals its key, and creates its webhook endpoint at
 * `<webhookBaseUrl>/v1/webhooks/stripe/<tenant id>`. Returns the account id.
 * @example
 * const stripe = await startStripeDouble();
 * const t = await createTestContext({ billing: stripe.billingDeps() });
 * const tenant = await t.createTenant();
 * const accountId = await connectTestBilling(t, tenant, stripe);
 */
export async function connectTestBilling(
  t: Pick<TestContext, 'db' | 'deps'>,
  tenant: TestTenant | { id: string },
  double: StripeDouble,
  options: TestBillingOptions = {},
): Promise<string> {
  const rules = {
    currency: options.currency ?? 'eur',
    gracePeriodDays: options.gracePeriodDays ?? 7,
    lapseTierId: options.lapseTierId ?? null,
    allowCancelNow: options.allowCancelNow ?? false,
    allowPromotionCodes: options.allowPromotionCodes ?? true,
    automaticTax: options.automaticTax ?? false,
  };
  if (options.mode === 'direct') {
    const { accountId, secretKey } = double.createDirectAccount({ defaultCurrency: rules.currency });
    const base = (options.webhookBaseUrl ?? 'http://api.memberkit.test').replace(/\/$/, '');
    const endpoint = await double.client(secretKey).webhookEndpoints.create({
      url: `${base}/v1/webhooks/stripe/${tenant.id}`,
      enabled_events: ['*'],
      metadata: { memberkit_tenant_id: tenant.id },
    });
    const row = {
      mode: 'direct' as const,
      stripeAccountId: accountId,
      sealedSecretKey: await t.deps.secretBox.seal(secretKey, stripeKeyContext(tenant.id)),
      secretKeyHint: secretKey.slice(-4),
      webhookEndpointId: endpoint.id,
      sealedWebhookSecret: await t.deps.secretBox.seal(endpoint.secret!, stripeWebhookSecretContext(tenant.id)),
      ...rules,
    };
    await t.db.withTenant(tenant.id, async (tx) => {
      await tx
        .insert(tenantBilling)
        .values({ tenantId: tenant.id, ...row })
        .onConflictDoUpdate({ target: tenantBilling.tenantId, set: row });
    });
    return accountId;
  }

  const account = await double.client().accounts.create({
    type: 'express',
    country: 'DE',
    default_currency: rules.currency,
    metadata: { memberkit_tenant_id: tenant.id },
  });
  if (options.onboarded !== false) await double.completeOnboarding(account.id);
  const row = {
    mode: 'connect' as const,
    stripeAccountId: account.id,
    sealedSecretKey: null,
    secretKeyHint: null,
    webhookEndpointId: null,
    sealedWebhookSecret: null,
    ...rules,
  };
  await t.db.withTenant(tenant.id, async (tx) => {
    await tx
      .insert(tenantBilling)
      .values({ tenantId: tenant.id, ...row })
      .onConflictDoUpdate({ target: tenantBilling.tenantId, set: row });
    await tx.update(tenants).set({ stripeConnectAccountId: account.id }).where(eq(tenants.id, tenant.id));
  });
  return account.id;
}
