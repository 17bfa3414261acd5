import { systemClock, type Clock } from '../lib/clock.js';
import { bareAddress, formatAddress, type MailMessage, type MailTransport, type SentMessage } from './transport.js';

/** A mail the dev transport kept. */
export interface DevMail {
  /** Short id for `GET /dev/mail/:id`: a counter, unique for the transport's lifetime. */
  id: string;
  messageId: string;
  sentAt: Date;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

/** A {@link MailTransport} that keeps mail in memory instead of sending it. */
export interface DevMailTransport extends MailTransport {
  /** How many mails are kept; older ones are dropped. */
  readonly capacity: number;
  /** Kept mails, newest first. */
  list(): DevMail[];
  get(id: string): DevMail | undefined;
  clear(): void;
}

/** Mails a dev transport keeps by default. */
export const DEV_MAIL_CAPACITY = 500;

/**
 * An in-memory transport for local development (`npm start` serves what it
 * holds at `/dev/mail`) and tests. It keeps the last `capacity` mails, so a
 * long-running dev server cannot grow without bound. Runtime-neutral.
 *
 * @param options.capacity how many mails to keep ({@link DEV_MAIL_CAPACITY} by default)
 * @param options.onSend   called after a mail is kept, e.g. to log where to read it
 * @example
 * const mail = createDevMailTransport({ onSend: (m) => logger.info('mail captured', { id: m.id }) });
 * await mail.send(message);
 * mail.list()[0]?.subject;
 */
export function createDevMailTransport(
  options: { capacity?: number; clock?: Clock; onSend?: (mail: DevMail) => void } = {},
): DevMailTransport {
  const capacity = options.capacity ?? DEV_MAIL_CAPACITY;
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new Error(`capacity must be a positive integer, got ${capacity}`);
  const clock = options.clock ?? systemClock;
  // Oldest first; a Map keeps insertion order, so the first key is the one to drop.
  const mails = new Map<string, DevMail>();
  let sequence = 0;

  return {
    capacity,
    async send(message: MailMessage): Promise<SentMessage> {
      const id = String(++sequence);
      const headers = { ...message.headers };
      const messageId = headerValue(headers, 'message-id') ?? `<dev-${id}@${domainOf(bareAddress(message.from))}>`;
      const mail: DevMail = {
        id,
        messageId,
        sentAt: clock.now(),
        to: formatAddress(message.to),
        from: formatAddress(message.from),
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers,
      };
      mails.set(id, mail);
      while (mails.size > capacity) mails.delete(mails.keys().next().value!);
      options.onSend?.(mail);
      return { messageId };
    },
    list: () => [...mails.values()].reverse(),
    get: (id) => mails.get(id),
    clear: () => mails.clear(),
  };
}

/** A header's value, looked up case-insensitively as mail headers are. */
export function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at >= 0 && at < address.length - 1 ? address.slice(at + 1) : 'localhost';
}
