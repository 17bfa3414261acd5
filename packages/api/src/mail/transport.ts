/**
 * An address as a transport takes it: a plain `ada@example.org` (or a
 * preformatted `Ada <ada@example.org>`), or a display name and an address kept
 * apart, which is the safe form for names that come from tenants: the transport
 * encodes the name, so quotes, commas or line breaks in it cannot change the header.
 */
export type MailAddress = string | { name: string; address: string };

/** One message, fully rendered. */
export interface MailMessage {
  to: MailAddress;
  from: MailAddress;
  subject: string;
  text: string;
  html: string;
  /** Extra headers, e.g. `Message-ID`, `Auto-Submitted`, `X-Memberkit-Template`. */
  headers?: Record<string, string>;
}

/** What a transport reports for a message it accepted. */
export interface SentMessage {
  /** The `Message-ID` the message went out with. */
  messageId: string;
}

/**
 * Sends mail. Implementations: {@link createSmtpTransport} (production, Node
 * only) and {@link createDevMailTransport} (in memory, for `npm start` and tests).
 * `send` resolves once the next hop accepted the message and rejects on any
 * failure; callers decide whether to retry.
 * @example
 * const { messageId } = await transport.send({ to: 'ada@example.org', from: 'no-reply@example.org', subject: 'Hi', text: 'Hi', html: '<p>Hi</p>' });
 */
export interface MailTransport {
  send(message: MailMessage): Promise<SentMessage>;
}

/** `Name <address>` for display and logs of the dev transport; not for headers (no encoding). */
export function formatAddress(address: MailAddress): string {
  return typeof address === 'string' ? address : `${address.name} <${address.address}>`;
}

/** The bare address of a {@link MailAddress} (`Ada <ada@example.org>` → `ada@example.org`). */
export function bareAddress(address: MailAddress): string {
  if (typeof address !== 'string') return address.address;
  const angle = /<([^<>]+)>\s*$/.exec(address);
  return (angle?.[1] ?? address).trim();
}
