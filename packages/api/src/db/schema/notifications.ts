import { sql } from 'drizzle-orm';
import { boolean, foreignKey, index, integer, jsonb, pgPolicy, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { members } from './members.js';
import { platformRole, tenantIdColumn, tenantIsolationPolicy } from './roles.js';
import { tenants } from './tenants.js';
import { timestamptz } from './timestamps.js';

export const NOTIFICATION_TYPES = [
  'announcement',
  'message',
  'mention',
  'membership_renewal',
  'payment_failed',
  'invitation',
  'custom',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** Email digests of unread notifications. */
export const DIGEST_FREQUENCIES = ['off', 'daily', 'weekly'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

/** One notification to one member. */
export const notifications = pgTable(
  'notifications',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    memberId: text('member_id').notNull(),
    type: text('type', { enum: NOTIFICATION_TYPES }).notNull(),
    title: text('title').notNull(),
    body: text('body'),
    /** Where the notification leads (a conversation, a post, the billing page): relative or https. */
    url: text('url'),
    /** What it is about (`{ conversation_id }`, `{ post_id }`, …). */
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    /** The staff send (`nbat_…`) it came from, if any. */
    batchId: text('batch_id'),
    readAt: timestamptz('read_at'),
    /** When it went out in an email digest (null: not yet, or the member gets none). */
    digestedAt: timestamptz('digested_at'),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'notifications_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({
      name: 'notifications_member_fk',
      columns: [t.tenantId, t.memberId],
      foreignColumns: [members.tenantId, members.id],
    }).onDelete('cascade'),
    index('notifications_member_idx').on(t.tenantId, t.memberId, t.createdAt, t.id),
    index('notifications_unread_idx').on(t.tenantId, t.memberId).where(sql`${t.readAt} is null`),
    index('notifications_batch_idx').on(t.tenantId, t.batchId),
    tenantIsolationPolicy(t.tenantId),
    // The digest worker reads and marks notifications of every tenant.
    pgPolicy('notification_worker', {
      as: 'permissive',
      for: 'all',
      to: platformRole,
      using: sql`true`,
      withCheck: sql`true`,
    }),
  ],
).enableRLS();

/** Per member and type: shown in the app, and in which email digest. Absent = in-app on, digest off. */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    tenantId: tenantIdColumn(),
    memberId: text('member_id').notNull(),
    type: text('type', { enum: NOTIFICATION_TYPES }).notNull(),
    inApp: boolean('in_app').notNull().default(true),
    emailDigest: text('email_digest', { enum: DIGEST_FREQUENCIES }).notNull().default('off'),
    updatedAt: timestamptz('updated_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'notification_preferences_pkey', columns: [t.tenantId, t.memberId, t.type] }),
    foreignKey({
      name: 'notification_preferences_member_fk',
      columns: [t.tenantId, t.memberId],
      foreignColumns: [members.tenantId, members.id],
    }).onDelete('cascade'),
    index('notification_preferences_digest_idx').on(t.tenantId, t.emailDigest),
    tenantIsolationPolicy(t.tenantId),
    pgPolicy('notification_worker', {
      as: 'permissive',
      for: 'all',
      to: platformRole,
      using: sql`true`,
      withCheck: sql`true`,
    }),
  ],
).enableRLS();

export const NOTIFICATION_BATCH_STATUSES = ['queued', 'running', 'completed', 'failed', 'canceled'] as const;
export type NotificationBatchStatus = (typeof NOTIFICATION_BATCH_STATUSES)[number];

/**
 * A staff send to many members (a tier, a tag, a segment, everyone): queued by the
 * request, fanned out by a worker in pages (claimed with `FOR UPDATE SKIP LOCKED`),
 * resumable from `cursor` after a crash; each page's notifications and the cursor
 * move in one transaction, so no member gets it twice.
 */
export const notificationBatches = pgTable(
  'notification_batches',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    /** `{ member_ids } | { tier_id } | { tag } | { filter } | { everyone: true }` as the request gave it. */
    audience: jsonb('audience').$type<Record<string, unknown>>().notNull(),
    type: text('type', { enum: NOTIFICATION_TYPES }).notNull(),
    title: text('title').notNull(),
    body: text('body'),
    url: text('url'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status', { enum: NOTIFICATION_BATCH_STATUSES }).notNull().default('queued'),
    /** Members matched when the batch started (null until then). */
    total: integer('total'),
    /** Notifications created so far. */
    delivered: integer('delivered').notNull().default(0),
    /** Members skipped by their preferences (in-app off for this type). */
    skipped: integer('skipped').notNull().default(0),
    /** The last member id processed: the worker resumes after it. */
    cursor: text('cursor'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamptz('next_attempt_at').notNull().default(sql`now()`),
    lastError: text('last_error'),
    createdByType: text('created_by_type').notNull(),
    createdById: text('created_by_id').notNull(),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
    startedAt: timestamptz('started_at'),
    completedAt: timestamptz('completed_at'),
  },
  (t) => [
    primaryKey({ name: 'notification_batches_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({
      name: 'notification_batches_tenant_fk',
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete('cascade'),
    index('notification_batches_pending_idx')
      .on(t.tenantId, t.nextAttemptAt)
      .where(sql`${t.status} in ('queued', 'running')`),
    index('notification_batches_created_idx').on(t.tenantId, t.createdAt),
    tenantIsolationPolicy(t.tenantId),
    pgPolicy('notification_worker', {
      as: 'permissive',
      for: 'all',
      to: platformRole,
      using: sql`true`,
      withCheck: sql`true`,
    }),
  ],
).enableRLS();

export type NotificationRow = typeof notifications.$inferSelect;
export type NotificationBatchRow = typeof notificationBatches.$inferSelect;
