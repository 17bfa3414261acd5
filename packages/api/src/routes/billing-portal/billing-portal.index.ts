import { createRouter } from '../../lib/create-router.js';

/** `/v1/me/billing*`: the signed-in member's checkout, subscription, payment methods and invoices. */
export const billingPortalRouter = createRouter();
