import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import type { Tx } from '../db/database.js';
import { tenantBilling, type TenantBillingRow } from '../db/schema/index.js';
import type { AppDeps } from '../deps.js';
import { ApiError } from '../lib/errors.js';
import { BillingErrors } from './billing-errors.js';

/** The secret-box context a direct-mode tenant's key is sealed under (binds the ciphertext to its tenant). */
export const stripeKeyContext = (tenantId: string) => `stripe-key:${tenantId}`;
/** The secret-box context of a direct-mode tenant's webhook signing secret. */
export const stripeWebhookSecretContext = (tenantId: string) => `stripe-webhook-secret:${tenantId}`;

/**
 * A tenant's way into Stripe: the client and the request options every call must
 * pass (`stripeAccount` in Connect mode). Always call as
 * `account.stripe.<resource>.<method>(params, account.requestOptions({ idempotencyKey }))`.
 */
export interface TenantStripe {
  stripe: Stripe;
  settings: TenantBillingRow;
  /** Request options for one call: the connected account (Connect mode) plus the given options. */
  requestOptions(options?: Stripe.RequestOptions): Stripe.RequestOptions;
}

/** The tenant's billing settings, or null when billing was never set up. Runs in the caller's tenant transaction. */
export async function readTenantBilling(tx: Tx, tenantId: string): Promise<TenantBillingRow | null> {
  const [row] = await tx.select().from(tenantBilling).where(eq(tenantBilling.tenantId, tenantId));
  return row ?? null;
}

/**
 * Opens the tenant's Stripe client from its billing settings (read in a tenant
 * transaction beforehand). Never call Stripe inside a database transaction:
 * read, commit, call Stripe (with an idempotency key), then write the result.
 * @throws ApiError 409 `BILLING_NOT_CONFIGURED` when the tenant has no usable connection,
 *   503 `BILLING_UNAVAILABLE` when this server has no Stripe access at all.
 */
export async function openTenantStripe(
  deps: Pick<AppDeps, 'billing' | 'secretBox'>,
  settings: TenantBillingRow | null,
): Promise<TenantStripe> {
  const billing = deps.billing;
  if (!billing)
    throw new ApiError(BillingErrors.BILLING_UNAVAILABLE, 'This server has no Stripe connection configured.');
  if (!settings)
    throw new ApiError(
      BillingErrors.BILLING_NOT_CONFIGURED,
      'Connect a Stripe account with PUT /v1/tenant/billing first.',
    );
  if (settings.mode === 'connect') {
    if (!billing.platform)
      throw new ApiError(
        BillingErrors.BILLING_NOT_CONFIGURED,
        'The tenant uses Stripe Connect, but this server has no platform key (MEMBERKIT_STRIPE_SECRET_KEY).',
      );
    const account = settings.stripeAccountId;
    if (!account)
      throw new ApiError(BillingErrors.BILLING_NOT_CONFIGURED, 'The tenant has no connected Stripe account yet.');
    return {
      stripe: billing.stripe(billing.platform.secretKey),
      settings,
      requestOptions: (options = {}) => ({ ...options, stripeAccount: account }),
    };
  }
  if (!settings.sealedSecretKey)
    throw new ApiError(BillingErrors.BILLING_NOT_CONFIGURED, 'The tenant has no Stripe key stored.');
  const key = await deps.secretBox.open(settings.sealedSecretKey, stripeKeyContext(settings.tenantId));
  return { stripe: billing.stripe(key), settings, requestOptions: (options = {}) => ({ ...options }) };
}

/**
 * Loads the tenant's settings in a short tenant transaction and opens its Stripe client.
 * @throws see {@link openTenantStripe}
 */
export async function tenantStripe(
  deps: Pick<AppDeps, 'billing' | 'secretBox' | 'db'>,
  tenantId: string,
): Promise<TenantStripe> {
  const settings = await deps.db.withTenant(tenantId, (tx) => readTenantBilling(tx, tenantId));
  return openTenantStripe(deps, settings);
}

/**
 * Turns an error thrown by the Stripe SDK into the API's problem: card errors are
 * 402, invalid requests caused by the caller's input 422 (with Stripe's message),
 * anything else a 502 that names Stripe (never a 500: our server is fine).
 */
export function stripeProblem(error: unknown, what: string): ApiError {
  if (error instanceof Stripe.errors.StripeCardError)
    return new ApiError(BillingErrors.PAYMENT_FAILED, error.message, { cause: error });
  if (error instanceof Stripe.errors.StripeConnectionError)
    return new ApiError(BillingErrors.STRIPE_UNREACHABLE, `Stripe could not be reached while ${what}; try again.`, {
      cause: error,
    });
  if (error instanceof Stripe.errors.StripeError)
    return new ApiError(BillingErrors.STRIPE_REQUEST_FAILED, `Stripe refused ${what}: ${error.message}`, {
      cause: error,
    });
  return new ApiError(BillingErrors.STRIPE_REQUEST_FAILED, `Stripe failed while ${what}.`, { cause: error });
}
