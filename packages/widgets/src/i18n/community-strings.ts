import { communityDe } from './community-de.js';
import { communityEn, type CommunityStringKey, type CommunityStringTable } from './community-en.js';
import { baseLanguage } from './locale.js';
import {
  format,
  type PluralKey,
  type StringKey,
  type StringOverrides,
  type StringParams,
  type Strings,
} from './strings.js';

const tables: Readonly<Record<string, CommunityStringTable>> = { en: communityEn, de: communityDe };

/** A community string with plural forms (`<key>.one`, `<key>.other`), without the category. */
export type CommunityPluralKey = {
  [K in CommunityStringKey]: K extends `${infer Base}.other` ? Base : never;
}[CommunityStringKey];

/** {@link Strings} that also speak the community elements' keys. */
export interface CommunityStrings extends Omit<Strings, 't' | 'plural'> {
  t(key: StringKey | CommunityStringKey, params?: StringParams): string;
  plural(key: PluralKey | CommunityPluralKey, count: number, params?: StringParams): string;
  /** A short relative time ("5 min ago") for recent moments, else the date and time. */
  ago(value: string, now?: number): string;
}

const cache = new WeakMap<Strings, { overrides: StringOverrides; strings: CommunityStrings }>();

/**
 * The widget's strings with the community table of its language laid over (English
 * when there is none) and the tenant's overrides of community keys applied, as
 * `billingStrings` does for the billing words.
 */
export function communityStrings(base: Strings, overrides: StringOverrides = {}): CommunityStrings {
  const cached = cache.get(base);
  if (cached && cached.overrides === overrides) return cached.strings;
  const language = baseLanguage(base.locale);
  const table: Record<string, string> = { ...(tables[language] ?? communityEn) };
  for (const layer of [overrides[language], language === base.locale ? undefined : overrides[base.locale]]) {
    for (const [key, text] of Object.entries(layer ?? {})) {
      if (key in table && typeof text === 'string' && text) table[key] = text;
    }
  }
  const t = (key: StringKey | CommunityStringKey, params?: StringParams): string =>
    key in table ? format(table[key] as string, params) : base.t(key as StringKey, params);
  const safe = Intl.PluralRules.supportedLocalesOf([base.locale]).length > 0 ? base.locale : 'en';
  const rules = new Intl.PluralRules(safe);
  let relative: Intl.RelativeTimeFormat | undefined;
  const strings: CommunityStrings = {
    ...base,
    t,
    plural: (key, count, params) => {
      const form = `${key}.${rules.select(count)}`;
      if (!(`${key}.other` in table)) return base.plural(key as PluralKey, count, params);
      return t((form in table ? form : `${key}.other`) as CommunityStringKey, { count: base.number(count), ...params });
    },
    ago: (value, now = Date.now()) => {
      const seconds = Math.round((new Date(value.replace(' ', 'T')).getTime() - now) / 1000);
      if (!Number.isFinite(seconds)) return '';
      if (seconds > -45) return t('community.justNow');
      relative ??= new Intl.RelativeTimeFormat(safe, { numeric: 'auto', style: 'short' });
      if (seconds > -3600) return relative.format(Math.round(seconds / 60), 'minute');
      if (seconds > -86_400) return relative.format(Math.round(seconds / 3600), 'hour');
      return base.dateTime(value);
    },
  };
  cache.set(base, { overrides, strings });
  return strings;
}
