import { createRoute } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import { authenticatedErrors, errorResponses, pageOf, PaginationQuery, SECURITY } from '../../lib/openapi.js';
import { AuditEntrySchema, AuditVerificationSchema, ListAuditLogQuery } from './audit-log.schemas.js';

/** `GET /v1/audit-log` (audit_log:read). */
export const listAuditLogRoute = createRoute({
  method: 'get',
  path: '/v1/audit-log',
  operationId: 'listAuditLog',
  middleware: [requireCredential(['secret_key', 'staff'], 'audit_log:read')] as const,
  tags: ['Audit log'],
  summary: 'List audit log entries',
  description:
    "Every change made with the tenant's credentials, newest first, filtered by actor, action, target or time range. " +
    'Entries are append-only: there is no way to change or delete them. A cursor only continues the query it came from.',
  security: SECURITY.secretKey,
  request: { query: PaginationQuery.extend(ListAuditLogQuery.shape) },
  responses: {
    200: {
      description: 'A page of entries.',
      content: { 'application/json': { schema: pageOf(AuditEntrySchema, 'AuditEntryList') } },
    },
    400: errorResponses[400],
    ...authenticatedErrors,
    422: errorResponses[422],
  },
});

/** `GET /v1/audit-log/verify` (audit_log:read). */
export const verifyAuditLogRoute = createRoute({
  method: 'get',
  path: '/v1/audit-log/verify',
  operationId: 'verifyAuditLog',
  middleware: [requireCredential(['secret_key', 'staff'], 'audit_log:read')] as const,
  tags: ['Audit log'],
  summary: "Verify the audit log's hash chain",
  description:
    'Recomputes the hash of every entry from the first one and checks each link and the chain head. A changed, removed or inserted entry makes the result invalid ' +
    'and names the first entry that does not match. Reads the whole log: call it for audits, not on every page view.',
  security: SECURITY.secretKey,
  responses: {
    200: {
      description: 'The outcome of the check.',
      content: { 'application/json': { schema: AuditVerificationSchema } },
    },
    ...authenticatedErrors,
  },
});
