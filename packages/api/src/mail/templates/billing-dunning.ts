import type { MailBlock } from './layout.js';
import type { MailLanguage, MailStrings } from './strings.js';

type MailDate = Date | string;

/** `billing_payment_failed`: a renewal charge failed; the member pays on Stripe's hosted invoice page. */
export interface PaymentFailedData {
  first_name?: string | null;
  tier_name?: string | null;
  /** Amount due in minor units of `currency`. */
  amount: number;
  currency: string;
  /** Stripe's hosted invoice page, where the member can pay with another card. */
  invoice_url?: string | null;
  /** When Stripe tries again; none when it will not. */
  next_attempt_at?: MailDate | null;
}

/** `billing_card_expiring`: the card renewals are charged to expires soon. */
export interface CardExpiringData {
  first_name?: string | null;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  /** Where the member updates the card (the tenant's billing page); no button without it. */
  manage_url?: string | null;
}

/** `billing_renewal_reminder`: a yearly membership renews soon. */
export interface RenewalReminderData {
  first_name?: string | null;
  tier_name?: string | null;
  amount: number;
  currency: string;
  renews_at: MailDate;
  manage_url?: string | null;
}

/** What the dunning builders need of render.ts's context. */
export interface DunningContext {
  t: MailStrings;
  language: MailLanguage;
  tenant: string;
  date(value: MailDate): string;
  link(value: string, field: string): string;
}

interface Built {
  subject: string;
  preheader: string;
  heading: string;
  blocks: MailBlock[];
}

interface Strings {
  failed: {
    subject: (p: { tenant: string }) => string;
    preheader: (p: { amount: string }) => string;
    heading: string;
    intro: (p: { tenant: string; amount: string; tier: string | null }) => string;
    retry: (p: { date: string }) => string;
    noRetry: string;
    button: string;
    ignore: string;
  };
  expiring: {
    subject: (p: { tenant: string }) => string;
    preheader: (p: { card: string }) => string;
    heading: string;
    intro: (p: { tenant: string; card: string; expiry: string }) => string;
    action: string;
    button: string;
  };
  renewal: {
    subject: (p: { tenant: string }) => string;
    preheader: (p: { date: string }) => string;
    heading: string;
    intro: (p: { tenant: string; tier: string | null; date: string; amount: string }) => string;
    change: string;
    button: string;
  };
}

const STRINGS: Record<MailLanguage, Strings> = {
  en: {
    failed: {
      subject: ({ tenant }) => `Your ${tenant} payment did not go through`,
      preheader: ({ amount }) => `We could not charge ${amount}. Please update your payment.`,
      heading: 'Your payment did not go through',
      intro: ({ tenant, amount, tier }) =>
        tier
          ? `We could not charge ${amount} for your ${tier} membership with ${tenant}.`
          : `We could not charge ${amount} for your membership with ${tenant}.`,
      retry: ({ date }) => `We will try again on ${date}. You can also pay now with another card.`,
      noRetry: 'Please pay the open invoice to keep your membership.',
      button: 'Pay invoice',
      ignore: 'If you have already paid, you can ignore this email.',
    },
    expiring: {
      subject: ({ tenant }) => `Your card for ${tenant} expires soon`,
      preheader: ({ card }) => `${card} expires soon. Update it to keep your membership.`,
      heading: 'Your card expires soon',
      intro: ({ tenant, card, expiry }) =>
        `The card your ${tenant} membership is charged to (${card}) expires at the end of ${expiry}.`,
      action: 'Please add a new card before then so your membership continues without interruption.',
      button: 'Update payment method',
    },
    renewal: {
      subject: ({ tenant }) => `Your ${tenant} membership renews soon`,
      preheader: ({ date }) => `Your membership renews on ${date}.`,
      heading: 'Your membership renews soon',
      intro: ({ tenant, tier, date, amount }) =>
        tier
          ? `Your ${tier} membership with ${tenant} renews on ${date}; we will charge ${amount}.`
          : `Your membership with ${tenant} renews on ${date}; we will charge ${amount}.`,
      change: 'Nothing to do if you want to continue. You can change or cancel your plan before then.',
      button: 'Manage membership',
    },
  },
  de: {
    failed: {
      subject: ({ tenant }) => `Ihre Zahlung an ${tenant} ist fehlgeschlagen`,
      preheader: ({ amount }) => `Wir konnten ${amount} nicht abbuchen. Bitte aktualisieren Sie Ihre Zahlung.`,
      heading: 'Ihre Zahlung ist fehlgeschlagen',
      intro: ({ tenant, amount, tier }) =>
        tier
          ? `Wir konnten ${amount} für Ihre Mitgliedschaft „${tier}“ bei ${tenant} nicht abbuchen.`
          : `Wir konnten ${amount} für Ihre Mitgliedschaft bei ${tenant} nicht abbuchen.`,
      retry: ({ date }) =>
        `Wir versuchen es am ${date} erneut. Sie können auch jetzt mit einer anderen Karte bezahlen.`,
      noRetry: 'Bitte bezahlen Sie die offene Rechnung, damit Ihre Mitgliedschaft bestehen bleibt.',
      button: 'Rechnung bezahlen',
      ignore: 'Falls Sie bereits bezahlt haben, können Sie diese E-Mail ignorieren.',
    },
    expiring: {
      subject: ({ tenant }) => `Ihre Karte für ${tenant} läuft bald ab`,
      preheader: ({ card }) => `${card} läuft bald ab. Aktualisieren Sie sie, damit Ihre Mitgliedschaft weiterläuft.`,
      heading: 'Ihre Karte läuft bald ab',
      intro: ({ tenant, card, expiry }) =>
        `Die Karte, über die Ihre Mitgliedschaft bei ${tenant} abgerechnet wird (${card}), läuft Ende ${expiry} ab.`,
      action: 'Bitte hinterlegen Sie vorher eine neue Karte, damit Ihre Mitgliedschaft ohne Unterbrechung weiterläuft.',
      button: 'Zahlungsmethode aktualisieren',
    },
    renewal: {
      subject: ({ tenant }) => `Ihre Mitgliedschaft bei ${tenant} verlängert sich bald`,
      preheader: ({ date }) => `Ihre Mitgliedschaft verlängert sich am ${date}.`,
      heading: 'Ihre Mitgliedschaft verlängert sich bald',
      intro: ({ tenant, tier, date, amount }) =>
        tier
          ? `Ihre Mitgliedschaft „${tier}“ bei ${tenant} verlängert sich am ${date}; wir buchen ${amount} ab.`
          : `Ihre Mitgliedschaft bei ${tenant} verlängert sich am ${date}; wir buchen ${amount} ab.`,
      change: 'Wenn Sie weitermachen möchten, ist nichts zu tun. Sie können Ihren Tarif vorher ändern oder kündigen.',
      button: 'Mitgliedschaft verwalten',
    },
  },
};

/**
 * An amount of minor units as money in the mail's language (`12,00 €`, `¥1,200`).
 * Exact for display: the division by the currency's minor units happens once, here.
 */
export function formatMoney(amount: number, currency: string, language: MailLanguage): string {
  const code = currency.toUpperCase();
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat(language, { style: 'currency', currency: code });
  } catch {
    return `${amount} ${code}`;
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

function greeting(t: MailStrings, firstName: string | null | undefined): MailBlock[] {
  const name = firstName?.replace(/\s+/g, ' ').trim();
  return name ? [{ kind: 'paragraph', text: t.common.greeting({ name }) }] : [];
}

function action(t: MailStrings, label: string, url: string): MailBlock {
  return { kind: 'action', label, url, fallback: t.common.buttonFallback };
}

/** The "payment failed" mail. */
export function buildPaymentFailed(data: PaymentFailedData, ctx: DunningContext): Built {
  const s = STRINGS[ctx.language].failed;
  const amount = formatMoney(data.amount, data.currency, ctx.language);
  const tier = data.tier_name?.trim() || null;
  return {
    subject: s.subject({ tenant: ctx.tenant }),
    preheader: s.preheader({ amount }),
    heading: s.heading,
    blocks: [
      ...greeting(ctx.t, data.first_name),
      { kind: 'paragraph', text: s.intro({ tenant: ctx.tenant, amount, tier }) },
      {
        kind: 'paragraph',
        text: data.next_attempt_at ? s.retry({ date: ctx.date(data.next_attempt_at) }) : s.noRetry,
      },
      ...(data.invoice_url ? [action(ctx.t, s.button, ctx.link(data.invoice_url, 'invoice_url'))] : []),
      { kind: 'paragraph', text: s.ignore, muted: true },
    ],
  };
}

/** The "card expiring" mail. */
export function buildCardExpiring(data: CardExpiringData, ctx: DunningContext): Built {
  const s = STRINGS[ctx.language].expiring;
  const brand = data.brand ? data.brand.charAt(0).toUpperCase() + data.brand.slice(1) : '';
  const card = `${brand} •••• ${data.last4}`.trim();
  const expiry = `${String(data.exp_month).padStart(2, '0')}/${data.exp_year}`;
  return {
    subject: s.subject({ tenant: ctx.tenant }),
    preheader: s.preheader({ card }),
    heading: s.heading,
    blocks: [
      ...greeting(ctx.t, data.first_name),
      { kind: 'paragraph', text: s.intro({ tenant: ctx.tenant, card, expiry }) },
      { kind: 'paragraph', text: s.action },
      ...(data.manage_url ? [action(ctx.t, s.button, ctx.link(data.manage_url, 'manage_url'))] : []),
    ],
  };
}

/** The "renewal reminder" mail. */
export function buildRenewalReminder(data: RenewalReminderData, ctx: DunningContext): Built {
  const s = STRINGS[ctx.language].renewal;
  const amount = formatMoney(data.amount, data.currency, ctx.language);
  const date = ctx.date(data.renews_at);
  const tier = data.tier_name?.trim() || null;
  return {
    subject: s.subject({ tenant: ctx.tenant }),
    preheader: s.preheader({ date }),
    heading: s.heading,
    blocks: [
      ...greeting(ctx.t, data.first_name),
      { kind: 'paragraph', text: s.intro({ tenant: ctx.tenant, tier, date, amount }) },
      { kind: 'paragraph', text: s.change },
      ...(data.manage_url ? [action(ctx.t, s.button, ctx.link(data.manage_url, 'manage_url'))] : []),
    ],
  };
}
