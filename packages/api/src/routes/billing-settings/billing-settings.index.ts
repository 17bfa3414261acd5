import { createRouter } from '../../lib/create-router.js';

/** `/v1/tenant/billing` (connecting Stripe, billing rules) and the tier catalog's Stripe side. */
export const billingSettingsRouter = createRouter();
