import type { Context } from 'hono';
import type { AppEnv } from '../../lib/context.js';
import { enforceRateLimits } from '../../middleware/rate-limit.js';

/**
 * Counts one sign-in or sign-up attempt against the client IP's and the email's
 * budgets for `action` (`config.authRateLimit`, 5 per 10 seconds by default), as
 * the policies `"<action>-per-ip"` and `"<action>-per-email"`; 429 with the
 * `Retry-After` after which the attempt goes through past either. The email's
 * remainder is not reported until it refuses: it counts other clients' attempts.
 */
export async function limitAuthAttempt<E extends AppEnv>(
  c: Context<E>,
  action: string,
  tenantId: string,
  email: string,
): Promise<void> {
  const { clientIp, config } = c.var.deps;
  const { limit, windowSeconds } = config.authRateLimit;
  await enforceRateLimits(c, [
    { policy: `${action}-per-ip`, key: `auth:${action}:ip:${clientIp?.(c) ?? 'unknown'}`, limit, windowSeconds },
    // Everyone trying this address shares its budget: its remainder is shown only when it refuses.
    {
      policy: `${action}-per-email`,
      key: `auth:${action}:email:${tenantId}:${email.trim().toLowerCase()}`,
      limit,
      windowSeconds,
      shared: true,
    },
  ]);
}
