import { receiveConnectEvent, receiveDirectEvent } from '../../billing/webhook-inbox.js';
import { createRouter } from '../../lib/create-router.js';

/**
 * `/v1/webhooks/stripe/*`: Stripe's webhook deliveries. Plain routes, outside the
 * OpenAPI document and the SDK: Stripe calls them, API users do not. Each verifies
 * the signature over the raw body, stores the event in the tenant's inbox
 * (`stripe_events`, once per event id) and answers 200 at once; the webhook
 * worker (billing/webhook-worker.ts) applies it.
 */
export const stripeWebhooksRouter = createRouter();

// Registered before `/{tenant_id}`, which would match `connect` too.
stripeWebhooksRouter.post('/v1/webhooks/stripe/connect', async (c) => {
  const raw = await c.req.text();
  const result = await receiveConnectEvent(c.var.deps, raw, c.req.header('stripe-signature'));
  return c.json({ received: true, id: result.id, duplicate: !result.stored && result.tenantId !== null }, 200);
});

stripeWebhooksRouter.post('/v1/webhooks/stripe/:tenant_id', async (c) => {
  const raw = await c.req.text();
  const result = await receiveDirectEvent(c.var.deps, c.req.param('tenant_id'), raw, c.req.header('stripe-signature'));
  return c.json({ received: true, id: result.id, duplicate: !result.stored }, 200);
});
