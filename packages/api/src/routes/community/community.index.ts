import { createRouter } from '../../lib/create-router.js';

/** Community settings, presence, member blocks and milestone sharing. */
export const communityRouter = createRouter();
