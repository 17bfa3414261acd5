import { sql } from 'drizzle-orm';
import { foreignKey, index, integer, jsonb, pgPolicy, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { platformRole, tenantIdColumn, tenantIsolationPolicy } from './roles.js';
import { tenants } from './tenants.js';
import { timestamptz } from './timestamps.js';

/**
 * Mails to send, written in the same transaction as the action that causes
 * them; a delivery worker sends each row once.
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    template: text('template').notNull(),
    toAddress: text('to_address').notNull(),
    locale: text('locale').notNull().default('en'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status', { enum: ['pending', 'sending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamptz('next_attempt_at').notNull().default(sql`now()`),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
    sentAt: timestamptz('sent_at'),
  },
  (t) => [
    primaryKey({ name: 'mail_outbox_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'mail_outbox_tenant_fk', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
      'cascade',
    ),
    index('mail_outbox_pending_idx').on(t.tenantId, t.status, t.nextAttemptAt),
    tenantIsolationPolicy(t.tenantId),
    // The delivery worker claims pending mail of every tenant as the platform role.
    pgPolicy('mail_worker', { as: 'permissive', for: 'all', to: platformRole, using: sql`true`, withCheck: sql`true` }),
  ],
).enableRLS();
