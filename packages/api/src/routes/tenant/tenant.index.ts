import { createRouter } from '../../lib/create-router.js';
import { getTenantHandler, updateTenantHandler } from './tenant.handlers.js';
import { getTenantRoute, updateTenantRoute } from './tenant.routes.js';

/** `/v1/tenant`: the calling tenant's own settings. */
export const tenantRouter = createRouter()
  .openapi(getTenantRoute, getTenantHandler)
  .openapi(updateTenantRoute, updateTenantHandler);
