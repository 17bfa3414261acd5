import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { AppEnv } from './context.js';
import { errorResponses } from './openapi.js';
import { rejectUnknownQuery, validationHook } from './validation.js';

/**
 * A sub-app for one resource. Every router shares this validation hook, so every
 * schema failure has the same problem+json shape, and every route it registers
 * refuses query parameters its schema does not declare (400 `UNKNOWN_QUERY_PARAMETER`,
 * documented on each operation), after the route's own middleware (authentication
 * answers first) and before its validators.
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  const router = new OpenAPIHono<AppEnv>({ strict: false, defaultHook: validationHook });
  const register = router.openapi;
  router.openapi = ((route: RouteConfig, handler: never, hook: never) =>
    register(withQueryCheck(route), handler, hook)) as typeof register;
  return router;
}

/** `route` with the unknown-query check appended to its middleware and its 400 documented. */
function withQueryCheck(route: RouteConfig): RouteConfig {
  const check = rejectUnknownQuery(route.request?.query);
  if (!check) return route;
  const own =
    route.middleware === undefined ? [] : Array.isArray(route.middleware) ? route.middleware : [route.middleware];
  return {
    ...route,
    middleware: [...own, check],
    responses: { 400: errorResponses[400], ...route.responses },
  };
}
