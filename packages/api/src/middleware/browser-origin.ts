import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../lib/context.js';
import { ApiError, defineErrorCodes } from '../lib/errors.js';

const ALLOW_HEADERS =
  'Authorization, Content-Type, Idempotency-Key, If-None-Match, X-Memberkit-Publishable-Key, X-Request-Id';
// ETag: the SDK revalidates the public config with If-None-Match from the tenant's site.
const EXPOSE_HEADERS = 'X-Request-Id, ETag, RateLimit, RateLimit-Policy, Retry-After';

/**
 * CORS for browser credentials (publishable keys and member tokens). Preflights
 * carry no credential, so they are answered for any origin; the real request
 * gets `Access-Control-Allow-Origin` only when its origin is one the credential
 * allows (a publishable key's own origins or else the tenant's; for a member or staff
 * token, the tenant's and those of the key its session signed in through), and a 403
 * `ORIGIN_NOT_ALLOWED` otherwise. Secret keys get no CORS grant at all: they never
 * belong in a browser.
 */
export const preflight = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header('origin');
  if (c.req.method !== 'OPTIONS' || !origin || !c.req.header('access-control-request-method')) return next();
  return c.body(null, 204, {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE',
    'Access-Control-Allow-Headers': ALLOW_HEADERS,
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  });
});

/** Errors of the origin check. */
export const OriginErrors = defineErrorCodes({
  ORIGIN_NOT_ALLOWED: { status: 403, title: 'Origin not allowed' },
});

/** The CORS headers that let the page at `origin` read a response. */
function corsGrant(origin: string): Record<string, string> {
  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': EXPOSE_HEADERS, Vary: 'Origin' };
}

/**
 * After authentication: checks the Origin of browser-credential requests and grants CORS to allowed ones.
 *
 * A refused origin gets 403 `ORIGIN_NOT_ALLOWED` readable by that page (with a CORS grant for the
 * refusal alone), so a widget can tell its site owner to add the origin in settings instead of
 * showing a network error. It reveals nothing: the body says only that this origin is not allowed,
 * which the browser would enforce anyway, and no route ran.
 */
export const browserOrigin = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header('origin');
  const credential = c.var.credential;
  if (!origin || !credential || credential.type === 'secret_key' || credential.type === 'platform') return next();
  if (!credential.allowedOrigins.includes(origin)) {
    const through =
      credential.type === 'publishable_key'
        ? 'this publishable key'
        : 'this tenant or the publishable key the session signed in through';
    throw new ApiError(
      OriginErrors.ORIGIN_NOT_ALLOWED,
      `The origin ${origin} is not allowed for ${through}; add it to the key's or the tenant's allowed_origins.`,
      {
        headers: corsGrant(origin),
      },
    );
  }
  await next();
  for (const [name, value] of Object.entries(corsGrant(origin))) {
    if (name === 'Vary') c.res.headers.append(name, value);
    else c.res.headers.set(name, value);
  }
});
