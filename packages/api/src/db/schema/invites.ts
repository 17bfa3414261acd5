import { sql } from 'drizzle-orm';
import { foreignKey, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { redactorPolicy, tenantIdColumn, tenantIsolationPolicy } from './roles.js';
import { tenants } from './tenants.js';
import { tiers } from './tiers.js';
import { timestamptz } from './timestamps.js';

export const INVITE_STATUSES = ['pending', 'accepted', 'revoked'] as const;

/** Invitations to join a tenant. Only the SHA-256 of each single-use token is stored. */
export const invites = pgTable(
  'invites',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    email: text('email').notNull(),
    tierId: text('tier_id'),
    message: text('message'),
    tokenHash: text('token_hash').notNull(),
    status: text('status', { enum: INVITE_STATUSES }).notNull().default('pending'),
    expiresAt: timestamptz('expires_at').notNull(),
    sendCount: integer('send_count').notNull().default(1),
    lastSentAt: timestamptz('last_sent_at').notNull(),
    acceptedAt: timestamptz('accepted_at'),
    revokedAt: timestamptz('revoked_at'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'invites_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'invites_tenant_fk', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    foreignKey({
      name: 'invites_tier_fk',
      columns: [t.tenantId, t.tierId],
      foreignColumns: [tiers.tenantId, tiers.id],
    }),
    uniqueIndex('invites_token_key').on(t.tenantId, t.tokenHash),
    // One pending invite per address at a time: inviting again means resending.
    uniqueIndex('invites_pending_email_key').on(t.tenantId, sql`lower(${t.email})`).where(sql`${t.status} = 'pending'`),
    index('invites_tenant_status_idx').on(t.tenantId, t.status, t.id),
    tenantIsolationPolicy(t.tenantId),
    redactorPolicy('invites_redactor_read', t.tenantId, 'select'),
  ],
).enableRLS();

export type InviteRow = typeof invites.$inferSelect;
