import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../lib/context.js';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Gives every request an id: the caller's `X-Request-Id` when it is a safe token
 * (so ids can be traced across services), a new `req_…` otherwise. Echoed in the
 * response header and in every problem body.
 */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const incoming = c.req.header('x-request-id');
  const id = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : c.var.deps.ids.generate('req');
  c.set('requestId', id);
  c.header('X-Request-Id', id);
  await next();
  c.res.headers.set('X-Request-Id', id);
});
