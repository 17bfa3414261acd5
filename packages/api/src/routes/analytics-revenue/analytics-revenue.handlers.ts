import { revenueReport } from '../../billing/revenue.js';
import type { AppRouteHandler } from '../../lib/context.js';
import type { getRevenueRoute } from './analytics-revenue.routes.js';
import { toRevenueDto } from './analytics-revenue.schemas.js';

export const getRevenueHandler: AppRouteHandler<typeof getRevenueRoute> = async (c) => {
  const { from, to, interval, tier_id: tierId } = c.req.valid('query');
  const report = await revenueReport(c.var.deps, c.var.credential.tenantId, { from, to, interval, tierId });
  return c.json(toRevenueDto(report), 200);
};
