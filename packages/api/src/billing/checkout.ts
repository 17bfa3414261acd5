import { and, eq, gt } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { Tx } from '../db/database.js';
import {
  billingCheckouts,
  invoices,
  tierPrices,
  tiers,
  type BillingInterval,
  type TierPriceRow,
  type TierRow,
} from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import { isId } from '../lib/ids.js';
import type { AuditContext } from '../services/audit-context.js';
import { applyMemberPatch } from '../services/members.js';
import type { BillingServiceDeps } from './billing-deps.js';
import { BillingErrors } from './billing-errors.js';
import { ensureTierPriceSynced } from './catalog-sync.js';
import { meteredLineItems } from './metered-prices.js';
import { checkPromotionCode } from './checkout-promotion.js';
import { checkRedirectUrls } from './checkout-urls.js';
import { ensureCustomer, readCustomer } from './customers.js';
import { PortalErrors } from './portal-errors.js';
import { readCurrentSubscription } from './portal-subscription.js';
import { openTenantStripe, readTenantBilling, stripeProblem } from './stripe-account.js';

/** A tier a member may buy, with its active price for the chosen interval (null: a free tier). */
export interface TierOffer {
  tier: TierRow;
  price: TierPriceRow | null;
}

/**
 * The tier and its active price for `interval`, as a member may choose them.
 * @throws ApiError 422 TIER_NOT_AVAILABLE (unknown, archived or not offered),
 *   422 TIER_NOT_FOR_SALE (a paid tier without prices),
 *   422 PRICE_NOT_FOUND (no price for this interval).
 */
export async function resolveTierOffer(
  tx: Tx,
  tenantId: string,
  tierId: string,
  interval: BillingInterval,
): Promise<TierOffer> {
  const [tier] = isId(tierId, 'tier')
    ? await tx
        .select()
        .from(tiers)
        .where(and(eq(tiers.tenantId, tenantId), eq(tiers.id, tierId)))
    : [];
  if (!tier || tier.archivedAt || !tier.active) {
    throw new ApiError(PortalErrors.TIER_NOT_AVAILABLE, `There is no tier ${tierId} on offer.`, {
      errors: [{ field: 'tier_id', message: 'Unknown tier, or not on offer.' }],
    });
  }
  if (tier.interval === 'free') return { tier, price: null };
  const prices = await tx
    .select()
    .from(tierPrices)
    .where(and(eq(tierPrices.tenantId, tenantId), eq(tierPrices.tierId, tierId), eq(tierPrices.active, true)));
  if (prices.length === 0) {
    throw new ApiError(BillingErrors.TIER_NOT_FOR_SALE, `The tier ${tier.name} has no price to pay.`, {
      errors: [{ field: 'tier_id', message: 'This tier has no price.' }],
    });
  }
  const price = prices.find((p) => p.interval === interval);
  if (!price) {
    const offered = prices.map((p) => p.interval).join(', ');
    throw new ApiError(
      BillingErrors.PRICE_NOT_FOUND,
      `The tier ${tier.name} is sold per ${offered}, not per ${interval}.`,
      {
        errors: [{ field: 'interval', message: `Choose one of: ${offered}.` }],
      },
    );
  }
  return { tier, price };
}

/**
 * The offer's price with its Stripe Price, created by the catalog sync when it
 * is missing (after the caller's transaction: this may call Stripe).
 */
export async function withStripePrice(
  deps: BillingServiceDeps,
  tenantId: string,
  price: TierPriceRow,
): Promise<TierPriceRow & { stripePriceId: string }> {
  if (price.stripePriceId) return { ...price, stripePriceId: price.stripePriceId };
  return ensureTierPriceSynced(deps, tenantId, price.id);
}

/** What a member asks for at `POST /v1/me/billing/checkout`. */
export interface CheckoutInput {
  tierId: string;
  interval: BillingInterval;
  promotionCode?: string;
  successUrl: string;
  cancelUrl: string;
}

/** The checkout to send the member to, or (free tier) the tier they joined at once. */
export type CheckoutResult =
  | { kind: 'stripe'; id: string; url: string; expiresAt: Date | null; tierId: string }
  | { kind: 'joined'; tierId: string };

/** Metadata of every Stripe object made for a member's subscription (webhooks map objects back by it). */
export function subscriptionMetadata(
  tenantId: string,
  memberId: string,
  offer: { tier: TierRow; price: TierPriceRow },
): Record<string, string> {
  return {
    memberkit_tenant_id: tenantId,
    memberkit_member_id: memberId,
    memberkit_tier_id: offer.tier.id,
    memberkit_tier_price_id: offer.price.id,
  };
}

function alreadySubscribed(): ApiError {
  return new ApiError(
    PortalErrors.SUBSCRIPTION_EXISTS,
    'You already have a subscription; change your plan with POST /v1/me/billing/preview and /change instead.',
  );
}

/**
 * Starts a member's purchase of a tier. A free tier is joined at once (the
 * member's tier is set through the member service, nothing goes to Stripe).
 * A paid tier opens a Stripe Checkout Session in subscription mode for the
 * tier's active price of `interval`, with the tier's trial, the promotion code
 * (checked first) or Stripe's code field when the tenant allows codes, and
 * automatic tax when the tenant enables it. The session is stored in
 * `billing_checkouts`; its metadata and `client_reference_id` name the member.
 * Everything is checked before anything is created in Stripe.
 * @throws ApiError 422 REDIRECT_URL_NOT_ALLOWED, the errors of {@link resolveTierOffer},
 *   422 PROMOTION_CODE_INVALID, 409 SUBSCRIPTION_EXISTS (change plan instead).
 */
export async function startCheckout(
  deps: BillingServiceDeps,
  tenantId: string,
  ctx: AuditContext & { actorId: string },
  allowedOrigins: readonly string[],
  input: CheckoutInput,
): Promise<CheckoutResult> {
  const memberId = ctx.actorId;
  checkRedirectUrls({ success_url: input.successUrl, cancel_url: input.cancelUrl }, allowedOrigins);
  const now = deps.clock.now();
  const read = await deps.db.withTenant(tenantId, async (tx) => {
    const offer = await resolveTierOffer(tx, tenantId, input.tierId, input.interval);
    const current = await readCurrentSubscription(tx, tenantId, memberId, now);
    if (current?.kind === 'stripe') throw alreadySubscribed();
    if (!offer.price) {
      // Free tier: no payment, the member joins now.
      await applyMemberPatch(tx, deps, tenantId, ctx, memberId, { tierId: offer.tier.id });
      return { free: true as const, tierId: offer.tier.id };
    }
    const settings = await readTenantBilling(tx, tenantId);
    const customer = await readCustomer(tx, tenantId, memberId);
    const [paid] = await tx
      .select({ id: invoices.id })
      .from(invoices)
      .where(and(eq(invoices.tenantId, tenantId), eq(invoices.memberId, memberId), gt(invoices.amountPaid, 0)))
      .limit(1);
    return {
      free: false as const,
      offer: { tier: offer.tier, price: offer.price },
      // The tier's metered features ride on the same subscription, billed by Stripe's meters.
      metered: await meteredLineItems(tx, tenantId, offer.tier.id, input.interval),
      settings,
      customer,
      hasPaid: !!paid,
    };
  });
  if (read.free) return { kind: 'joined', tierId: read.tierId };

  const { settings } = read;
  const account = await openTenantStripe(deps, settings);
  const offer = { tier: read.offer.tier, price: await withStripePrice(deps, tenantId, read.offer.price) };
  if (input.promotionCode && !account.settings.allowPromotionCodes) {
    throw new ApiError(BillingErrors.PROMOTION_CODE_INVALID, 'This organization does not take promotion codes.', {
      errors: [{ field: 'promotion_code', message: 'Promotion codes are not accepted here.' }],
    });
  }
  const promotionId = input.promotionCode
    ? await checkPromotionCode(account, input.promotionCode, {
        productId: offer.price.stripeProductId ?? offer.tier.stripeProductId,
        amount: offer.price.amount,
        currency: offer.price.currency,
        customerId: read.customer?.stripeCustomerId ?? null,
        hasPaid: read.hasPaid,
        now,
      })
    : null;
  const { customer } = await ensureCustomer(deps, tenantId, memberId, account);

  const id = deps.ids.generate('bchk');
  const metadata = { ...subscriptionMetadata(tenantId, memberId, offer), memberkit_checkout_id: id };
  const params: Stripe.Checkout.SessionCreateParams = {
    mode: 'subscription',
    customer: customer.stripeCustomerId,
    client_reference_id: memberId,
    line_items: [{ price: offer.price.stripePriceId, quantity: 1 }, ...read.metered],
    success_url: input.successUrl,
    cancel_url: input.cancelUrl,
    metadata,
    subscription_data: {
      metadata,
      ...(offer.tier.trialDays > 0 ? { trial_period_days: offer.tier.trialDays } : {}),
    },
    ...(promotionId
      ? { discounts: [{ promotion_code: promotionId }] }
      : { allow_promotion_codes: account.settings.allowPromotionCodes }),
    // Stripe Tax needs the customer's address: Checkout collects it and saves it on the customer.
    ...(account.settings.automaticTax
      ? { automatic_tax: { enabled: true }, customer_update: { address: 'auto' as const, name: 'auto' as const } }
      : {}),
  };
  let session: Stripe.Checkout.Session;
  try {
    session = await account.stripe.checkout.sessions.create(
      params,
      account.requestOptions({ idempotencyKey: `checkout:${id}` }),
    );
  } catch (error) {
    throw stripeProblem(error, 'opening the checkout');
  }
  if (!session.url) throw stripeProblem(new Error('session without url'), 'opening the checkout');
  const expiresAt = session.expires_at ? new Date(session.expires_at * 1000) : null;
  await deps.db.withTenant(tenantId, async (tx) => {
    const at = deps.clock.now();
    await tx.insert(billingCheckouts).values({
      tenantId,
      id,
      memberId,
      mode: 'subscription',
      stripeSessionId: session.id,
      tierPriceId: offer.price.id,
      status: 'open',
      url: session.url,
      expiresAt,
      createdAt: at,
      updatedAt: at,
    });
  });
  return { kind: 'stripe', id, url: session.url, expiresAt, tierId: offer.tier.id };
}

/**
 * A tier price by id with its tier, as a stored preview or checkout names it.
 * @throws ApiError 422 TIER_NOT_FOR_SALE when the price is gone or not in Stripe.
 */
export async function readTierPrice(
  tx: Tx,
  tenantId: string,
  tierPriceId: string,
): Promise<{ tier: TierRow; price: TierPriceRow & { stripePriceId: string } }> {
  const [row] = await tx
    .select({ tier: tiers, price: tierPrices })
    .from(tierPrices)
    .innerJoin(tiers, and(eq(tiers.tenantId, tierPrices.tenantId), eq(tiers.id, tierPrices.tierId)))
    .where(and(eq(tierPrices.tenantId, tenantId), eq(tierPrices.id, tierPriceId)));
  const stripePriceId = row?.price.stripePriceId;
  if (!row || !stripePriceId)
    throw new ApiError(BillingErrors.TIER_NOT_FOR_SALE, 'The price of this change is no longer on offer.');
  return { tier: row.tier, price: { ...row.price, stripePriceId } };
}
