import { createRouter } from '../../lib/create-router.js';
import {
  cancelSubscriptionHandler,
  getMemberBillingHandler,
  grantCompHandler,
  listSubscriptionsHandler,
  refundInvoiceHandler,
  revokeCompHandler,
} from './billing-staff.handlers.js';
import {
  cancelSubscriptionRoute,
  getMemberBillingRoute,
  grantCompRoute,
  listSubscriptionsRoute,
  refundInvoiceRoute,
  revokeCompRoute,
} from './billing-staff.routes.js';

/** Staff billing: subscriptions, a member's invoices, refunds, cancellations and comps. */
export const billingStaffRouter = createRouter()
  .openapi(listSubscriptionsRoute, listSubscriptionsHandler)
  .openapi(getMemberBillingRoute, getMemberBillingHandler)
  .openapi(refundInvoiceRoute, refundInvoiceHandler)
  .openapi(cancelSubscriptionRoute, cancelSubscriptionHandler)
  .openapi(grantCompRoute, grantCompHandler)
  .openapi(revokeCompRoute, revokeCompHandler);
