import type { AppRouteHandler } from '../../lib/context.js';
import { labelLocale } from '../../services/analytics-labels.js';
import { growthReport } from '../../services/analytics-growth.js';
import { retentionReport } from '../../services/analytics-retention.js';
import type { getGrowthRoute, getRetentionRoute } from './analytics-cohorts.routes.js';
import { toGrowthDto, toRetentionDto } from './analytics-cohorts.schemas.js';

export const getGrowthHandler: AppRouteHandler<typeof getGrowthRoute> = async (c) => {
  const { from, to, interval } = c.req.valid('query');
  const report = await growthReport(c.var.deps, c.var.credential.tenantId, { from, to, interval });
  return c.json(toGrowthDto(report, labelLocale(c.req.header('accept-language'), report.defaultLocale)), 200);
};

export const getRetentionHandler: AppRouteHandler<typeof getRetentionRoute> = async (c) => {
  const { cohort, periods, tier_id: tierId } = c.req.valid('query');
  const report = await retentionReport(c.var.deps, c.var.credential.tenantId, {
    grain: cohort,
    periods,
    tierKey: tierId === undefined ? undefined : tierId === 'none' ? '' : tierId,
  });
  return c.json(toRetentionDto(report), 200);
};
