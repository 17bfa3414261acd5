import { and, eq, isNull } from 'drizzle-orm';
import type Stripe from 'stripe';
import { billingPreviews, type BillingInterval, type InvoiceLine } from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import { BillingErrors } from './billing-errors.js';
import type { BillingServiceDeps } from './billing-deps.js';
import { readTierPrice, resolveTierOffer, subscriptionMetadata, withStripePrice } from './checkout.js';
import { readCustomer } from './customers.js';
import { recordSubscriptionChange, type MemberBillingView } from './portal.js';
import { meteredLineItems } from './metered-prices.js';
import { PortalErrors } from './portal-errors.js';
import { requireStripeSubscription } from './portal-subscription.js';
import { openTenantStripe, readTenantBilling, stripeProblem, type TenantStripe } from './stripe-account.js';

/** How long a member has to confirm a previewed change. */
export const PREVIEW_TTL_MS = 10 * 60 * 1000;
/**
 * Upgrades are invoiced and charged at once, so the member pays now exactly the
 * amount the preview showed; the same behaviour and `proration_date` are used
 * for the preview and the change.
 */
const PRORATION_BEHAVIOR = 'always_invoice' as const;

/** A stored proration preview. */
export interface PreviewView {
  id: string;
  amountDue: number;
  currency: string;
  prorationDate: Date;
  lines: InvoiceLine[];
  expiresAt: Date;
}

const iso = (seconds: number | null | undefined) => (seconds ? new Date(seconds * 1000).toISOString() : null);

/** The portal's lines of a Stripe invoice (description, amount, whether a proration, period). */
export function toInvoiceLines(invoice: Stripe.Invoice): InvoiceLine[] {
  return (invoice.lines?.data ?? []).map((line) => ({
    description: line.description ?? '',
    amount: line.amount,
    proration:
      line.parent?.subscription_item_details?.proration ?? line.parent?.invoice_item_details?.proration ?? false,
    period_start: iso(line.period?.start),
    period_end: iso(line.period?.end),
  }));
}

/** What a plan change does to the subscription's items (the same for the preview and the change). */
interface PlanItem {
  id?: string;
  price?: string;
  deleted?: boolean;
}

/**
 * The item changes of a plan change: the tier's item moves to the new price, the old
 * tier's metered prices the new tier does not have come off, the new tier's metered
 * prices the subscription lacks go on (Stripe meters them from then on).
 */
async function planItems(
  account: TenantStripe,
  stripeSubscriptionId: string,
  currentPriceId: string | null,
  newPriceId: string,
  meteredPriceIds: readonly string[],
): Promise<PlanItem[]> {
  const { item, items } = await tierItem(account, stripeSubscriptionId, currentPriceId);
  const metered = items.filter((i) => i.price.recurring?.usage_type === 'metered');
  const wanted = new Set(meteredPriceIds);
  return [
    { id: item.id, price: newPriceId },
    ...metered.filter((i) => !wanted.has(i.price.id)).map((i) => ({ id: i.id, deleted: true })),
    ...meteredPriceIds.filter((p) => !metered.some((i) => i.price.id === p)).map((price) => ({ price })),
  ];
}

/**
 * The subscription item holding the tier's price: the one with the price we
 * subscribed to, else the first licensed (not metered) item; and all the items.
 */
async function tierItem(
  account: TenantStripe,
  stripeSubscriptionId: string,
  stripePriceId: string | null,
): Promise<{ item: Stripe.SubscriptionItem; items: Stripe.SubscriptionItem[] }> {
  let subscription: Stripe.Subscription;
  try {
    subscription = await account.stripe.subscriptions.retrieve(stripeSubscriptionId, {}, account.requestOptions());
  } catch (error) {
    throw stripeProblem(error, 'reading the subscription');
  }
  const items = subscription.items.data;
  const item =
    items.find((i) => stripePriceId !== null && i.price.id === stripePriceId) ??
    items.find((i) => i.price.recurring?.usage_type !== 'metered');
  if (!item) throw stripeProblem(new Error('subscription without a licensed item'), 'reading the subscription');
  return { item, items };
}

/**
 * Previews a change of tier or interval with Stripe's invoice preview at a fixed
 * `proration_date` (now), so confirming it ({@link confirmPreview}) charges exactly
 * `amount_due`. The member's earlier unconfirmed previews are replaced; this one
 * expires after 10 minutes.
 * @throws ApiError 409 NO_SUBSCRIPTION, 422 PLAN_UNCHANGED, the errors of `resolveTierOffer`.
 */
export async function createPreview(
  deps: BillingServiceDeps,
  tenantId: string,
  memberId: string,
  input: { tierId: string; interval: BillingInterval },
): Promise<PreviewView> {
  const now = deps.clock.now();
  const read = await deps.db.withTenant(tenantId, async (tx) => {
    const subscription = await requireStripeSubscription(tx, tenantId, memberId, now);
    const offer = await resolveTierOffer(tx, tenantId, input.tierId, input.interval);
    if (!offer.price) {
      throw new ApiError(
        BillingErrors.TIER_NOT_FOR_SALE,
        `${offer.tier.name} is free; cancel your subscription to move to it.`,
        { errors: [{ field: 'tier_id', message: 'A free tier is not a plan change; cancel instead.' }] },
      );
    }
    if (
      offer.price.id === subscription.tierPriceId ||
      (offer.price.stripePriceId !== null && offer.price.stripePriceId === subscription.stripePriceId)
    ) {
      throw new ApiError(PortalErrors.PLAN_UNCHANGED, `You are already on ${offer.tier.name} per ${input.interval}.`);
    }
    return {
      subscription,
      price: offer.price,
      metered: (await meteredLineItems(tx, tenantId, offer.tier.id, input.interval)).map((line) => line.price),
      settings: await readTenantBilling(tx, tenantId),
      customer: await readCustomer(tx, tenantId, memberId),
    };
  });
  const account = await openTenantStripe(deps, read.settings);
  const price = await withStripePrice(deps, tenantId, read.price);
  const items = await planItems(
    account,
    read.subscription.stripeSubscriptionId,
    read.subscription.stripePriceId,
    price.stripePriceId,
    read.metered,
  );
  const prorationDate = Math.floor(now.getTime() / 1000);
  let invoice: Stripe.Invoice;
  try {
    invoice = await account.stripe.invoices.createPreview(
      {
        ...(read.customer ? { customer: read.customer.stripeCustomerId } : {}),
        subscription: read.subscription.stripeSubscriptionId,
        subscription_details: {
          items,
          proration_date: prorationDate,
          proration_behavior: PRORATION_BEHAVIOR,
        },
      },
      account.requestOptions(),
    );
  } catch (error) {
    throw stripeProblem(error, 'previewing the change');
  }
  const view: PreviewView = {
    id: deps.ids.generate('bprev'),
    amountDue: invoice.amount_due,
    currency: invoice.currency,
    prorationDate: new Date(prorationDate * 1000),
    lines: toInvoiceLines(invoice),
    expiresAt: new Date(now.getTime() + PREVIEW_TTL_MS),
  };
  await deps.db.withTenant(tenantId, async (tx) => {
    // One open preview per member: a new one replaces those not confirmed.
    await tx
      .delete(billingPreviews)
      .where(
        and(
          eq(billingPreviews.tenantId, tenantId),
          eq(billingPreviews.memberId, memberId),
          isNull(billingPreviews.confirmedAt),
        ),
      );
    await tx.insert(billingPreviews).values({
      tenantId,
      id: view.id,
      memberId,
      subscriptionId: read.subscription.id,
      tierPriceId: read.price.id,
      prorationDate: view.prorationDate,
      amountDue: view.amountDue,
      currency: view.currency,
      lines: view.lines,
      expiresAt: view.expiresAt,
      createdAt: now,
    });
  });
  return view;
}

/**
 * Applies a previewed change: `subscriptions.update` with the preview's price,
 * `proration_date` and proration behaviour (idempotency key = the preview id),
 * so the member is charged what they were shown. A preview is confirmed once:
 * it is claimed before Stripe is called and released again if Stripe refuses.
 * @throws ApiError 404 PREVIEW_NOT_FOUND (unknown or another member's),
 *   409 PREVIEW_ALREADY_CONFIRMED, 410 PREVIEW_EXPIRED, 409 NO_SUBSCRIPTION
 *   (the subscription ended or changed since the preview).
 */
export async function confirmPreview(
  deps: BillingServiceDeps,
  tenantId: string,
  memberId: string,
  requestId: string,
  previewId: string,
): Promise<MemberBillingView> {
  const now = deps.clock.now();
  const read = await deps.db.withTenant(tenantId, async (tx) => {
    const [preview] = await tx
      .select()
      .from(billingPreviews)
      .where(and(eq(billingPreviews.tenantId, tenantId), eq(billingPreviews.id, previewId)))
      .for('update');
    if (!preview || preview.memberId !== memberId)
      throw new ApiError(BillingErrors.PREVIEW_NOT_FOUND, `No preview ${previewId} of yours.`);
    if (preview.confirmedAt)
      throw new ApiError(BillingErrors.PREVIEW_ALREADY_CONFIRMED, 'This change was already made.');
    if (preview.expiresAt <= now)
      throw new ApiError(BillingErrors.PREVIEW_EXPIRED, 'This preview has expired; preview the change again.');
    const subscription = await requireStripeSubscription(tx, tenantId, memberId, now);
    if (subscription.id !== preview.subscriptionId)
      throw new ApiError(BillingErrors.NO_SUBSCRIPTION, 'Your subscription changed since the preview; preview again.');
    const offer = await readTierPrice(tx, tenantId, preview.tierPriceId);
    const metered = await meteredLineItems(tx, tenantId, offer.tier.id, offer.price.interval);
    await tx
      .update(billingPreviews)
      .set({ confirmedAt: now })
      .where(and(eq(billingPreviews.tenantId, tenantId), eq(billingPreviews.id, previewId)));
    return {
      preview,
      subscription,
      offer,
      metered: metered.map((line) => line.price),
      settings: await readTenantBilling(tx, tenantId),
    };
  });
  const release = () =>
    deps.db.withTenant(tenantId, (tx) =>
      tx
        .update(billingPreviews)
        .set({ confirmedAt: null })
        .where(and(eq(billingPreviews.tenantId, tenantId), eq(billingPreviews.id, previewId))),
    );
  let updated: Stripe.Subscription;
  try {
    const account = await openTenantStripe(deps, read.settings);
    const items = await planItems(
      account,
      read.subscription.stripeSubscriptionId,
      read.subscription.stripePriceId,
      read.offer.price.stripePriceId,
      read.metered,
    );
    updated = await account.stripe.subscriptions.update(
      read.subscription.stripeSubscriptionId,
      {
        items,
        proration_date: Math.floor(read.preview.prorationDate.getTime() / 1000),
        proration_behavior: PRORATION_BEHAVIOR,
        metadata: subscriptionMetadata(tenantId, memberId, read.offer),
      },
      account.requestOptions({ idempotencyKey: previewId }),
    );
  } catch (error) {
    await release();
    throw error instanceof ApiError ? error : stripeProblem(error, 'changing the plan');
  }
  return recordSubscriptionChange(deps, tenantId, memberId, requestId, updated);
}
