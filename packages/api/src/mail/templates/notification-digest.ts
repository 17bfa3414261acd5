import type { MailBlock } from './layout.js';
import type { MailLanguage, MailStrings } from './strings.js';

/** `notification_digest`: the unread notifications of a day or a week, in one mail (see maintenance/notification-digests.ts). */
export interface NotificationDigestMailData {
  first_name?: string | null;
  frequency: 'daily' | 'weekly';
  count: number;
  items: { type: string; title: string; body?: string | null; url?: string | null; created_at: string }[];
  /** Unread notifications beyond those listed. */
  more: number;
}

/** What the digest builder needs of render.ts's context. */
export interface DigestContext {
  t: MailStrings;
  language: MailLanguage;
  tenant: string;
  date(value: Date | string): string;
}

const STRINGS: Record<
  MailLanguage,
  {
    subject: (p: { tenant: string; count: number; frequency: 'daily' | 'weekly' }) => string;
    preheader: (p: { count: number }) => string;
    heading: (p: { frequency: 'daily' | 'weekly' }) => string;
    intro: (p: { tenant: string; count: number }) => string;
    columns: [string, string];
    more: (p: { count: number }) => string;
    settings: string;
  }
> = {
  en: {
    subject: ({ tenant, count, frequency }) =>
      `${count} unread ${count === 1 ? 'notification' : 'notifications'} at ${tenant} ${frequency === 'daily' ? 'today' : 'this week'}`,
    preheader: ({ count }) => `You have ${count} unread ${count === 1 ? 'notification' : 'notifications'}.`,
    heading: ({ frequency }) => (frequency === 'daily' ? 'Your daily summary' : 'Your weekly summary'),
    intro: ({ tenant, count }) =>
      `Here is what happened at ${tenant} while you were away: ${count} unread ${count === 1 ? 'notification' : 'notifications'}.`,
    columns: ['Notification', 'When'],
    more: ({ count }) => `And ${count} more. Sign in to see them all.`,
    settings: 'You get this summary because you asked for it in your notification settings; you can change that there.',
  },
  de: {
    subject: ({ tenant, count, frequency }) =>
      `${count} ungelesene ${count === 1 ? 'Benachrichtigung' : 'Benachrichtigungen'} bei ${tenant} ${frequency === 'daily' ? 'heute' : 'diese Woche'}`,
    preheader: ({ count }) =>
      `Sie haben ${count} ungelesene ${count === 1 ? 'Benachrichtigung' : 'Benachrichtigungen'}.`,
    heading: ({ frequency }) =>
      frequency === 'daily' ? 'Ihre tägliche Zusammenfassung' : 'Ihre wöchentliche Zusammenfassung',
    intro: ({ tenant, count }) =>
      `Das ist bei ${tenant} passiert, während Sie weg waren: ${count} ungelesene ${count === 1 ? 'Benachrichtigung' : 'Benachrichtigungen'}.`,
    columns: ['Benachrichtigung', 'Wann'],
    more: ({ count }) => `Und ${count} weitere. Melden Sie sich an, um alle zu sehen.`,
    settings:
      'Sie erhalten diese Zusammenfassung, weil Sie sie in Ihren Benachrichtigungseinstellungen gewählt haben; dort können Sie das ändern.',
  },
};

/** The digest mail: a table of the listed notifications, "and N more", and why the member gets it. */
export function buildNotificationDigest(
  data: NotificationDigestMailData,
  ctx: DigestContext,
): { subject: string; preheader: string; heading: string; blocks: MailBlock[] } {
  const s = STRINGS[ctx.language];
  const name = data.first_name?.replace(/\s+/g, ' ').trim();
  return {
    subject: s.subject({ tenant: ctx.tenant, count: data.count, frequency: data.frequency }),
    preheader: s.preheader({ count: data.count }),
    heading: s.heading({ frequency: data.frequency }),
    blocks: [
      ...(name ? [{ kind: 'paragraph' as const, text: ctx.t.common.greeting({ name }) }] : []),
      { kind: 'paragraph', text: s.intro({ tenant: ctx.tenant, count: data.count }) },
      {
        kind: 'table',
        columns: [...s.columns],
        rows: data.items.map((item) => [
          item.body ? `${item.title}: ${item.body}` : item.title,
          ctx.date(item.created_at),
        ]),
      },
      ...(data.more > 0 ? [{ kind: 'paragraph' as const, text: s.more({ count: data.more }) }] : []),
      { kind: 'paragraph', text: s.settings, muted: true },
    ],
  };
}
