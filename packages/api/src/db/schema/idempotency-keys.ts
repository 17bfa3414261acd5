import { sql } from 'drizzle-orm';
import { integer, jsonb, pgPolicy, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { platformRole, tenantIdColumn, tenantIsolationPolicy } from './roles.js';
import { timestamptz } from './timestamps.js';

const idempotencyColumns = () => ({
  key: text('key').notNull(),
  /** SHA-256 of method, path and body: the same key with another request is refused. */
  fingerprint: text('fingerprint').notNull(),
  /**
   * Who holds the key while its first request runs: the request's liveness
   * marker (see db/liveness.ts). A key whose marker is no longer live was left
   * by a request that died, and is claimed again at once. Null on older rows.
   */
  owner: text('owner'),
  /** Null while the first request is still running. */
  responseStatus: integer('response_status'),
  responseBody: text('response_body'),
  responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
  createdAt: timestamptz('created_at').notNull().default(sql`now()`),
  completedAt: timestamptz('completed_at'),
});

/** Stored responses of POSTs sent with an `Idempotency-Key`, per tenant. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  { tenantId: tenantIdColumn(), ...idempotencyColumns() },
  (t) => [
    primaryKey({ name: 'idempotency_keys_pkey', columns: [t.tenantId, t.key] }),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/** The same for platform-operator requests, which belong to no tenant. */
export const platformIdempotencyKeys = pgTable('platform_idempotency_keys', { ...idempotencyColumns() }, (t) => [
  primaryKey({ name: 'platform_idempotency_keys_pkey', columns: [t.key] }),
  pgPolicy('platform_all', { as: 'permissive', for: 'all', to: platformRole, using: sql`true`, withCheck: sql`true` }),
]).enableRLS();
