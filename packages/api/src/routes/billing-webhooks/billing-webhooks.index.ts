import { createRouter } from '../../lib/create-router.js';

/** `/v1/webhooks/stripe/*`: Stripe's webhook deliveries (verified, deduplicated, applied from the inbox). */
export const stripeWebhooksRouter = createRouter();
