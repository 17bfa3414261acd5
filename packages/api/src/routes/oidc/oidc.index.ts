import { createRouter } from '../../lib/create-router.js';
import {
  createOidcProviderHandler,
  deleteOidcProviderHandler,
  getOidcProviderHandler,
  listOidcProvidersHandler,
  oidcCallbackHandler,
  startOidcLoginHandler,
  updateOidcProviderHandler,
} from './oidc.handlers.js';
import {
  createOidcProviderRoute,
  deleteOidcProviderRoute,
  getOidcProviderRoute,
  listOidcProvidersRoute,
  oidcCallbackRoute,
  startOidcLoginRoute,
  updateOidcProviderRoute,
} from './oidc.routes.js';

/**
 * OpenID Connect login for members: `/v1/tenant/oidc-providers` (tenant admins
 * configure providers) and `/v1/auth/oidc/*` (the browser's round trip through
 * the provider).
 */
export const oidcRouter = createRouter()
  .openapi(createOidcProviderRoute, createOidcProviderHandler)
  .openapi(listOidcProvidersRoute, listOidcProvidersHandler)
  .openapi(getOidcProviderRoute, getOidcProviderHandler)
  .openapi(updateOidcProviderRoute, updateOidcProviderHandler)
  .openapi(deleteOidcProviderRoute, deleteOidcProviderHandler)
  .openapi(oidcCallbackRoute, oidcCallbackHandler)
  .openapi(startOidcLoginRoute, startOidcLoginHandler);
