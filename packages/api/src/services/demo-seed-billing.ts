import { and, eq, isNull } from 'drizzle-orm';
import Stripe from 'stripe';
import type { BillingServiceDeps } from '../billing/billing-deps.js';
import { syncTenantCatalog } from '../billing/catalog-sync.js';
import { readTenantBilling } from '../billing/stripe-account.js';
import { updateTenantBilling } from '../billing/tenant-billing.js';
import { activeTierPrices, setTierPrices, type TierPriceInput, tierPriceCurrency } from '../billing/tier-prices.js';
import { billingCustomers, tenants, tenantBilling, tiers } from '../db/schema/index.js';
import type { AuditContext } from './audit-context.js';
import type { ServiceDeps } from './service-deps.js';

/** The demo's prices by tier name: monthly and yearly where it makes sense, a trial on Member. */
const DEMO_PRICES: Record<string, { prices: TierPriceInput[]; trialDays: number }> = {
  Supporter: {
    prices: [
      { interval: 'month', amount: 500 },
      { interval: 'year', amount: 5000 },
    ],
    trialDays: 0,
  },
  Member: {
    prices: [
      { interval: 'month', amount: 600 },
      { interval: 'year', amount: 6000 },
    ],
    trialDays: 14,
  },
  Patron: { prices: [{ interval: 'year', amount: 25000 }], trialDays: 0 },
};

const DEMO_CONTEXT: AuditContext = { actorType: 'system', actorId: 'demo-billing', requestId: null, ip: null };

/**
 * Gives the demo's paid tiers their monthly/yearly prices and trial, where a tier
 * has none yet (a database seeded before tiers had prices gets them too; prices
 * staff changed since are left alone).
 */
export async function ensureDemoPrices(deps: ServiceDeps, tenantId: string): Promise<void> {
  await deps.db.withTenant(tenantId, async (tx) => {
    const rows = await tx
      .select()
      .from(tiers)
      .where(and(eq(tiers.tenantId, tenantId), isNull(tiers.archivedAt)));
    const existing = await activeTierPrices(
      tx,
      tenantId,
      rows.map((r) => r.id),
    );
    for (const tier of rows) {
      const plan = DEMO_PRICES[tier.name];
      if (!plan || (existing.get(tier.id)?.length ?? 0) > 1) continue;
      // Only the seed's single price (or none) is replaced: a tier staff priced differently keeps its prices.
      const current = existing.get(tier.id)?.[0];
      if (current && !plan.prices.some((p) => p.interval === current.interval && p.amount === current.amount)) continue;
      const currency = await tierPriceCurrency(tx, tenantId, tier.currency);
      await setTierPrices(tx, deps, tenantId, tier.id, plan.prices, currency);
      if (tier.trialDays === 0 && plan.trialDays > 0)
        await tx
          .update(tiers)
          .set({ trialDays: plan.trialDays })
          .where(and(eq(tiers.tenantId, tenantId), eq(tiers.id, tier.id)));
    }
  });
}

/**
 * Connects the demo tenant to the offline Stripe test double in Connect mode, its
 * account onboarded (`onboard`), and creates its catalog there. The double keeps
 * its state in memory: on each start it is empty, so an account, customers and
 * Stripe ids the database kept from an earlier start no longer exist. Those are
 * dropped and made again (subscriptions bought earlier stay as history).
 * Returns the connected account.
 */
export async function connectDemoBilling(
  deps: BillingServiceDeps,
  tenantId: string,
  onboard: (accountId: string) => Promise<void>,
): Promise<string> {
  const billing = deps.billing;
  if (!billing?.platform) throw new Error('The demo billing needs the Stripe test double (a platform key).');
  const settings = await deps.db.withTenant(tenantId, (tx) => readTenantBilling(tx, tenantId));
  if (settings?.mode === 'connect' && settings.stripeAccountId) {
    const live = await billing
      .stripe(billing.platform.secretKey)
      .accounts.retrieve(settings.stripeAccountId)
      .then(() => true)
      .catch((error: unknown) => {
        if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) return false;
        throw error;
      });
    if (live) {
      await syncTenantCatalog(deps, tenantId);
      return settings.stripeAccountId;
    }
  }
  if (settings) {
    // Stripe ids of an earlier double: forgotten, so the connection below starts the catalog afresh.
    await deps.db.withTenant(tenantId, async (tx) => {
      await tx.update(tenants).set({ stripeConnectAccountId: null }).where(eq(tenants.id, tenantId));
      await tx.delete(billingCustomers).where(eq(billingCustomers.tenantId, tenantId));
      await tx
        .update(tenantBilling)
        .set({
          mode: 'connect',
          stripeAccountId: null,
          sealedSecretKey: null,
          secretKeyHint: null,
          webhookEndpointId: null,
          sealedWebhookSecret: null,
        })
        .where(eq(tenantBilling.tenantId, tenantId));
    });
  }
  const status = await updateTenantBilling(deps, tenantId, DEMO_CONTEXT, {
    mode: 'connect',
    ...(settings ? {} : { currency: 'eur', allowCancelNow: true, gracePeriodDays: 7 }),
  });
  if (!status.accountId) throw new Error('The demo tenant was not connected to the Stripe test double.');
  await onboard(status.accountId);
  return status.accountId;
}
