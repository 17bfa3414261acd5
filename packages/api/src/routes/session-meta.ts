import type { Context } from 'hono';
import type { SessionMeta } from '../accounts/sessions.js';
import type { AppEnv } from '../lib/context.js';

/**
 * What a new session records about the request that opens it: the browser's user
 * agent, the client IP, and the publishable key it came through (whose allowed
 * origins then also accept the session's tokens).
 */
export function sessionMetaOf<E extends AppEnv>(c: Context<E>): SessionMeta {
  const credential = c.var.credential;
  return {
    userAgent: c.req.header('user-agent') ?? null,
    ip: c.var.deps.clientIp?.(c) ?? null,
    publishableKeyId: credential?.type === 'publishable_key' ? credential.id : null,
  };
}
