import { createRouter } from '../../lib/create-router.js';
import { getGrowthHandler, getRetentionHandler } from './analytics-cohorts.handlers.js';
import { getGrowthRoute, getRetentionRoute } from './analytics-cohorts.routes.js';

/** `/v1/analytics/growth` and `/v1/analytics/retention`. */
export const cohortsRouter = createRouter()
  .openapi(getGrowthRoute, getGrowthHandler)
  .openapi(getRetentionRoute, getRetentionHandler);
