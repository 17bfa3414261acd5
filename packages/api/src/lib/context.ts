import type { AppDeps } from '../deps.js';
import type { Credential } from '../access/credential.js';
import type { StaffCredential } from '../access/require-credential.js';
import type { RateLimitReport } from '../middleware/rate-limit.js';

/** Hono environment shared by every route: per-request variables set by middleware. */
export interface AppEnv {
  Variables: {
    requestId: string;
    deps: AppDeps;
    /** The verified credential of the request, or null when none was sent. */
    credential: Credential | null;
    /** The credential a route's `requirePermission` middleware accepted. */
    auth: StaffCredential | undefined;
    /** What each rate limiter the request met found, for the `RateLimit` response headers. */
    rateLimitReports: RateLimitReport[] | undefined;
  };
}
