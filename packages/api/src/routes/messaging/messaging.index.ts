import { createRouter } from '../../lib/create-router.js';

/** Conversations (support, direct, group), messages, receipts, typing and moderation. */
export const messagingRouter = createRouter();
