import { createRouter } from '../../lib/create-router.js';

/** Metered features, `POST /v1/usage` and the member's usage this period. */
export const billingUsageRouter = createRouter();
