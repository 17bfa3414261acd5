import { createRouter } from '../../lib/create-router.js';

/** Routes of the members resource. */
export const membersRouter = createRouter();
