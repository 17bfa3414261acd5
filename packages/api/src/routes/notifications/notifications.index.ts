import { createRouter } from '../../lib/create-router.js';

/** Member notifications, preferences, and staff sends to many members. */
export const notificationsRouter = createRouter();
