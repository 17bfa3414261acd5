import { createRouter } from '../../lib/create-router.js';

/** Routes of the audit-log resource. */
export const auditLogRouter = createRouter();
