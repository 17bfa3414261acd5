import { migrateTierSubscribers } from '../../billing/migrate-subscribers.js';
import { updateTenantBilling } from '../../billing/tenant-billing.js';
import { tenantBillingStatus } from '../../billing/tenant-billing-status.js';
import type { AppRouteHandler } from '../../lib/context.js';
import { ApiError } from '../../lib/errors.js';
import { isId } from '../../lib/ids.js';
import { TierErrors } from '../../services/tiers.js';
import { auditContextOf } from '../audit-context.js';
import type {
  getTenantBillingRoute,
  migrateTierSubscribersRoute,
  updateTenantBillingRoute,
} from './billing-settings.routes.js';
import { toMigrationDto, toTenantBillingDto } from './billing-settings.schemas.js';

export const getTenantBillingHandler: AppRouteHandler<typeof getTenantBillingRoute> = async (c) => {
  const { return_url: returnUrl } = c.req.valid('query');
  const status = await tenantBillingStatus(c.var.deps, c.var.credential.tenantId, returnUrl ? { returnUrl } : {});
  return c.json(toTenantBillingDto(status), 200);
};

export const updateTenantBillingHandler: AppRouteHandler<typeof updateTenantBillingRoute> = async (c) => {
  const body = c.req.valid('json');
  const status = await updateTenantBilling(c.var.deps, c.var.credential.tenantId, auditContextOf(c), {
    ...(body.mode !== undefined ? { mode: body.mode } : {}),
    ...(body.secret_key !== undefined ? { secretKey: body.secret_key } : {}),
    ...(body.account_type !== undefined ? { accountType: body.account_type } : {}),
    ...(body.currency !== undefined ? { currency: body.currency } : {}),
    ...(body.automatic_tax !== undefined ? { automaticTax: body.automatic_tax } : {}),
    ...(body.tax_behavior !== undefined ? { taxBehavior: body.tax_behavior } : {}),
    ...(body.grace_period_days !== undefined ? { gracePeriodDays: body.grace_period_days } : {}),
    ...(body.lapse_tier_id !== undefined ? { lapseTierId: body.lapse_tier_id } : {}),
    ...(body.allow_cancel_now !== undefined ? { allowCancelNow: body.allow_cancel_now } : {}),
    ...(body.allow_promotion_codes !== undefined ? { allowPromotionCodes: body.allow_promotion_codes } : {}),
    ...(body.return_url !== undefined ? { returnUrl: body.return_url } : {}),
  });
  return c.json(toTenantBillingDto(status), 200);
};

export const migrateTierSubscribersHandler: AppRouteHandler<typeof migrateTierSubscribersRoute> = async (c) => {
  const { id } = c.req.valid('param');
  if (!isId(id, 'tier')) throw new ApiError(TierErrors.TIER_NOT_FOUND, `No tier ${id}.`);
  const body = c.req.valid('json');
  const result = await migrateTierSubscribers(c.var.deps, c.var.credential.tenantId, auditContextOf(c), id, {
    ...(body.interval !== undefined ? { interval: body.interval } : {}),
    prorationBehavior: body.proration_behavior,
  });
  return c.json(toMigrationDto(id, result), 200);
};
