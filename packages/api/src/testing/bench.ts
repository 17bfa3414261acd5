/**
 * @memberkit/api/testing/bench: the layers below HTTP, for the repository's benchmarks
 * (bench/: data generators, EXPLAIN checks, service timings, server variants). These are
 * internal modules re-exported for measurement; unlike `@memberkit/api` and
 * `@memberkit/api/testing` they carry no compatibility promise between versions.
 */
export type { TenantCredential } from '../access/credential.js';
export { createScopedDatabase, type DrizzleDb } from '../db/database.js';
export { createInProcessLiveness } from '../db/liveness.js';
export * as schema from '../db/schema/index.js';
export { createPbkdf2Hasher } from '../accounts/password-hasher.js';
export { createSecretBox, generateMasterKey, type SecretBox } from '../lib/secret-box.js';
export { encodeCursor, type CursorBinding } from '../lib/cursor.js';
export { ulidBody } from '../lib/ids.js';
export { openMigratedDatabase, prepareDevSetup } from '../runtime/bootstrap.js';
export { readNodeConfig } from '../runtime/config.js';
export { createNodeApp } from '../runtime/node-app.js';
export { getMember, listMembers, type MemberListQuery } from '../services/members.js';
export type { ServiceDeps } from '../services/service-deps.js';
export { createTenant } from '../services/tenants.js';
export { getEngagement } from '../services/analytics-engagement.js';
export { growthReport } from '../services/analytics-growth.js';
export { retentionReport } from '../services/analytics-retention.js';
export { runReport } from '../services/reports.js';
