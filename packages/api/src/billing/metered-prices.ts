import { and, asc, eq, isNull } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { Tx } from '../db/database.js';
import {
  type BillingInterval,
  meteredFeatures,
  tierMeteredPrices,
  tiers,
  type UsagePriceStep,
} from '../db/schema/index.js';
import { canonicalJson } from '../lib/canonical-json.js';
import { ApiError, defineErrorCodes } from '../lib/errors.js';
import { validationError } from '../lib/validation.js';
import { appendAudit } from '../services/audit.js';
import type { AuditContext } from '../services/audit-context.js';
import { TierErrors } from '../services/tiers.js';
import { BillingErrors } from './billing-errors.js';
import type { BillingServiceDeps } from './billing-deps.js';
import { ensureMeter, FeatureErrors, readFeature } from './features.js';
import { openTenantStripe, readTenantBilling, stripeProblem, type TenantStripe } from './stripe-account.js';
import { usageId } from './usage-ids.js';

/** A metered price of a tier as stored. */
export type TierMeteredPriceRow = typeof tierMeteredPrices.$inferSelect;

/** Errors of tier metered prices. */
export const MeteredPriceErrors = defineErrorCodes({
  METERED_PRICE_NOT_FOUND: { status: 404, title: 'Metered price not found' },
});

/** What staff set for a feature on a tier. Step `up_to` counts every unit of the period, included ones too. */
export interface MeteredPriceInput {
  interval: BillingInterval;
  includedUnits: number;
  steps: UsagePriceStep[];
}

/**
 * Why `steps` cannot follow `includedUnits`, as field errors (empty when they fit):
 * at least one step, each `up_to` above the previous (and above the included
 * units), only the last open-ended (`null`), as Stripe's graduated tiers require.
 */
export function stepProblems(
  includedUnits: number,
  steps: readonly UsagePriceStep[],
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (steps.length === 0) problems.push({ field: 'steps', message: 'At least one step is needed.' });
  let floor = includedUnits;
  steps.forEach((step, index) => {
    const last = index === steps.length - 1;
    if (step.up_to === null) {
      if (!last)
        problems.push({ field: `steps.${index}.up_to`, message: 'Only the last step can be open-ended (null).' });
      return;
    }
    if (last)
      problems.push({
        field: `steps.${index}.up_to`,
        message: 'The last step must be open-ended (null): usage has no cap.',
      });
    if (step.up_to <= floor)
      problems.push({
        field: `steps.${index}.up_to`,
        message: `Must be above ${floor} (${index === 0 ? 'the included units' : 'the previous step'}): up_to counts every unit of the period.`,
      });
    floor = Math.max(floor, step.up_to);
  });
  return problems;
}

/** The Stripe graduated tiers of a metered price: the included units free, then the steps. */
export function stripeTiers(includedUnits: number, steps: readonly UsagePriceStep[]): Stripe.PriceCreateParams.Tier[] {
  const out: Stripe.PriceCreateParams.Tier[] = [];
  if (includedUnits > 0) out.push({ up_to: includedUnits, unit_amount: 0 });
  for (const step of steps)
    out.push({
      up_to: step.up_to ?? 'inf',
      unit_amount: step.unit_amount,
      ...(step.flat_amount ? { flat_amount: step.flat_amount } : {}),
    });
  return out;
}

/**
 * What `units` of usage cost under a graduated price, in minor units, exactly
 * (BigInt: units × unit amount can pass 2^53): each step charges its units at its
 * unit amount, plus its flat amount once usage reaches into it, as Stripe's
 * `tiers_mode: graduated` does.
 */
export function graduatedAmount(units: bigint, includedUnits: number, steps: readonly UsagePriceStep[]): bigint {
  let total = 0n;
  let below = BigInt(includedUnits);
  for (const step of steps) {
    if (units <= below) break;
    const top = step.up_to === null ? units : BigInt(step.up_to);
    const inStep = (units < top ? units : top) - below;
    total += inStep * BigInt(step.unit_amount) + BigInt(step.flat_amount ?? 0);
    below = top;
  }
  return total;
}

function sameInput(row: TierMeteredPriceRow, input: MeteredPriceInput): boolean {
  return (
    row.includedUnits === input.includedUnits &&
    canonicalJson(row.steps.map(normalStep)) === canonicalJson(input.steps.map(normalStep))
  );
}

/** A step with `flat_amount` only when it is not 0, so `{flat_amount: 0}` and no flat amount compare equal. */
function normalStep(step: UsagePriceStep): UsagePriceStep {
  return {
    up_to: step.up_to,
    unit_amount: step.unit_amount,
    ...(step.flat_amount ? { flat_amount: step.flat_amount } : {}),
  };
}

function activePriceWhere(tenantId: string, tierId: string, featureId: string, interval: BillingInterval) {
  return and(
    eq(tierMeteredPrices.tenantId, tenantId),
    eq(tierMeteredPrices.tierId, tierId),
    eq(tierMeteredPrices.featureId, featureId),
    eq(tierMeteredPrices.interval, interval),
    eq(tierMeteredPrices.active, true),
  );
}

/**
 * Sets what a feature costs on a tier for one interval: a Stripe Price (metered on
 * the feature's meter, graduated tiers: the included units at 0, then the steps)
 * replaces the active one, which is archived in Stripe. New checkouts of the tier
 * add it as a line item ({@link meteredLineItems}); existing subscriptions keep
 * what they have. Setting the same values again changes nothing. Audited as
 * `tier_metered_price.set`.
 * @returns the active row and whether it was created now.
 * @throws 404 TIER_NOT_FOUND, FEATURE_NOT_FOUND; 409 FEATURE_ARCHIVED; 422 for steps that do not fit.
 */
export async function setMeteredPrice(
  deps: BillingServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  tierId: string,
  featureId: string,
  input: MeteredPriceInput,
): Promise<{ row: TierMeteredPriceRow; created: boolean }> {
  const problems = stepProblems(input.includedUnits, input.steps);
  if (problems.length > 0) throw validationError(problems);

  const found = await deps.db.withTenant(tenantId, async (tx) => {
    const [tier] = await tx
      .select({ id: tiers.id, name: tiers.name, archivedAt: tiers.archivedAt })
      .from(tiers)
      .where(and(eq(tiers.tenantId, tenantId), eq(tiers.id, tierId)));
    if (!tier) throw new ApiError(TierErrors.TIER_NOT_FOUND, `No tier ${tierId}.`);
    if (tier.archivedAt) throw new ApiError(TierErrors.TIER_ARCHIVED, `Tier ${tierId} is archived.`);
    const feature = await readFeature(tx, tenantId, featureId);
    if (!feature) throw new ApiError(BillingErrors.FEATURE_NOT_FOUND, `No metered feature ${featureId}.`);
    if (feature.archivedAt)
      throw new ApiError(FeatureErrors.FEATURE_ARCHIVED, `Metered feature ${featureId} is archived.`);
    const [current] = await tx
      .select()
      .from(tierMeteredPrices)
      .where(activePriceWhere(tenantId, tierId, featureId, input.interval));
    return { tier, feature, current, settings: await readTenantBilling(tx, tenantId) };
  });
  if (found.current?.stripePriceId && sameInput(found.current, input)) return { row: found.current, created: false };

  const account = await openTenantStripe(deps, found.settings);
  const feature = await ensureMeter(deps, found.feature, account);
  const id = usageId(deps.ids, 'tmp');
  const currency = account.settings.currency;
  let price: Stripe.Price;
  try {
    price = await account.stripe.prices.create(
      {
        currency,
        product_data: {
          name: `${found.tier.name}: ${feature.name}`,
          ...(feature.unitLabel ? { unit_label: feature.unitLabel.slice(0, 12) } : {}),
          metadata: { memberkit_tenant_id: tenantId, memberkit_tier_id: tierId, memberkit_feature_id: featureId },
        },
        recurring: { interval: input.interval, usage_type: 'metered', meter: feature.stripeMeterId! },
        billing_scheme: 'tiered',
        tiers_mode: 'graduated',
        tiers: stripeTiers(input.includedUnits, input.steps),
        tax_behavior: account.settings.taxBehavior,
        metadata: {
          memberkit_tenant_id: tenantId,
          memberkit_tier_id: tierId,
          memberkit_feature_id: featureId,
          memberkit_tier_metered_price_id: id,
        },
      },
      account.requestOptions({ idempotencyKey: `metered-price:${tenantId}:${id}` }),
    );
  } catch (error) {
    throw stripeProblem(error, 'creating the metered price');
  }

  const { row, replaced } = await deps.db.withTenant(tenantId, async (tx) => {
    const now = deps.clock.now();
    // Locks the active row: of two concurrent changes, the later one archives the earlier one's price.
    const replaced = await tx
      .update(tierMeteredPrices)
      .set({ active: false, updatedAt: now })
      .where(activePriceWhere(tenantId, tierId, featureId, input.interval))
      .returning();
    const [row] = await tx
      .insert(tierMeteredPrices)
      .values({
        tenantId,
        id,
        tierId,
        featureId,
        interval: input.interval,
        includedUnits: input.includedUnits,
        steps: input.steps.map(normalStep),
        currency,
        stripePriceId: price.id,
        active: true,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await appendAudit(tx, deps, tenantId, ctx, [
      {
        action: 'tier_metered_price.set',
        targetType: 'tier',
        targetId: tierId,
        diff: {
          feature_id: featureId,
          interval: input.interval,
          included_units: { from: replaced[0]?.includedUnits ?? null, to: input.includedUnits },
          steps: { from: replaced[0]?.steps ?? null, to: input.steps.map(normalStep) },
          currency,
        },
      },
    ]);
    return { row: row!, replaced };
  });
  await archiveStripePrices(deps, account, replaced);
  return { row, created: true };
}

/** Archives replaced prices in Stripe after the change committed; a failure is logged, not the caller's problem (the local row is already inactive). */
async function archiveStripePrices(
  deps: BillingServiceDeps,
  account: TenantStripe,
  rows: readonly TierMeteredPriceRow[],
): Promise<void> {
  for (const row of rows) {
    if (!row.stripePriceId) continue;
    try {
      await account.stripe.prices.update(row.stripePriceId, { active: false }, account.requestOptions());
    } catch (error) {
      deps.logger.warn('metered price not archived in Stripe', {
        tenant_id: row.tenantId,
        tier_metered_price_id: row.id,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

/**
 * Removes a feature's price from a tier (one interval, or every interval when
 * `interval` is absent): archived locally and in Stripe. Audited as `tier_metered_price.removed`.
 * @throws 404 METERED_PRICE_NOT_FOUND when there is none.
 */
export async function removeMeteredPrice(
  deps: BillingServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  tierId: string,
  featureId: string,
  interval: BillingInterval | undefined,
): Promise<void> {
  const { removed, settings } = await deps.db.withTenant(tenantId, async (tx) => {
    const removed = await tx
      .update(tierMeteredPrices)
      .set({ active: false, updatedAt: deps.clock.now() })
      .where(
        and(
          eq(tierMeteredPrices.tenantId, tenantId),
          eq(tierMeteredPrices.tierId, tierId),
          eq(tierMeteredPrices.featureId, featureId),
          interval ? eq(tierMeteredPrices.interval, interval) : undefined,
          eq(tierMeteredPrices.active, true),
        ),
      )
      .returning();
    if (removed.length === 0)
      throw new ApiError(
        MeteredPriceErrors.METERED_PRICE_NOT_FOUND,
        `Tier ${tierId} has no ${interval ? `${interval}ly ` : ''}price for metered feature ${featureId}.`,
      );
    await appendAudit(tx, deps, tenantId, ctx, [
      {
        action: 'tier_metered_price.removed',
        targetType: 'tier',
        targetId: tierId,
        diff: { feature_id: featureId, intervals: removed.map((row) => row.interval) },
      },
    ]);
    return { removed, settings: await readTenantBilling(tx, tenantId) };
  });
  try {
    await archiveStripePrices(deps, await openTenantStripe(deps, settings), removed);
  } catch (error) {
    // Billing was disconnected since: the local price is gone, which is what counts for new checkouts.
    deps.logger.warn('metered price not archived in Stripe', {
      tenant_id: tenantId,
      reason: error instanceof Error ? error.message : String(error),
    });
  }
}

/** A tier's active metered prices with their feature, in the caller's tenant transaction. */
export async function readTierMeteredPrices(
  tx: Tx,
  tenantId: string,
  tierId: string,
  interval?: BillingInterval,
): Promise<(TierMeteredPriceRow & { featureKey: string; featureName: string; unitLabel: string | null })[]> {
  const rows = await tx
    .select({
      price: tierMeteredPrices,
      featureKey: meteredFeatures.key,
      featureName: meteredFeatures.name,
      unitLabel: meteredFeatures.unitLabel,
    })
    .from(tierMeteredPrices)
    .innerJoin(
      meteredFeatures,
      and(
        eq(meteredFeatures.tenantId, tierMeteredPrices.tenantId),
        eq(meteredFeatures.id, tierMeteredPrices.featureId),
      ),
    )
    .where(
      and(
        eq(tierMeteredPrices.tenantId, tenantId),
        eq(tierMeteredPrices.tierId, tierId),
        eq(tierMeteredPrices.active, true),
        interval ? eq(tierMeteredPrices.interval, interval) : undefined,
        isNull(meteredFeatures.archivedAt),
      ),
    )
    .orderBy(asc(meteredFeatures.id), asc(tierMeteredPrices.interval));
  return rows.map((r) => ({
    ...r.price,
    featureKey: r.featureKey,
    featureName: r.featureName,
    unitLabel: r.unitLabel,
  }));
}

/** A tier's metered prices (both intervals). @throws 404 TIER_NOT_FOUND */
export async function listMeteredPrices(deps: BillingServiceDeps, tenantId: string, tierId: string) {
  return deps.db.withTenant(tenantId, async (tx) => {
    const [tier] = await tx
      .select({ id: tiers.id })
      .from(tiers)
      .where(and(eq(tiers.tenantId, tenantId), eq(tiers.id, tierId)));
    if (!tier) throw new ApiError(TierErrors.TIER_NOT_FOUND, `No tier ${tierId}.`);
    return readTierMeteredPrices(tx, tenantId, tierId);
  });
}

/**
 * The line items a new subscription to `tierId` billed every `interval` must carry
 * besides the tier's own price: one per metered feature priced on the tier (no
 * quantity: Stripe meters the usage). Checkout adds them after the tier price.
 * @example
 * const metered = await meteredLineItems(tx, tenantId, tierId, 'month');
 * line_items: [{ price: tierPrice.stripePriceId, quantity: 1 }, ...metered]
 */
export async function meteredLineItems(
  tx: Tx,
  tenantId: string,
  tierId: string,
  interval: BillingInterval,
): Promise<{ price: string }[]> {
  // A price not yet created in Stripe cannot be subscribed to: left out until the sync made it.
  const prices = await readTierMeteredPrices(tx, tenantId, tierId, interval);
  return prices.flatMap((row) => (row.stripePriceId ? [{ price: row.stripePriceId }] : []));
}
