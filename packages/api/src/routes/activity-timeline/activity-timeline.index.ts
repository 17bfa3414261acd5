import { createRouter } from '../../lib/create-router.js';

/** Member activity timelines and event types. */
export const activityTimelineRouter = createRouter();
