import {
  buildCardExpiring,
  buildPaymentFailed,
  buildRenewalReminder,
  type CardExpiringData,
  type PaymentFailedData,
  type RenewalReminderData,
} from './billing-dunning.js';
import { safeHttpUrl } from './escape.js';
import { renderHtml, renderText, type MailBlock, type MailBrand, type MailDocument } from './layout.js';
import { buildScheduledReport, type ScheduledReportData } from './scheduled-report.js';
import { buildNotificationDigest, type NotificationDigestMailData } from './notification-digest.js';
import { resolveMailLocale, type MailLanguage, type MailStrings } from './strings.js';

/** A moment as templates take it: a `Date` or an ISO 8601 string, as stored in JSON. */
export type MailDate = Date | string;

/** `verify_email`: confirm the address of a new account. */
export interface VerifyEmailData {
  link: string;
  /** The member's first name, for the greeting; no greeting without it. */
  first_name?: string | null;
  /** A short code to type in instead of clicking, when the flow offers one. */
  code?: string | null;
  expires_at?: MailDate | null;
}

/** `magic_link`: a one-time sign-in link. */
export interface MagicLinkData {
  link: string;
  first_name?: string | null;
  code?: string | null;
  expires_at?: MailDate | null;
}

/** `password_reset`: a link to choose a new password. */
export interface PasswordResetData {
  link: string;
  first_name?: string | null;
  expires_at?: MailDate | null;
}

/** `invite`: an invitation to join the tenant. The tenant's name comes from {@link MailBrand}. */
export interface InviteMailData {
  accept_url: string;
  expires_at: MailDate;
  tier_name?: string | null;
  /** The inviter's personal note, plain text; line breaks are kept. */
  message?: string | null;
}

/** `staff_invite`: an invitation to the tenant's staff (its admins), to set a password. */
export interface StaffInviteData {
  accept_url: string;
  role: 'owner' | 'admin' | 'manager' | 'viewer';
  name?: string | null;
  expires_at?: MailDate | null;
}

/** `new_device`: a sign-in from a device not seen before. */
export interface NewDeviceData {
  signed_in_at: MailDate;
  first_name?: string | null;
  /** A readable device description, e.g. "Firefox on macOS". */
  device?: string | null;
  ip?: string | null;
  location?: string | null;
  /** Where the member reviews sessions and changes the password; no button without it. */
  manage_url?: string | null;
}

/** The data each template takes, by template name. */
export interface MailTemplateData {
  verify_email: VerifyEmailData;
  magic_link: MagicLinkData;
  password_reset: PasswordResetData;
  invite: InviteMailData;
  staff_invite: StaffInviteData;
  new_device: NewDeviceData;
  scheduled_report: ScheduledReportData;
  billing_payment_failed: PaymentFailedData;
  billing_card_expiring: CardExpiringData;
  billing_renewal_reminder: RenewalReminderData;
  notification_digest: NotificationDigestMailData;
}

/** The name of a mail template, as stored in `mail_outbox.template`. */
export type MailTemplateName = keyof MailTemplateData;

/** Every template name, for validating stored ones. */
export const MAIL_TEMPLATE_NAMES = [
  'verify_email',
  'magic_link',
  'password_reset',
  'invite',
  'staff_invite',
  'new_device',
  'scheduled_report',
  'billing_payment_failed',
  'billing_card_expiring',
  'billing_renewal_reminder',
  'notification_digest',
] as const satisfies readonly MailTemplateName[];

/** True when `name` is a template this module renders. */
export function isMailTemplateName(name: string): name is MailTemplateName {
  return (MAIL_TEMPLATE_NAMES as readonly string[]).includes(name);
}

/** A rendered mail, ready for a transport. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  /** The language the mail was written in (`en` when the requested locale has no strings). */
  language: MailLanguage;
}

/** Options of {@link renderMail}. */
export interface RenderOptions {
  /** BCP 47 tag; languages without strings fall back to English. */
  locale: string;
  brand: MailBrand;
  /** IANA time zone for dates; UTC by default, and the zone is always printed. */
  timeZone?: string;
}

/**
 * The data cannot make a mail (a link that is not http(s), an invalid date).
 * Retrying would not help: the delivery worker fails such a mail at once.
 */
export class MailRenderError extends Error {
  override readonly name = 'MailRenderError';
}

interface Context {
  t: MailStrings;
  language: MailLanguage;
  tenant: string;
  date(value: MailDate): string;
  link(value: string, field: string): string;
}

type Built = Omit<MailDocument, 'lang' | 'footer'>;

const BUILDERS: { [K in MailTemplateName]: (data: MailTemplateData[K], ctx: Context) => Built } = {
  verify_email(data, { t, tenant, date, link }) {
    const s = t.verify_email;
    return {
      subject: s.subject({ tenant }),
      preheader: s.preheader({ tenant }),
      heading: s.heading,
      blocks: [
        ...greeting(t, data.first_name),
        { kind: 'paragraph', text: s.intro({ tenant }) },
        action(t, s.button, link(data.link, 'link')),
        ...codeBlock(t, data.code),
        ...expiry(t.common.validUntil, data.expires_at, date),
        { kind: 'paragraph', text: s.ignore({ tenant }), muted: true },
      ],
    };
  },
  magic_link(data, { t, tenant, date, link }) {
    const s = t.magic_link;
    return {
      subject: s.subject({ tenant }),
      preheader: s.preheader({ tenant }),
      heading: s.heading({ tenant }),
      blocks: [
        ...greeting(t, data.first_name),
        { kind: 'paragraph', text: s.intro },
        action(t, s.button, link(data.link, 'link')),
        ...codeBlock(t, data.code),
        ...expiry(t.common.validUntil, data.expires_at, date),
        { kind: 'paragraph', text: s.ignore, muted: true },
      ],
    };
  },
  password_reset(data, { t, tenant, date, link }) {
    const s = t.password_reset;
    return {
      subject: s.subject({ tenant }),
      preheader: s.preheader,
      heading: s.heading,
      blocks: [
        ...greeting(t, data.first_name),
        { kind: 'paragraph', text: s.intro({ tenant }) },
        action(t, s.button, link(data.link, 'link')),
        ...expiry(t.common.validUntil, data.expires_at, date),
        { kind: 'paragraph', text: s.ignore, muted: true },
      ],
    };
  },
  invite(data, { t, tenant, date, link }) {
    const s = t.invite;
    const message = data.message?.trim();
    return {
      subject: s.subject({ tenant }),
      preheader: s.preheader({ tenant }),
      heading: s.heading({ tenant }),
      blocks: [
        { kind: 'paragraph', text: s.intro({ tenant, tier: data.tier_name?.trim() || null }) },
        ...(message ? [{ kind: 'quote', label: s.messageLabel, text: message } as const] : []),
        action(t, s.button, link(data.accept_url, 'accept_url')),
        ...expiry(s.validUntil, data.expires_at, date),
        { kind: 'paragraph', text: s.ignore, muted: true },
      ],
    };
  },
  staff_invite(data, { t, tenant, date, link }) {
    const s = t.staff_invite;
    return {
      subject: s.subject({ tenant }),
      preheader: s.preheader({ tenant }),
      heading: s.heading({ tenant }),
      blocks: [
        ...greeting(t, data.name),
        { kind: 'paragraph', text: s.intro({ tenant, role: s.roles[data.role] }) },
        action(t, s.button, link(data.accept_url, 'accept_url')),
        ...expiry(s.validUntil, data.expires_at, date),
        { kind: 'paragraph', text: s.ignore, muted: true },
      ],
    };
  },
  new_device(data, { t, tenant, date, link }) {
    const s = t.new_device;
    const rows: [string, string][] = [[s.when, date(data.signed_in_at)]];
    if (data.device) rows.push([s.device, data.device]);
    if (data.ip) rows.push([s.ip, data.ip]);
    if (data.location) rows.push([s.location, data.location]);
    return {
      subject: s.subject({ tenant }),
      preheader: s.preheader({ tenant }),
      heading: s.heading,
      blocks: [
        ...greeting(t, data.first_name),
        { kind: 'paragraph', text: s.intro({ tenant }) },
        { kind: 'facts', rows },
        { kind: 'paragraph', text: s.ifYou },
        { kind: 'paragraph', text: s.ifNotYou },
        ...(data.manage_url ? [action(t, s.button, link(data.manage_url, 'manage_url'))] : []),
      ],
    };
  },
  scheduled_report(data, { language, tenant }) {
    return buildScheduledReport(data, language, tenant);
  },
  billing_payment_failed: buildPaymentFailed,
  billing_card_expiring: buildCardExpiring,
  billing_renewal_reminder: buildRenewalReminder,
  notification_digest: buildNotificationDigest,
};

/**
 * Renders a template to subject, text and HTML in the locale's language with the
 * tenant's branding. Pure and runtime-neutral.
 * @throws MailRenderError when a link is not an absolute http(s) URL or a date is invalid
 * @example
 * const mail = renderMail('invite', { accept_url, expires_at, tier_name: 'Gold' }, { locale: 'de', brand: { name: 'Ruderclub', branding } });
 */
export function renderMail<K extends MailTemplateName>(
  template: K,
  data: MailTemplateData[K],
  options: RenderOptions,
): RenderedMail {
  const { language, strings, intlLocale } = resolveMailLocale(options.locale);
  const tenant = oneLine(options.brand.name);
  const formatter = dateFormatter(intlLocale, options.timeZone ?? 'UTC');
  const ctx: Context = {
    t: strings,
    language,
    tenant,
    date(value) {
      const moment = value instanceof Date ? value : new Date(value);
      if (Number.isNaN(moment.getTime()))
        throw new MailRenderError(`${template}: invalid date ${JSON.stringify(value)}`);
      return formatter.format(moment);
    },
    link(value, field) {
      const url = typeof value === 'string' ? safeHttpUrl(value) : null;
      if (!url) throw new MailRenderError(`${template}: ${field} must be an absolute http(s) URL`);
      return url;
    },
  };
  const builder = BUILDERS[template] as (data: MailTemplateData[K], ctx: Context) => Built;
  const built = builder(data, ctx);
  const doc: MailDocument = {
    ...built,
    // A subject is a header: no line breaks, whatever a tenant put in its name.
    subject: oneLine(built.subject),
    lang: language,
    footer: strings.common.footer({ tenant }),
  };
  const brand = { ...options.brand, name: tenant };
  return { subject: doc.subject, text: renderText(doc, brand), html: renderHtml(doc, brand), language };
}

function action(t: MailStrings, label: string, url: string): MailBlock {
  return { kind: 'action', label, url, fallback: t.common.buttonFallback };
}

function greeting(t: MailStrings, firstName: string | null | undefined): MailBlock[] {
  const name = firstName ? oneLine(firstName) : '';
  return name ? [{ kind: 'paragraph', text: t.common.greeting({ name }) }] : [];
}

function codeBlock(t: MailStrings, code: string | null | undefined): MailBlock[] {
  return code ? [{ kind: 'code', label: t.common.codeLabel, code }] : [];
}

function expiry(
  format: (p: { date: string }) => string,
  value: MailDate | null | undefined,
  date: (value: MailDate) => string,
): MailBlock[] {
  return value ? [{ kind: 'paragraph', text: format({ date: date(value) }), muted: true }] : [];
}

function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

function dateFormatter(locale: string, timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone,
      timeZoneName: 'short',
    });
  } catch {
    throw new MailRenderError(`unknown time zone ${JSON.stringify(timeZone)}`);
  }
}
