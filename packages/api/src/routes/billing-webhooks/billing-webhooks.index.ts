import type { Context } from 'hono';
import type { AppEnv } from '../../lib/context.js';
import { requireCredential } from '../../access/require-credential.js';
import { BillingErrors } from '../../billing/billing-errors.js';
import { reconcileAll, reconcileTenant } from '../../billing/reconcile.js';
import { receiveConnectEvent, receiveDirectEvent } from '../../billing/webhook-inbox.js';
import { createRouter } from '../../lib/create-router.js';
import { ApiError } from '../../lib/errors.js';
import { isId } from '../../lib/ids.js';
import { validationError } from '../../lib/validation.js';

/**
 * `/v1/webhooks/stripe/*`: Stripe's webhook deliveries. Plain routes, outside the
 * OpenAPI document and the SDK: Stripe calls them, API users do not. Each verifies
 * the signature over the raw body, stores the event in the tenant's inbox
 * (`stripe_events`, once per event id) and answers 200 at once; the webhook
 * worker (billing/webhook-worker.ts) applies it.
 */
export const stripeWebhooksRouter = createRouter();

/** The platform's Connect endpoint; `/connect` is an alias (the tenant route below would take `connect` as an id). */
const connectHandler = async (c: Context<AppEnv>) => {
  const raw = await c.req.text();
  const result = await receiveConnectEvent(c.var.deps, raw, c.req.header('stripe-signature'));
  return c.json({ received: true, id: result.id, duplicate: !result.stored && result.tenantId !== null }, 200);
};
stripeWebhooksRouter.post('/v1/webhooks/stripe', connectHandler);
stripeWebhooksRouter.post('/v1/webhooks/stripe/connect', connectHandler);

stripeWebhooksRouter.post('/v1/webhooks/stripe/:tenant_id', async (c) => {
  const raw = await c.req.text();
  const result = await receiveDirectEvent(c.var.deps, c.req.param('tenant_id'), raw, c.req.header('stripe-signature'));
  return c.json({ received: true, id: result.id, duplicate: !result.stored }, 200);
});

/**
 * `POST /v1/platform/billing/sync` (platform key; `npx memberkit billing sync`): reconciles one
 * tenant (`{ "tenant_id": "tnt_…" }`) or every tenant with billing, now, and answers the
 * reports. Outside the OpenAPI document: an operator's tool, like the CLI that calls it.
 */
stripeWebhooksRouter.post('/v1/platform/billing/sync', requireCredential(['platform']), async (c) => {
  const deps = c.var.deps;
  const billing = deps.billing;
  if (!billing)
    throw new ApiError(BillingErrors.BILLING_UNAVAILABLE, 'This server has no Stripe connection configured.');
  const body = (await c.req.json().catch(() => ({}))) as { tenant_id?: unknown };
  const tenantId = body?.tenant_id;
  if (tenantId !== undefined && (typeof tenantId !== 'string' || !isId(tenantId, 'tnt')))
    throw validationError([{ field: 'tenant_id', message: 'must be a tenant id (tnt_…)' }]);
  const billingDeps = { ...deps, billing };
  const reports = tenantId ? [await reconcileTenant(billingDeps, tenantId)] : await reconcileAll(billingDeps);
  return c.json({ object: 'list', data: reports, has_more: false }, 200);
});
