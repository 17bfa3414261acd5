import { sql } from 'drizzle-orm';
import {
  bigint,
  foreignKey,
  index,
  jsonb,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { platformRole, tenantIdColumn, tenantIsolationPolicy } from './roles.js';
import { tenants } from './tenants.js';
import { timestamptz } from './timestamps.js';

/**
 * The tenant's real-time event log and its sequence. An event is appended in the
 * same transaction as the change it describes; taking the next number locks the
 * tenant's sequence row until commit, so sequence order is commit order and a
 * stream that resumes after `seq` misses nothing. `epoch` changes only when the
 * log is recreated: a client holding another epoch's id must resync.
 */
export const realtimeSequences = pgTable(
  'realtime_sequences',
  {
    tenantId: tenantIdColumn(),
    epoch: text('epoch').notNull(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
    /** Events up to and including this sequence number have been pruned: resuming from before it needs a resync. */
    prunedThrough: bigint('pruned_through', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    primaryKey({ name: 'realtime_sequences_pkey', columns: [t.tenantId] }),
    foreignKey({ name: 'realtime_sequences_tenant_fk', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
      'cascade',
    ),
    tenantIsolationPolicy(t.tenantId),
    // The pruner and the cross-process dispatcher read every tenant's log as the platform role.
    pgPolicy('realtime_worker', {
      as: 'permissive',
      for: 'all',
      to: platformRole,
      using: sql`true`,
      withCheck: sql`true`,
    }),
  ],
).enableRLS();

export const realtimeEvents = pgTable(
  'realtime_events',
  {
    tenantId: tenantIdColumn(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    /** Who may receive it: `members`, `feed`, `presence`, `inbox`, `member.<mem_id>`, `conversation.<cnv_id>`. */
    topic: text('topic').notNull(),
    /** `member.updated`, `notification.created`, `message.created`, … */
    type: text('type').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'realtime_events_pkey', columns: [t.tenantId, t.seq] }),
    foreignKey({ name: 'realtime_events_tenant_fk', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
      'cascade',
    ),
    index('realtime_events_created_idx').on(t.tenantId, t.createdAt),
    tenantIsolationPolicy(t.tenantId),
    pgPolicy('realtime_worker', {
      as: 'permissive',
      for: 'all',
      to: platformRole,
      using: sql`true`,
      withCheck: sql`true`,
    }),
  ],
).enableRLS();

export const REALTIME_SUBJECTS = ['member', 'staff', 'secret_key'] as const;
export type RealtimeSubject = (typeof REALTIME_SUBJECTS)[number];

/**
 * Short-lived, single-use tickets that open a stream (`EventSource` cannot send an
 * `Authorization` header). Only the SHA-256 of the ticket's secret is stored.
 */
export const realtimeTickets = pgTable(
  'realtime_tickets',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    secretHash: text('secret_hash').notNull(),
    subjectType: text('subject_type', { enum: REALTIME_SUBJECTS }).notNull(),
    /** The member, staff user or API key the ticket was issued to. */
    subjectId: text('subject_id').notNull(),
    /** The session the ticket was issued from (member and staff tokens): a revoked session's ticket is refused. */
    sessionId: text('session_id'),
    /** The browser origin that asked for it; the stream must come from the same origin. */
    origin: text('origin'),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'realtime_tickets_pkey', columns: [t.tenantId, t.id] }),
    uniqueIndex('realtime_tickets_secret_key').on(t.tenantId, t.secretHash),
    index('realtime_tickets_expires_idx').on(t.tenantId, t.expiresAt),
    tenantIsolationPolicy(t.tenantId),
    pgPolicy('realtime_worker', {
      as: 'permissive',
      for: 'all',
      to: platformRole,
      using: sql`true`,
      withCheck: sql`true`,
    }),
  ],
).enableRLS();

export type RealtimeEventRow = typeof realtimeEvents.$inferSelect;
export type RealtimeTicketRow = typeof realtimeTickets.$inferSelect;
