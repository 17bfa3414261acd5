/** Recurring interval arithmetic on unix seconds, in UTC, as Stripe bills: month ends clamp (Jan 31 → Feb 28 → Mar 31). */

const DAY = 86_400;

/**
 * The end of the period that starts at `start`, for a price billed every
 * `count` `interval`s, keeping the day of month of `anchor` (the billing cycle anchor).
 */
export function periodEnd(start: number, interval: string, count: number, anchor: number = start): number {
  if (interval === 'day') return start + count * DAY;
  if (interval === 'week') return start + count * 7 * DAY;
  const months = interval === 'year' ? 12 * count : count;
  const from = new Date(start * 1000);
  const anchorDay = new Date(anchor * 1000).getUTCDate();
  const year = from.getUTCFullYear();
  const month = from.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const target = Date.UTC(
    year,
    month,
    Math.min(anchorDay, lastDay),
    from.getUTCHours(),
    from.getUTCMinutes(),
    from.getUTCSeconds(),
  );
  return Math.floor(target / 1000);
}

/** Stripe's proration of `amount` for `remaining` of `total` seconds: rounded to whole minor units. */
export function prorate(amount: number, remaining: number, total: number): number {
  if (total <= 0) return 0;
  return Math.round((amount * remaining) / total);
}
