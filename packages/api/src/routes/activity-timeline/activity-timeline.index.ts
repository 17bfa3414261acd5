import { createRouter } from '../../lib/create-router.js';
import {
  listActivityTypesHandler,
  listMemberActivityHandler,
  listMyActivityHandler,
} from './activity-timeline.handlers.js';
import { listActivityTypesRoute, listMemberActivityRoute, listMyActivityRoute } from './activity-timeline.routes.js';

/** Member activity timelines and event types. */
export const activityTimelineRouter = createRouter()
  .openapi(listActivityTypesRoute, listActivityTypesHandler)
  .openapi(listMemberActivityRoute, listMemberActivityHandler)
  .openapi(listMyActivityRoute, listMyActivityHandler);
