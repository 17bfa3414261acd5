import { and, eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { billingCustomers, subscriptions } from '../db/schema/index.js';
import { applyCheckoutSession } from './apply-checkout.js';
import { applyInvoiceObject } from './apply-invoice.js';
import { applySubscriptionObject, fromUnix, idOf } from './apply-subscription.js';
import type { BillingServiceDeps } from './billing-deps.js';
import { queueCardExpiringMail, queueRenewalReminderMail } from './dunning.js';
import { tenantStripe, type TenantStripe } from './stripe-account.js';

/**
 * An event that cannot be applied yet but may later (an invoice whose member is
 * not known until its checkout is applied): the worker retries it with backoff.
 */
export class NotYetApplicable extends Error {
  override readonly name = 'NotYetApplicable';
}

/** What applying one event did, for logs and tests. */
export type EventOutcome = 'applied' | 'ignored';

const SUBSCRIPTION_EVENTS = new Set([
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.resumed',
  'customer.subscription.trial_will_end',
  'customer.subscription.pending_update_applied',
  'customer.subscription.pending_update_expired',
]);

const INVOICE_EVENTS = new Set([
  'invoice.created',
  'invoice.finalized',
  'invoice.updated',
  'invoice.paid',
  'invoice.payment_failed',
  'invoice.payment_action_required',
  'invoice.voided',
  'invoice.marked_uncollectible',
  'invoice.overdue',
]);

/** Yearly renewals get a reminder; a monthly one every month would be noise. */
const REMINDED_INTERVALS = new Set(['year']);

/** Whether the SDK error says the object does not exist (deleted, or never in this account). */
function isMissing(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'resource_missing';
}

/**
 * Applies one stored Stripe event of a tenant. Subscription and invoice events
 * apply the object's LATEST state, fetched from Stripe now (observed at the fetch
 * time), never the event's snapshot: shuffled, duplicated or late events then all
 * lead to the same end state. Payment events (`invoice.paid`, `invoice.payment_failed`)
 * additionally record their payment once per event id.
 * @throws NotYetApplicable to be retried later; Stripe and database errors likewise
 */
export async function applyStripeEvent(
  deps: BillingServiceDeps,
  tenantId: string,
  event: Stripe.Event,
): Promise<EventOutcome> {
  const type = event.type as string;
  if (SUBSCRIPTION_EVENTS.has(type)) {
    const account = await tenantStripe(deps, tenantId);
    const snapshot = event.data.object as Stripe.Subscription;
    await refreshSubscription(deps, tenantId, account, snapshot.id, event, snapshot);
    return 'applied';
  }
  if (INVOICE_EVENTS.has(type)) {
    const account = await tenantStripe(deps, tenantId);
    await refreshInvoice(deps, tenantId, account, event);
    return 'applied';
  }
  switch (type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
    case 'checkout.session.expired': {
      const account = await tenantStripe(deps, tenantId);
      const session = event.data.object as Stripe.Checkout.Session;
      await applyCheckoutSession(deps, tenantId, session, account, {
        cause: event.id,
        observedAt: new Date(event.created * 1000),
      });
      return 'applied';
    }
    case 'invoice.upcoming':
      return (await remindRenewal(deps, tenantId, event.data.object as Stripe.Invoice)) ? 'applied' : 'ignored';
    case 'customer.updated':
      await syncDefaultPaymentMethod(deps, tenantId, event.data.object as Stripe.Customer);
      return 'applied';
    case 'customer.source.expiring':
      return (await warnExpiringSource(deps, tenantId, event.data.object as Stripe.Card)) ? 'applied' : 'ignored';
    default:
      return 'ignored';
  }
}

/** Fetches the subscription and applies it; a deleted one falls back to the event's snapshot at the event's time. */
async function refreshSubscription(
  deps: BillingServiceDeps,
  tenantId: string,
  account: TenantStripe,
  subscriptionId: string,
  event: Stripe.Event,
  snapshot?: Stripe.Subscription,
): Promise<void> {
  let subscription: Stripe.Subscription;
  let observedAt: Date;
  try {
    observedAt = deps.clock.now();
    subscription = await account.stripe.subscriptions.retrieve(subscriptionId, {}, account.requestOptions());
  } catch (error) {
    if (!isMissing(error) || !snapshot) throw error;
    subscription = snapshot;
    observedAt = new Date(event.created * 1000);
  }
  await applySubscriptionObject(deps, tenantId, subscription, { cause: event.id, observedAt });
}

/**
 * Fetches the invoice and applies it with the event's payment. Its subscription is
 * fetched and applied first when it has no local row yet (events arrive in any
 * order); an invoice that still belongs to no member is retried later.
 */
async function refreshInvoice(
  deps: BillingServiceDeps,
  tenantId: string,
  account: TenantStripe,
  event: Stripe.Event,
): Promise<void> {
  const snapshot = event.data.object as Stripe.Invoice;
  const observedAt = deps.clock.now();
  const invoice = await account.stripe.invoices.retrieve(snapshot.id, {}, account.requestOptions());
  const payment =
    event.type === 'invoice.paid'
      ? { outcome: 'succeeded' as const, eventId: event.id, occurredAt: new Date(event.created * 1000) }
      : event.type === 'invoice.payment_failed'
        ? {
            outcome: 'failed' as const,
            eventId: event.id,
            occurredAt: new Date(event.created * 1000),
            failureMessage: invoice.last_finalization_error?.message ?? null,
          }
        : undefined;
  const options = { cause: event.id, observedAt, ...(payment ? { payment } : {}) };
  // The subscription first when it is not here yet, so the invoice (and revenue) is linked to it.
  const subscriptionId = idOf(invoice.parent?.subscription_details?.subscription);
  if (subscriptionId && !(await isLocalSubscription(deps, tenantId, subscriptionId)))
    await refreshSubscription(deps, tenantId, account, subscriptionId, event);
  const row = await applyInvoiceObject(deps, tenantId, invoice, options);
  if (!row) throw new NotYetApplicable(`invoice ${invoice.id} belongs to no member of this tenant yet`);
}

async function isLocalSubscription(deps: BillingServiceDeps, tenantId: string, stripeId: string): Promise<boolean> {
  const rows = await deps.db.withTenant(tenantId, (tx) =>
    tx
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(and(eq(subscriptions.tenantId, tenantId), eq(subscriptions.stripeSubscriptionId, stripeId))),
  );
  return rows.length > 0;
}

/** `invoice.upcoming` (Stripe sends it days before a renewal): a reminder for yearly memberships. */
async function remindRenewal(deps: BillingServiceDeps, tenantId: string, upcoming: Stripe.Invoice): Promise<boolean> {
  const stripeSubscriptionId = idOf(upcoming.parent?.subscription_details?.subscription);
  if (!stripeSubscriptionId) return false;
  return deps.db.withTenant(tenantId, async (tx) => {
    const [sub] = await tx
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.tenantId, tenantId), eq(subscriptions.stripeSubscriptionId, stripeSubscriptionId)));
    if (!sub?.interval || !REMINDED_INTERVALS.has(sub.interval) || sub.cancelAtPeriodEnd) return false;
    if (sub.status !== 'active' && sub.status !== 'trialing') return false;
    const renewsAt = sub.currentPeriodEnd ?? fromUnix(upcoming.next_payment_attempt) ?? fromUnix(upcoming.period_end);
    if (!renewsAt) return false;
    return queueRenewalReminderMail(tx, deps, tenantId, sub.memberId, {
      subscriptionId: sub.id,
      renewsAt,
      amount: upcoming.amount_due,
      currency: upcoming.currency,
    });
  });
}

/** Keeps the member's default payment method (shown in the portal) in step with the customer's. */
async function syncDefaultPaymentMethod(
  deps: BillingServiceDeps,
  tenantId: string,
  customer: Stripe.Customer,
): Promise<void> {
  const paymentMethod = idOf(customer.invoice_settings?.default_payment_method);
  await deps.db.withTenant(tenantId, (tx) =>
    tx
      .update(billingCustomers)
      .set({ defaultPaymentMethodId: paymentMethod, updatedAt: deps.clock.now() })
      .where(and(eq(billingCustomers.tenantId, tenantId), eq(billingCustomers.stripeCustomerId, customer.id))),
  );
}

/** `customer.source.expiring` (cards attached as sources): the card-expiring mail. */
async function warnExpiringSource(deps: BillingServiceDeps, tenantId: string, card: Stripe.Card): Promise<boolean> {
  const customerId = idOf(card.customer);
  if (!customerId) return false;
  return deps.db.withTenant(tenantId, async (tx) => {
    const [customer] = await tx
      .select({ memberId: billingCustomers.memberId })
      .from(billingCustomers)
      .where(and(eq(billingCustomers.tenantId, tenantId), eq(billingCustomers.stripeCustomerId, customerId)));
    if (!customer) return false;
    return queueCardExpiringMail(tx, deps, tenantId, customer.memberId, {
      id: card.id,
      brand: card.brand.toLowerCase(),
      last4: card.last4,
      exp_month: card.exp_month,
      exp_year: card.exp_year,
    });
  });
}
