import { createRouter } from '../../lib/create-router.js';
import { issuerMetadataHandler, jwksHandler, rotateSigningKeyHandler, tenantJwksHandler } from './jwks.handlers.js';
import { issuerMetadataRoute, jwksRoute, rotateSigningKeyRoute, tenantJwksRoute } from './jwks.routes.js';

/** Token verification material (JWKS, issuer metadata) and signing key rotation. */
export const jwksRouter = createRouter()
  .openapi(tenantJwksRoute, tenantJwksHandler)
  .openapi(issuerMetadataRoute, issuerMetadataHandler)
  .openapi(jwksRoute, jwksHandler)
  .openapi(rotateSigningKeyRoute, rotateSigningKeyHandler);
