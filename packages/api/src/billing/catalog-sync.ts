import { and, eq, isNull } from 'drizzle-orm';
import { tierPrices, type TierPriceRow, tiers, type TierRow } from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import type { BillingServiceDeps } from './billing-deps.js';
import { BillingErrors } from './billing-errors.js';
import { openTenantStripe, readTenantBilling, stripeProblem, type TenantStripe } from './stripe-account.js';
import { activeTierPrices } from './tier-prices.js';

/**
 * The tier catalog's Stripe side: each tier with a price is a Stripe Product, each
 * of its active `tier_prices` a Stripe Price in the tenant's currency. Local rows
 * are the truth staff edit; this module brings Stripe in line after they commit
 * (never inside a transaction), with idempotency keys from local ids so a retry
 * or a concurrent sync never creates a second Product or Price.
 */

/** What a sync should also do besides creating what is missing. */
export interface TierSyncOptions {
  /** Prices the change archived: their Stripe Prices are set `active: false` (subscribers keep them). */
  archived?: TierPriceRow[];
  /** The tier's name, description or archived state changed: update the Product. */
  productChanged?: boolean;
}

/** The tenant's billing is connected enough to hold a catalog (a row, and an account or key). */
function connected(settings: Awaited<ReturnType<typeof readTenantBilling>>): boolean {
  if (!settings) return false;
  return settings.mode === 'connect' ? settings.stripeAccountId !== null : settings.sealedSecretKey !== null;
}

const metadataOf = (tenantId: string, tierId: string, tierPriceId?: string): Record<string, string> => ({
  memberkit_tenant_id: tenantId,
  memberkit_tier_id: tierId,
  ...(tierPriceId ? { memberkit_tier_price_id: tierPriceId } : {}),
});

/**
 * Brings one tier's Stripe Product and Prices in line with its local rows. Does
 * nothing when the tenant has not connected billing (prices then wait locally with
 * `stripe_price_id` null; connecting runs {@link syncTenantCatalog}).
 * @throws ApiError from {@link stripeProblem} when Stripe refuses or cannot be reached
 */
export async function syncTierCatalog(
  deps: BillingServiceDeps,
  tenantId: string,
  tierId: string,
  options: TierSyncOptions = {},
): Promise<void> {
  if (!deps.billing) return;
  const state = await deps.db.withTenant(tenantId, async (tx) => {
    const settings = await readTenantBilling(tx, tenantId);
    const [tier] = await tx
      .select()
      .from(tiers)
      .where(and(eq(tiers.tenantId, tenantId), eq(tiers.id, tierId)));
    const prices = (await activeTierPrices(tx, tenantId, [tierId])).get(tierId) ?? [];
    return { settings, tier, prices };
  });
  if (!connected(state.settings) || !state.tier) return;
  const account = await openTenantStripe(deps, state.settings);
  const tier = state.tier;

  const needsProduct = state.prices.length > 0 || tier.stripeProductId !== null;
  let productId = tier.stripeProductId;
  if (needsProduct && productId === null) productId = await createProduct(deps, account, tenantId, tier);
  else if (productId !== null && options.productChanged) await updateProduct(deps, account, tier, productId);

  for (const price of state.prices) {
    if (price.stripePriceId !== null || productId === null) continue;
    await createPrice(deps, account, tenantId, tier, price, productId);
  }
  for (const old of options.archived ?? []) {
    if (!old.stripePriceId) continue;
    try {
      await account.stripe.prices.update(
        old.stripePriceId,
        { active: false },
        account.requestOptions({ idempotencyKey: `price-archive:${old.id}` }),
      );
    } catch (error) {
      throw stripeProblem(error, `archiving the old Stripe Price of tier ${tierId}`);
    }
  }
}

async function createProduct(
  deps: BillingServiceDeps,
  account: TenantStripe,
  tenantId: string,
  tier: TierRow,
): Promise<string> {
  let product: { id: string };
  try {
    product = await account.stripe.products.create(
      {
        name: tier.name,
        ...(tier.description ? { description: tier.description } : {}),
        active: tier.archivedAt === null,
        metadata: metadataOf(tenantId, tier.id),
      },
      // The tier's version in the key: a retry of this very creation gets the same Product, a renamed tier's creation is a new request.
      account.requestOptions({ idempotencyKey: `product:${tier.id}:${tier.updatedAt.getTime()}` }),
    );
  } catch (error) {
    throw stripeProblem(error, `creating the Stripe Product of tier ${tier.id}`);
  }
  // Only where none is stored: a concurrent sync got the same Product (same idempotency key) anyway.
  await deps.db.withTenant(tenantId, (tx) =>
    tx
      .update(tiers)
      .set({ stripeProductId: product.id })
      .where(and(eq(tiers.tenantId, tenantId), eq(tiers.id, tier.id), isNull(tiers.stripeProductId))),
  );
  return product.id;
}

async function updateProduct(
  _deps: BillingServiceDeps,
  account: TenantStripe,
  tier: TierRow,
  productId: string,
): Promise<void> {
  try {
    await account.stripe.products.update(
      productId,
      // An empty description removes it in Stripe.
      { name: tier.name, description: tier.description ?? '', active: tier.archivedAt === null },
      account.requestOptions({ idempotencyKey: `product-update:${tier.id}:${tier.updatedAt.getTime()}` }),
    );
  } catch (error) {
    throw stripeProblem(error, `updating the Stripe Product of tier ${tier.id}`);
  }
}

async function createPrice(
  deps: BillingServiceDeps,
  account: TenantStripe,
  tenantId: string,
  tier: TierRow,
  price: TierPriceRow,
  productId: string,
): Promise<void> {
  let created: { id: string };
  try {
    created = await account.stripe.prices.create(
      {
        product: productId,
        currency: price.currency,
        unit_amount: price.amount,
        recurring: { interval: price.interval },
        tax_behavior: account.settings.taxBehavior,
        nickname: `${tier.name} (${price.interval === 'month' ? 'monthly' : 'yearly'})`,
        metadata: metadataOf(tenantId, tier.id, price.id),
      },
      account.requestOptions({ idempotencyKey: `price:${price.id}` }),
    );
  } catch (error) {
    throw stripeProblem(error, `creating the Stripe Price of tier ${tier.id}`);
  }
  await deps.db.withTenant(tenantId, (tx) =>
    tx
      .update(tierPrices)
      .set({ stripePriceId: created.id, stripeProductId: productId, updatedAt: deps.clock.now() })
      .where(and(eq(tierPrices.tenantId, tenantId), eq(tierPrices.id, price.id), isNull(tierPrices.stripePriceId))),
  );
}

/**
 * {@link syncTierCatalog} after a tier change has committed, without failing the
 * change: a Stripe outage leaves the new prices unsynced (`stripe_price_id` null,
 * `missing: ['tier_prices']` in the billing settings) and the next sync or checkout
 * ({@link ensureTierPriceSynced}) creates them.
 */
export async function syncTierCatalogAfterChange(
  deps: BillingServiceDeps,
  tenantId: string,
  tierId: string,
  options: TierSyncOptions,
): Promise<void> {
  try {
    await syncTierCatalog(deps, tenantId, tierId, options);
  } catch (error) {
    deps.logger.warn('tier catalog not synced to Stripe; it is retried at the next sync or checkout', {
      tenant_id: tenantId,
      tier_id: tierId,
      reason: error instanceof Error ? error.message : String(error),
    });
  }
}

/** A tier whose sync failed, and why. */
export interface CatalogSyncFailure {
  tier_id: string;
  message: string;
}

/**
 * Creates every missing Product and Price of the tenant's catalog (after billing is
 * connected, or the account, currency or tax behaviour changed). A tier that fails
 * does not stop the others; each failure is reported.
 */
export async function syncTenantCatalog(
  deps: BillingServiceDeps,
  tenantId: string,
): Promise<{ synced: number; failed: CatalogSyncFailure[] }> {
  const pending = await deps.db.withTenant(tenantId, (tx) =>
    tx
      .selectDistinct({ tierId: tierPrices.tierId })
      .from(tierPrices)
      .where(and(eq(tierPrices.tenantId, tenantId), eq(tierPrices.active, true), isNull(tierPrices.stripePriceId))),
  );
  const failed: CatalogSyncFailure[] = [];
  let synced = 0;
  for (const { tierId } of pending) {
    try {
      await syncTierCatalog(deps, tenantId, tierId);
      synced++;
    } catch (error) {
      failed.push({ tier_id: tierId, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { synced, failed };
}

/**
 * The tier price with its Stripe Price created (syncing the tier first if needed):
 * what checkout calls before opening a Checkout Session.
 * @throws ApiError 422 `PRICE_NOT_FOUND` for an unknown or archived price, 409/503 when
 *   billing is not connected, 502 when Stripe fails
 * @example
 * const price = await ensureTierPriceSynced(deps, tenantId, tierPriceId);
 * await stripe.checkout.sessions.create({ line_items: [{ price: price.stripePriceId!, quantity: 1 }], … });
 */
export async function ensureTierPriceSynced(
  deps: BillingServiceDeps,
  tenantId: string,
  tierPriceId: string,
): Promise<TierPriceRow & { stripePriceId: string }> {
  const read = () =>
    deps.db.withTenant(tenantId, async (tx) => {
      const [row] = await tx
        .select()
        .from(tierPrices)
        .where(and(eq(tierPrices.tenantId, tenantId), eq(tierPrices.id, tierPriceId)));
      return row;
    });
  const row = await read();
  if (!row?.active)
    throw new ApiError(BillingErrors.PRICE_NOT_FOUND, `Tier price ${tierPriceId} does not exist or was archived.`);
  if (row.stripePriceId !== null) return { ...row, stripePriceId: row.stripePriceId };
  // Raises BILLING_NOT_CONFIGURED / BILLING_UNAVAILABLE when the tenant cannot reach Stripe.
  await openTenantStripe(deps, await deps.db.withTenant(tenantId, (tx) => readTenantBilling(tx, tenantId)));
  await syncTierCatalog(deps, tenantId, row.tierId);
  const synced = await read();
  if (!synced?.stripePriceId)
    throw new ApiError(
      BillingErrors.STRIPE_REQUEST_FAILED,
      `Tier price ${tierPriceId} could not be created in Stripe.`,
    );
  return { ...synced, stripePriceId: synced.stripePriceId };
}
