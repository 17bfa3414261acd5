import { syncTierCatalogAfterChange } from '../../billing/catalog-sync.js';
import type { AppDeps } from '../../deps.js';
import type { AppRouteHandler } from '../../lib/context.js';
import { CursorValues, decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { ApiError } from '../../lib/errors.js';
import { isId } from '../../lib/ids.js';
import { auditContextOf } from '../audit-context.js';
import {
  createTier,
  deleteTier,
  getTier,
  listTiers,
  TierErrors,
  updateTier,
  type ChangedTier,
  type TierPosition,
  type TierWithCount,
} from '../../services/tiers.js';
import type {
  createTierRoute,
  deleteTierRoute,
  getTierRoute,
  listTiersRoute,
  updateTierRoute,
} from './tiers.routes.js';
import { toTierDto } from './tiers.schemas.js';

/** A malformed id cannot name a tier: answer 404 as for any unknown id, without a query. */
function checkTierId(id: string): string {
  if (!isId(id, 'tier')) throw new ApiError(TierErrors.TIER_NOT_FOUND, `No tier ${id}.`);
  return id;
}

/**
 * After a tier change committed: brings its Stripe Product and Prices in line (when
 * the tenant has billing connected) and answers with the tier as it is then, its
 * new prices' `stripe_price_id` included. A Stripe failure leaves them null for the
 * next sync; the change itself stands.
 */
async function afterCatalogChange(deps: AppDeps, tenantId: string, changed: ChangedTier): Promise<TierWithCount> {
  const { catalog, ...tier } = changed;
  if (!deps.billing || (!catalog.pricesChanged && !catalog.productChanged)) return tier;
  await syncTierCatalogAfterChange(deps, tenantId, tier.id, {
    archived: catalog.archived,
    productChanged: catalog.productChanged,
  });
  return getTier(deps, tenantId, tier.id);
}

export const createTierHandler: AppRouteHandler<typeof createTierRoute> = async (c) => {
  const auth = c.var.credential;
  const body = c.req.valid('json');
  const row = await createTier(c.var.deps, auth.tenantId, auditContextOf(c), {
    name: body.name,
    description: body.description ?? null,
    descriptionTranslations: body.description_translations ?? {},
    features: body.features ?? [],
    priceAmount: body.price?.amount ?? body.prices?.find((p) => p.interval === body.interval)?.amount ?? 0,
    currency: body.price?.currency ?? 'eur',
    interval: body.interval,
    capacity: body.capacity ?? null,
    active: body.active ?? true,
    ...(body.sort_order !== undefined ? { sortOrder: body.sort_order } : {}),
    ...(body.trial_days !== undefined ? { trialDays: body.trial_days } : {}),
    ...(body.prices !== undefined ? { prices: body.prices } : {}),
  });
  return c.json(toTierDto(await afterCatalogChange(c.var.deps, auth.tenantId, row)), 201);
};

export const listTiersHandler: AppRouteHandler<typeof listTiersRoute> = async (c) => {
  const auth = c.var.credential;
  const { limit, cursor, include_archived: includeArchived, active } = c.req.valid('query');
  // The cursor is bound to the tenant and the filters: replaying it with other filters is a 400, not a wrong page.
  const scope = `tiers:${auth.tenantId}`;
  const query = { include_archived: includeArchived, active: active ?? null };
  let after: TierPosition | undefined;
  if (cursor !== undefined) {
    const [sortOrder, id] = await decodeCursor(c.var.deps.secretBox, cursor, { scope, query }, [
      CursorValues.integer(),
      CursorValues.id('tier'),
    ]);
    after = { sortOrder, id };
  }
  const rows = await listTiers(
    c.var.deps,
    auth.tenantId,
    { includeArchived, ...(active !== undefined ? { active } : {}) },
    {
      limit,
      ...(after ? { after } : {}),
    },
  );
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return c.json(
    {
      object: 'list' as const,
      data: page.map(toTierDto),
      has_more: hasMore,
      next_cursor:
        hasMore && last ? await encodeCursor(c.var.deps.secretBox, { scope, query }, [last.sortOrder, last.id]) : null,
    },
    200,
  );
};

export const getTierHandler: AppRouteHandler<typeof getTierRoute> = async (c) => {
  const auth = c.var.credential;
  const id = checkTierId(c.req.valid('param').id);
  return c.json(toTierDto(await getTier(c.var.deps, auth.tenantId, id)), 200);
};

export const updateTierHandler: AppRouteHandler<typeof updateTierRoute> = async (c) => {
  const auth = c.var.credential;
  const id = checkTierId(c.req.valid('param').id);
  const body = c.req.valid('json');
  const row = await updateTier(c.var.deps, auth.tenantId, auditContextOf(c), id, {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.description_translations !== undefined ? { descriptionTranslations: body.description_translations } : {}),
    ...(body.features !== undefined ? { features: body.features } : {}),
    ...(body.price?.amount !== undefined ? { priceAmount: body.price.amount } : {}),
    ...(body.price?.currency !== undefined ? { currency: body.price.currency } : {}),
    ...(body.interval !== undefined ? { interval: body.interval } : {}),
    ...(body.capacity !== undefined ? { capacity: body.capacity } : {}),
    ...(body.active !== undefined ? { active: body.active } : {}),
    ...(body.sort_order !== undefined ? { sortOrder: body.sort_order } : {}),
    ...(body.archived !== undefined ? { archived: body.archived } : {}),
    ...(body.trial_days !== undefined ? { trialDays: body.trial_days } : {}),
    ...(body.prices !== undefined ? { prices: body.prices } : {}),
  });
  return c.json(toTierDto(await afterCatalogChange(c.var.deps, auth.tenantId, row)), 200);
};

export const deleteTierHandler: AppRouteHandler<typeof deleteTierRoute> = async (c) => {
  const auth = c.var.credential;
  const id = checkTierId(c.req.valid('param').id);
  await deleteTier(c.var.deps, auth.tenantId, auditContextOf(c), id);
  return c.json({ id, object: 'tier' as const, deleted: true as const }, 200);
};
