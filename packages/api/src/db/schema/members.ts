import { sql } from 'drizzle-orm';
import { foreignKey, index, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { redactorPolicy, tenantIdColumn, tenantIsolationPolicy } from './roles.js';
import { MEMBER_SOURCES } from './membership-daily.js';
import { tenants } from './tenants.js';
import { tiers } from './tiers.js';
import { auditTimestamps, timestamptz } from './timestamps.js';

export const MEMBER_STATUSES = ['pending', 'active', 'inactive', 'suspended'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** Members of a tenant. */
export const members = pgTable(
  'members',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    email: text('email').notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    status: text('status', { enum: MEMBER_STATUSES }).notNull().default('pending'),
    tierId: text('tier_id'),
    customFields: jsonb('custom_fields').$type<Record<string, unknown>>().notNull().default({}),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    lastActiveAt: timestamptz('last_active_at'),
    /** How the member came (sign-up, invite, import, staff, API, OIDC): growth by source. */
    source: text('source', { enum: MEMBER_SOURCES }).notNull().default('staff'),
    /** The tier the member joined with: retention cohorts by tier are counted by it. */
    joinTierId: text('join_tier_id'),
    ...auditTimestamps(),
    deletedAt: timestamptz('deleted_at'),
    /** Lower-cased names and email, for trigram search (maintained by Postgres). */
    searchText: text('search_text')
      .notNull()
      .generatedAlwaysAs(sql`lower(first_name || ' ' || last_name || ' ' || email)`),
  },
  (t) => [
    primaryKey({ name: 'members_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'members_tenant_fk', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    foreignKey({
      name: 'members_tier_fk',
      columns: [t.tenantId, t.tierId],
      foreignColumns: [tiers.tenantId, tiers.id],
    }),
    // Soft-deleted members free their email; restoring one whose email was taken again fails with 409.
    uniqueIndex('members_tenant_email_key').on(t.tenantId, sql`lower(${t.email})`).where(sql`${t.deletedAt} is null`),
    index('members_tenant_created_idx').on(t.tenantId, t.createdAt, t.id),
    index('members_tenant_status_idx').on(t.tenantId, t.status, t.createdAt, t.id),
    index('members_tenant_tier_idx').on(t.tenantId, t.tierId, t.createdAt, t.id),
    index('members_tenant_last_name_idx').on(t.tenantId, t.lastName, t.id),
    index('members_tenant_email_sort_idx').on(t.tenantId, sql`lower(${t.email})`, t.id),
    // Never-active members sort as the oldest activity: keyset pagination needs a total order without NULLs.
    index('members_tenant_last_active_idx').on(
      t.tenantId,
      sql`coalesce(${t.lastActiveAt}, '-infinity'::timestamptz)`,
      t.id,
    ),
    index('members_tenant_deleted_idx').on(t.tenantId, t.deletedAt).where(sql`${t.deletedAt} is not null`),
    // btree_gin lets tenant_id lead the GIN indexes too.
    index('members_tenant_search_trgm_idx').using('gin', t.tenantId, sql`${t.searchText} gin_trgm_ops`),
    index('members_tenant_tags_idx').using('gin', t.tenantId, t.tags),
    index('members_tenant_custom_fields_idx').using('gin', t.tenantId, sql`${t.customFields} jsonb_path_ops`),
    tenantIsolationPolicy(t.tenantId),
    redactorPolicy('members_redactor_read', t.tenantId, 'select'),
  ],
).enableRLS();

export type MemberRow = typeof members.$inferSelect;
