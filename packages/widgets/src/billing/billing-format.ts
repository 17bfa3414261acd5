import type { BillingStrings as Strings } from '../i18n/billing-strings.js';
import type { BillingStringKey } from '../i18n/billing-en.js';

/** A Stripe status word in the widget's language (the raw word when the table has none). */
export function statusText(
  strings: Strings,
  prefix: 'billing.status' | 'billing.invoiceStatus',
  status: string,
): string {
  const key = `${prefix}.${status}` as BillingStringKey;
  const text = strings.t(key);
  return text === key ? status : text;
}

/** "€15.00 per month" / "€150.00 per year". */
export function intervalPrice(strings: Strings, amount: number, currency: string, interval: string | null): string {
  const price = strings.money(amount, currency);
  if (interval === 'year') return strings.t('tier.priceYear', { price });
  if (interval === 'month') return strings.t('tier.priceMonth', { price });
  return price;
}

/** A card in words: "Visa ending in 4242, expires 12/34". */
export function cardText(
  strings: Strings,
  card: { brand: string | null; last4: string | null; exp_month: number | null; exp_year: number | null },
): string {
  const brand = card.brand ? card.brand.charAt(0).toUpperCase() + card.brand.slice(1) : '';
  return strings.t('billing.card', {
    brand,
    last4: card.last4 ?? '····',
    month: String(card.exp_month ?? '').padStart(2, '0'),
    year: String(card.exp_year ?? '').slice(-2),
  });
}
