import { createRouter } from '../../lib/create-router.js';
import { createApiKeyHandler, listApiKeysHandler, revokeApiKeyHandler } from './api-keys.handlers.js';
import { createApiKeyRoute, listApiKeysRoute, revokeApiKeyRoute } from './api-keys.routes.js';

/** `/v1/api-keys`: the tenant's secret and publishable keys. */
export const apiKeysRouter = createRouter()
  .openapi(createApiKeyRoute, createApiKeyHandler)
  .openapi(listApiKeysRoute, listApiKeysHandler)
  .openapi(revokeApiKeyRoute, revokeApiKeyHandler);
