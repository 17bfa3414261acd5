import { createRouter } from '../../lib/create-router.js';
import {
  changeMyPasswordHandler,
  deleteMeHandler,
  exportMeHandler,
  getMeHandler,
  listMySessionsHandler,
  revokeMyOtherSessionsHandler,
  revokeMySessionHandler,
  updateMeHandler,
} from './me.handlers.js';
import {
  changeMyPasswordRoute,
  deleteMeRoute,
  exportMeRoute,
  getMeRoute,
  listMySessionsRoute,
  revokeMyOtherSessionsRoute,
  revokeMySessionRoute,
  updateMeRoute,
} from './me.routes.js';

/** `/v1/me`: the signed-in member's own data, with a member access token. */
export const meRouter = createRouter()
  .openapi(exportMeRoute, exportMeHandler)
  .openapi(getMeRoute, getMeHandler)
  .openapi(deleteMeRoute, deleteMeHandler)
  .openapi(updateMeRoute, updateMeHandler)
  .openapi(changeMyPasswordRoute, changeMyPasswordHandler)
  .openapi(listMySessionsRoute, listMySessionsHandler)
  .openapi(revokeMyOtherSessionsRoute, revokeMyOtherSessionsHandler)
  .openapi(revokeMySessionRoute, revokeMySessionHandler);
