import { and, eq, isNotNull } from 'drizzle-orm';
import type Stripe from 'stripe';
import { type BillingInterval, tierPrices, type TierPriceRow, tiers } from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import { appendAudit } from '../services/audit.js';
import type { AuditContext } from '../services/audit-context.js';
import { TierErrors } from '../services/tiers.js';
import { applySubscriptionObject } from './apply-subscription.js';
import type { BillingServiceDeps } from './billing-deps.js';
import { ensureTierPriceSynced } from './catalog-sync.js';
import { openTenantStripe, readTenantBilling, stripeProblem } from './stripe-account.js';

/** How Stripe settles the price difference of a moved subscription (Stripe's `proration_behavior`). */
export type ProrationBehavior = 'create_prorations' | 'none' | 'always_invoice';

/** Outcome of a migration: how many moved, and the ones Stripe refused with its reason. */
export interface MigrationResult {
  migrated: number;
  failed: { subscriptionId: string; message: string }[];
}

/** Statuses Stripe can no longer update. */
const ENDED = new Set<Stripe.Subscription.Status>(['canceled', 'incomplete_expired']);

/**
 * Moves every Stripe subscription still on an archived price of the tier (of
 * `interval`, or both) to the tier's current price of the same interval, with the
 * chosen proration. Each subscription is updated on its own (idempotency key per
 * subscription and new price), so one refusal does not stop the rest: it is
 * reported in `failed` and keeps its price. The local subscription row follows
 * from the object Stripe returns (`applySubscriptionObject`). Audited as
 * `tier.subscribers_migrated`.
 * @throws ApiError 404 TIER_NOT_FOUND, 409/503 when billing is not connected, 502 when Stripe cannot list them
 */
export async function migrateTierSubscribers(
  deps: BillingServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  tierId: string,
  options: { interval?: BillingInterval; prorationBehavior: ProrationBehavior },
): Promise<MigrationResult> {
  const state = await deps.db.withTenant(tenantId, async (tx) => {
    const [tier] = await tx
      .select({ id: tiers.id })
      .from(tiers)
      .where(and(eq(tiers.tenantId, tenantId), eq(tiers.id, tierId)));
    if (!tier) throw new ApiError(TierErrors.TIER_NOT_FOUND, `No tier ${tierId}.`);
    const prices = await tx
      .select()
      .from(tierPrices)
      .where(
        and(eq(tierPrices.tenantId, tenantId), eq(tierPrices.tierId, tierId), isNotNull(tierPrices.stripePriceId)),
      );
    return { settings: await readTenantBilling(tx, tenantId), prices };
  });
  const account = await openTenantStripe(deps, state.settings);
  const cause = `api:${ctx.requestId ?? crypto.randomUUID()}`;
  const result: MigrationResult = { migrated: 0, failed: [] };
  const seen = new Set<string>();

  const archived = state.prices.filter(
    (p) => !p.active && (options.interval === undefined || p.interval === options.interval),
  );
  const targets = new Map<BillingInterval, TierPriceRow | null>();
  for (const old of archived) {
    if (!targets.has(old.interval)) {
      const current = (
        await deps.db.withTenant(tenantId, (tx) =>
          tx
            .select()
            .from(tierPrices)
            .where(
              and(
                eq(tierPrices.tenantId, tenantId),
                eq(tierPrices.tierId, tierId),
                eq(tierPrices.interval, old.interval),
                eq(tierPrices.active, true),
              ),
            ),
        )
      )[0];
      targets.set(old.interval, current ? await ensureTierPriceSynced(deps, tenantId, current.id) : null);
    }
    const target = targets.get(old.interval) ?? null;

    const subscriptions: Stripe.Subscription[] = [];
    try {
      for await (const sub of account.stripe.subscriptions.list(
        { price: old.stripePriceId!, limit: 100 },
        account.requestOptions(),
      ))
        subscriptions.push(sub);
    } catch (error) {
      throw stripeProblem(error, `listing the subscribers of tier ${tierId}`);
    }
    for (const sub of subscriptions) {
      if (seen.has(sub.id) || ENDED.has(sub.status)) continue;
      seen.add(sub.id);
      const item = sub.items.data.find((i) => i.price.id === old.stripePriceId);
      if (!item) continue;
      if (!target?.stripePriceId) {
        result.failed.push({
          subscriptionId: sub.id,
          message: `Tier ${tierId} has no current ${old.interval}ly price.`,
        });
        continue;
      }
      try {
        const updated = await account.stripe.subscriptions.update(
          sub.id,
          {
            items: [{ id: item.id, price: target.stripePriceId }],
            proration_behavior: options.prorationBehavior,
            metadata: { memberkit_tier_id: tierId, memberkit_tier_price_id: target.id },
          },
          account.requestOptions({ idempotencyKey: `migrate:${sub.id}:${target.stripePriceId}` }),
        );
        result.migrated++;
        // The local row follows now; a failure here is repaired by the webhook of the same change.
        await applySubscriptionObject(deps, tenantId, updated, { cause, observedAt: deps.clock.now() }).catch(
          (error: unknown) =>
            deps.logger.warn('migrated subscription not applied locally; its webhook will', {
              tenant_id: tenantId,
              subscription_id: sub.id,
              reason: error instanceof Error ? error.message : String(error),
            }),
        );
      } catch (error) {
        result.failed.push({ subscriptionId: sub.id, message: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  await deps.db.withTenant(tenantId, (tx) =>
    appendAudit(tx, deps, tenantId, ctx, [
      {
        action: 'tier.subscribers_migrated',
        targetType: 'tier',
        targetId: tierId,
        diff: {
          interval: options.interval ?? null,
          proration_behavior: options.prorationBehavior,
          migrated: result.migrated,
          failed: result.failed.map((f) => f.subscriptionId),
        },
      },
    ]),
  );
  return result;
}
