import { sql } from 'drizzle-orm';
import { boolean, foreignKey, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { tenantIdColumn, tenantIsolationPolicy } from './roles.js';
import { tenants } from './tenants.js';
import { auditTimestamps, timestamptz } from './timestamps.js';

/** `support`: a member with the tenant's staff; `direct`: two members; `group`: members (and staff) by invitation. */
export const CONVERSATION_KINDS = ['support', 'direct', 'group'] as const;
export type ConversationKind = (typeof CONVERSATION_KINDS)[number];

export const PARTICIPANT_TYPES = ['member', 'staff'] as const;
export type ParticipantType = (typeof PARTICIPANT_TYPES)[number];

export const conversations = pgTable(
  'conversations',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    kind: text('kind', { enum: CONVERSATION_KINDS }).notNull(),
    /** Groups and support threads have a subject; direct conversations none. */
    title: text('title'),
    /** Direct conversations: the two member ids sorted and joined by `:`, so a pair has one conversation. */
    directKey: text('direct_key'),
    /** Support: `open` until staff close it; a new member message reopens it. */
    status: text('status', { enum: ['open', 'closed'] })
      .notNull()
      .default('open'),
    /** Support: the staff user it is assigned to. */
    assignedStaffId: text('assigned_staff_id'),
    /** Locked by staff moderation: nobody may send. */
    locked: boolean('locked').notNull().default(false),
    createdByType: text('created_by_type', { enum: PARTICIPANT_TYPES }).notNull(),
    createdById: text('created_by_id').notNull(),
    lastMessageAt: timestamptz('last_message_at'),
    /** The newest message's first 140 characters, for inbox lists. */
    lastMessagePreview: text('last_message_preview'),
    ...auditTimestamps(),
  },
  (t) => [
    primaryKey({ name: 'conversations_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'conversations_tenant_fk', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
      'cascade',
    ),
    uniqueIndex('conversations_direct_key').on(t.tenantId, t.directKey).where(sql`${t.directKey} is not null`),
    index('conversations_inbox_idx').on(t.tenantId, t.kind, t.status, t.lastMessageAt),
    index('conversations_assigned_idx').on(t.tenantId, t.assignedStaffId),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/**
 * Who is in a conversation and where they stand: `last_read_message_id` is their
 * read receipt, `unread_count` is kept with each message in one transaction.
 */
export const conversationParticipants = pgTable(
  'conversation_participants',
  {
    tenantId: tenantIdColumn(),
    conversationId: text('conversation_id').notNull(),
    participantType: text('participant_type', { enum: PARTICIPANT_TYPES }).notNull(),
    participantId: text('participant_id').notNull(),
    /** Groups: `owner` may add and remove participants. */
    role: text('role', { enum: ['owner', 'member'] })
      .notNull()
      .default('member'),
    lastReadMessageId: text('last_read_message_id'),
    lastReadAt: timestamptz('last_read_at'),
    unreadCount: integer('unread_count').notNull().default(0),
    muted: boolean('muted').notNull().default(false),
    joinedAt: timestamptz('joined_at').notNull().default(sql`now()`),
    /** Left or removed: keeps history readable up to here, receives nothing new. */
    leftAt: timestamptz('left_at'),
  },
  (t) => [
    primaryKey({
      name: 'conversation_participants_pkey',
      columns: [t.tenantId, t.conversationId, t.participantType, t.participantId],
    }),
    foreignKey({
      name: 'conversation_participants_conversation_fk',
      columns: [t.tenantId, t.conversationId],
      foreignColumns: [conversations.tenantId, conversations.id],
    }).onDelete('cascade'),
    index('conversation_participants_inbox_idx').on(t.tenantId, t.participantType, t.participantId, t.conversationId),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

export const messages = pgTable(
  'messages',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    conversationId: text('conversation_id').notNull(),
    senderType: text('sender_type', { enum: PARTICIPANT_TYPES }).notNull(),
    senderId: text('sender_id').notNull(),
    body: text('body').notNull(),
    /** Client-chosen id of the send, so a retried send stores one message. */
    clientId: text('client_id'),
    editedAt: timestamptz('edited_at'),
    /** Deleted by its sender or by staff: the row stays (the thread keeps its shape), the body is blanked. */
    deletedAt: timestamptz('deleted_at'),
    deletedByType: text('deleted_by_type', { enum: PARTICIPANT_TYPES }),
    ...auditTimestamps(),
  },
  (t) => [
    primaryKey({ name: 'messages_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({
      name: 'messages_conversation_fk',
      columns: [t.tenantId, t.conversationId],
      foreignColumns: [conversations.tenantId, conversations.id],
    }).onDelete('cascade'),
    index('messages_thread_idx').on(t.tenantId, t.conversationId, t.id),
    uniqueIndex('messages_client_id_key')
      .on(t.tenantId, t.conversationId, t.senderType, t.senderId, t.clientId)
      .where(sql`${t.clientId} is not null`),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

export type ConversationRow = typeof conversations.$inferSelect;
export type ConversationParticipantRow = typeof conversationParticipants.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
