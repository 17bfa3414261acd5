import nodemailer from 'nodemailer';
import type { MailTransport } from './transport.js';

/** Connection settings of {@link createSmtpTransport}. */
export interface SmtpTransportOptions {
  host: string;
  port: number;
  /**
   * TLS from the first byte (port 465). When false the connection starts in
   * clear text and is upgraded with STARTTLS whenever the server offers it.
   */
  secure: boolean;
  auth?: { user: string; pass: string };
  /**
   * Envelope sender (SMTP `MAIL FROM`, where bounces go). Defaults to the
   * message's From address; set it when the provider wants a verified bounce
   * address that differs from what recipients see.
   */
  from?: string;
  /** Refuse to send without TLS (STARTTLS must succeed on a non-`secure` connection). */
  requireTLS?: boolean;
  /** Parallel connections of the pool. */
  maxConnections?: number;
  /**
   * Milliseconds to wait for the connection, the greeting and any socket
   * inactivity. Short on purpose: the delivery worker holds each mail's lease
   * while it sends, and nodemailer's defaults (2 min, 30 s, 10 min) would let one
   * stuck server hold a batch far longer than a retry would take.
   */
  timeoutMs?: number;
}

/** An SMTP {@link MailTransport}, with the pool's lifecycle. */
export interface SmtpTransport extends MailTransport {
  /** Connects and authenticates once, to fail fast at start-up on bad settings. */
  verify(): Promise<void>;
  /** Closes pooled connections. */
  close(): void;
}

/**
 * Sends mail over SMTP with nodemailer, through a small connection pool. Node
 * only: keep it out of anything an edge bundle imports.
 * @example
 * const transport = createSmtpTransport(smtpOptionsFromUrl(process.env.MEMBERKIT_SMTP_URL!));
 * await transport.verify();
 */
export function createSmtpTransport(options: SmtpTransportOptions): SmtpTransport {
  const timeout = options.timeoutMs ?? 15_000;
  const transporter = nodemailer.createTransport({
    pool: true,
    maxConnections: options.maxConnections ?? 4,
    host: options.host,
    port: options.port,
    secure: options.secure,
    requireTLS: options.requireTLS ?? false,
    ...(options.auth ? { auth: { user: options.auth.user, pass: options.auth.pass } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
    // nodemailer logs nothing unless asked; our worker logs one line per mail.
    logger: false,
    disableFileAccess: true,
    disableUrlAccess: true,
  });

  return {
    async send(message) {
      const info = await transporter.sendMail({
        to: message.to,
        from: message.from,
        subject: message.subject,
        text: message.text,
        html: message.html,
        ...(message.headers ? { headers: message.headers } : {}),
        ...(options.from ? { envelope: { from: options.from, to: [toAddressString(message.to)] } } : {}),
      });
      return { messageId: info.messageId };
    },
    async verify() {
      await transporter.verify();
    },
    close() {
      transporter.close();
    },
  };
}

function toAddressString(to: Parameters<MailTransport['send']>[0]['to']): string {
  return typeof to === 'string' ? to : to.address;
}

/**
 * Reads `smtp://user:pass@host:587` or `smtps://user:pass@host:465` (user and
 * password percent-encoded) into {@link SmtpTransportOptions}. `smtp://` upgrades
 * with STARTTLS when offered; add `?require_tls=1` to insist on it.
 * @throws Error when the URL is not an smtp(s) URL with a host
 */
export function smtpOptionsFromUrl(value: string): SmtpTransportOptions {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('The SMTP URL must look like smtp://user:pass@host:587 or smtps://user:pass@host:465.');
  }
  if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) {
    throw new Error('The SMTP URL must look like smtp://user:pass@host:587 or smtps://user:pass@host:465.');
  }
  const secure = url.protocol === 'smtps:';
  const user = decodeURIComponent(url.username);
  const requireTLS = ['1', 'true'].includes(url.searchParams.get('require_tls') ?? '');
  return {
    // URL keeps the brackets of an IPv6 literal; sockets want the bare address.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(user ? { auth: { user, pass: decodeURIComponent(url.password) } } : {}),
    ...(requireTLS ? { requireTLS } : {}),
  };
}
