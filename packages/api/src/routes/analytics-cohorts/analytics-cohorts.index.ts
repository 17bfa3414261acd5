import { createRouter } from '../../lib/create-router.js';

/** `/v1/analytics/growth` and `/v1/analytics/retention`. */
export const cohortsRouter = createRouter();
