import { createRouter } from '../../lib/create-router.js';

/** `/v1/analytics/engagement` and member engagement. */
export const engagementRouter = createRouter();
