import { de } from './de.js';
import { en, type AdminStrings } from './en.js';

export type { AdminStrings } from './en.js';

const locales: Readonly<Record<string, AdminStrings>> = { en, de };

/**
 * The strings for a BCP 47 locale: an exact match, else its language (`de-AT` → `de`),
 * else English.
 */
export function stringsFor(locale: string | undefined): AdminStrings {
  if (!locale) return en;
  const lower = locale.toLowerCase();
  return locales[lower] ?? locales[lower.split('-')[0] ?? ''] ?? en;
}
