import { sql } from 'drizzle-orm';
import { foreignKey, index, jsonb, pgPolicy, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { platformRole, tenantIdColumn, tenantIsolationPolicy } from './roles.js';
import { tenants } from './tenants.js';
import { auditTimestamps, timestamptz } from './timestamps.js';

/**
 * Saved custom reports: a typed report spec (validated by the report compiler, stored
 * as sent) and, optionally, a schedule mailing the result to staff weekly or monthly.
 */
export const savedReports = pgTable(
  'saved_reports',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    spec: jsonb('spec').$type<Record<string, unknown>>().notNull(),
    /** `weekly` (Mondays) or `monthly` (the 1st), at 07:00 in the tenant's time zone; null: not mailed. */
    schedule: text('schedule', { enum: ['weekly', 'monthly'] }),
    /** Staff user ids the scheduled mail goes to. */
    recipients: text('recipients').array().notNull().default(sql`'{}'::text[]`),
    nextRunAt: timestamptz('next_run_at'),
    lastRunAt: timestamptz('last_run_at'),
    createdBy: text('created_by'),
    ...auditTimestamps(),
  },
  (t) => [
    primaryKey({ name: 'saved_reports_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'saved_reports_tenant_fk', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
      'cascade',
    ),
    index('saved_reports_created_idx').on(t.tenantId, t.createdAt, t.id),
    index('saved_reports_due_idx').on(t.tenantId, t.nextRunAt),
    tenantIsolationPolicy(t.tenantId),
    // The report scheduler finds due reports of every tenant as the platform role.
    pgPolicy('report_scheduler', {
      as: 'permissive',
      for: 'all',
      to: platformRole,
      using: sql`true`,
      withCheck: sql`true`,
    }),
  ],
).enableRLS();
