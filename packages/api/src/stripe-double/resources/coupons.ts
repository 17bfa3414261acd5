import { filterBy, filterCreated, listObject } from '../lists.js';
import { bool, decimal, int, mergeMetadata, oneOf, str } from '../params.js';
import type { Router } from '../router.js';
import { newId } from '../store.js';
import { invalidRequest, missingParam } from '../types.js';

/** Coupons and promotion codes. */
export function registerCoupons(router: Router): void {
  router.post('/v1/coupons', (ctx) => {
    const p = ctx.params;
    const percentOff = decimal(p.percent_off, 'percent_off');
    const amountOff = int(p.amount_off, 'amount_off');
    if ((percentOff === undefined) === (amountOff === undefined))
      throw invalidRequest('You must specify exactly one of `percent_off` or `amount_off`.', 'percent_off');
    if (percentOff !== undefined && (percentOff <= 0 || percentOff > 100))
      throw invalidRequest('`percent_off` must be between 0 and 100.', 'percent_off');
    const currency = str(p.currency, 'currency')?.toLowerCase();
    if (amountOff !== undefined && !currency) throw missingParam('currency');
    const duration = oneOf(p.duration, ['once', 'repeating', 'forever'] as const, 'duration') ?? 'once';
    const months = int(p.duration_in_months, 'duration_in_months') ?? null;
    if (duration === 'repeating' && !months) throw missingParam('duration_in_months');
    const id = str(p.id, 'id') || newId('', 8).slice(1);
    if (ctx.state.store.find(ctx.account, id, 'coupon'))
      throw invalidRequest('Coupon already exists.', 'id', 'resource_already_exists');
    const products = p.applies_to?.products;
    return ctx.state.store.insert(ctx.account, {
      id,
      object: 'coupon',
      amount_off: amountOff ?? null,
      ...(Array.isArray(products) ? { applies_to: { products } } : {}),
      created: ctx.state.now(),
      currency: currency ?? null,
      duration,
      duration_in_months: duration === 'repeating' ? months : null,
      livemode: false,
      max_redemptions: int(p.max_redemptions, 'max_redemptions') ?? null,
      metadata: mergeMetadata({}, p.metadata),
      name: str(p.name, 'name') || null,
      percent_off: percentOff ?? null,
      redeem_by: int(p.redeem_by, 'redeem_by') ?? null,
      times_redeemed: 0,
      valid: true,
    });
  });
  router.get('/v1/coupons/:id', (ctx) => ctx.state.store.get(ctx.account, ctx.path.id, 'coupon'));
  router.post('/v1/coupons/:id', (ctx) => {
    const coupon = ctx.state.store.get(ctx.account, ctx.path.id, 'coupon');
    if (ctx.params.name !== undefined) coupon.name = str(ctx.params.name, 'name') || null;
    coupon.metadata = mergeMetadata(coupon.metadata, ctx.params.metadata);
    return coupon;
  });
  router.get('/v1/coupons', (ctx) =>
    listObject(ctx, '/v1/coupons', filterCreated(ctx.state.store.all(ctx.account, 'coupon'), ctx.params.created)),
  );
  router.delete('/v1/coupons/:id', (ctx) => {
    const coupon = ctx.state.store.get(ctx.account, ctx.path.id, 'coupon');
    coupon.valid = false;
    return { id: coupon.id, object: 'coupon', deleted: true };
  });

  router.post('/v1/promotion_codes', (ctx) => {
    const p = ctx.params;
    const couponId = str(p.promotion?.coupon ?? p.coupon, 'promotion[coupon]');
    if (!couponId) throw missingParam('promotion[coupon]');
    ctx.state.store.get(ctx.account, couponId, 'coupon', 'coupon', 'promotion[coupon]');
    const code = str(p.code, 'code') || newId('', 8).slice(1).toUpperCase();
    if (
      ctx.state.store
        .all(ctx.account, 'promotion_code')
        .some((x) => x.active && x.code.toLowerCase() === code.toLowerCase())
    )
      throw invalidRequest(
        'An active promotion code with this code already exists.',
        'code',
        'resource_already_exists',
      );
    const r = p.restrictions ?? {};
    return ctx.state.store.insert(ctx.account, {
      id: newId('promo'),
      object: 'promotion_code',
      active: bool(p.active, 'active') ?? true,
      code,
      created: ctx.state.now(),
      customer: str(p.customer, 'customer') || null,
      customer_account: null,
      expires_at: int(p.expires_at, 'expires_at') ?? null,
      livemode: false,
      max_redemptions: int(p.max_redemptions, 'max_redemptions') ?? null,
      metadata: mergeMetadata({}, p.metadata),
      promotion: { coupon: couponId, type: 'coupon' },
      restrictions: {
        currency_options: {},
        first_time_transaction: bool(r.first_time_transaction, 'restrictions[first_time_transaction]') ?? false,
        minimum_amount: int(r.minimum_amount, 'restrictions[minimum_amount]') ?? null,
        minimum_amount_currency: str(r.minimum_amount_currency, 'restrictions[minimum_amount_currency]') ?? null,
      },
      times_redeemed: 0,
    });
  });
  router.get('/v1/promotion_codes/:id', (ctx) => ctx.state.store.get(ctx.account, ctx.path.id, 'promotion_code'));
  router.post('/v1/promotion_codes/:id', (ctx) => {
    const promo = ctx.state.store.get(ctx.account, ctx.path.id, 'promotion_code');
    if (ctx.params.active !== undefined) promo.active = bool(ctx.params.active, 'active');
    promo.metadata = mergeMetadata(promo.metadata, ctx.params.metadata);
    return promo;
  });
  router.get('/v1/promotion_codes', (ctx) => {
    const p = ctx.params;
    let items = filterBy(ctx.state.store.all(ctx.account, 'promotion_code'), p, {
      active: (x) => x.active,
      customer: (x) => x.customer,
    });
    // Stripe matches `code` case-insensitively.
    if (p.code) items = items.filter((x) => x.code.toLowerCase() === String(p.code).toLowerCase());
    if (p.coupon) items = items.filter((x) => x.promotion.coupon === p.coupon);
    return listObject(ctx, '/v1/promotion_codes', filterCreated(items, p.created));
  });
  router.get('/v1/discounts/:id', (ctx) => ctx.state.store.get(ctx.account, ctx.path.id, 'discount'));
}
