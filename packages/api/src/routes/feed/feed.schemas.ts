import { z } from '@hono/zod-openapi';
import { named, PaginationQuery } from '../../lib/openapi.js';
import { Timestamp } from '../../lib/schemas.js';
import { FEED_REACTIONS, MAX_COMMENT_BODY, MAX_POST_BODY } from '../../services/feed-access.js';

const POST_ID = 'post_01jdx3v4k7m9q2w8e5r6t0y1zc';
const COMMENT_ID = 'cmt_01jdx3v4k7m9q2w8e5r6t0y1zd';
const MEMBER_ID = 'mem_01jdx3v4k7m9q2w8e5r6t0y1zc';
const STAFF_ID = 'stf_01jdx3v4k7m9q2w8e5r6t0y1zc';
const TIER_ID = 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc';
const REPORT_ID = 'rep_01jdx3v4k7m9q2w8e5r6t0y1zc';

const Author = z
  .object({
    type: z.enum(['member', 'staff', 'platform']).openapi({
      description: '`member`; `staff` (a staff user); `platform`: the organisation (written with a secret key).',
    }),
    id: z.string().openapi({ example: STAFF_ID }),
    name: z.string().openapi({ example: 'Grace Hopper' }),
  })
  .openapi('FeedAuthor');

const Reaction = z.enum(FEED_REACTIONS).openapi({ example: 'like' });
const ReactionCounts = z.record(z.string(), z.number().int()).openapi({
  description: 'Count per reaction; reactions nobody gave are absent.',
  example: { like: 2, celebrate: 1 },
});

const POST_EXAMPLE = {
  id: POST_ID,
  object: 'feed_post' as const,
  kind: 'announcement' as const,
  author: { type: 'staff' as const, id: STAFF_ID, name: 'Grace Hopper' },
  title: 'General assembly on 12 December',
  body: 'Join us at **7 pm** in the club house. Agenda: [read it here](https://example.org/agenda).',
  data: { notify: true },
  audience_tier_ids: null,
  pinned: true,
  locked: false,
  hidden: false,
  publish_at: '2026-12-07T09:00:00.000Z',
  published: true,
  comment_count: 3,
  reactions: { like: 2, celebrate: 1 },
  my_reactions: ['like' as const],
  created_at: '2026-12-06T15:30:00.000Z',
  updated_at: '2026-12-07T09:00:00.000Z',
};

/** A post of the feed (`FeedPost`). */
export const FeedPostSchema = named(
  z.object({
    id: z.string().openapi({ example: POST_ID }),
    object: z.literal('feed_post'),
    kind: z.enum(['announcement', 'milestone', 'post']).openapi({
      description:
        '`announcement` (staff), `milestone` (a member who shares milestones: joined, upgraded, anniversary), `post` (a member, where the community allows it).',
    }),
    author: Author,
    title: z.string().nullable(),
    body: z.string().openapi({
      description:
        'Markdown subset: emphasis, links, lists, headings, quotes; mentions `@[Name](mem_…)`. Render without raw HTML.',
    }),
    data: z.record(z.string(), z.unknown()).openapi({
      description:
        'Milestones: `{ milestone, member_id, tier_id?, tier_name?, years? }`. Announcements: `notify` when the audience is notified at publication.',
    }),
    audience_tier_ids: z
      .array(z.string())
      .nullable()
      .openapi({ description: 'Announcements for some tiers only; null: everyone.', example: null }),
    pinned: z.boolean(),
    locked: z.boolean().openapi({ description: 'No new comments or reactions.' }),
    hidden: z.boolean().openapi({ description: 'Hidden by staff (members never see hidden posts).' }),
    publish_at: Timestamp,
    published: z.boolean().openapi({ description: 'False while a scheduled announcement waits for `publish_at`.' }),
    comment_count: z.number().int(),
    reactions: ReactionCounts,
    my_reactions: z.array(Reaction).openapi({ description: "The caller's own reactions." }),
    created_at: Timestamp,
    updated_at: Timestamp,
  }),
  'FeedPost',
  POST_EXAMPLE,
  { description: 'An announcement, milestone or member post in the tenant feed.' },
);

export const FeedPostList = named(
  z.object({
    object: z.literal('list'),
    data: z.array(FeedPostSchema),
    has_more: z.boolean(),
    next_cursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as `cursor` for the next page; null on the last.' }),
  }),
  'FeedPostList',
  { object: 'list', data: [POST_EXAMPLE], has_more: true, next_cursor: 'WyIyMDI2LTEyLTA3VDA5OjAwOjAwLjAwMFoiXQ.3f2a' },
  { description: 'A page of the feed; the first page starts with the pinned posts.' },
);

export const ListFeedQuery = PaginationQuery.extend({
  status: z.enum(['published', 'scheduled', 'hidden', 'all']).optional().openapi({
    description:
      'Staff only: which posts (default `all`, deleted posts never). Members always get the published posts they may see.',
    example: 'scheduled',
  }),
});

const Title = z.string().trim().min(1).max(200).openapi({ example: 'General assembly on 12 December' });
const PostBody = z
  .string()
  .min(1)
  .max(MAX_POST_BODY)
  .openapi({ description: `Markdown subset, 1 to ${MAX_POST_BODY} characters.`, example: POST_EXAMPLE.body });
const TierIds = z
  .array(z.string().max(64))
  .min(1)
  .max(50)
  .nullable()
  .openapi({ description: 'Limit to these tiers; null: everyone.', example: [TIER_ID] });
const PublishAt = z.iso.datetime({ offset: true }).openapi({
  description: 'Staff: publish later. A time not in the future publishes at once.',
  example: '2026-12-10T08:00:00Z',
});

export const CreatePostBody = z
  .strictObject({
    title: Title.nullable().optional().openapi({ description: 'Required for announcements.' }),
    body: PostBody,
    pinned: z.boolean().optional().openapi({ description: 'Staff only.' }),
    publish_at: PublishAt.optional(),
    audience_tier_ids: TierIds.optional(),
    notify: z.boolean().optional().openapi({
      description: 'Staff only: send the audience an `announcement` notification when it is published.',
    }),
  })
  .openapi('CreateFeedPostBody', {
    example: {
      title: 'General assembly on 12 December',
      body: POST_EXAMPLE.body,
      pinned: true,
      publish_at: '2026-12-10T08:00:00Z',
      notify: true,
    },
  });

export const UpdatePostBody = z
  .strictObject({
    title: Title.nullable().optional(),
    body: PostBody.optional(),
    pinned: z.boolean().optional(),
    locked: z.boolean().optional(),
    hidden: z.boolean().optional(),
    publish_at: PublishAt.optional().openapi({ description: 'Only before publication (409 otherwise).' }),
    audience_tier_ids: TierIds.optional(),
    notify: z.boolean().optional().openapi({ description: 'Only before publication.' }),
  })
  .openapi('UpdateFeedPostBody', { example: { hidden: true } });

export const DeletedSchema = (object: 'feed_post' | 'feed_comment', name: string, id: string) =>
  named(z.object({ id: z.string(), object: z.literal(object), deleted: z.literal(true) }), name, {
    id,
    object,
    deleted: true,
  });

export const DeletedPostSchema = DeletedSchema('feed_post', 'DeletedFeedPost', POST_ID);
export const DeletedCommentSchema = DeletedSchema('feed_comment', 'DeletedFeedComment', COMMENT_ID);

const COMMENT_EXAMPLE = {
  id: COMMENT_ID,
  object: 'feed_comment' as const,
  post_id: POST_ID,
  author: { type: 'member' as const, id: MEMBER_ID, name: 'Ada Lovelace' },
  body: 'See you there, @[Grace Hopper](mem_01jdx3v4k7m9q2w8e5r6t0y1zz)!',
  hidden: false,
  created_at: '2026-12-07T10:00:00.000Z',
  updated_at: '2026-12-07T10:00:00.000Z',
};

export const FeedCommentSchema = named(
  z.object({
    id: z.string().openapi({ example: COMMENT_ID }),
    object: z.literal('feed_comment'),
    post_id: z.string(),
    author: Author,
    body: z.string(),
    hidden: z.boolean().openapi({ description: 'Hidden by staff (only staff see hidden comments).' }),
    created_at: Timestamp,
    updated_at: Timestamp,
  }),
  'FeedComment',
  COMMENT_EXAMPLE,
  { description: 'A comment on a feed post.' },
);

export const FeedCommentList = named(
  z.object({
    object: z.literal('list'),
    data: z.array(FeedCommentSchema),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  }),
  'FeedCommentList',
  { object: 'list', data: [COMMENT_EXAMPLE], has_more: false, next_cursor: null },
  { description: "A page of a post's comments, oldest first." },
);

const CommentBody = z
  .string()
  .min(1)
  .max(MAX_COMMENT_BODY)
  .openapi({ description: `Markdown subset, 1 to ${MAX_COMMENT_BODY} characters.`, example: COMMENT_EXAMPLE.body });

export const CreateCommentBody = z
  .strictObject({ body: CommentBody })
  .openapi('CreateFeedCommentBody', { example: { body: 'See you there!' } });

export const UpdateCommentBody = z
  .strictObject({
    body: CommentBody.optional(),
    hidden: z.boolean().optional().openapi({ description: 'Staff with feed:manage.' }),
  })
  .openapi('UpdateFeedCommentBody', { example: { hidden: true } });

export const FeedReactionsSchema = named(
  z.object({
    object: z.literal('feed_reactions'),
    post_id: z.string(),
    reactions: ReactionCounts,
    my_reactions: z.array(Reaction),
  }),
  'FeedReactions',
  { object: 'feed_reactions', post_id: POST_ID, reactions: { like: 3 }, my_reactions: ['like' as const] },
  { description: "A post's reaction counts and the caller's own reactions." },
);

export const ReactionParams = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, example: POST_ID }),
  reaction: z
    .string()
    .max(32)
    .openapi({ param: { name: 'reaction', in: 'path' }, example: 'like', description: FEED_REACTIONS.join(', ') }),
});

const REPORT_EXAMPLE = {
  id: REPORT_ID,
  object: 'content_report' as const,
  target_type: 'comment' as const,
  target_id: COMMENT_ID,
  reporter: { type: 'member' as const, id: MEMBER_ID, name: 'Ada Lovelace' },
  reason: 'Spam: links to a shop.',
  status: 'open' as const,
  resolution: null,
  resolved_by_staff_id: null,
  target: {
    author: { type: 'member', id: 'mem_01jdx3v4k7m9q2w8e5r6t0y1zz', name: 'Charles Babbage' },
    excerpt: 'Buy cheap engines at …',
    removed: false,
  },
  created_at: '2026-12-07T11:00:00.000Z',
  resolved_at: null,
};

export const ContentReportSchema = named(
  z.object({
    id: z.string().openapi({ example: REPORT_ID }),
    object: z.literal('content_report'),
    target_type: z.enum(['post', 'comment', 'message']),
    target_id: z.string(),
    reporter: z.object({ type: z.literal('member'), id: z.string(), name: z.string() }),
    reason: z.string(),
    status: z.enum(['open', 'resolved', 'dismissed']),
    resolution: z.object({ action: z.enum(['dismiss', 'hide', 'delete']), note: z.string().nullable() }).nullable(),
    resolved_by_staff_id: z.string().nullable(),
    target: z
      .object({
        author: z.object({ type: z.string(), id: z.string(), name: z.string() }),
        excerpt: z.string(),
        removed: z.boolean().openapi({ description: 'The content was hidden or deleted.' }),
      })
      .nullable()
      .openapi({ description: 'Staff: what was reported, as it is now. Null for the reporter.' }),
    created_at: Timestamp,
    resolved_at: Timestamp.nullable(),
  }),
  'ContentReport',
  REPORT_EXAMPLE,
  { description: 'A member reporting a post, comment or message to staff.' },
);

export const ContentReportList = named(
  z.object({
    object: z.literal('list'),
    data: z.array(ContentReportSchema),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  }),
  'ContentReportList',
  { object: 'list', data: [REPORT_EXAMPLE], has_more: false, next_cursor: null },
  { description: 'Reports, newest first.' },
);

export const CreateReportBody = z
  .strictObject({
    target_type: z.enum(['post', 'comment', 'message']),
    target_id: z.string().max(64).openapi({ example: COMMENT_ID }),
    reason: z.string().trim().min(1).max(1000).openapi({ example: 'Spam: links to a shop.' }),
  })
  .openapi('CreateContentReportBody', {
    example: { target_type: 'comment', target_id: COMMENT_ID, reason: 'Spam: links to a shop.' },
  });

export const ListReportsQuery = PaginationQuery.extend({
  status: z.enum(['open', 'resolved', 'dismissed']).optional().openapi({ example: 'open' }),
});

export const ResolveReportBody = z
  .strictObject({
    action: z.enum(['dismiss', 'hide', 'delete']).openapi({
      description:
        '`dismiss` leaves the content; `hide` hides a post or comment; `delete` deletes it (messages: soft-deleted, body blanked).',
    }),
    note: z.string().trim().max(1000).optional().openapi({ example: 'Spam, removed.' }),
  })
  .openapi('ResolveContentReportBody', { example: { action: 'hide', note: 'Spam, removed.' } });
