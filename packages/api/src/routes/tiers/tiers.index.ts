import { createRouter } from '../../lib/create-router.js';

/** Routes of the tiers resource. */
export const tiersRouter = createRouter();
