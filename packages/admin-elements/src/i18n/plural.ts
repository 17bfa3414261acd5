/**
 * A count's text in each plural category of a language, ICU-style: `#` stands for the
 * count, formatted for the locale. `other` is required; the rest as the language has
 * them (English and German: `one`; Polish would add `few` and `many`).
 */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const rulesByLocale = new Map<string, Intl.PluralRules>();

/**
 * The form of `forms` for `count` by the locale's plural rules (Intl.PluralRules), with
 * `#` replaced by the formatted count: not `count === 1`, which is wrong for most
 * languages (and for "1.5" or "0" in some).
 *
 * @example
 * plural('en', 1, { one: '# member', other: '# members' }); // '1 member'
 * plural('de', 2000, { one: '# Mitglied', other: '# Mitglieder' }); // '2.000 Mitglieder'
 */
export function plural(locale: string, count: number, forms: PluralForms): string {
  let rules = rulesByLocale.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    rulesByLocale.set(locale, rules);
  }
  return (forms[rules.select(count)] ?? forms.other).replaceAll('#', count.toLocaleString(locale));
}
