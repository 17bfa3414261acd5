import { createRouter } from '../../lib/create-router.js';

/** The tenant feed: announcements, milestones, member posts, comments, reactions, moderation and reports. */
export const feedRouter = createRouter();
