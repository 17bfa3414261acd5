/**
 * Money as the API sends it: integer minor units of a lower-case ISO 4217 currency
 * (Stripe's). Converted for people with Intl, and read back from what staff type
 * without floating point (0.1 + 0.2 must not decide a refund).
 */

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'currency', currency: currency.toUpperCase() });
    formatters.set(key, f);
  }
  return f;
}

/** Digits after the decimal point of a currency's major unit (2 for EUR, 0 for JPY), as Intl knows them. */
export function currencyDigits(currency: string): number {
  return formatter('en', currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/** `amount` minor units of `currency` for people in `locale`, e.g. `1999, 'eur', 'de'` → `19,99 €`. */
export function formatMoney(amount: number, currency: string, locale: string): string {
  const digits = currencyDigits(currency);
  // Division only for display: the value shown is rounded by Intl to the currency's digits anyway.
  return formatter(locale, currency).format(amount / 10 ** digits);
}

/**
 * Reads an amount typed in major units (`12.50`, `12,50`, `12`) as integer minor units of
 * `currency`; null when it is not a positive amount with at most the currency's digits.
 */
export function parseMoney(text: string, currency: string): number | null {
  const digits = currencyDigits(currency);
  const match = /^(\d{1,9})(?:[.,](\d*))?$/.exec(text.trim().replace(/[\s\u00a0']/g, ''));
  if (!match) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  const minor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return minor > 0 ? minor : null;
}

/** Minor units as the plain decimal staff would type back (`1250`, EUR → `12.50`; JPY → `1250`). */
export function moneyInput(amount: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(amount);
  const text = String(amount).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/**
 * Monthly recurring revenue of a subscription in minor units: the API's figure when it
 * sends one, else its amount per interval (unit amount × quantity) per month, a yearly
 * price counting a twelfth (rounded for display; revenue analytics keeps exact sums).
 */
export function monthlyAmount(sub: {
  amount: number;
  interval: 'month' | 'year' | null;
  mrr_amount?: number | null | undefined;
}): number | null {
  if (sub.mrr_amount !== undefined && sub.mrr_amount !== null) return sub.mrr_amount;
  if (!sub.interval) return null;
  return sub.interval === 'year' ? Math.round(sub.amount / 12) : sub.amount;
}
