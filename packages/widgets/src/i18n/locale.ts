/** Locales the widgets ship complete string tables for. */
export const builtInLocales = ['en', 'de'] as const;

/** A locale with a built-in string table. */
export type BuiltInLocale = (typeof builtInLocales)[number];

/** What {@link resolveLocale} chooses from. */
export interface LocaleInputs {
  /** The `locale` attribute of the element or its provider. */
  requested?: string | null | undefined;
  /** The tenant's default locale (public config). */
  tenantDefault?: string | undefined;
  /** The tenant's supported locales (public config). */
  tenantSupported?: readonly string[] | undefined;
  /** The browser's preferences, most preferred first (`navigator.languages`). */
  browser?: readonly string[] | undefined;
}

/** The primary language subtag: `de` of `de-AT`. */
export function baseLanguage(tag: string): string {
  return tag.toLowerCase().split('-')[0] ?? tag;
}

/**
 * Picks the locale the widgets speak: the `locale` attribute when given; else the
 * first of the browser's languages the tenant supports; else the tenant's default;
 * else the browser's first language; else English. (The API describes the tenant
 * default as "used when a visitor's own is not supported".) The result is a BCP 47
 * tag; strings come from the table of its base language, English for others, and
 * `Intl` formats with the full tag.
 */
export function resolveLocale(inputs: LocaleInputs): string {
  if (inputs.requested) return inputs.requested;
  const browser = inputs.browser ?? [];
  const supported = inputs.tenantSupported ?? [];
  if (supported.length > 0) {
    const bases = new Set(supported.map(baseLanguage));
    const match = browser.find((tag) => bases.has(baseLanguage(tag)));
    if (match) return match;
  }
  if (inputs.tenantDefault) return inputs.tenantDefault;
  return browser[0] ?? 'en';
}

/**
 * Picks a text from a per-locale map (custom field labels): the exact tag, then its
 * base language, then the fallback locale (tenant default), then English, then any.
 */
export function pickLocalized(
  texts: Readonly<Record<string, string>> | undefined,
  locale: string,
  fallback = 'en',
): string {
  if (!texts) return '';
  const base = baseLanguage(locale);
  return (
    texts[locale] ??
    texts[base] ??
    texts[fallback] ??
    texts[baseLanguage(fallback)] ??
    texts.en ??
    Object.values(texts)[0] ??
    ''
  );
}
