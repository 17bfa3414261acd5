import { createRouter } from '../../lib/create-router.js';
import { getMeHandler, listMySessionsHandler, revokeMySessionHandler } from './me.handlers.js';
import { getMeRoute, listMySessionsRoute, revokeMySessionRoute } from './me.routes.js';

/** `/v1/me`: the signed-in member's own data, with a member access token. */
export const meRouter = createRouter()
  .openapi(getMeRoute, getMeHandler)
  .openapi(listMySessionsRoute, listMySessionsHandler)
  .openapi(revokeMySessionRoute, revokeMySessionHandler);
