import { createMiddleware } from 'hono/factory';
import type { Credential } from '../auth/credential.js';
import { resolveAccessToken } from '../identity/token-credential.js';
import type { AppEnv } from '../lib/context.js';
import { sha256Hex, timingSafeEqual } from '../lib/crypto.js';
import { ApiError, CommonErrors } from '../lib/errors.js';

/** Reads a bearer token; null when no Authorization header was sent. */
function bearerToken(header: string | undefined): string | null | undefined {
  if (header === undefined) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : undefined;
}

/**
 * Verifies the request's credential, if any, and stores it as `credential`.
 * A credential that was sent but is malformed, unknown or revoked is refused at
 * once with 401; deciding whether a route needs one is the route's job
 * (`requirePermission`, `requirePlatform`).
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  // The OAuth token endpoint authenticates its client itself (HTTP Basic or form fields, RFC 6749 §2.3).
  if (c.req.path === '/v1/oauth/token') {
    c.set('credential', null);
    return next();
  }
  // Browsers may send the publishable key in its own header and keep Authorization for a member token.
  const token = bearerToken(
    c.req.header('authorization') ??
      (c.req.header('x-memberkit-publishable-key')
        ? `Bearer ${c.req.header('x-memberkit-publishable-key')}`
        : undefined),
  );
  if (token === null) {
    c.set('credential', null);
    return next();
  }
  const unauthenticated = (detail: string) =>
    new ApiError(CommonErrors.UNAUTHENTICATED, detail, { headers: { 'WWW-Authenticate': 'Bearer realm="memberkit"' } });
  if (token === undefined) throw unauthenticated('The Authorization header must be "Bearer <key>".');

  const { keys, config } = c.var.deps;
  let credential: Credential | null = null;
  if (token.startsWith('sk_') || token.startsWith('pk_')) {
    credential = await keys.resolve(token);
  } else if (token.startsWith('eyJ')) {
    credential = await resolveAccessToken(c.var.deps, token);
  } else if (config.platformKeyHash && timingSafeEqual(await sha256Hex(token), config.platformKeyHash)) {
    credential = { type: 'platform', id: 'platform' };
  }
  if (!credential) throw unauthenticated('The credential is invalid, expired or revoked.');
  c.set('credential', credential);
  return next();
});
