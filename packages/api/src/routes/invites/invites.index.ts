import { createRouter } from '../../lib/create-router.js';

/** Routes of the invites resource. */
export const invitesRouter = createRouter();
