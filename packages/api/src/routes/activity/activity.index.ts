import { createRouter } from '../../lib/create-router.js';
import { createActivityHandler } from './activity.handlers.js';
import { createActivityRoute } from './activity.routes.js';

/** `POST /v1/activity`: activity ingest. */
export const activityRouter = createRouter().openapi(createActivityRoute, createActivityHandler);
