import { createRouter } from '../../lib/create-router.js';
import { listAuditLogHandler, verifyAuditLogHandler } from './audit-log.handlers.js';
import { listAuditLogRoute, verifyAuditLogRoute } from './audit-log.routes.js';

/**
 * `/v1/audit-log`: the tenant's tamper-evident change log. Read-only by design:
 * there are no routes to change or delete entries, and the database grants the
 * app role only SELECT and INSERT on the table.
 */
export const auditLogRouter = createRouter()
  .openapi(listAuditLogRoute, listAuditLogHandler)
  .openapi(verifyAuditLogRoute, verifyAuditLogHandler);
