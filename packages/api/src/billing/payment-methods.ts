import { and, eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { billingCheckouts, billingCustomers } from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import { applySubscriptionObject } from './apply-subscription.js';
import type { BillingServiceDeps } from './billing-deps.js';
import { checkRedirectUrls } from './checkout-urls.js';
import { ensureCustomer, readCustomer, type BillingCustomer } from './customers.js';
import { refId, toCardView, type CardView } from './portal-cards.js';
import { PortalErrors } from './portal-errors.js';
import { readCurrentSubscription } from './portal-subscription.js';
import { openTenantStripe, readTenantBilling, stripeProblem, type TenantStripe } from './stripe-account.js';

/** A saved payment method and whether invoices are charged to it. */
export type PaymentMethodView = CardView & { isDefault: boolean };

/** What the payment-method operations read locally: the customer, the live subscription, the Stripe client. */
async function readWallet(deps: BillingServiceDeps, tenantId: string, memberId: string) {
  const local = await deps.db.withTenant(tenantId, async (tx) => ({
    customer: await readCustomer(tx, tenantId, memberId),
    subscription: await readCurrentSubscription(tx, tenantId, memberId, deps.clock.now()),
    settings: await readTenantBilling(tx, tenantId),
  }));
  const stripeSubscriptionId = local.subscription?.kind === 'stripe' ? local.subscription.stripeSubscriptionId : null;
  return { ...local, stripeSubscriptionId };
}

/** The customer's default payment method in Stripe (the subscription's own default wins, as Stripe charges it). */
async function defaultOf(
  account: TenantStripe,
  customer: BillingCustomer,
  stripeSubscriptionId: string | null,
): Promise<string | null> {
  if (stripeSubscriptionId) {
    const subscription = await account.stripe.subscriptions.retrieve(
      stripeSubscriptionId,
      {},
      account.requestOptions(),
    );
    const own = refId(subscription.default_payment_method);
    if (own) return own;
  }
  const found = await account.stripe.customers.retrieve(customer.stripeCustomerId, {}, account.requestOptions());
  if (found.deleted) return null;
  return refId(found.invoice_settings.default_payment_method);
}

/** The member's saved payment methods, the default marked. Empty before the member's first checkout. */
export async function listPaymentMethods(
  deps: BillingServiceDeps,
  tenantId: string,
  memberId: string,
): Promise<PaymentMethodView[]> {
  const wallet = await readWallet(deps, tenantId, memberId);
  if (!wallet.customer) return [];
  const account = await openTenantStripe(deps, wallet.settings);
  try {
    const [methods, defaultId] = await Promise.all([
      account.stripe.customers.listPaymentMethods(
        wallet.customer.stripeCustomerId,
        { limit: 100 },
        account.requestOptions(),
      ),
      defaultOf(account, wallet.customer, wallet.stripeSubscriptionId),
    ]);
    return methods.data.map((pm) => ({ ...toCardView(pm), isDefault: pm.id === defaultId }));
  } catch (error) {
    throw stripeProblem(error, 'listing payment methods');
  }
}

/**
 * Opens a Stripe Checkout Session in setup mode where the member adds a card to
 * their customer; returns its URL. The return pages must be on an allowed origin.
 * @throws ApiError 422 REDIRECT_URL_NOT_ALLOWED.
 */
export async function startPaymentMethodSetup(
  deps: BillingServiceDeps,
  tenantId: string,
  memberId: string,
  allowedOrigins: readonly string[],
  input: { successUrl: string; cancelUrl: string },
): Promise<{ id: string; url: string; expiresAt: Date | null }> {
  checkRedirectUrls({ success_url: input.successUrl, cancel_url: input.cancelUrl }, allowedOrigins);
  const { customer, account } = await ensureCustomer(deps, tenantId, memberId);
  const id = deps.ids.generate('bchk');
  let session: Stripe.Checkout.Session;
  try {
    session = await account.stripe.checkout.sessions.create(
      {
        mode: 'setup',
        customer: customer.stripeCustomerId,
        client_reference_id: memberId,
        currency: account.settings.currency,
        success_url: input.successUrl,
        cancel_url: input.cancelUrl,
        metadata: { memberkit_tenant_id: tenantId, memberkit_member_id: memberId, memberkit_checkout_id: id },
      },
      account.requestOptions({ idempotencyKey: `checkout:${id}` }),
    );
  } catch (error) {
    throw stripeProblem(error, 'opening the card setup');
  }
  if (!session.url) throw stripeProblem(new Error('session without url'), 'opening the card setup');
  const expiresAt = session.expires_at ? new Date(session.expires_at * 1000) : null;
  await deps.db.withTenant(tenantId, async (tx) => {
    const now = deps.clock.now();
    await tx.insert(billingCheckouts).values({
      tenantId,
      id,
      memberId,
      mode: 'setup',
      stripeSessionId: session.id,
      status: 'open',
      url: session.url,
      expiresAt,
      createdAt: now,
      updatedAt: now,
    });
  });
  return { id, url: session.url, expiresAt };
}

const paymentMethodNotFound = (id: string) =>
  new ApiError(PortalErrors.PAYMENT_METHOD_NOT_FOUND, `No payment method ${id} of yours.`);

/** The member's local customer; a member without one has no payment methods (404 without asking Stripe). */
function requireCustomer(customer: BillingCustomer | null, paymentMethodId: string): BillingCustomer {
  if (!customer) throw paymentMethodNotFound(paymentMethodId);
  return customer;
}

/** The member's payment method `id`, or 404: a payment method of another customer is never touched. */
async function ownPaymentMethod(account: TenantStripe, customer: BillingCustomer, id: string) {
  const notFound = () => paymentMethodNotFound(id);
  let pm: Stripe.PaymentMethod;
  try {
    pm = await account.stripe.paymentMethods.retrieve(id, {}, account.requestOptions());
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) throw notFound();
    throw stripeProblem(error, 'reading the payment method');
  }
  if (refId(pm.customer) !== customer.stripeCustomerId) throw notFound();
  return pm;
}

/**
 * Makes a saved payment method the one invoices are charged to: the customer's
 * `invoice_settings.default_payment_method`, and the live subscription's default
 * (which Stripe prefers over the customer's).
 * @throws ApiError 404 PAYMENT_METHOD_NOT_FOUND.
 */
export async function setDefaultPaymentMethod(
  deps: BillingServiceDeps,
  tenantId: string,
  memberId: string,
  requestId: string,
  paymentMethodId: string,
): Promise<PaymentMethodView[]> {
  const wallet = await readWallet(deps, tenantId, memberId);
  const customer = requireCustomer(wallet.customer, paymentMethodId);
  const account = await openTenantStripe(deps, wallet.settings);
  await ownPaymentMethod(account, customer, paymentMethodId);
  let updated: Stripe.Subscription | null = null;
  try {
    await account.stripe.customers.update(
      customer.stripeCustomerId,
      { invoice_settings: { default_payment_method: paymentMethodId } },
      account.requestOptions(),
    );
    if (wallet.stripeSubscriptionId) {
      updated = await account.stripe.subscriptions.update(
        wallet.stripeSubscriptionId,
        { default_payment_method: paymentMethodId },
        account.requestOptions(),
      );
    }
  } catch (error) {
    throw stripeProblem(error, 'setting the default payment method');
  }
  // The local subscription row names the card renewals are charged to (the portal shows it).
  if (updated)
    await applySubscriptionObject(deps, tenantId, updated, { cause: `api:${requestId}`, observedAt: deps.clock.now() });
  await deps.db.withTenant(tenantId, (tx) =>
    tx
      .update(billingCustomers)
      .set({ defaultPaymentMethodId: paymentMethodId, updatedAt: deps.clock.now() })
      .where(and(eq(billingCustomers.tenantId, tenantId), eq(billingCustomers.memberId, memberId))),
  );
  return listPaymentMethods(deps, tenantId, memberId);
}

/**
 * Removes a saved payment method (Stripe `detach`). The default one stays while
 * a subscription is live: renewals would have nothing to charge.
 * @throws ApiError 404 PAYMENT_METHOD_NOT_FOUND, 409 PAYMENT_METHOD_IN_USE.
 */
export async function removePaymentMethod(
  deps: BillingServiceDeps,
  tenantId: string,
  memberId: string,
  paymentMethodId: string,
): Promise<PaymentMethodView[]> {
  const wallet = await readWallet(deps, tenantId, memberId);
  const customer = requireCustomer(wallet.customer, paymentMethodId);
  const account = await openTenantStripe(deps, wallet.settings);
  await ownPaymentMethod(account, customer, paymentMethodId);
  const live = wallet.stripeSubscriptionId !== null && wallet.subscription?.status !== 'incomplete';
  if (live) {
    let defaultId: string | null;
    try {
      defaultId = await defaultOf(account, customer, wallet.stripeSubscriptionId);
    } catch (error) {
      throw stripeProblem(error, 'reading the default payment method');
    }
    if (defaultId === paymentMethodId) {
      throw new ApiError(
        PortalErrors.PAYMENT_METHOD_IN_USE,
        'This is the payment method your subscription is charged to; make another one the default first.',
      );
    }
  }
  try {
    await account.stripe.paymentMethods.detach(paymentMethodId, {}, account.requestOptions());
  } catch (error) {
    throw stripeProblem(error, 'removing the payment method');
  }
  await deps.db.withTenant(tenantId, (tx) =>
    tx
      .update(billingCustomers)
      .set({ defaultPaymentMethodId: null, updatedAt: deps.clock.now() })
      .where(
        and(
          eq(billingCustomers.tenantId, tenantId),
          eq(billingCustomers.memberId, memberId),
          eq(billingCustomers.defaultPaymentMethodId, paymentMethodId),
        ),
      ),
  );
  return listPaymentMethods(deps, tenantId, memberId);
}
