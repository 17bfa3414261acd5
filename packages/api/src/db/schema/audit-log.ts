import { sql } from 'drizzle-orm';
import { bigint, foreignKey, index, jsonb, pgTable, primaryKey, smallint, text } from 'drizzle-orm/pg-core';
import { redactorPolicy, tenantIdColumn, tenantIsolationPolicy } from './roles.js';
import { tenants } from './tenants.js';
import { timestamptz } from './timestamps.js';

/**
 * Append-only audit log, hash-chained per tenant: each entry stores the hash of
 * the previous one, so a changed or deleted row breaks the chain. The app roles
 * may only insert and read (see the grants migrations).
 *
 * Personal data (the diff, the actor's IP) enters the hash of a version 2 entry
 * as a salted commitment, `sha256(salt, value)`, not as itself. Erasing a member
 * (GDPR Art. 17) blanks the value and its salt in the entries about or by them
 * and sets `redacted_at`; the commitment stays, so the chain still verifies, and
 * without the salt the commitment cannot be used to confirm a guessed value.
 * Version 1 entries (written before) hash the values themselves.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    tenantId: tenantIdColumn(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    id: text('id').notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    diff: jsonb('diff').$type<Record<string, unknown>>().notNull().default({}),
    requestId: text('request_id'),
    ip: text('ip'),
    occurredAt: timestamptz('occurred_at').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    hashVersion: smallint('hash_version').notNull().default(1),
    diffCommitment: text('diff_commitment'),
    diffSalt: text('diff_salt'),
    ipCommitment: text('ip_commitment'),
    ipSalt: text('ip_salt'),
    redactedAt: timestamptz('redacted_at'),
  },
  (t) => [
    primaryKey({ name: 'audit_log_pkey', columns: [t.tenantId, t.seq] }),
    foreignKey({ name: 'audit_log_tenant_fk', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
      'cascade',
    ),
    index('audit_log_id_idx').on(t.tenantId, t.id),
    index('audit_log_occurred_idx').on(t.tenantId, t.occurredAt, t.seq),
    index('audit_log_target_idx').on(t.tenantId, t.targetId, t.seq),
    index('audit_log_action_idx').on(t.tenantId, t.action, t.seq),
    index('audit_log_actor_idx').on(t.tenantId, t.actorId, t.seq),
    tenantIsolationPolicy(t.tenantId),
    redactorPolicy('audit_log_redactor_read', t.tenantId, 'select'),
    redactorPolicy('audit_log_redactor_update', t.tenantId, 'update'),
  ],
).enableRLS();

/** The head of each tenant's audit chain; locked while appending so entries are numbered and chained one at a time. */
export const auditChainHeads = pgTable(
  'audit_chain_heads',
  {
    tenantId: tenantIdColumn(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
    lastHash: text('last_hash').notNull(),
    updatedAt: timestamptz('updated_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'audit_chain_heads_pkey', columns: [t.tenantId] }),
    foreignKey({ name: 'audit_chain_heads_tenant_fk', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
      'cascade',
    ),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

export type AuditLogRow = typeof auditLog.$inferSelect;
