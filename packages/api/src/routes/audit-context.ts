import type { Context } from 'hono';
import type { CredentialEnv, StaffCredential } from '../access/require-credential.js';
import type { AppEnv } from '../lib/context.js';
import type { AuditContext } from '../services/audit-context.js';

/** The audit context of a request its route guarded for a tenant's secret key or staff user. */
export function auditContextOf<E extends AppEnv & CredentialEnv<StaffCredential>>(c: Context<E>): AuditContext {
  const credential = c.var.credential;
  return {
    actorType: credential.type === 'staff' ? 'staff' : 'api_key',
    actorId: credential.type === 'staff' ? credential.staffId : credential.id,
    requestId: c.var.requestId,
    ip: c.var.deps.clientIp?.(c) ?? null,
  };
}
