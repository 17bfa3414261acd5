import { filterBy, filterCreated, listObject } from '../lists.js';
import { bool, int, list, mergeMetadata, oneOf, str } from '../params.js';
import type { Router } from '../router.js';
import type { DoubleState } from '../state.js';
import { newId } from '../store.js';
import { invalidRequest, missingParam, type Obj, type Params } from '../types.js';
import { previousAttributes } from './events.js';
import { createProduct } from './products.js';

const INTERVALS = ['day', 'week', 'month', 'year'] as const;

/** Creates a price: one-time or recurring (licensed, or metered through a billing meter), per unit or graduated tiers. */
export function createPrice(state: DoubleState, account: string, params: Params): Obj {
  const currency = str(params.currency, 'currency')?.toLowerCase();
  if (!currency) throw missingParam('currency');
  let productId = str(params.product, 'product');
  if (!productId && params.product_data) productId = createProduct(state, account, params.product_data).id;
  if (!productId) throw missingParam('product');
  state.store.get(account, productId, 'product', 'product', 'product');

  const scheme = oneOf(params.billing_scheme, ['per_unit', 'tiered'] as const, 'billing_scheme') ?? 'per_unit';
  const unitAmount = int(params.unit_amount, 'unit_amount');
  let tiers: Obj[] | undefined;
  let tiersMode: string | null = null;
  if (scheme === 'tiered') {
    tiersMode = oneOf(params.tiers_mode, ['graduated', 'volume'] as const, 'tiers_mode') ?? null;
    if (!tiersMode) throw missingParam('tiers_mode');
    tiers = list(params.tiers, 'tiers').map((tier, i) => ({
      flat_amount: int(tier.flat_amount, `tiers[${i}][flat_amount]`) ?? null,
      flat_amount_decimal: tier.flat_amount ?? null,
      unit_amount: int(tier.unit_amount, `tiers[${i}][unit_amount]`) ?? null,
      unit_amount_decimal: tier.unit_amount ?? null,
      up_to: tier.up_to === 'inf' ? null : (int(tier.up_to, `tiers[${i}][up_to]`) ?? null),
    }));
    if (tiers.length === 0) throw missingParam('tiers');
    if (tiers[tiers.length - 1]!.up_to !== null)
      throw invalidRequest('The last tier must have `up_to` set to `inf`.', 'tiers');
  } else if (unitAmount === undefined && params.custom_unit_amount === undefined) {
    throw missingParam('unit_amount');
  }

  let recurring: Obj | null = null;
  if (params.recurring) {
    const interval = oneOf(params.recurring.interval, INTERVALS, 'recurring[interval]');
    if (!interval) throw missingParam('recurring[interval]');
    const usageType =
      oneOf(params.recurring.usage_type, ['licensed', 'metered'] as const, 'recurring[usage_type]') ?? 'licensed';
    const meter = str(params.recurring.meter, 'recurring[meter]') || null;
    if (usageType === 'metered' && !meter)
      throw invalidRequest('A meter is required for prices with `usage_type=metered`.', 'recurring[meter]');
    if (meter) state.store.get(account, meter, 'billing.meter', 'billing meter', 'recurring[meter]');
    recurring = {
      interval,
      interval_count: int(params.recurring.interval_count, 'recurring[interval_count]') ?? 1,
      meter,
      trial_period_days: int(params.recurring.trial_period_days, 'recurring[trial_period_days]') ?? null,
      usage_type: usageType,
    };
  }

  const lookupKey = str(params.lookup_key, 'lookup_key') || null;
  if (lookupKey) releaseLookupKey(state, account, lookupKey, bool(params.transfer_lookup_key, 'transfer_lookup_key'));

  const price = state.store.insert(account, {
    id: newId('price'),
    object: 'price',
    active: bool(params.active, 'active') ?? true,
    billing_scheme: scheme,
    created: state.now(),
    currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: lookupKey,
    metadata: mergeMetadata({}, params.metadata),
    nickname: str(params.nickname, 'nickname') || null,
    product: productId,
    recurring,
    tax_behavior:
      oneOf(params.tax_behavior, ['exclusive', 'inclusive', 'unspecified'] as const, 'tax_behavior') ?? 'unspecified',
    tiers_mode: tiersMode,
    ...(tiers ? { tiers } : {}),
    transform_quantity: null,
    type: recurring ? 'recurring' : 'one_time',
    unit_amount: scheme === 'tiered' ? null : (unitAmount ?? null),
    unit_amount_decimal: scheme === 'tiered' || unitAmount === undefined ? null : String(unitAmount),
  });
  state.emit(account, 'price.created', price);
  return price;
}

function releaseLookupKey(state: DoubleState, account: string, key: string, transfer: boolean | undefined) {
  const holder = state.store.all(account, 'price').find((price) => price.lookup_key === key);
  if (!holder) return;
  if (!transfer)
    throw invalidRequest(
      `A price (\`${holder.id}\`) already uses that lookup key. Set \`transfer_lookup_key\` to move it.`,
      'lookup_key',
    );
  holder.lookup_key = null;
}

/** A subscription item's `plan`: the legacy mirror of its price. */
export function planOf(price: Obj): Obj {
  return {
    id: price.id,
    object: 'plan',
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: price.billing_scheme,
    created: price.created,
    currency: price.currency,
    interval: price.recurring?.interval,
    interval_count: price.recurring?.interval_count,
    livemode: false,
    metadata: price.metadata,
    meter: price.recurring?.meter ?? null,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: price.tiers_mode,
    transform_usage: null,
    trial_period_days: null,
    usage_type: price.recurring?.usage_type ?? 'licensed',
  };
}

/** Prices: create, retrieve, update (`active`, `metadata`, `nickname`, `lookup_key`), list. */
export function registerPrices(router: Router): void {
  router.post('/v1/prices', (ctx) => createPrice(ctx.state, ctx.account, ctx.params));
  router.get('/v1/prices/:id', (ctx) => ctx.state.store.get(ctx.account, ctx.path.id, 'price'));
  router.post('/v1/prices/:id', (ctx) => {
    const price = ctx.state.store.get(ctx.account, ctx.path.id, 'price');
    const before = structuredClone(price);
    const p = ctx.params;
    if (p.active !== undefined) price.active = bool(p.active, 'active');
    if (p.nickname !== undefined) price.nickname = str(p.nickname, 'nickname') || null;
    if (p.lookup_key !== undefined) {
      const key = str(p.lookup_key, 'lookup_key') || null;
      if (key) releaseLookupKey(ctx.state, ctx.account, key, bool(p.transfer_lookup_key, 'transfer_lookup_key'));
      price.lookup_key = key;
    }
    price.metadata = mergeMetadata(price.metadata, p.metadata);
    ctx.state.emit(ctx.account, 'price.updated', price, previousAttributes(before, price));
    return price;
  });
  router.get('/v1/prices', (ctx) => {
    const p = ctx.params;
    let items = filterBy(ctx.state.store.all(ctx.account, 'price'), p, {
      product: (x) => x.product,
      active: (x) => x.active,
      currency: (x) => x.currency,
      type: (x) => x.type,
    });
    if (p.recurring?.interval) items = items.filter((x) => x.recurring?.interval === p.recurring.interval);
    if (p.recurring?.usage_type) items = items.filter((x) => x.recurring?.usage_type === p.recurring.usage_type);
    if (Array.isArray(p.lookup_keys)) items = items.filter((x) => (p.lookup_keys as string[]).includes(x.lookup_key));
    return listObject(ctx, '/v1/prices', filterCreated(items, p.created));
  });
}
