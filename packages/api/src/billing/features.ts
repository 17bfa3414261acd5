import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import Stripe from 'stripe';
import type { Tx } from '../db/database.js';
import { meteredFeatures, tierMeteredPrices } from '../db/schema/index.js';
import { ApiError, defineErrorCodes } from '../lib/errors.js';
import { appendAudit, diffOf } from '../services/audit.js';
import type { AuditContext } from '../services/audit-context.js';
import { BillingErrors } from './billing-errors.js';
import type { BillingServiceDeps } from './billing-deps.js';
import { stripeProblem, tenantStripe, type TenantStripe } from './stripe-account.js';
import { usageId } from './usage-ids.js';

/** A metered feature as stored. */
export type MeteredFeatureRow = typeof meteredFeatures.$inferSelect;

/** Errors of metered features beyond the shared billing ones. */
export const FeatureErrors = defineErrorCodes({
  FEATURE_KEY_TAKEN: { status: 409, title: 'Feature key already used' },
  FEATURE_ARCHIVED: { status: 409, title: 'Metered feature archived' },
});

/** The Stripe meter `event_name` of a feature: `mk_<key>`, unique in the tenant's Stripe account. */
export const meterEventName = (key: string) => `mk_${key}`;

/** A new feature. `key` is stable (integrators send usage with it); `name` and `unitLabel` can change. */
export interface NewFeature {
  key: string;
  name: string;
  unitLabel: string | null;
}

/** Changes to a feature; absent fields stay as they are. */
export interface FeaturePatch {
  name?: string;
  unitLabel?: string | null;
}

function notFound(id: string): ApiError {
  return new ApiError(BillingErrors.FEATURE_NOT_FOUND, `No metered feature ${id}.`);
}

function auditFields(row: MeteredFeatureRow): Record<string, unknown> {
  return { key: row.key, name: row.name, unit_label: row.unitLabel, archived: row.archivedAt !== null };
}

/** The feature with `id`, in the caller's tenant transaction. */
export async function readFeature(tx: Tx, tenantId: string, id: string): Promise<MeteredFeatureRow | null> {
  const [row] = await tx
    .select()
    .from(meteredFeatures)
    .where(and(eq(meteredFeatures.tenantId, tenantId), eq(meteredFeatures.id, id)));
  return row ?? null;
}

/** The feature with `key`, in the caller's tenant transaction. */
export async function readFeatureByKey(tx: Tx, tenantId: string, key: string): Promise<MeteredFeatureRow | null> {
  const [row] = await tx
    .select()
    .from(meteredFeatures)
    .where(and(eq(meteredFeatures.tenantId, tenantId), eq(meteredFeatures.key, key)));
  return row ?? null;
}

/** Meter parameters: a sum of `payload.value` per customer, who is named by `payload.stripe_customer_id`. */
function meterParams(feature: MeteredFeatureRow): Stripe.Billing.MeterCreateParams {
  return {
    display_name: feature.name,
    event_name: feature.eventName,
    default_aggregation: { formula: 'sum' },
    customer_mapping: { type: 'by_id', event_payload_key: 'stripe_customer_id' },
    value_settings: { event_payload_key: 'value' },
  };
}

/**
 * Creates the feature's Stripe Billing Meter if it has none yet, and stores its id.
 * The call's idempotency key is derived from the feature id, so a create interrupted
 * after Stripe answered (crash, lost connection) finds the same meter when repeated.
 * Metered prices call it too: a feature whose meter was never recorded heals there.
 */
export async function ensureMeter(
  deps: BillingServiceDeps,
  feature: MeteredFeatureRow,
  account: TenantStripe,
  /** Written in the same transaction as the meter id (the creation's audit entry). */
  alsoInTx?: (tx: Tx, row: MeteredFeatureRow) => Promise<void>,
): Promise<MeteredFeatureRow> {
  if (feature.stripeMeterId) return feature;
  let meter: Stripe.Billing.Meter;
  try {
    meter = await account.stripe.billing.meters.create(
      meterParams(feature),
      account.requestOptions({ idempotencyKey: `meter:${feature.tenantId}:${feature.id}` }),
    );
  } catch (error) {
    throw stripeProblem(error, 'creating the billing meter');
  }
  return deps.db.withTenant(feature.tenantId, async (tx) => {
    const [updated] = await tx
      .update(meteredFeatures)
      .set({ stripeMeterId: meter.id, updatedAt: deps.clock.now() })
      .where(and(eq(meteredFeatures.tenantId, feature.tenantId), eq(meteredFeatures.id, feature.id)))
      .returning();
    const row = updated ?? { ...feature, stripeMeterId: meter.id };
    await alsoInTx?.(tx, row);
    return row;
  });
}

/**
 * Creates a metered feature and its Stripe Billing Meter (`event_name` `mk_<key>`,
 * summing `value` per `stripe_customer_id`). The row is written first (the key's
 * unique index settles races), then the meter is created; if Stripe refuses, the
 * row is removed again so nothing is left. Audited as `billing_feature.created`,
 * in the transaction that records the meter.
 * @throws 409 FEATURE_KEY_TAKEN; the errors of `tenantStripe`; Stripe failures as `stripeProblem`.
 */
export async function createFeature(
  deps: BillingServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  input: NewFeature,
): Promise<MeteredFeatureRow> {
  const account = await tenantStripe(deps, tenantId);
  const id = usageId(deps.ids, 'feat');
  const draft = await deps.db.withTenant(tenantId, async (tx) => {
    const now = deps.clock.now();
    const [row] = await tx
      .insert(meteredFeatures)
      .values({
        tenantId,
        id,
        key: input.key,
        name: input.name,
        unitLabel: input.unitLabel,
        eventName: meterEventName(input.key),
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!row)
      throw new ApiError(FeatureErrors.FEATURE_KEY_TAKEN, `A metered feature with key "${input.key}" exists already.`, {
        errors: [{ field: 'key', message: 'Already used by another feature (archived ones included).' }],
      });
    return row;
  });
  try {
    return await ensureMeter(deps, draft, account, (tx, row) =>
      appendAudit(tx, deps, tenantId, ctx, [
        { action: 'billing_feature.created', targetType: 'billing_feature', targetId: id, diff: auditFields(row) },
      ]),
    );
  } catch (error) {
    await deps.db.withTenant(tenantId, (tx) =>
      tx.delete(meteredFeatures).where(and(eq(meteredFeatures.tenantId, tenantId), eq(meteredFeatures.id, id))),
    );
    throw error;
  }
}

/** Keyset position in the feature list: after this id. */
export interface FeatureListOptions {
  limit: number;
  after?: string;
  includeArchived: boolean;
}

/** The tenant's features in id (creation) order; `limit + 1` rows so the caller knows whether more follow. */
export async function listFeatures(
  deps: BillingServiceDeps,
  tenantId: string,
  options: FeatureListOptions,
): Promise<MeteredFeatureRow[]> {
  return deps.db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(meteredFeatures)
      .where(
        and(
          eq(meteredFeatures.tenantId, tenantId),
          options.includeArchived ? undefined : isNull(meteredFeatures.archivedAt),
          options.after ? gt(meteredFeatures.id, options.after) : undefined,
        ),
      )
      .orderBy(asc(meteredFeatures.id))
      .limit(options.limit + 1),
  );
}

/** One feature, archived or not. @throws 404 FEATURE_NOT_FOUND */
export async function getFeature(deps: BillingServiceDeps, tenantId: string, id: string): Promise<MeteredFeatureRow> {
  const row = await deps.db.withTenant(tenantId, (tx) => readFeature(tx, tenantId, id));
  if (!row) throw notFound(id);
  return row;
}

/**
 * Renames a feature (name, unit label). The meter's display name follows in
 * Stripe after the change committed, best effort: it only labels the meter in
 * Stripe's dashboard, and a refusal there must not undo the rename here (it is
 * logged). Audited as `billing_feature.updated`.
 * @throws 404 FEATURE_NOT_FOUND, 409 FEATURE_ARCHIVED
 */
export async function updateFeature(
  deps: BillingServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  id: string,
  patch: FeaturePatch,
): Promise<MeteredFeatureRow> {
  const { before, row } = await deps.db.withTenant(tenantId, async (tx) => {
    const [before] = await tx
      .select()
      .from(meteredFeatures)
      .where(and(eq(meteredFeatures.tenantId, tenantId), eq(meteredFeatures.id, id)))
      .for('update');
    if (!before) throw notFound(id);
    if (before.archivedAt) throw new ApiError(FeatureErrors.FEATURE_ARCHIVED, `Metered feature ${id} is archived.`);
    const [row] = await tx
      .update(meteredFeatures)
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.unitLabel !== undefined ? { unitLabel: patch.unitLabel } : {}),
        updatedAt: deps.clock.now(),
      })
      .where(and(eq(meteredFeatures.tenantId, tenantId), eq(meteredFeatures.id, id)))
      .returning();
    const diff = diffOf(auditFields(before), auditFields(row!));
    if (Object.keys(diff).length > 0)
      await appendAudit(tx, deps, tenantId, ctx, [
        { action: 'billing_feature.updated', targetType: 'billing_feature', targetId: id, diff },
      ]);
    return { before, row: row! };
  });
  if (row.name !== before.name && row.stripeMeterId) {
    try {
      const account = await tenantStripe(deps, tenantId);
      await account.stripe.billing.meters.update(
        row.stripeMeterId,
        { display_name: row.name },
        account.requestOptions(),
      );
    } catch (error) {
      deps.logger.warn('billing meter not renamed in Stripe', {
        tenant_id: tenantId,
        feature_id: id,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return row;
}

/**
 * Archives a feature: its meter is deactivated and its tier prices archived in
 * Stripe (existing subscriptions keep the prices they have, as Stripe does; no new
 * checkout includes them), then locally. Usage for it is refused from now on;
 * records not yet forwarded are skipped by the forwarder. Archiving twice is a
 * no-op. The key stays taken. Audited as `billing_feature.archived`.
 * @throws 404 FEATURE_NOT_FOUND
 */
export async function archiveFeature(
  deps: BillingServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  id: string,
): Promise<MeteredFeatureRow> {
  const found = await deps.db.withTenant(tenantId, async (tx) => {
    const feature = await readFeature(tx, tenantId, id);
    if (!feature) throw notFound(id);
    const prices = await tx
      .select({ stripePriceId: tierMeteredPrices.stripePriceId })
      .from(tierMeteredPrices)
      .where(
        and(
          eq(tierMeteredPrices.tenantId, tenantId),
          eq(tierMeteredPrices.featureId, id),
          eq(tierMeteredPrices.active, true),
        ),
      );
    return { feature, prices };
  });
  if (found.feature.archivedAt) return found.feature;

  const account = await tenantStripe(deps, tenantId);
  try {
    for (const price of found.prices) {
      if (price.stripePriceId)
        await account.stripe.prices.update(price.stripePriceId, { active: false }, account.requestOptions());
    }
    if (found.feature.stripeMeterId) await deactivateMeter(account, found.feature.stripeMeterId);
  } catch (error) {
    throw stripeProblem(error, 'archiving the metered feature');
  }

  return deps.db.withTenant(tenantId, async (tx) => {
    const now = deps.clock.now();
    await tx
      .update(tierMeteredPrices)
      .set({ active: false, updatedAt: now })
      .where(and(eq(tierMeteredPrices.tenantId, tenantId), eq(tierMeteredPrices.featureId, id)));
    const [row] = await tx
      .update(meteredFeatures)
      .set({ archivedAt: now, updatedAt: now })
      .where(and(eq(meteredFeatures.tenantId, tenantId), eq(meteredFeatures.id, id)))
      .returning();
    if (!row) throw notFound(id);
    await appendAudit(tx, deps, tenantId, ctx, [
      {
        action: 'billing_feature.archived',
        targetType: 'billing_feature',
        targetId: id,
        diff: { archived: { from: false, to: true } },
      },
    ]);
    return row;
  });
}

/** Deactivates a meter; one already inactive (a repeated archive after a crash) is fine. */
async function deactivateMeter(account: TenantStripe, meterId: string): Promise<void> {
  try {
    await account.stripe.billing.meters.deactivate(meterId, {}, account.requestOptions());
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError) {
      const meter = await account.stripe.billing.meters.retrieve(meterId, {}, account.requestOptions());
      if (meter.status === 'inactive') return;
    }
    throw error;
  }
}
