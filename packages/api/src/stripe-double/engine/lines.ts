import type { DoubleState } from '../state.js';
import type { Obj } from '../types.js';
import { meterUsage } from '../resources/meters.js';
import type { LineSpec } from './invoices.js';
import { prorate } from './periods.js';

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: '2-digit',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** `07 Dec 2026`, as Stripe's proration descriptions write dates. */
export function describeDate(unix: number): string {
  return dateFormat.format(new Date(unix * 1000));
}

/** The amount of `quantity` units of a price: per unit, or by graduated/volume tiers (flat amounts included). */
export function priceAmount(price: Obj, quantity: number): number {
  if (price.billing_scheme !== 'tiered') return (price.unit_amount ?? 0) * quantity;
  const tiers = price.tiers as Obj[];
  if (price.tiers_mode === 'volume') {
    const tier = tiers.find((t) => t.up_to === null || quantity <= t.up_to) ?? tiers[tiers.length - 1]!;
    return (tier.unit_amount ?? 0) * quantity + (quantity > 0 ? (tier.flat_amount ?? 0) : 0);
  }
  let total = 0;
  let floor = 0;
  for (const tier of tiers) {
    if (quantity <= floor) break;
    const ceiling = tier.up_to === null ? quantity : Math.min(quantity, tier.up_to);
    const units = ceiling - floor;
    if (units > 0) total += (tier.unit_amount ?? 0) * units + (tier.flat_amount ?? 0);
    floor = tier.up_to ?? quantity;
  }
  return total;
}

function productName(state: DoubleState, account: string, price: Obj): string {
  return state.store.find(account, price.product, 'product')?.name ?? price.product;
}

/** Whether a subscription item is billed in arrears by a meter. */
export function isMetered(item: Obj): boolean {
  return item.price.recurring?.usage_type === 'metered';
}

/** The per-period amount of a licensed item. */
export function licensedAmount(item: Obj): number {
  return priceAmount(item.price, item.quantity ?? 1);
}

/** The line charging a licensed item for a whole period (`1 × Gold (at €10.00 / month)`). */
export function periodLine(
  state: DoubleState,
  account: string,
  sub: Obj,
  item: Obj,
  start: number,
  end: number,
  free = false,
): LineSpec {
  const quantity = item.quantity ?? 1;
  const name = productName(state, account, item.price);
  return {
    amount: free ? 0 : licensedAmount(item),
    description: free ? `Trial period for ${name}` : `${quantity} × ${name}`,
    period: { start, end },
    price: item.price,
    quantity,
    proration: false,
    subscription: sub.id,
    subscriptionItem: item.id,
  };
}

/** The line billing a metered item's usage over `[start, end)`. */
export function usageLine(
  state: DoubleState,
  account: string,
  sub: Obj,
  item: Obj,
  start: number,
  end: number,
): LineSpec {
  const meter = state.store.find(account, item.price.recurring.meter, 'billing.meter');
  const customer = typeof sub.customer === 'string' ? sub.customer : sub.customer.id;
  const used = meter ? meterUsage(state, account, meter, customer, start, end) : 0;
  const units = Math.max(0, Math.round(used));
  return {
    amount: priceAmount(item.price, units),
    description: `${units} × ${productName(state, account, item.price)}`,
    period: { start, end },
    price: item.price,
    quantity: units,
    proration: false,
    subscription: sub.id,
    subscriptionItem: item.id,
  };
}

/** Credit for the unused time of an item from `from` to the period end (negative). */
export function unusedTimeLine(
  state: DoubleState,
  account: string,
  sub: Obj,
  item: Obj,
  from: number,
  start: number,
  end: number,
): LineSpec {
  return {
    amount: -prorate(licensedAmount(item), end - from, end - start),
    description: `Unused time on ${productName(state, account, item.price)} after ${describeDate(from)}`,
    period: { start: from, end },
    price: item.price,
    quantity: item.quantity ?? 1,
    proration: true,
    subscription: sub.id,
    subscriptionItem: item.id,
  };
}

/** Charge for the remaining time of an item from `from` to the period end. */
export function remainingTimeLine(
  state: DoubleState,
  account: string,
  sub: Obj,
  item: Obj,
  from: number,
  start: number,
  end: number,
): LineSpec {
  return {
    amount: prorate(licensedAmount(item), end - from, end - start),
    description: `Remaining time on ${productName(state, account, item.price)} after ${describeDate(from)}`,
    period: { start: from, end },
    price: item.price,
    quantity: item.quantity ?? 1,
    proration: true,
    subscription: sub.id,
    subscriptionItem: item.id,
  };
}
