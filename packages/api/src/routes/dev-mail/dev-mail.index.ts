import { Hono } from 'hono';
import { ApiError, CommonErrors } from '../../lib/errors.js';
import { headerValue, type DevMail, type DevMailTransport } from '../../mail/dev-transport.js';

/** One mail in the `GET /dev/mail` list. */
export interface DevMailSummary {
  id: string;
  to: string;
  subject: string;
  sent_at: string;
  /** The outbox template (`invite`, `magic_link`, …), when the mail came from the delivery worker. */
  template: string | null;
  /** Every http(s) URL in the text body, in order: what a developer or a test clicks next. */
  links: string[];
  html_url: string;
  text_url: string;
}

/**
 * Mails caught by the dev transport, for `npm start` only: mount it when (and
 * only when) the dev transport is in use, because the links it lists carry live
 * sign-in and invitation tokens. Plain Hono, deliberately not in the OpenAPI
 * contract.
 *
 * - `GET /dev/mail` → `{ data: DevMailSummary[] }`, newest first
 * - `GET /dev/mail/:id` → the HTML body, as the recipient would see it
 * - `GET /dev/mail/:id/text` → the plain-text body
 * @example
 * if (devMail) app.route('/', createDevMailRouter(devMail));
 */
export function createDevMailRouter(transport: DevMailTransport) {
  const find = (id: string): DevMail => {
    const mail = transport.get(id);
    if (!mail)
      throw new ApiError(
        CommonErrors.NOT_FOUND,
        `No mail ${id} (the dev transport keeps the last ${transport.capacity}).`,
      );
    return mail;
  };

  return new Hono()
    .get('/dev/mail', (c) => {
      const data: DevMailSummary[] = transport.list().map((mail) => ({
        id: mail.id,
        to: mail.to,
        subject: mail.subject,
        sent_at: mail.sentAt.toISOString(),
        template: headerValue(mail.headers, 'x-memberkit-template') ?? null,
        links: linksIn(mail.text),
        html_url: `/dev/mail/${mail.id}`,
        text_url: `/dev/mail/${mail.id}/text`,
      }));
      return c.json({ data });
    })
    .get('/dev/mail/:id', (c) => {
      const mail = find(c.req.param('id'));
      // The HTML is ours and escaped, but it is still a mail: no scripts, no
      // forms, no framing; images and inline styles as a mail client allows.
      c.header(
        'Content-Security-Policy',
        "default-src 'none'; img-src http: https: data:; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'none'",
      );
      c.header('Cache-Control', 'no-store');
      return c.html(mail.html);
    })
    .get('/dev/mail/:id/text', (c) => {
      const mail = find(c.req.param('id'));
      c.header('Cache-Control', 'no-store');
      return c.text(mail.text);
    });
}

/** The http(s) URLs in a text, without trailing punctuation that ends a sentence. */
export function linksIn(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s<>"']+/g)].map((match) => match[0].replace(/[.,;:!?)\]]+$/, ''));
}
