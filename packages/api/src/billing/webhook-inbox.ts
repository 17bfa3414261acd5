import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { tenants, stripeEvents } from '../db/schema/index.js';
import type { AppDeps } from '../deps.js';
import { ApiError } from '../lib/errors.js';
import { BillingErrors } from './billing-errors.js';
import { readTenantBilling, stripeWebhookSecretContext } from './stripe-account.js';

/** How far a signature's timestamp may lie in the past (Stripe's default, the requirement). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * The in-process webhook worker, woken after an event is stored so its effects
 * follow at once (like `activityRollups`). Lives on the deps as `billingEvents`
 * once the lead adds it to `AppDeps`; until then it is read through this type.
 */
export interface BillingEventsWaker {
  wake(): void;
}
type InboxDeps = Pick<AppDeps, 'db' | 'clock' | 'billing' | 'secretBox' | 'logger'> & {
  billingEvents?: BillingEventsWaker;
};

/** What storing a delivery did. */
export interface StoredEvent {
  id: string;
  type: string;
  tenantId: string | null;
  /** False when the event id was stored before (a redelivery) or belongs to no tenant of ours. */
  stored: boolean;
}

function badSignature(detail: string): ApiError {
  return new ApiError(BillingErrors.WEBHOOK_SIGNATURE_INVALID, detail);
}

/**
 * Verifies a delivery's `Stripe-Signature` over the raw body with the stripe
 * library (HMAC, {@link WEBHOOK_TOLERANCE_SECONDS}); the async form runs on
 * Node and on edge runtimes (Web Crypto).
 * @throws ApiError 400 `WEBHOOK_SIGNATURE_INVALID`
 */
export async function verifyStripeEvent(
  rawBody: string,
  signature: string | undefined,
  secret: string,
): Promise<Stripe.Event> {
  if (!signature) throw badSignature('The Stripe-Signature header is missing.');
  try {
    return await Stripe.webhooks.constructEventAsync(rawBody, signature, secret, WEBHOOK_TOLERANCE_SECONDS);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError)
      throw badSignature('The Stripe-Signature header does not match the body, or its timestamp is too old.');
    throw badSignature('The body is not a Stripe event.');
  }
}

/** The id of the object an event is about (`sub_…`, `in_…`, `cs_…`). */
function objectIdOf(event: Stripe.Event): string | null {
  const object = event.data?.object as { id?: unknown } | undefined;
  return typeof object?.id === 'string' ? object.id : null;
}

/** Stores a verified event in the tenant's inbox; a redelivered id is dropped by the key. */
async function storeEvent(deps: InboxDeps, tenantId: string, event: Stripe.Event): Promise<boolean> {
  const inserted = await deps.db.withTenant(tenantId, (tx) =>
    tx
      .insert(stripeEvents)
      .values({
        tenantId,
        id: event.id,
        type: event.type,
        objectId: objectIdOf(event),
        stripeCreatedAt: new Date(event.created * 1000),
        payload: event as unknown as Record<string, unknown>,
        // The app's clock, not the database's: the worker compares with it (tests run on a manual clock).
        receivedAt: deps.clock.now(),
        nextAttemptAt: deps.clock.now(),
      })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.id }),
  );
  if (inserted.length > 0) deps.billingEvents?.wake();
  return inserted.length > 0;
}

/**
 * A delivery to the platform's Connect endpoint: verified with the platform's
 * Connect signing secret, routed to its tenant by `event.account` through the
 * platform directory (read as the platform role), stored once.
 * @throws ApiError 503 when this server has no Connect platform; 400 on a bad signature
 */
export async function receiveConnectEvent(
  deps: InboxDeps,
  rawBody: string,
  signature: string | undefined,
): Promise<StoredEvent> {
  const platform = deps.billing?.platform;
  if (!platform)
    throw new ApiError(BillingErrors.BILLING_UNAVAILABLE, 'This server has no Stripe Connect platform configured.');
  const event = await verifyStripeEvent(rawBody, signature, platform.webhookSecret);
  const account = event.account;
  const tenantId = account
    ? await deps.db.withPlatform(async (tx) => {
        const [row] = await tx
          .select({ tenantId: tenants.id })
          .from(tenants)
          .where(eq(tenants.stripeConnectAccountId, account));
        return row?.tenantId ?? null;
      })
    : null;
  if (!tenantId) {
    // An account that is not (or no longer) a tenant's, or the platform's own event: nothing to apply.
    deps.logger.warn('stripe connect event for no tenant', { event_id: event.id, type: event.type, account });
    return { id: event.id, type: event.type, tenantId: null, stored: false };
  }
  return { id: event.id, type: event.type, tenantId, stored: await storeEvent(deps, tenantId, event) };
}

/**
 * A delivery to a direct-mode tenant's own endpoint, verified with that tenant's
 * sealed signing secret.
 * @throws ApiError 404 when the tenant has no direct-mode webhook; 400 on a bad signature
 */
export async function receiveDirectEvent(
  deps: InboxDeps,
  tenantId: string,
  rawBody: string,
  signature: string | undefined,
): Promise<StoredEvent> {
  const settings = await deps.db.withTenant(tenantId, (tx) => readTenantBilling(tx, tenantId));
  if (!settings?.sealedWebhookSecret)
    throw new ApiError(BillingErrors.BILLING_NOT_CONFIGURED, `No Stripe webhook endpoint is set up for ${tenantId}.`);
  const secret = await deps.secretBox.open(settings.sealedWebhookSecret, stripeWebhookSecretContext(tenantId));
  const event = await verifyStripeEvent(rawBody, signature, secret);
  if (event.account && settings.stripeAccountId && event.account !== settings.stripeAccountId) {
    deps.logger.warn('stripe event of another account on a direct endpoint', { event_id: event.id });
    return { id: event.id, type: event.type, tenantId, stored: false };
  }
  return { id: event.id, type: event.type, tenantId, stored: await storeEvent(deps, tenantId, event) };
}
