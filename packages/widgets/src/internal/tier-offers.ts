import type { PublicTier } from '../config/public-config.js';
import { baseLanguage } from '../i18n/locale.js';
import type { Strings } from '../i18n/strings.js';
import type { BillingInterval } from './events.js';

/** One price a tier is sold at. */
export interface OfferPrice {
  interval: BillingInterval;
  /** Minor units of `currency` (JPY has none: 1500 is ¥1,500). */
  amount: number;
  currency: string;
}

/** A tier as the billing widgets offer it. */
export interface TierOffer {
  tier: PublicTier;
  /** Monthly and/or yearly prices; empty for a free tier. */
  prices: OfferPrice[];
  free: boolean;
  /** Days of free trial before the first charge (0: none). */
  trialDays: number;
}

/**
 * What the public config says about a tier's prices. Tiers sold by billing list
 * `prices` (monthly and/or yearly) and `trial_days`; a tier without them has one
 * price, its `price` and `interval`. Read defensively: the config may come from an
 * API older than billing.
 */
export function tierOffer(tier: PublicTier): TierOffer {
  const extra = tier as PublicTier & {
    prices?: { interval: string; amount: number; currency: string }[];
    trial_days?: number | null;
  };
  const free = tier.free || tier.interval === 'free';
  const listed = Array.isArray(extra.prices)
    ? extra.prices.filter((p): p is OfferPrice => p.interval === 'month' || p.interval === 'year')
    : [];
  const prices =
    listed.length > 0
      ? listed
      : !free && (tier.interval === 'month' || tier.interval === 'year')
        ? [{ interval: tier.interval, amount: tier.price.amount, currency: tier.price.currency }]
        : [];
  return { tier, prices, free, trialDays: Math.max(0, extra.trial_days ?? 0) };
}

/** The tiers a member can buy or join: free ones and those with a monthly or yearly price (one-time tiers are not sold here). */
export function sellableOffers(tiers: readonly PublicTier[]): TierOffer[] {
  return tiers.map(tierOffer).filter((offer) => offer.free || offer.prices.length > 0);
}

/** The offer's price for `interval`, else its only other one. */
export function priceFor(offer: TierOffer, interval: BillingInterval): OfferPrice | undefined {
  return offer.prices.find((p) => p.interval === interval) ?? offer.prices[0];
}
/**
 * A tier's description in the widget's locale: its translation for the exact tag, then
 * for the base language (`de` for `de-AT`), then `description` (the tenant's own wording).
 */
export function tierDescription(tier: PublicTier, strings: Strings): string | null {
  const translations: Readonly<Record<string, string>> = tier.description_translations ?? {};
  return translations[strings.locale] ?? translations[baseLanguage(strings.locale)] ?? tier.description;
}
