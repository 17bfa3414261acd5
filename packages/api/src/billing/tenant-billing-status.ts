import { and, eq, isNull, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { type BillingMode, tenants, tierPrices, type TenantBillingRow } from '../db/schema/index.js';
import type { BillingServiceDeps } from './billing-deps.js';
import { openTenantStripe, readTenantBilling } from './stripe-account.js';

/** Reasons a tenant cannot sell yet, as `missing` lists them. */
export type BillingBlocker =
  /** This server has no Stripe access at all (no key, no test double). */
  | 'stripe'
  /** No Stripe account connected (billing never set up). */
  | 'stripe_account'
  /** Connect mode on a server without a platform key. */
  | 'platform_key'
  /** The account cannot take charges yet: onboarding (Connect) or activation (direct) is not finished. */
  | 'onboarding'
  /** Direct mode without a webhook endpoint: Stripe's events would not arrive. */
  | 'webhook_endpoint'
  /** Tier prices not yet created in Stripe (a sync failed); the next sync or checkout retries. */
  | 'tier_prices'
  /** Stripe did not answer about the account just now. */
  | 'stripe_unreachable';

/** The tenant's billing as staff see it. Nothing secret: the key only as its hint. */
export interface TenantBillingStatus {
  settings: TenantBillingRow | null;
  mode: BillingMode | null;
  accountId: string | null;
  connected: boolean;
  chargesEnabled: boolean;
  missing: BillingBlocker[];
  onboardingUrl: string | null;
}

/**
 * The tenant's billing settings and what still blocks selling, asking Stripe
 * whether the account can take charges (and, for a Connect account that cannot
 * yet, for an onboarding link that returns to `returnUrl`, by default the
 * tenant's first allowed origin).
 */
export async function tenantBillingStatus(
  deps: BillingServiceDeps,
  tenantId: string,
  options: { returnUrl?: string } = {},
): Promise<TenantBillingStatus> {
  const local = await deps.db.withTenant(tenantId, async (tx) => {
    const settings = await readTenantBilling(tx, tenantId);
    const [unsynced] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(tierPrices)
      .where(and(eq(tierPrices.tenantId, tenantId), eq(tierPrices.active, true), isNull(tierPrices.stripePriceId)));
    const [tenant] = await tx
      .select({ allowedOrigins: tenants.allowedOrigins })
      .from(tenants)
      .where(eq(tenants.id, tenantId));
    return { settings, unsynced: unsynced?.n ?? 0, origin: tenant?.allowedOrigins[0] ?? null };
  });
  const { settings } = local;
  const missing: BillingBlocker[] = [];
  const status: TenantBillingStatus = {
    settings,
    mode: settings?.mode ?? null,
    accountId: settings?.stripeAccountId ?? null,
    connected: false,
    chargesEnabled: false,
    missing,
    onboardingUrl: null,
  };
  if (!deps.billing) missing.push('stripe');
  if (!settings) {
    missing.push('stripe_account');
    return status;
  }
  if (settings.mode === 'connect' && !deps.billing?.platform) missing.push('platform_key');
  if (settings.mode === 'connect' && !settings.stripeAccountId) missing.push('stripe_account');
  if (settings.mode === 'direct' && !settings.webhookEndpointId) missing.push('webhook_endpoint');
  status.connected = missing.length === 0;
  if (!status.connected || !deps.billing) return status;

  try {
    const account = await openTenantStripe(deps, settings);
    // Connect: the platform reads its connected account; direct: the key reads its own.
    const retrieved: Stripe.Account =
      settings.mode === 'connect'
        ? await account.stripe.accounts.retrieve(settings.stripeAccountId!)
        : await account.stripe.accounts.retrieveCurrent();
    status.chargesEnabled = retrieved.charges_enabled === true;
    if (!status.chargesEnabled) {
      missing.push('onboarding');
      if (settings.mode === 'connect') {
        const back = options.returnUrl ?? local.origin ?? deps.billing.webhookBaseUrl;
        const link = await account.stripe.accountLinks.create({
          account: settings.stripeAccountId!,
          type: 'account_onboarding',
          refresh_url: back,
          return_url: back,
        });
        status.onboardingUrl = link.url;
      }
    }
  } catch (error) {
    deps.logger.warn('Stripe account status unavailable', {
      tenant_id: tenantId,
      reason: error instanceof Error ? error.message : String(error),
    });
    missing.push('stripe_unreachable');
  }
  if (local.unsynced > 0) missing.push('tier_prices');
  return status;
}
