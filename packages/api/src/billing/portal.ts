import { and, eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { tiers, type SubscriptionRow } from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import { applySubscriptionObject } from './apply-subscription.js';
import type { BillingServiceDeps } from './billing-deps.js';
import { readCustomer } from './customers.js';
import { toCardView, type CardView } from './portal-cards.js';
import { PortalErrors } from './portal-errors.js';
import { readCurrentSubscription, requireStripeSubscription } from './portal-subscription.js';
import { openTenantStripe, readTenantBilling, stripeProblem, type TenantStripe } from './stripe-account.js';

/** The member's billing as the portal shows it (`GET /v1/me/billing`). */
export interface MemberBillingView {
  subscription: (SubscriptionRow & { tierName: string }) | null;
  defaultPaymentMethod: CardView | null;
  upcomingInvoice: { amountDue: number; currency: string; date: Date | null } | null;
  allowCancelNow: boolean;
  hasCustomer: boolean;
}

/** Statuses whose subscription will invoice again. */
const RENEWING = new Set(['trialing', 'active', 'past_due']);

/**
 * What Stripe adds to the local rows: the default card and the next invoice.
 * Best effort: the portal still shows the plan when Stripe cannot be reached.
 */
async function stripeDetails(
  deps: BillingServiceDeps,
  account: TenantStripe,
  customerId: string,
  subscription: MemberBillingView['subscription'],
): Promise<Pick<MemberBillingView, 'defaultPaymentMethod' | 'upcomingInvoice'>> {
  const card = async (): Promise<CardView | null> => {
    const preferred = subscription?.kind === 'stripe' ? subscription.defaultPaymentMethodId : null;
    if (preferred)
      return toCardView(await account.stripe.paymentMethods.retrieve(preferred, {}, account.requestOptions()));
    const customer = await account.stripe.customers.retrieve(
      customerId,
      { expand: ['invoice_settings.default_payment_method'] },
      account.requestOptions(),
    );
    if (customer.deleted) return null;
    const pm = customer.invoice_settings.default_payment_method;
    if (!pm) return null;
    return toCardView(
      typeof pm === 'string' ? await account.stripe.paymentMethods.retrieve(pm, {}, account.requestOptions()) : pm,
    );
  };
  const upcoming = async (): Promise<MemberBillingView['upcomingInvoice']> => {
    if (
      subscription?.kind !== 'stripe' ||
      !subscription.stripeSubscriptionId ||
      subscription.cancelAtPeriodEnd ||
      !RENEWING.has(subscription.status)
    )
      return null;
    const preview = await account.stripe.invoices.createPreview(
      { customer: customerId, subscription: subscription.stripeSubscriptionId },
      account.requestOptions(),
    );
    const at = preview.next_payment_attempt ?? null;
    return {
      amountDue: preview.amount_due,
      currency: preview.currency,
      date: subscription.currentPeriodEnd ?? (at ? new Date(at * 1000) : null),
    };
  };
  const [defaultPaymentMethod, upcomingInvoice] = await Promise.all([
    card().catch((error: unknown) => {
      deps.logger.warn('billing portal: default payment method unavailable', { error: String(error) });
      return null;
    }),
    upcoming().catch((error: unknown) => {
      deps.logger.warn('billing portal: upcoming invoice unavailable', { error: String(error) });
      return null;
    }),
  ]);
  return { defaultPaymentMethod, upcomingInvoice };
}

/**
 * The signed-in member's billing: their current subscription (or complimentary
 * membership) from the local mirror, with the default payment method and the
 * next invoice from Stripe. A member who never bought anything gets nulls.
 */
export async function getMemberBilling(
  deps: BillingServiceDeps,
  tenantId: string,
  memberId: string,
): Promise<MemberBillingView> {
  const now = deps.clock.now();
  const local = await deps.db.withTenant(tenantId, async (tx) => {
    const row = await readCurrentSubscription(tx, tenantId, memberId, now);
    let subscription: MemberBillingView['subscription'] = null;
    if (row) {
      const [tier] = await tx
        .select({ name: tiers.name })
        .from(tiers)
        .where(and(eq(tiers.tenantId, tenantId), eq(tiers.id, row.tierId)));
      subscription = { ...row, tierName: tier?.name ?? row.tierId };
    }
    return {
      subscription,
      customer: await readCustomer(tx, tenantId, memberId),
      settings: await readTenantBilling(tx, tenantId),
    };
  });
  const base = {
    subscription: local.subscription,
    allowCancelNow: local.settings?.allowCancelNow ?? false,
    hasCustomer: local.customer !== null,
  };
  if (!local.customer || !deps.billing || !local.settings) {
    return { ...base, defaultPaymentMethod: null, upcomingInvoice: null };
  }
  let account: TenantStripe;
  try {
    account = await openTenantStripe(deps, local.settings);
  } catch {
    return { ...base, defaultPaymentMethod: null, upcomingInvoice: null };
  }
  return { ...base, ...(await stripeDetails(deps, account, local.customer.stripeCustomerId, local.subscription)) };
}

/**
 * Writes the state Stripe returned for a change the member made, through the one
 * place that maps subscriptions (H3's `applySubscriptionObject`), and answers with
 * the member's billing.
 */
export async function recordSubscriptionChange(
  deps: BillingServiceDeps,
  tenantId: string,
  memberId: string,
  requestId: string,
  subscription: Stripe.Subscription,
): Promise<MemberBillingView> {
  await applySubscriptionObject(deps, tenantId, subscription, {
    cause: `api:${requestId}`,
    observedAt: deps.clock.now(),
  });
  return getMemberBilling(deps, tenantId, memberId);
}

/** Stripe's reasons a member can give for cancelling (`cancellation_details.feedback`). */
export const CANCELLATION_REASONS = [
  'customer_service',
  'low_quality',
  'missing_features',
  'other',
  'switched_service',
  'too_complex',
  'too_expensive',
  'unused',
] as const;
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];

/** A member's cancellation. */
export interface CancelInput {
  /** True (the default): the member keeps the plan until the period ends. False: ends now (if the tenant allows). */
  atPeriodEnd: boolean;
  reason?: CancellationReason;
  comment?: string;
}

/**
 * Cancels the member's subscription: at the end of the paid period (Stripe's
 * `cancel_at_period_end`, resumable until then) or, where the tenant allows it,
 * at once. The reason and comment go to Stripe's `cancellation_details`.
 * @throws ApiError 409 NO_SUBSCRIPTION, 403 CANCEL_NOW_NOT_ALLOWED.
 */
export async function cancelMemberSubscription(
  deps: BillingServiceDeps,
  tenantId: string,
  memberId: string,
  requestId: string,
  input: CancelInput,
): Promise<MemberBillingView> {
  const { subscription, settings } = await deps.db.withTenant(tenantId, async (tx) => ({
    subscription: await requireStripeSubscription(tx, tenantId, memberId, deps.clock.now()),
    settings: await readTenantBilling(tx, tenantId),
  }));
  if (!input.atPeriodEnd && !settings?.allowCancelNow) {
    throw new ApiError(
      PortalErrors.CANCEL_NOW_NOT_ALLOWED,
      'This organization does not allow cancelling at once; cancel at the end of the period instead (at_period_end: true).',
    );
  }
  const account = await openTenantStripe(deps, settings);
  const details = {
    ...(input.reason ? { feedback: input.reason } : {}),
    ...(input.comment ? { comment: input.comment } : {}),
  };
  const options = account.requestOptions({ idempotencyKey: `cancel:${subscription.id}:${requestId}` });
  let updated: Stripe.Subscription;
  try {
    updated = input.atPeriodEnd
      ? await account.stripe.subscriptions.update(
          subscription.stripeSubscriptionId,
          { cancel_at_period_end: true, cancellation_details: details },
          options,
        )
      : await account.stripe.subscriptions.cancel(
          subscription.stripeSubscriptionId,
          { cancellation_details: details },
          options,
        );
  } catch (error) {
    throw stripeProblem(error, 'cancelling the subscription');
  }
  return recordSubscriptionChange(deps, tenantId, memberId, requestId, updated);
}

/**
 * Takes back a cancellation at period end: the subscription renews again. A
 * subscription that is not set to cancel is left as it is.
 * @throws ApiError 409 NO_SUBSCRIPTION (nothing to resume: it has ended).
 */
export async function resumeMemberSubscription(
  deps: BillingServiceDeps,
  tenantId: string,
  memberId: string,
  requestId: string,
): Promise<MemberBillingView> {
  const { subscription, settings } = await deps.db.withTenant(tenantId, async (tx) => ({
    subscription: await requireStripeSubscription(tx, tenantId, memberId, deps.clock.now()),
    settings: await readTenantBilling(tx, tenantId),
  }));
  if (!subscription.cancelAtPeriodEnd) return getMemberBilling(deps, tenantId, memberId);
  const account = await openTenantStripe(deps, settings);
  let updated: Stripe.Subscription;
  try {
    updated = await account.stripe.subscriptions.update(
      subscription.stripeSubscriptionId,
      { cancel_at_period_end: false },
      account.requestOptions({ idempotencyKey: `resume:${subscription.id}:${requestId}` }),
    );
  } catch (error) {
    throw stripeProblem(error, 'resuming the subscription');
  }
  return recordSubscriptionChange(deps, tenantId, memberId, requestId, updated);
}
