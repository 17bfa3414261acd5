import { createRouter } from '../../lib/create-router.js';
import {
  getCommunitySettingsHandler,
  getMyCommunityHandler,
  listPresenceHandler,
  presenceHeartbeatHandler,
  updateCommunitySettingsHandler,
  updateMyCommunityHandler,
} from './community.handlers.js';
import {
  getCommunitySettingsRoute,
  getMyCommunityRoute,
  listPresenceRoute,
  presenceHeartbeatRoute,
  updateCommunitySettingsRoute,
  updateMyCommunityRoute,
} from './community.routes.js';

/** Community settings, members' community choices and presence. */
export const communityRouter = createRouter()
  .openapi(getCommunitySettingsRoute, getCommunitySettingsHandler)
  .openapi(updateCommunitySettingsRoute, updateCommunitySettingsHandler)
  .openapi(getMyCommunityRoute, getMyCommunityHandler)
  .openapi(updateMyCommunityRoute, updateMyCommunityHandler)
  .openapi(presenceHeartbeatRoute, presenceHeartbeatHandler)
  .openapi(listPresenceRoute, listPresenceHandler);
