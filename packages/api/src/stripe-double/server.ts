import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyExpand } from './expand.js';
import { parseForm } from './form.js';
import type { Router } from './router.js';
import type { DoubleState } from './state.js';
import { StripeDoubleError, type Obj } from './types.js';

interface StoredResponse {
  fingerprint: string;
  status: number;
  body: string;
}

/** An HTML or PDF page answer (hosted checkout, invoice pages). */
export interface PageResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** Hosted pages: anything outside `/v1/` (null: not a page → 404). */
export type PageHandler = (method: string, url: URL, form: Record<string, string>) => PageResponse | null;

/**
 * The HTTP face of the double: authenticates `Authorization: Bearer sk_…`,
 * switches to the `Stripe-Account` namespace, replays `Idempotency-Key`s,
 * parses form bodies, routes, applies `expand[]` and answers Stripe's JSON
 * (errors in Stripe's shape). Paths outside `/v1/` go to the hosted pages.
 */
export function createRequestListener(state: DoubleState, router: Router, pages: PageHandler) {
  const idempotency = new Map<string, StoredResponse>();

  return async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', state.url);
    const method = (req.method ?? 'GET').toUpperCase();

    if (!url.pathname.startsWith('/v1/')) {
      const form = Object.fromEntries(new URLSearchParams(body));
      let page: PageResponse | null;
      try {
        page = pages(method, url, form);
      } catch (error) {
        page = { status: 400, headers: { 'content-type': 'text/plain' }, body: String((error as Error).message) };
      }
      const answer = page ?? { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not found' };
      res.writeHead(answer.status, answer.headers).end(answer.body);
      return;
    }

    const send = (status: number, json: string, headers: Record<string, string> = {}) => {
      res
        .writeHead(status, {
          'content-type': 'application/json',
          'request-id': `req_${createHash('sha1').update(`${Math.random()}`).digest('hex').slice(0, 14)}`,
          ...headers,
        })
        .end(json);
    };

    try {
      const key = bearer(req.headers.authorization);
      const keyAccount = key ? state.keys.get(key) : undefined;
      if (!key)
        throw new StripeDoubleError(
          401,
          'invalid_request_error',
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
        );
      if (!keyAccount)
        throw new StripeDoubleError(401, 'invalid_request_error', `Invalid API Key provided: ${redact(key)}`, {
          code: 'api_key_invalid',
        });
      const account = resolveAccount(state, keyAccount, key, header(req.headers['stripe-account']));

      const idempotencyKey = method === 'POST' ? header(req.headers['idempotency-key']) : undefined;
      const scope = `${key}|${account}|${idempotencyKey}`;
      const fingerprint = `${method} ${url.pathname} ${body}`;
      if (idempotencyKey) {
        const previous = idempotency.get(scope);
        if (previous) {
          if (previous.fingerprint !== fingerprint)
            throw new StripeDoubleError(
              400,
              'idempotency_error',
              `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
            );
          send(previous.status, previous.body, { 'idempotent-replayed': 'true', 'idempotency-key': idempotencyKey });
          return;
        }
      }

      const params = parseForm(method === 'POST' ? body : url.search.slice(1));
      const matched = router.match(method, url.pathname);
      let status = 200;
      let json: string;
      try {
        if (!matched)
          throw new StripeDoubleError(
            404,
            'invalid_request_error',
            `Unrecognized request URL (${method}: ${url.pathname}).`,
          );
        const result = matched.handler({ state, account, params, path: matched.path });
        const copy = structuredClone(result);
        json = JSON.stringify(applyExpand(state, account, copy, params.expand), null, 2);
      } catch (error) {
        if (!(error instanceof StripeDoubleError)) throw error;
        status = error.status;
        json = JSON.stringify(error.toJSON(), null, 2);
      }
      if (idempotencyKey) idempotency.set(scope, { fingerprint, status, body: json });
      send(status, json, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
    } catch (error) {
      if (error instanceof StripeDoubleError) send(error.status, JSON.stringify(error.toJSON(), null, 2));
      else {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        send(500, JSON.stringify({ error: { type: 'api_error', message: `Stripe double failure: ${message}` } }));
      }
    }
  };
}

/**
 * The namespace a request acts in. A platform key may name one of its connected
 * accounts in `Stripe-Account`; anything else is Stripe's 403.
 */
function resolveAccount(state: DoubleState, keyAccount: string, key: string, stripeAccount: string | undefined) {
  if (!stripeAccount || stripeAccount === keyAccount) return keyAccount;
  const target = state.accounts.get(stripeAccount);
  if (!target || target.platform !== keyAccount)
    throw new StripeDoubleError(
      403,
      'invalid_request_error',
      `The provided key '${redact(key)}' does not have access to account '${stripeAccount}' (or that account does not exist). Application access may have been revoked.`,
      { code: 'account_invalid' },
    );
  return stripeAccount;
}

/** The key from `Bearer <key>`, or from `Basic base64(<key>:)` as `curl -u sk_…:` sends it. */
function bearer(authorization: string | undefined): string | undefined {
  const match = /^(Bearer|Basic)\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return undefined;
  if (match[1]!.toLowerCase() === 'bearer') return match[2];
  return Buffer.from(match[2]!, 'base64').toString('utf8').split(':')[0] || undefined;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Stripe shows only the key's prefix and last four characters. */
export function redact(key: string): string {
  const prefix = key.slice(0, key.indexOf('_', 3) + 1);
  return `${prefix}${'*'.repeat(Math.max(0, key.length - prefix.length - 4))}${key.slice(-4)}`;
}

export type { Obj };
