import { sql } from 'drizzle-orm';
import { foreignKey, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { members } from './members.js';
import { tenantIdColumn, tenantIsolationPolicy } from './roles.js';
import { timestamptz } from './timestamps.js';

export const MEMBER_EVENT_TYPES = [
  'created',
  'status_changed',
  'tier_changed',
  'deleted',
  'restored',
  'imported',
  'consent_accepted',
] as const;
export type MemberEventType = (typeof MEMBER_EVENT_TYPES)[number];

/**
 * The lifecycle history of each member (status and tier changes, creation,
 * deletion): what retention and revenue analytics are computed from.
 */
export const memberEvents = pgTable(
  'member_events',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    memberId: text('member_id').notNull(),
    type: text('type', { enum: MEMBER_EVENT_TYPES }).notNull(),
    fromValue: text('from_value'),
    toValue: text('to_value'),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id').notNull(),
    occurredAt: timestamptz('occurred_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'member_events_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({
      name: 'member_events_member_fk',
      columns: [t.tenantId, t.memberId],
      foreignColumns: [members.tenantId, members.id],
    }).onDelete('cascade'),
    index('member_events_member_idx').on(t.tenantId, t.memberId, t.occurredAt),
    index('member_events_occurred_idx').on(t.tenantId, t.occurredAt),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();
