import type { AppRouteHandler } from '../../lib/context.js';
import { issueClientCredentialsToken } from '../../access/access-tokens.js';
import { NO_STORE, oauthError } from './oauth-errors.js';
import type { tokenRoute } from './oauth.routes.js';

/** Longest client id and secret we look up (a key id and a key are far shorter). */
const MAX_ID = 64;
const MAX_SECRET = 200;

/** `application/x-www-form-urlencoded` decoding of one value; null when its percent-escapes are broken. */
function formDecode(value: string): string | null {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/**
 * The client credentials of an `Authorization` header (RFC 6749 §2.3.1: HTTP Basic
 * over the form-urlencoded id and secret). `absent` without the header; `malformed`
 * for any other scheme or a value that does not decode: never a throw.
 */
function basicCredentials(header: string | undefined): { id: string; secret: string } | 'absent' | 'malformed' {
  if (header === undefined) return 'absent';
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  if (!match) return 'malformed';
  let decoded: string;
  try {
    const binary = atob(match[1]!);
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
  } catch {
    return 'malformed';
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  const id = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  return id === null || secret === null ? 'malformed' : { id, secret };
}

/** Client-credentials grant: the client authenticates with a secret key and gets a short-lived token for it. */
export const tokenHandler: AppRouteHandler<typeof tokenRoute> = async (c) => {
  const form = c.req.valid('form');
  if (form.grant_type !== 'client_credentials')
    return oauthError(c, 'unsupported_grant_type', 'Only client_credentials is supported.');
  const basic = basicCredentials(c.req.header('authorization'));
  if (basic === 'malformed')
    return oauthError(
      c,
      'invalid_client',
      'The Authorization header must be HTTP Basic with the client id and secret (RFC 6749 §2.3.1).',
    );
  const inForm = form.client_id !== undefined || form.client_secret !== undefined;
  if (basic !== 'absent' && inForm) {
    return oauthError(
      c,
      'invalid_request',
      'Authenticate the client one way: HTTP Basic or client_id and client_secret in the body, not both.',
    );
  }
  const clientId = basic === 'absent' ? form.client_id : basic.id;
  const secret = basic === 'absent' ? form.client_secret : basic.secret;
  const invalid = () => oauthError(c, 'invalid_client', 'Unknown client or wrong secret.');
  if (!clientId || !secret || clientId.length > MAX_ID || secret.length > MAX_SECRET) return invalid();
  const credential = await c.var.deps.keys.resolve(secret);
  if (credential?.type !== 'secret_key' || credential.id !== clientId) return invalid();
  const { token, expiresIn } = await issueClientCredentialsToken(c.var.deps, credential);
  return c.json({ access_token: token, token_type: 'Bearer' as const, expires_in: expiresIn }, 200, NO_STORE);
};
