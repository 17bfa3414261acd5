import { createRouter } from '../../lib/create-router.js';

/** Staff billing: subscriptions, a member's invoices, refunds, cancellations and comps. */
export const billingStaffRouter = createRouter();
