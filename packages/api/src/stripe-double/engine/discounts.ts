import type { DoubleState } from '../state.js';
import { newId } from '../store.js';
import { invalidRequest, type Obj, type Params } from '../types.js';
import { periodEnd } from './periods.js';

/** A coupon (and the promotion code it came through) ready to apply. */
export interface Applicable {
  coupon: Obj;
  promotionCode: Obj | null;
}

/** Where discounts are being applied, for Stripe's applicability rules. */
export interface DiscountContext {
  customer: Obj | null;
  currency: string;
  productIds: string[];
  /** Amount before discounts of the first invoice (promotion codes' minimum amount). */
  amount: number;
  /** Parameter prefix for errors (`discounts`). */
  param: string;
}

/**
 * Validates `discounts[]` (`{coupon}` or `{promotion_code}`) the way Stripe refuses
 * them: unknown, expired, exhausted, inactive, restricted to another customer or
 * to first-time customers, below the minimum amount, another currency, other products.
 */
export function resolveDiscounts(
  state: DoubleState,
  account: string,
  raw: unknown,
  context: DiscountContext,
): Applicable[] {
  if (raw === undefined || raw === '') return [];
  if (!Array.isArray(raw)) throw invalidRequest('Invalid array', context.param);
  return (raw as Params[]).map((entry, i) => {
    const param = `${context.param}[${i}]`;
    let promotionCode: Obj | null = null;
    let couponId = entry.coupon as string | undefined;
    if (entry.promotion_code) {
      promotionCode = state.store.find(account, entry.promotion_code, 'promotion_code') ?? null;
      if (!promotionCode)
        throw invalidRequest(
          `No such promotion code: '${entry.promotion_code}'`,
          `${param}[promotion_code]`,
          'resource_missing',
        );
      checkPromotionCode(state, account, promotionCode, context, `${param}[promotion_code]`);
      couponId = promotionCode.promotion.coupon;
    }
    if (!couponId) throw invalidRequest('Each discount needs a `coupon` or a `promotion_code`.', param);
    const coupon = state.store.find(account, couponId, 'coupon');
    if (!coupon) throw invalidRequest(`No such coupon: '${couponId}'`, `${param}[coupon]`, 'resource_missing');
    checkCoupon(state, coupon, context, param);
    return { coupon, promotionCode };
  });
}

function checkCoupon(state: DoubleState, coupon: Obj, context: DiscountContext, param: string): void {
  const expired =
    (coupon.redeem_by !== null && coupon.redeem_by <= state.now()) ||
    (coupon.max_redemptions !== null && coupon.times_redeemed >= coupon.max_redemptions);
  if (expired || !coupon.valid) throw invalidRequest(`Coupon expired: ${coupon.id}`, param, 'coupon_expired');
  if (coupon.amount_off !== null && coupon.currency !== context.currency)
    throw invalidRequest(
      `The coupon ${coupon.id} is in ${coupon.currency?.toUpperCase()} and cannot be applied to a purchase in ${context.currency.toUpperCase()}.`,
      param,
    );
  const products = coupon.applies_to?.products as string[] | undefined;
  if (products && !context.productIds.some((p) => products.includes(p)))
    throw invalidRequest(`The coupon ${coupon.id} does not apply to any of the products being purchased.`, param);
}

function checkPromotionCode(
  state: DoubleState,
  account: string,
  promo: Obj,
  context: DiscountContext,
  param: string,
): void {
  const refuse = (why: string) =>
    invalidRequest(`This promotion code cannot be redeemed: ${why}.`, param, 'promotion_code_invalid');
  if (!promo.active) throw refuse('it is inactive');
  if (promo.expires_at !== null && promo.expires_at <= state.now()) throw refuse('it has expired');
  if (promo.max_redemptions !== null && promo.times_redeemed >= promo.max_redemptions)
    throw refuse('it has reached its maximum number of redemptions');
  if (promo.customer && promo.customer !== context.customer?.id) throw refuse('it is restricted to another customer');
  const r = promo.restrictions;
  if (r.first_time_transaction && context.customer) {
    const paid = state.store
      .all(account, 'invoice')
      .some((inv) => inv.customer === context.customer!.id && inv.status === 'paid' && inv.amount_paid > 0);
    if (paid) throw refuse('the customer has prior transactions');
  }
  if (
    r.minimum_amount !== null &&
    (r.minimum_amount_currency !== context.currency || context.amount < r.minimum_amount)
  )
    throw refuse('the purchase is below its minimum amount');
}

/** Creates the discount objects for applied coupons and counts the redemptions. */
export function createDiscounts(
  state: DoubleState,
  account: string,
  applicable: Applicable[],
  links: { customer: string | null; subscription?: string | null; checkoutSession?: string | null },
): Obj[] {
  return applicable.map(({ coupon, promotionCode }) => {
    coupon.times_redeemed++;
    if (promotionCode) promotionCode.times_redeemed++;
    const start = state.now();
    const end = coupon.duration === 'repeating' ? periodEnd(start, 'month', coupon.duration_in_months ?? 1) : null;
    return state.store.insert(account, {
      id: newId('di'),
      object: 'discount',
      checkout_session: links.checkoutSession ?? null,
      customer: links.customer,
      customer_account: null,
      end,
      invoice: null,
      invoice_item: null,
      promotion_code: promotionCode?.id ?? null,
      source: { coupon: coupon.id, type: 'coupon' },
      start,
      subscription: links.subscription ?? null,
      subscription_item: null,
    });
  });
}

/** The subscription's discounts that still apply to an invoice starting at `at`. */
export function activeDiscounts(state: DoubleState, account: string, ids: string[], at: number): Obj[] {
  return ids
    .map((id) => state.store.find(account, id, 'discount'))
    .filter((d): d is Obj => !!d && (d.end === null || at < d.end));
}

/** Drops `once` discounts after the invoice that used them. */
export function retireOnceDiscounts(state: DoubleState, account: string, subscription: Obj): void {
  subscription.discounts = (subscription.discounts as string[]).filter((id) => {
    const discount = state.store.find(account, id, 'discount');
    const coupon = discount ? state.store.find(account, discount.source.coupon, 'coupon') : undefined;
    return coupon?.duration !== 'once';
  });
}
