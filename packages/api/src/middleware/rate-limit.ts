import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../lib/context.js';
import { ApiError, CommonErrors } from '../lib/errors.js';
import type { RateLimitDecision } from './rate-limit-store.js';

/** One quota a request is counted against: a named policy, and the key (partition) it is counted under. */
export interface RateLimitCheck {
  /** The policy's name in the `RateLimit-Policy` and `RateLimit` fields, e.g. `"login-per-ip"`. */
  policy: string;
  /** The store key; several keys may share a policy (one per client IP, say). */
  key: string;
  limit: number;
  windowSeconds: number;
  /**
   * The key is shared with other clients (one per email address, say): what remains
   * would tell this client about the others' attempts, so `RateLimit` reports it only
   * when it refuses the request.
   */
  shared?: boolean;
}

/** What one limiter found for the request, reported in the response's headers. */
export interface RateLimitReport {
  check: RateLimitCheck;
  decision: RateLimitDecision;
}

/**
 * The fields of draft-ietf-httpapi-ratelimit-headers for the limiters a request
 * met: `RateLimit-Policy` names each policy with its quota and window, and
 * `RateLimit` says what is left of each (`r`) and for how many seconds no more
 * than that is available (`t`). A refused request reports only the policies that
 * refused it, so `Retry-After` (the longest of their `t`) never ends before their
 * effective windows, and a quota that had room is not read as the reason; a quota
 * shared with other clients is reported only when it refuses.
 * @example
 * RateLimit-Policy: "api";q=1000;w=10, "login-per-ip";q=5;w=10
 * RateLimit: "login-per-ip";r=0;t=4
 */
export function rateLimitHeaders(reports: readonly RateLimitReport[]): Record<string, string> {
  if (reports.length === 0) return {};
  const refused = reports.filter((r) => r.decision.exceeded);
  const seconds = (ms: number) => Math.ceil(ms / 1000);
  const headers: Record<string, string> = {
    'RateLimit-Policy': reports
      .map(({ check }) => `"${check.policy}";q=${check.limit};w=${check.windowSeconds}`)
      .join(', '),
  };
  const current = refused.length > 0 ? refused : reports.filter((r) => !r.check.shared);
  if (current.length > 0)
    headers.RateLimit = current
      .map(({ check, decision }) => `"${check.policy}";r=${decision.remaining};t=${seconds(decision.resetMs)}`)
      .join(', ');
  if (refused.length > 0)
    headers['Retry-After'] = String(Math.max(1, ...refused.map((r) => seconds(r.decision.resetMs))));
  return headers;
}

/**
 * Counts the request against every check, all or none, and records the outcome for
 * the response's headers; throws 429 with `Retry-After` (the time after which the
 * same request succeeds) when any check has no room. Route-level limiters (sign-in,
 * OIDC start) call this; the general per-credential limit is {@link rateLimit}.
 */
export async function enforceRateLimits<E extends AppEnv>(
  c: Context<E>,
  checks: readonly RateLimitCheck[],
): Promise<void> {
  const { rateLimits, clock } = c.var.deps;
  const decisions = await rateLimits.consume(
    checks.map((check) => ({ key: check.key, rule: { limit: check.limit, windowMs: check.windowSeconds * 1000 } })),
    clock.now().getTime(),
  );
  const reports = checks.map((check, i) => ({ check, decision: decisions[i]! }));
  const all = [...(c.get('rateLimitReports') ?? []), ...reports];
  c.set('rateLimitReports', all);
  const refused = reports.filter((r) => r.decision.exceeded);
  if (refused.length === 0) return;
  const headers = rateLimitHeaders(all);
  const policies = refused.map((r) => `${r.check.limit} requests per ${r.check.windowSeconds} s`).join(' and ');
  throw new ApiError(
    CommonErrors.RATE_LIMITED,
    `Rate limit of ${policies} exceeded; retry in ${headers['Retry-After']} s.`,
    { headers },
  );
}

/**
 * The general rate limit: per credential (per client IP when unauthenticated), over
 * a sliding window. Every `/v1` response carries the `RateLimit-Policy` and
 * `RateLimit` fields of the limiters it met (this one and any the route applied);
 * 429 past a limit.
 */
export const rateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const { config, clientIp } = c.var.deps;
  const credential = c.var.credential;
  const key = credential ? `cred:${credential.id}` : `ip:${clientIp?.(c) ?? 'unknown'}`;
  await enforceRateLimits(c, [{ policy: 'api', key, ...config.rateLimit }]);
  await next();
  // A route's own limiter may have refused the request (its 429 already carries these) or let it through.
  for (const [name, value] of Object.entries(rateLimitHeaders(c.get('rateLimitReports') ?? [])))
    c.res.headers.set(name, value);
});
