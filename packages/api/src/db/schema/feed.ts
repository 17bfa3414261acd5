import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { platformRole, tenantIdColumn, tenantIsolationPolicy } from './roles.js';
import { tenants } from './tenants.js';
import { auditTimestamps, timestamptz } from './timestamps.js';

/** `announcement`: by staff; `milestone`: made by the platform for a member who shares them; `post`: by a member. */
export const FEED_POST_KINDS = ['announcement', 'milestone', 'post'] as const;
export type FeedPostKind = (typeof FEED_POST_KINDS)[number];

/** Who wrote something in the feed or a conversation. */
export const AUTHOR_TYPES = ['member', 'staff', 'platform'] as const;
export type AuthorType = (typeof AUTHOR_TYPES)[number];

/** `joined`, `upgraded` (to `data.tier_id`), `anniversary` (`data.years`). */
export const MILESTONE_TYPES = ['joined', 'upgraded', 'anniversary'] as const;

/**
 * The tenant's feed. Bodies are Markdown (a small subset: emphasis, links, lists,
 * headings, quotes) rendered by the elements without raw HTML. A scheduled
 * announcement has `publish_at` in the future and is invisible to members until then.
 */
export const feedPosts = pgTable(
  'feed_posts',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    kind: text('kind', { enum: FEED_POST_KINDS }).notNull(),
    authorType: text('author_type', { enum: AUTHOR_TYPES }).notNull(),
    authorId: text('author_id').notNull(),
    title: text('title'),
    body: text('body').notNull(),
    /** Milestones: `{ milestone, tier_id?, years? }`. */
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    /** Announcements may be limited to tiers; null = everyone. */
    audienceTierIds: text('audience_tier_ids').array(),
    pinned: boolean('pinned').notNull().default(false),
    /** No new comments or reactions. */
    locked: boolean('locked').notNull().default(false),
    /** Hidden by staff moderation: members no longer see it, staff still do. */
    hiddenAt: timestamptz('hidden_at'),
    publishAt: timestamptz('publish_at').notNull().default(sql`now()`),
    /** Set once a scheduled post went live (and was announced on the `feed` topic). */
    publishedAt: timestamptz('published_at'),
    commentCount: integer('comment_count').notNull().default(0),
    /** `{ "👍": 3, "🎉": 1 }`, kept with the reactions in one transaction. */
    reactionCounts: jsonb('reaction_counts').$type<Record<string, number>>().notNull().default({}),
    ...auditTimestamps(),
    deletedAt: timestamptz('deleted_at'),
  },
  (t) => [
    primaryKey({ name: 'feed_posts_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'feed_posts_tenant_fk', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
      'cascade',
    ),
    index('feed_posts_timeline_idx').on(t.tenantId, t.publishAt, t.id),
    index('feed_posts_author_idx').on(t.tenantId, t.authorType, t.authorId, t.createdAt),
    index('feed_posts_scheduled_idx')
      .on(t.tenantId, t.publishAt)
      .where(sql`${t.publishedAt} is null and ${t.deletedAt} is null`),
    tenantIsolationPolicy(t.tenantId),
    // The scheduler publishes due announcements of every tenant.
    pgPolicy('feed_scheduler', {
      as: 'permissive',
      for: 'all',
      to: platformRole,
      using: sql`true`,
      withCheck: sql`true`,
    }),
  ],
).enableRLS();

export const feedComments = pgTable(
  'feed_comments',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    postId: text('post_id').notNull(),
    authorType: text('author_type', { enum: AUTHOR_TYPES }).notNull(),
    authorId: text('author_id').notNull(),
    body: text('body').notNull(),
    hiddenAt: timestamptz('hidden_at'),
    ...auditTimestamps(),
    deletedAt: timestamptz('deleted_at'),
  },
  (t) => [
    primaryKey({ name: 'feed_comments_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({
      name: 'feed_comments_post_fk',
      columns: [t.tenantId, t.postId],
      foreignColumns: [feedPosts.tenantId, feedPosts.id],
    }).onDelete('cascade'),
    index('feed_comments_post_idx').on(t.tenantId, t.postId, t.createdAt, t.id),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/** One reaction (an emoji from the allowed set) by one person on one post. */
export const feedReactions = pgTable(
  'feed_reactions',
  {
    tenantId: tenantIdColumn(),
    postId: text('post_id').notNull(),
    actorType: text('actor_type', { enum: AUTHOR_TYPES }).notNull(),
    actorId: text('actor_id').notNull(),
    reaction: text('reaction').notNull(),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'feed_reactions_pkey', columns: [t.tenantId, t.postId, t.actorType, t.actorId, t.reaction] }),
    foreignKey({
      name: 'feed_reactions_post_fk',
      columns: [t.tenantId, t.postId],
      foreignColumns: [feedPosts.tenantId, feedPosts.id],
    }).onDelete('cascade'),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

export const CONTENT_REPORT_STATUSES = ['open', 'resolved', 'dismissed'] as const;
/** What a member can report: a feed post, a comment, a message. */
export const REPORT_TARGETS = ['post', 'comment', 'message'] as const;

/** Members reporting content to staff. One open report per member and target. */
export const contentReports = pgTable(
  'content_reports',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    targetType: text('target_type', { enum: REPORT_TARGETS }).notNull(),
    targetId: text('target_id').notNull(),
    reporterMemberId: text('reporter_member_id').notNull(),
    reason: text('reason').notNull(),
    status: text('status', { enum: CONTENT_REPORT_STATUSES }).notNull().default('open'),
    resolvedByStaffId: text('resolved_by_staff_id'),
    resolution: text('resolution'),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
    resolvedAt: timestamptz('resolved_at'),
  },
  (t) => [
    primaryKey({ name: 'content_reports_pkey', columns: [t.tenantId, t.id] }),
    uniqueIndex('content_reports_one_open_key')
      .on(t.tenantId, t.targetType, t.targetId, t.reporterMemberId)
      .where(sql`${t.status} = 'open'`),
    index('content_reports_status_idx').on(t.tenantId, t.status, t.createdAt),
    check('content_reports_reason_length', sql`char_length(${t.reason}) between 1 and 1000`),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

export type FeedPostRow = typeof feedPosts.$inferSelect;
export type FeedCommentRow = typeof feedComments.$inferSelect;
