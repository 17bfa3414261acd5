import { createMiddleware } from 'hono/factory';
import { resolveBearerToken } from '../access/resolve-credential.js';
import type { AppEnv } from '../lib/context.js';
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
 * (`requireCredential`).
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

  const credential = await resolveBearerToken(c.var.deps, token);
  if (!credential) throw unauthenticated('The credential is invalid, expired or revoked.');
  c.set('credential', credential);
  return next();
});
