import { createRouter } from '../../lib/create-router.js';
import { getEngagementHandler, getMemberEngagementHandler } from './analytics-engagement.handlers.js';
import { getEngagementRoute, getMemberEngagementRoute } from './analytics-engagement.routes.js';

/** `/v1/analytics/engagement` and member engagement. */
export const engagementRouter = createRouter()
  .openapi(getEngagementRoute, getEngagementHandler)
  .openapi(getMemberEngagementRoute, getMemberEngagementHandler);
