import { createRouter } from '../../lib/create-router.js';
import { getRevenueHandler } from './analytics-revenue.handlers.js';
import { getRevenueRoute } from './analytics-revenue.routes.js';

/** `/v1/analytics/revenue`: MRR, movements and payments from the local billing history. */
export const revenueRouter = createRouter().openapi(getRevenueRoute, getRevenueHandler);
