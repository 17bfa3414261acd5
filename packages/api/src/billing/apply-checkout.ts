import { and, eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { billingCheckouts, billingCustomers, members, type SubscriptionRow } from '../db/schema/index.js';
import type { BillingServiceDeps } from './billing-deps.js';
import { applySubscriptionObject, idOf, type ApplyOptions } from './apply-subscription.js';
import type { TenantStripe } from './stripe-account.js';

/** What applying a Checkout Session did. */
export interface CheckoutApplied {
  memberId: string | null;
  subscription: SubscriptionRow | null;
}

/**
 * Applies a Checkout Session (`checkout.session.completed` / `.expired`): marks
 * our `billing_checkouts` row, links the Stripe customer to the member in
 * `billing_customers`, and for a subscription checkout fetches the subscription
 * from Stripe and applies it ({@link applySubscriptionObject}, observed at the
 * fetch). A setup-mode checkout makes the new card the customer's default.
 * The member is the checkout row's, else `client_reference_id`, else the
 * `memberkit_member_id` metadata. Idempotent: a replay changes nothing more.
 */
export async function applyCheckoutSession(
  deps: BillingServiceDeps,
  tenantId: string,
  session: Stripe.Checkout.Session,
  account: TenantStripe,
  options: ApplyOptions,
): Promise<CheckoutApplied> {
  const customerId = idOf(session.customer);
  const memberId = await deps.db.withTenant(tenantId, async (tx) => {
    const [checkout] = await tx
      .select()
      .from(billingCheckouts)
      .where(and(eq(billingCheckouts.tenantId, tenantId), eq(billingCheckouts.stripeSessionId, session.id)))
      .for('update');
    const candidates = [checkout?.memberId, session.client_reference_id, session.metadata?.memberkit_member_id];
    let member: string | null = null;
    for (const candidate of candidates) {
      if (!candidate) continue;
      const [row] = await tx
        .select({ id: members.id })
        .from(members)
        .where(and(eq(members.tenantId, tenantId), eq(members.id, candidate)));
      if (row) {
        member = row.id;
        break;
      }
    }
    const now = deps.clock.now();
    if (checkout && checkout.status === 'open') {
      const status = session.status === 'complete' ? 'complete' : session.status === 'expired' ? 'expired' : null;
      if (status)
        await tx
          .update(billingCheckouts)
          .set({ status, completedAt: status === 'complete' ? options.observedAt : null, updatedAt: now })
          .where(and(eq(billingCheckouts.tenantId, tenantId), eq(billingCheckouts.id, checkout.id)));
    }
    if (member && customerId && session.status === 'complete') {
      // The member's first customer stays theirs: a second one (another checkout) is not swapped in.
      await tx
        .insert(billingCustomers)
        .values({ tenantId, memberId: member, stripeCustomerId: customerId, createdAt: now, updatedAt: now })
        .onConflictDoNothing();
    }
    return member;
  });
  if (session.status !== 'complete') return { memberId, subscription: null };

  if (session.mode === 'setup') {
    await makeSetupCardDefault(deps, tenantId, session, account, memberId, customerId);
    return { memberId, subscription: null };
  }
  const subscriptionId = idOf(session.subscription);
  if (!subscriptionId) return { memberId, subscription: null };
  const subscription = await account.stripe.subscriptions.retrieve(subscriptionId, {}, account.requestOptions());
  const applied = await applySubscriptionObject(deps, tenantId, subscription, {
    cause: options.cause,
    observedAt: deps.clock.now(),
  });
  return { memberId, subscription: applied };
}

/** A card added through a setup-mode checkout becomes the customer's default for invoices. */
async function makeSetupCardDefault(
  deps: BillingServiceDeps,
  tenantId: string,
  session: Stripe.Checkout.Session,
  account: TenantStripe,
  memberId: string | null,
  customerId: string | null,
): Promise<void> {
  const setupIntentId = idOf(session.setup_intent);
  if (!setupIntentId || !customerId || !memberId) return;
  const intent = await account.stripe.setupIntents.retrieve(setupIntentId, {}, account.requestOptions());
  const paymentMethod = idOf(intent.payment_method);
  if (!paymentMethod) return;
  await account.stripe.customers.update(
    customerId,
    { invoice_settings: { default_payment_method: paymentMethod } },
    account.requestOptions({ idempotencyKey: `default-pm:${session.id}` }),
  );
  await deps.db.withTenant(tenantId, (tx) =>
    tx
      .update(billingCustomers)
      .set({ defaultPaymentMethodId: paymentMethod, updatedAt: deps.clock.now() })
      .where(and(eq(billingCustomers.tenantId, tenantId), eq(billingCustomers.memberId, memberId))),
  );
}
