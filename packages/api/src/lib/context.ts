import type { RouteConfig, RouteConfigToEnv, RouteHandler } from '@hono/zod-openapi';
import type { Credential } from '../access/credential.js';
import type { AppDeps } from '../deps.js';
import type { RateLimitReport } from '../middleware/rate-limit.js';

/** Hono environment shared by every route: per-request variables set by middleware. */
export interface AppEnv {
  Variables: {
    requestId: string;
    deps: AppDeps;
    /**
     * The verified credential of the request, or null when none was sent. Behind a
     * route's `requireCredential(kinds)`, its handler sees it narrowed to those kinds.
     */
    credential: Credential | null;
    /** What each rate limiter the request met found, for the `RateLimit` response headers. */
    rateLimitReports: RateLimitReport[] | undefined;
  };
}

/**
 * The handler of route `R`: the app's environment plus what the route's middleware
 * declares (its `requireCredential` guard narrows `c.var.credential`).
 */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv & RouteConfigToEnv<R>>;
