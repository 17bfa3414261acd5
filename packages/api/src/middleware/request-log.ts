import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../lib/context.js';

/**
 * One structured line per request. Logs the credential's id and tenant, never the
 * credential itself, headers or bodies.
 */
export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = performance.now();
  await next();
  const credential = c.var.credential;
  c.var.deps.logger.info('request', {
    request_id: c.var.requestId,
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    duration_ms: Math.round((performance.now() - started) * 100) / 100,
    ...(credential
      ? { credential: credential.id, ...('tenantId' in credential ? { tenant_id: credential.tenantId } : {}) }
      : {}),
  });
});
