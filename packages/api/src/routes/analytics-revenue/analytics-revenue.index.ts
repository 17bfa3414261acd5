import { createRouter } from '../../lib/create-router.js';

/** `/v1/analytics/revenue`: MRR, movements and payments from the local billing history. */
export const revenueRouter = createRouter();
