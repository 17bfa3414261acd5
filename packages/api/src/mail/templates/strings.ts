import { de } from './locales/de.js';
import { en } from './locales/en.js';

type Fmt<P> = (params: P) => string;
type Tenant = { tenant: string };

/**
 * Every string of every mail template, in one language. One file per locale
 * (`locales/en.ts`, `locales/de.ts`); a missing key is a type error, so a new
 * template cannot ship untranslated. Strings are plain text: the layout escapes
 * them for HTML, so they must not contain markup.
 */
export interface MailStrings {
  common: {
    /** Above the raw link, for clients that do not show the button. */
    buttonFallback: string;
    /** Until when a link works; `date` is already formatted. */
    validUntil: Fmt<{ date: string }>;
    /** Label of a one-time code shown next to the link. */
    codeLabel: string;
    /** Opening line when the member's first name is known. */
    greeting: Fmt<{ name: string }>;
    footer: Fmt<Tenant>;
  };
  verify_email: {
    subject: Fmt<Tenant>;
    preheader: Fmt<Tenant>;
    heading: string;
    intro: Fmt<Tenant>;
    button: string;
    ignore: Fmt<Tenant>;
  };
  magic_link: {
    subject: Fmt<Tenant>;
    preheader: Fmt<Tenant>;
    heading: Fmt<Tenant>;
    intro: string;
    button: string;
    ignore: string;
  };
  password_reset: {
    subject: Fmt<Tenant>;
    preheader: string;
    heading: string;
    intro: Fmt<Tenant>;
    button: string;
    ignore: string;
  };
  invite: {
    subject: Fmt<Tenant>;
    preheader: Fmt<Tenant>;
    heading: Fmt<Tenant>;
    intro: Fmt<Tenant & { tier: string | null }>;
    messageLabel: string;
    button: string;
    validUntil: Fmt<{ date: string }>;
    ignore: string;
  };
  staff_invite: {
    subject: Fmt<Tenant>;
    preheader: Fmt<Tenant>;
    heading: Fmt<Tenant>;
    intro: Fmt<Tenant & { role: string }>;
    roles: Record<'owner' | 'admin' | 'manager' | 'viewer', string>;
    button: string;
    validUntil: Fmt<{ date: string }>;
    ignore: string;
  };
  new_device: {
    subject: Fmt<Tenant>;
    preheader: Fmt<Tenant>;
    heading: string;
    intro: Fmt<Tenant>;
    when: string;
    device: string;
    ip: string;
    location: string;
    ifYou: string;
    ifNotYou: string;
    button: string;
  };
}

/** Languages with their own strings; every other locale reads English. */
export const MAIL_LANGUAGES = { en, de } as const satisfies Record<string, MailStrings>;
/** A language with its own strings table. */
export type MailLanguage = keyof typeof MAIL_LANGUAGES;

/** The strings to use for `locale`, and the locale to format dates and numbers with. */
export interface ResolvedMailLocale {
  language: MailLanguage;
  strings: MailStrings;
  /** `locale` itself when its language has strings (`de-AT` keeps Austrian month names), else the fallback `en`. */
  intlLocale: string;
}

/**
 * Picks the strings for a locale tag: its language when we have it (`de`,
 * `de-AT`, `DE`), English otherwise. Dates are formatted in the same language
 * as the text around them, so a `fr` mail gets English dates too.
 */
export function resolveMailLocale(locale: string | null | undefined): ResolvedMailLocale {
  let canonical: string | undefined;
  try {
    canonical = locale ? Intl.getCanonicalLocales(locale)[0] : undefined;
  } catch {
    // Not a well-formed BCP 47 tag: fall back below.
  }
  const language = canonical?.split('-')[0]?.toLowerCase();
  if (canonical && language && Object.hasOwn(MAIL_LANGUAGES, language)) {
    const lang = language as MailLanguage;
    return { language: lang, strings: MAIL_LANGUAGES[lang], intlLocale: canonical };
  }
  return { language: 'en', strings: en, intlLocale: 'en' };
}
