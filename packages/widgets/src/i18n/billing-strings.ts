import { billingDe } from './billing-de.js';
import { billingEn, type BillingStringKey, type BillingStringTable } from './billing-en.js';
import { baseLanguage } from './locale.js';
import {
  format,
  type PluralKey,
  type StringKey,
  type StringOverrides,
  type StringParams,
  type Strings,
} from './strings.js';

const tables: Readonly<Record<string, BillingStringTable>> = { en: billingEn, de: billingDe };

/** A billing string with plural forms (`<key>.one`, `<key>.other`), without the category. */
export type BillingPluralKey = {
  [K in BillingStringKey]: K extends `${infer Base}.other` ? Base : never;
}[BillingStringKey];

/** {@link Strings} that also speak the billing widgets' keys. */
export interface BillingStrings extends Omit<Strings, 't' | 'plural'> {
  t(key: StringKey | BillingStringKey, params?: StringParams): string;
  plural(key: PluralKey | BillingPluralKey, count: number, params?: StringParams): string;
}

const cache = new WeakMap<Strings, { overrides: StringOverrides; strings: BillingStrings }>();

/**
 * The widget's strings with the billing table of its language laid over (English when
 * there is none) and the tenant's overrides of billing keys applied, as `createStrings`
 * does for the others. The billing tables load with the billing elements only, so pages
 * without them do not download the words.
 */
export function billingStrings(base: Strings, overrides: StringOverrides = {}): BillingStrings {
  const cached = cache.get(base);
  if (cached && cached.overrides === overrides) return cached.strings;
  const language = baseLanguage(base.locale);
  const table: Record<string, string> = { ...(tables[language] ?? billingEn) };
  for (const layer of [overrides[language], language === base.locale ? undefined : overrides[base.locale]]) {
    for (const [key, text] of Object.entries(layer ?? {})) {
      if (key in table && typeof text === 'string' && text) table[key] = text;
    }
  }
  const t = (key: StringKey | BillingStringKey, params?: StringParams): string =>
    key in table ? format(table[key] as string, params) : base.t(key as StringKey, params);
  const rules = new Intl.PluralRules(
    Intl.PluralRules.supportedLocalesOf([base.locale]).length > 0 ? base.locale : 'en',
  );
  const strings: BillingStrings = {
    ...base,
    t,
    plural: (key, count, params) => {
      const form = `${key}.${rules.select(count)}`;
      if (!(`${key}.other` in table)) return base.plural(key as PluralKey, count, params);
      return t((form in table ? form : `${key}.other`) as BillingStringKey, { count: base.number(count), ...params });
    },
  };
  cache.set(base, { overrides, strings });
  return strings;
}
