import { sql } from 'drizzle-orm';
import { check, foreignKey, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tenantIdColumn, tenantIsolationPolicy } from './roles.js';
import { tenants } from './tenants.js';
import { timestamptz } from './timestamps.js';

/**
 * API keys of a tenant. Only the SHA-256 of the key's secret part is stored; the
 * full key is shown once, when created.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    kind: text('kind', { enum: ['secret', 'publishable'] }).notNull(),
    role: text('role', { enum: ['admin', 'manager', 'viewer'] }),
    name: text('name'),
    secretHash: text('secret_hash').notNull(),
    last4: text('last4').notNull(),
    allowedOrigins: text('allowed_origins').array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
    lastUsedAt: timestamptz('last_used_at'),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [
    primaryKey({ name: 'api_keys_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'api_keys_tenant_fk', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    check('api_keys_role_by_kind', sql`(${t.kind} = 'secret') = (${t.role} is not null)`),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

export type ApiKeyRow = typeof apiKeys.$inferSelect;
