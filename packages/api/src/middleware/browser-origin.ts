import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../lib/context.js';
import { ApiError, CommonErrors } from '../lib/errors.js';

const ALLOW_HEADERS = 'Authorization, Content-Type, Idempotency-Key, If-None-Match, X-Memberkit-Publishable-Key, X-Request-Id';
// ETag: the SDK revalidates the public config with If-None-Match from the tenant's site.
const EXPOSE_HEADERS = 'X-Request-Id, ETag, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After';

/**
 * CORS for browser credentials (publishable keys and member tokens). Preflights
 * carry no credential, so they are answered for any origin; the real request
 * gets `Access-Control-Allow-Origin` only when its origin is one the tenant (or
 * the publishable key) allows, and a 403 otherwise. Secret keys get no CORS
 * grant at all: they never belong in a browser.
 */
export const preflight = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header('origin');
  if (c.req.method !== 'OPTIONS' || !origin || !c.req.header('access-control-request-method')) return next();
  return c.body(null, 204, {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': 'GET, POST, PATCH, DELETE',
    'Access-Control-Allow-Headers': ALLOW_HEADERS,
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  });
});

/** After authentication: checks the Origin of browser-credential requests and grants CORS to allowed ones. */
export const browserOrigin = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header('origin');
  const credential = c.var.credential;
  if (!origin || !credential || credential.type === 'secret_key' || credential.type === 'platform') return next();
  if (!credential.allowedOrigins.includes(origin)) {
    throw new ApiError(CommonErrors.PERMISSION_DENIED, `The origin ${origin} is not allowed for this tenant; add it to allowed_origins.`);
  }
  await next();
  c.res.headers.set('Access-Control-Allow-Origin', origin);
  c.res.headers.set('Access-Control-Expose-Headers', EXPOSE_HEADERS);
  c.res.headers.append('Vary', 'Origin');
});
