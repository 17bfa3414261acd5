import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../lib/context.js';
import { ApiError, CommonErrors } from '../lib/errors.js';

/**
 * Sliding-window rate limit per credential (per client IP when unauthenticated),
 * with the IETF `RateLimit-*` headers on every response and 429 past the limit.
 */
export const rateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const { rateLimits, config, clock, clientIp } = c.var.deps;
  const { limit, windowSeconds } = config.rateLimit;
  const credential = c.var.credential;
  const key = credential ? `cred:${credential.id}` : `ip:${clientIp?.(c) ?? 'unknown'}`;
  const now = clock.now().getTime();
  const window = await rateLimits.hit(key, windowSeconds * 1000, now);
  const reset = Math.max(0, Math.ceil((window.resetAt - now) / 1000));
  const headers = {
    'RateLimit-Limit': String(limit),
    'RateLimit-Remaining': String(Math.max(0, limit - window.count)),
    'RateLimit-Reset': String(reset),
  };
  if (window.count > limit) {
    throw new ApiError(CommonErrors.RATE_LIMITED, `Rate limit of ${limit} requests per ${windowSeconds} s exceeded; retry in ${reset} s.`, {
      headers: { ...headers, 'Retry-After': String(reset) },
    });
  }
  await next();
  for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
});
