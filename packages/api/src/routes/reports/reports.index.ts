import { createRouter } from '../../lib/create-router.js';

/** `/v1/reports`: custom report queries, saved and scheduled reports. */
export const reportsRouter = createRouter();
