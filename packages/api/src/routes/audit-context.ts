import type { Context } from 'hono';
import { tenantAuth } from '../access/require-credential.js';
import type { AppEnv } from '../lib/context.js';
import type { AuditContext } from '../services/audit-context.js';

/** The audit context of a request made with a tenant credential. */
export function auditContextOf(c: Context<AppEnv>): AuditContext {
  const auth = tenantAuth(c);
  return {
    actorType: auth.type === 'staff' ? 'staff' : 'api_key',
    actorId: auth.type === 'staff' ? auth.staffId : auth.id,
    requestId: c.var.requestId,
    ip: c.var.deps.clientIp?.(c) ?? null,
  };
}
