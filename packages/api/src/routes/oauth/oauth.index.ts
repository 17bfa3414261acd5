import { createRouter } from '../../lib/create-router.js';
import { oauthValidationHook } from './oauth-errors.js';
import { tokenHandler } from './oauth.handlers.js';
import { tokenRoute } from './oauth.routes.js';

/** `/v1/oauth/token`: OAuth 2.0 client credentials for integrators; its errors are RFC 6749's. */
export const oauthRouter = createRouter().openapi(tokenRoute, tokenHandler, oauthValidationHook);
