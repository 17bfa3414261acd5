import { createContext } from '@lit/context';
import { de } from './de.js';
import { en, type StringKey, type StringTable } from './en.js';
import { baseLanguage, pickLocalized } from './locale.js';

const tables: Readonly<Record<string, StringTable>> = { en, de };

/** A string with plural forms: the keys `<key>.one`, `<key>.other`, … of the table, without the category. */
export type PluralKey = { [K in StringKey]: K extends `${infer Base}.other` ? Base : never }[StringKey];

/** Values for `{name}` placeholders in a string. */
export type StringParams = Readonly<Record<string, string | number>>;

/** Tenant overrides by locale and key, as in the public config's `strings`. */
export type StringOverrides = Readonly<Record<string, Readonly<Record<string, string>>>>;

/**
 * The widgets' strings and formatters for one locale. Made by {@link createStrings};
 * shared by `<member-provider>` through {@link stringsContext}.
 */
export interface Strings {
  /** The BCP 47 locale, as used for `Intl` and `lang`. */
  readonly locale: string;
  /** Translated text for `key`, placeholders filled from `params`. */
  t(key: StringKey, params?: StringParams): string;
  /**
   * The form of `key` for `count` by the locale's plural rules (`<key>.one`, `<key>.other`, …;
   * `.other` when the table has no form for the category), with `{count}` formatted.
   *
   * @example
   * s.plural('list.count', 1); // '1 member shown'
   */
  plural(key: PluralKey, count: number, params?: StringParams): string;
  /** A date (ISO string or Date) in the locale's medium style. */
  date(value: string | Date): string;
  /** A date with time, for "last used" lines. */
  dateTime(value: string | Date): string;
  /** A number with the locale's separators. */
  number(value: number): string;
  /** An amount in minor units (cents) of an ISO 4217 currency. */
  money(amountMinor: number, currency: string): string;
  /** The text for this locale from a per-locale map (custom field labels). */
  pick(texts: Readonly<Record<string, string>> | undefined): string;
}

/** Fills `{name}` placeholders; unknown ones stay as written, so a typo is visible. */
export function format(template: string, params: StringParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

function parseDate(value: string | Date): Date {
  // The API sends `2026-11-27 09:30:00+00:00`; older engines want the `T`.
  return value instanceof Date ? value : new Date(value.replace(' ', 'T'));
}

/**
 * Builds the strings for a locale: the built-in table of its base language (English
 * when there is none), with the tenant's overrides for the base language and then the
 * exact tag laid over it. Overrides for keys the widgets do not know are ignored.
 *
 * @example
 * const s = createStrings('de', { de: { 'signup.title': 'Jetzt beitreten' } }, 'de');
 * s.t('signup.title'); // 'Jetzt beitreten'
 */
export function createStrings(locale: string, overrides: StringOverrides = {}, fallbackLocale = 'en'): Strings {
  const base = baseLanguage(locale);
  const table: Record<string, string> = { ...(tables[base] ?? en) };
  for (const layer of [overrides[base], base === locale ? undefined : overrides[locale]]) {
    for (const [key, text] of Object.entries(layer ?? {})) {
      if (key in table && typeof text === 'string' && text) table[key] = text;
    }
  }
  const safeLocale = Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0 ? locale : 'en';
  // Formatters are built on first use: most elements format nothing, and building one is not free.
  const dateFormat = once(() => new Intl.DateTimeFormat(safeLocale, { dateStyle: 'medium' }));
  const dateTimeFormat = once(() => new Intl.DateTimeFormat(safeLocale, { dateStyle: 'medium', timeStyle: 'short' }));
  const numberFormat = once(() => new Intl.NumberFormat(safeLocale));
  const pluralRules = once(() => new Intl.PluralRules(safeLocale));
  const t = (key: StringKey, params?: StringParams) => format(table[key] ?? en[key] ?? key, params);
  return {
    locale,
    t,
    plural: (key, count, params) => {
      const form = `${key}.${pluralRules().select(count)}`;
      return t(form in table ? (form as StringKey) : (`${key}.other` as StringKey), {
        count: numberFormat().format(count),
        ...params,
      });
    },
    date: (value) => dateFormat().format(parseDate(value)),
    dateTime: (value) => dateTimeFormat().format(parseDate(value)),
    number: (value) => numberFormat().format(value),
    money: (amountMinor, currency) => {
      const upper = currency.toUpperCase();
      const digits =
        new Intl.NumberFormat('en', { style: 'currency', currency: upper }).resolvedOptions().maximumFractionDigits ??
        2;
      return new Intl.NumberFormat(safeLocale, { style: 'currency', currency: upper }).format(
        amountMinor / 10 ** digits,
      );
    },
    pick: (texts) => pickLocalized(texts, locale, fallbackLocale),
  };
}

/** Context through which `<member-provider>` hands its {@link Strings} to the elements inside. */
export const stringsContext = createContext<Strings>(Symbol.for('memberkit.strings'));

export type { StringKey, StringTable } from './en.js';

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}
