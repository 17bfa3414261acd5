import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, pgPolicy, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { members } from './members.js';
import { platformRole, tenantIdColumn, tenantIsolationPolicy } from './roles.js';
import { tenants } from './tenants.js';
import { timestamptz } from './timestamps.js';

/** Who sees members' presence: nobody, staff only, or members too. */
export const PRESENCE_VISIBILITIES = ['off', 'staff', 'members'] as const;
export type PresenceVisibility = (typeof PRESENCE_VISIBILITIES)[number];

/** Which members may post to the feed. */
export const FEED_POSTING = ['off', 'members'] as const;

/**
 * A tenant's community rules: presence, member posts and reactions in the feed,
 * member-to-member messaging, and the rate limits members are held to. One row
 * per tenant; absent = the defaults.
 */
export const communitySettings = pgTable(
  'community_settings',
  {
    tenantId: tenantIdColumn(),
    presenceVisibility: text('presence_visibility', { enum: PRESENCE_VISIBILITIES }).notNull().default('staff'),
    /** Members may write posts (staff announcements are always allowed). */
    memberPosts: boolean('member_posts').notNull().default(false),
    memberComments: boolean('member_comments').notNull().default(true),
    reactions: boolean('reactions').notNull().default(true),
    /** Members may message other members directly and form groups. */
    memberMessaging: boolean('member_messaging').notNull().default(false),
    /** Members may open support conversations with staff. */
    supportInbox: boolean('support_inbox').notNull().default(true),
    /** Messages a member may send per minute. */
    messageRatePerMinute: integer('message_rate_per_minute').notNull().default(30),
    /** Posts and comments a member may write per hour. */
    postRatePerHour: integer('post_rate_per_hour').notNull().default(20),
    updatedAt: timestamptz('updated_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'community_settings_pkey', columns: [t.tenantId] }),
    foreignKey({ name: 'community_settings_tenant_fk', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
      'cascade',
    ),
    check('community_settings_message_rate', sql`${t.messageRatePerMinute} between 1 and 600`),
    check('community_settings_post_rate', sql`${t.postRatePerHour} between 1 and 600`),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

export const PRESENCE_STATUSES = ['online', 'away', 'offline'] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];

/**
 * Members' presence, shared by every API process: a heartbeat refreshes
 * `last_seen_at` (throttled), a change of status is written at once and
 * announced on the `presence` topic. A row whose heartbeat is older than the
 * timeout reads as offline.
 */
export const memberPresence = pgTable(
  'member_presence',
  {
    tenantId: tenantIdColumn(),
    memberId: text('member_id').notNull(),
    status: text('status', { enum: PRESENCE_STATUSES }).notNull(),
    lastSeenAt: timestamptz('last_seen_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'member_presence_pkey', columns: [t.tenantId, t.memberId] }),
    foreignKey({
      name: 'member_presence_member_fk',
      columns: [t.tenantId, t.memberId],
      foreignColumns: [members.tenantId, members.id],
    }).onDelete('cascade'),
    index('member_presence_seen_idx').on(t.tenantId, t.lastSeenAt),
    tenantIsolationPolicy(t.tenantId),
    // The sweeper marks members whose heartbeats stopped offline, across tenants.
    pgPolicy('presence_sweeper', {
      as: 'permissive',
      for: 'all',
      to: platformRole,
      using: sql`true`,
      withCheck: sql`true`,
    }),
  ],
).enableRLS();

/** A member's own community choices: sharing milestones in the feed. */
export const memberCommunityPrefs = pgTable(
  'member_community_prefs',
  {
    tenantId: tenantIdColumn(),
    memberId: text('member_id').notNull(),
    /** The member agreed that joined/upgraded/anniversary milestones appear in the tenant feed. */
    shareMilestones: boolean('share_milestones').notNull().default(false),
    updatedAt: timestamptz('updated_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'member_community_prefs_pkey', columns: [t.tenantId, t.memberId] }),
    foreignKey({
      name: 'member_community_prefs_member_fk',
      columns: [t.tenantId, t.memberId],
      foreignColumns: [members.tenantId, members.id],
    }).onDelete('cascade'),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/** A member blocking another: no direct messages either way, no new group with both. */
export const memberBlocks = pgTable(
  'member_blocks',
  {
    tenantId: tenantIdColumn(),
    memberId: text('member_id').notNull(),
    blockedMemberId: text('blocked_member_id').notNull(),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'member_blocks_pkey', columns: [t.tenantId, t.memberId, t.blockedMemberId] }),
    foreignKey({
      name: 'member_blocks_member_fk',
      columns: [t.tenantId, t.memberId],
      foreignColumns: [members.tenantId, members.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'member_blocks_blocked_fk',
      columns: [t.tenantId, t.blockedMemberId],
      foreignColumns: [members.tenantId, members.id],
    }).onDelete('cascade'),
    index('member_blocks_blocked_idx').on(t.tenantId, t.blockedMemberId),
    check('member_blocks_not_self', sql`${t.memberId} <> ${t.blockedMemberId}`),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

export type CommunitySettingsRow = typeof communitySettings.$inferSelect;
