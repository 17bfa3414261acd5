import { createRouter } from '../../lib/create-router.js';
import {
  getTenantBillingHandler,
  migrateTierSubscribersHandler,
  updateTenantBillingHandler,
} from './billing-settings.handlers.js';
import {
  getTenantBillingRoute,
  migrateTierSubscribersRoute,
  updateTenantBillingRoute,
} from './billing-settings.routes.js';

/** `/v1/tenant/billing` (connecting Stripe, billing rules) and the tier catalog's Stripe side. */
export const billingSettingsRouter = createRouter()
  .openapi(getTenantBillingRoute, getTenantBillingHandler)
  .openapi(updateTenantBillingRoute, updateTenantBillingHandler)
  .openapi(migrateTierSubscribersRoute, migrateTierSubscribersHandler);
