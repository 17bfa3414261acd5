import { BillingErrors } from '../../billing/billing-errors.js';
import { archiveFeature, createFeature, getFeature, listFeatures, updateFeature } from '../../billing/features.js';
import {
  listMeteredPrices,
  MeteredPriceErrors,
  removeMeteredPrice,
  setMeteredPrice,
} from '../../billing/metered-prices.js';
import { recordUsage, usageSummary } from '../../billing/usage.js';
import { isUsageId } from '../../billing/usage-ids.js';
import type { AppRouteHandler } from '../../lib/context.js';
import { CursorValues, decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { ApiError } from '../../lib/errors.js';
import { isId } from '../../lib/ids.js';
import { validationError } from '../../lib/validation.js';
import { MemberErrors } from '../../services/members.js';
import { TierErrors } from '../../services/tiers.js';
import { auditContextOf } from '../audit-context.js';
import type {
  archiveFeatureRoute,
  createFeatureRoute,
  deleteMeteredPriceRoute,
  getFeatureRoute,
  listFeaturesRoute,
  listMeteredPricesRoute,
  myUsageRoute,
  putMeteredPriceRoute,
  recordUsageRoute,
  updateFeatureRoute,
} from './billing-usage.routes.js';
import { toFeatureDto, toMeteredPriceDto, toUsageRecordDto, toUsageSummaryDto } from './billing-usage.schemas.js';

/** A malformed id names nothing: 404 as for any unknown id, without a query. */
function checkFeatureId(id: string): string {
  if (!isUsageId(id, 'feat')) throw new ApiError(BillingErrors.FEATURE_NOT_FOUND, `No metered feature ${id}.`);
  return id;
}

function checkTierId(id: string): string {
  if (!isId(id, 'tier')) throw new ApiError(TierErrors.TIER_NOT_FOUND, `No tier ${id}.`);
  return id;
}

export const createFeatureHandler: AppRouteHandler<typeof createFeatureRoute> = async (c) => {
  const auth = c.var.credential;
  const body = c.req.valid('json');
  const row = await createFeature(c.var.deps, auth.tenantId, auditContextOf(c), {
    key: body.key,
    name: body.name,
    unitLabel: body.unit_label ?? null,
  });
  return c.json(toFeatureDto(row), 201);
};

export const listFeaturesHandler: AppRouteHandler<typeof listFeaturesRoute> = async (c) => {
  const auth = c.var.credential;
  const { limit, cursor, include_archived: includeArchived } = c.req.valid('query');
  const binding = { scope: `metered-features:${auth.tenantId}`, query: { include_archived: includeArchived } };
  let after: string | undefined;
  if (cursor !== undefined)
    [after] = await decodeCursor(c.var.deps.secretBox, cursor, binding, [CursorValues.id('feat')]);
  const rows = await listFeatures(c.var.deps, auth.tenantId, { limit, includeArchived, ...(after ? { after } : {}) });
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return c.json(
    {
      object: 'list' as const,
      data: page.map(toFeatureDto),
      has_more: hasMore,
      next_cursor: hasMore && last ? await encodeCursor(c.var.deps.secretBox, binding, [last.id]) : null,
    },
    200,
  );
};

export const getFeatureHandler: AppRouteHandler<typeof getFeatureRoute> = async (c) => {
  const id = checkFeatureId(c.req.valid('param').id);
  return c.json(toFeatureDto(await getFeature(c.var.deps, c.var.credential.tenantId, id)), 200);
};

export const updateFeatureHandler: AppRouteHandler<typeof updateFeatureRoute> = async (c) => {
  const id = checkFeatureId(c.req.valid('param').id);
  const body = c.req.valid('json');
  const row = await updateFeature(c.var.deps, c.var.credential.tenantId, auditContextOf(c), id, {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.unit_label !== undefined ? { unitLabel: body.unit_label } : {}),
  });
  return c.json(toFeatureDto(row), 200);
};

export const archiveFeatureHandler: AppRouteHandler<typeof archiveFeatureRoute> = async (c) => {
  const id = checkFeatureId(c.req.valid('param').id);
  return c.json(toFeatureDto(await archiveFeature(c.var.deps, c.var.credential.tenantId, auditContextOf(c), id)), 200);
};

export const listMeteredPricesHandler: AppRouteHandler<typeof listMeteredPricesRoute> = async (c) => {
  const tierId = checkTierId(c.req.valid('param').id);
  const rows = await listMeteredPrices(c.var.deps, c.var.credential.tenantId, tierId);
  return c.json({ object: 'list' as const, data: rows.map(toMeteredPriceDto) }, 200);
};

export const putMeteredPriceHandler: AppRouteHandler<typeof putMeteredPriceRoute> = async (c) => {
  const params = c.req.valid('param');
  const tierId = checkTierId(params.id);
  const featureId = checkFeatureId(params.feature_id);
  const body = c.req.valid('json');
  const { row, created } = await setMeteredPrice(
    c.var.deps,
    c.var.credential.tenantId,
    auditContextOf(c),
    tierId,
    featureId,
    {
      interval: body.interval,
      includedUnits: body.included_units,
      steps: body.steps.map((step) => ({
        up_to: step.up_to,
        unit_amount: step.unit_amount,
        ...(step.flat_amount !== undefined ? { flat_amount: step.flat_amount } : {}),
      })),
    },
  );
  return created ? c.json(toMeteredPriceDto(row), 201) : c.json(toMeteredPriceDto(row), 200);
};

export const deleteMeteredPriceHandler: AppRouteHandler<typeof deleteMeteredPriceRoute> = async (c) => {
  const params = c.req.valid('param');
  if (!isId(params.id, 'tier') || !isUsageId(params.feature_id, 'feat'))
    throw new ApiError(
      MeteredPriceErrors.METERED_PRICE_NOT_FOUND,
      `Tier ${params.id} has no price for ${params.feature_id}.`,
    );
  const { interval } = c.req.valid('query');
  await removeMeteredPrice(
    c.var.deps,
    c.var.credential.tenantId,
    auditContextOf(c),
    params.id,
    params.feature_id,
    interval,
  );
  return c.json(
    {
      object: 'tier_metered_price' as const,
      tier_id: params.id,
      feature_id: params.feature_id,
      deleted: true as const,
    },
    200,
  );
};

export const recordUsageHandler: AppRouteHandler<typeof recordUsageRoute> = async (c) => {
  const body = c.req.valid('json');
  if (!isId(body.member_id, 'mem'))
    throw new ApiError(MemberErrors.MEMBER_NOT_FOUND, `No member ${body.member_id}.`, {
      errors: [{ field: 'member_id', message: 'No such member.' }],
    });
  const occurredAt = body.timestamp !== undefined ? new Date(body.timestamp) : undefined;
  if (occurredAt && Number.isNaN(occurredAt.getTime()))
    throw validationError([{ field: 'timestamp', message: 'Not a point in time.' }]);
  const { record, created } = await recordUsage(c.var.deps, c.var.credential.tenantId, {
    memberId: body.member_id,
    feature: body.feature,
    quantity: body.quantity,
    identifier: body.identifier,
    ...(occurredAt ? { occurredAt } : {}),
  });
  return created ? c.json(toUsageRecordDto(record), 201) : c.json(toUsageRecordDto(record), 200);
};

export const myUsageHandler: AppRouteHandler<typeof myUsageRoute> = async (c) => {
  const { tenantId, memberId } = c.var.credential;
  return c.json(toUsageSummaryDto(await usageSummary(c.var.deps, tenantId, memberId)), 200);
};
