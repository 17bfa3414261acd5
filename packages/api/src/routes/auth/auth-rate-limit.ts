import type { Context } from 'hono';
import type { AppEnv } from '../../lib/context.js';
import { ApiError, CommonErrors } from '../../lib/errors.js';

/**
 * Counts one sign-in or sign-up attempt against the IP's and the email's budgets
 * (`config.authRateLimit`, 5 per 10 seconds by default); 429 with Retry-After past either.
 */
export async function limitAuthAttempt(c: Context<AppEnv>, action: string, tenantId: string, email: string): Promise<void> {
  const { rateLimits, clock, clientIp, config } = c.var.deps;
  const LIMIT = config.authRateLimit.limit;
  const WINDOW_MS = config.authRateLimit.windowSeconds * 1000;
  const now = clock.now().getTime();
  const keys = [`auth:${action}:ip:${clientIp?.(c) ?? 'unknown'}`, `auth:${action}:email:${tenantId}:${email.trim().toLowerCase()}`];
  for (const key of keys) {
    const window = await rateLimits.hit(key, WINDOW_MS, now);
    if (window.count > LIMIT) {
      const retry = Math.max(1, Math.ceil((window.resetAt - now) / 1000));
      throw new ApiError(CommonErrors.RATE_LIMITED, `Too many attempts; wait ${retry} s and try again.`, { headers: { 'Retry-After': String(retry) } });
    }
  }
}
