import { createRouter } from '../../lib/create-router.js';
import {
  cancelSubscriptionHandler,
  confirmChangeHandler,
  getMemberBillingHandler,
  listMemberInvoicesHandler,
  listPaymentMethodsHandler,
  previewChangeHandler,
  removePaymentMethodHandler,
  resumeSubscriptionHandler,
  setDefaultPaymentMethodHandler,
  setupPaymentMethodHandler,
  startCheckoutHandler,
} from './billing-portal.handlers.js';
import {
  cancelSubscriptionRoute,
  confirmChangeRoute,
  getMemberBillingRoute,
  listMemberInvoicesRoute,
  listPaymentMethodsRoute,
  previewChangeRoute,
  removePaymentMethodRoute,
  resumeSubscriptionRoute,
  setDefaultPaymentMethodRoute,
  setupPaymentMethodRoute,
  startCheckoutRoute,
} from './billing-portal.routes.js';

/** `/v1/me/billing*`: the signed-in member's checkout, subscription, payment methods and invoices. */
export const billingPortalRouter = createRouter()
  .openapi(getMemberBillingRoute, getMemberBillingHandler)
  .openapi(startCheckoutRoute, startCheckoutHandler)
  .openapi(previewChangeRoute, previewChangeHandler)
  .openapi(confirmChangeRoute, confirmChangeHandler)
  .openapi(cancelSubscriptionRoute, cancelSubscriptionHandler)
  .openapi(resumeSubscriptionRoute, resumeSubscriptionHandler)
  .openapi(listPaymentMethodsRoute, listPaymentMethodsHandler)
  .openapi(setupPaymentMethodRoute, setupPaymentMethodHandler)
  .openapi(setDefaultPaymentMethodRoute, setDefaultPaymentMethodHandler)
  .openapi(removePaymentMethodRoute, removePaymentMethodHandler)
  .openapi(listMemberInvoicesRoute, listMemberInvoicesHandler);
