import type Stripe from 'stripe';
import { ApiError } from '../lib/errors.js';
import { BillingErrors } from './billing-errors.js';
import { stripeProblem, type TenantStripe } from './stripe-account.js';

/** What a promotion code is checked against: the purchase it would discount. */
export interface PromotionPurchase {
  /** The tier's Stripe Product (coupons may be limited to products). */
  productId: string | null;
  /** Recurring amount of the price in minor units, and its currency. */
  amount: number;
  currency: string;
  /** The member's Stripe customer, when they have one (codes may be limited to one customer). */
  customerId: string | null;
  /** Whether the member ever paid an invoice (codes may be for first purchases only). */
  hasPaid: boolean;
  now: Date;
}

function invalid(code: string, why: string): ApiError {
  return new ApiError(BillingErrors.PROMOTION_CODE_INVALID, `The promotion code ${code} ${why}`, {
    errors: [{ field: 'promotion_code', message: `The code ${why}` }],
  });
}

/** Why `coupon` does not discount `purchase`, or null when it does. */
function couponProblem(coupon: Stripe.Coupon, purchase: PromotionPurchase): string | null {
  if (!coupon.valid) return 'is no longer valid.';
  const products = coupon.applies_to?.products ?? [];
  if (products.length > 0 && (!purchase.productId || !products.includes(purchase.productId)))
    return 'does not apply to this tier.';
  if (
    coupon.amount_off !== null &&
    coupon.currency !== purchase.currency &&
    !coupon.currency_options?.[purchase.currency]
  )
    return `does not apply to prices in ${purchase.currency.toUpperCase()}.`;
  return null;
}

/** Why the code's own restrictions refuse `purchase`, or null. */
function restrictionProblem(promotion: Stripe.PromotionCode, purchase: PromotionPurchase): string | null {
  const nowSeconds = Math.floor(purchase.now.getTime() / 1000);
  if (promotion.expires_at !== null && promotion.expires_at <= nowSeconds) return 'has expired.';
  if (promotion.max_redemptions !== null && promotion.times_redeemed >= promotion.max_redemptions)
    return 'has been used up.';
  const customer = typeof promotion.customer === 'string' ? promotion.customer : (promotion.customer?.id ?? null);
  if (customer !== null && customer !== purchase.customerId) return 'is not available to you.';
  const r = promotion.restrictions;
  if (r.first_time_transaction && purchase.hasPaid) return 'is for first purchases only.';
  const minimum =
    r.currency_options?.[purchase.currency]?.minimum_amount ??
    (r.minimum_amount !== null && r.minimum_amount_currency === purchase.currency ? r.minimum_amount : null);
  if (minimum !== null && purchase.amount < minimum) return 'needs a larger purchase.';
  return null;
}

/**
 * The coupon with its product restriction. Stripe includes `applies_to` only when
 * expanded; a server that always includes it (the Stripe test double) refuses the
 * expansion of an absent field, so the plain object is the answer there.
 */
async function retrieveCoupon(account: TenantStripe, id: string): Promise<Stripe.Coupon> {
  try {
    return await account.stripe.coupons.retrieve(id, { expand: ['applies_to'] }, account.requestOptions());
  } catch (error) {
    const param = (error as { param?: string }).param;
    if ((error as { type?: string }).type !== 'StripeInvalidRequestError' || param !== 'expand') throw error;
    return account.stripe.coupons.retrieve(id, {}, account.requestOptions());
  }
}

/**
 * Finds the active promotion code a member typed and checks it applies to the
 * purchase before anything is created in Stripe (Checkout would otherwise show
 * the member an error page after they left our site).
 * @returns the promotion code's id, for Checkout's `discounts`.
 * @throws ApiError 422 PROMOTION_CODE_INVALID (unknown, expired, used up, or not
 *   for this tier, currency, customer or amount).
 */
export async function checkPromotionCode(
  account: TenantStripe,
  code: string,
  purchase: PromotionPurchase,
): Promise<string> {
  let promotion: Stripe.PromotionCode | undefined;
  let coupon: Stripe.Coupon;
  try {
    const found = await account.stripe.promotionCodes.list({ code, active: true, limit: 1 }, account.requestOptions());
    promotion = found.data[0];
    if (!promotion) throw invalid(code, 'does not exist or is no longer active.');
    const ref = promotion.promotion.coupon;
    if (ref === null) throw invalid(code, 'does not apply to this tier.');
    coupon = typeof ref === 'string' ? await retrieveCoupon(account, ref) : ref;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw stripeProblem(error, 'looking up the promotion code');
  }
  const problem = restrictionProblem(promotion, purchase) ?? couponProblem(coupon, purchase);
  if (problem) throw invalid(code, problem);
  return promotion.id;
}
