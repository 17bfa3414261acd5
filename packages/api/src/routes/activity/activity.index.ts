import { createRouter } from '../../lib/create-router.js';

/** `POST /v1/activity`: activity ingest. */
export const activityRouter = createRouter();
