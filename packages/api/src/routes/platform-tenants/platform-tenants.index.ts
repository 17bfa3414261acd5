import { createRouter } from '../../lib/create-router.js';
import { createPlatformTenantHandler, listPlatformTenantsHandler } from './platform-tenants.handlers.js';
import { createPlatformTenantRoute, listPlatformTenantsRoute } from './platform-tenants.routes.js';

/** `/v1/platform/tenants`: the platform operator's tenant management. */
export const platformTenantsRouter = createRouter()
  .openapi(createPlatformTenantRoute, createPlatformTenantHandler)
  .openapi(listPlatformTenantsRoute, listPlatformTenantsHandler);
