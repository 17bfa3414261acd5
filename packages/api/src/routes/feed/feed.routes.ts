import { createRoute, type z } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import { authenticatedErrors, errorResponses, jsonBody, jsonResponse, SECURITY } from '../../lib/openapi.js';
import { idParam } from '../../lib/schemas.js';
import {
  ContentReportList,
  ContentReportSchema,
  CreateCommentBody,
  CreatePostBody,
  CreateReportBody,
  DeletedCommentSchema,
  DeletedPostSchema,
  FeedCommentList,
  FeedCommentSchema,
  FeedPostList,
  FeedPostSchema,
  FeedReactionsSchema,
  ListFeedQuery,
  ListReportsQuery,
  ReactionParams,
  ResolveReportBody,
  UpdateCommentBody,
  UpdatePostBody,
} from './feed.schemas.js';

const TAGS = ['Feed'];
/** Members with their token; staff users and secret keys with the role permission. */
const EVERYONE: { [scheme: string]: string[] }[] = [{ memberToken: [] }, { secretKey: [] }, { staffToken: [] }];
const STAFF = SECURITY.secretKey;
const postId = idParam('post_01jdx3v4k7m9q2w8e5r6t0y1zc');
const commentId = idParam('cmt_01jdx3v4k7m9q2w8e5r6t0y1zd');
const reportId = idParam('rep_01jdx3v4k7m9q2w8e5r6t0y1zc');
const bodyErrors = {
  400: errorResponses[400],
  413: errorResponses[413],
  415: errorResponses[415],
  422: errorResponses[422],
} as const;
const readers = requireCredential(['member', 'staff', 'secret_key'], 'feed:read');
const writers = requireCredential(['member', 'staff', 'secret_key'], 'feed:manage');
const json = <T extends z.ZodType>(description: string, schema: T) => jsonResponse(schema, description);

export const listFeedRoute = createRoute({
  method: 'get',
  path: '/v1/feed',
  operationId: 'listFeed',
  middleware: [readers] as const,
  tags: TAGS,
  summary: 'The tenant feed',
  description:
    "Newest first by publication time; the first page starts with the pinned posts (at most 20), which later pages leave out. Members get the published posts they may see (not hidden, their tier in the audience); staff with feed:read choose `status`. Live: subscribe to the `feed` topic (members also to their tier's posts as `feed.tier.<tier_id>`; staff to `feed.staff` for scheduled, hidden and tier-restricted posts).",
  security: EVERYONE,
  request: { query: ListFeedQuery },
  responses: { 200: json('A page of posts.', FeedPostList), ...bodyErrors, ...authenticatedErrors },
});

export const createPostRoute = createRoute({
  method: 'post',
  path: '/v1/feed/posts',
  operationId: 'createFeedPost',
  middleware: [writers] as const,
  tags: TAGS,
  summary: 'Write a post or an announcement',
  description:
    'A member writes a `post` when the community allows member posts (403 `MEMBER_POSTS_DISABLED` otherwise), at most `post_rate_per_hour` posts and comments an hour (429). Staff with feed:manage write an `announcement`: a title, optionally pinned, scheduled (`publish_at`), for some tiers, with a notification to its audience at publication (`notify`). Members mentioned as `@[Name](mem_…)` who can see it get a `mention` notification.',
  security: EVERYONE,
  request: { body: jsonBody(CreatePostBody) },
  responses: { 201: json('The new post.', FeedPostSchema), ...bodyErrors, ...authenticatedErrors },
});

export const getPostRoute = createRoute({
  method: 'get',
  path: '/v1/feed/posts/{id}',
  operationId: 'getFeedPost',
  middleware: [readers] as const,
  tags: TAGS,
  summary: 'Retrieve a post',
  security: EVERYONE,
  request: { params: postId },
  responses: { 200: json('The post.', FeedPostSchema), 404: errorResponses[404], ...authenticatedErrors },
});

export const updatePostRoute = createRoute({
  method: 'patch',
  path: '/v1/feed/posts/{id}',
  operationId: 'updateFeedPost',
  middleware: [writers] as const,
  tags: TAGS,
  summary: 'Edit or moderate a post',
  description:
    'The author edits title and body. Staff with feed:manage edit anything and moderate: `pinned`, `locked` (no new comments or reactions), `hidden` (members no longer see it), and before publication `publish_at`, `notify`; `audience_tier_ids` of announcements. Staff changes are audited.',
  security: EVERYONE,
  request: { params: postId, body: jsonBody(UpdatePostBody) },
  responses: {
    200: json('The post.', FeedPostSchema),
    404: errorResponses[404],
    409: errorResponses[409],
    ...bodyErrors,
    ...authenticatedErrors,
  },
});

export const deletePostRoute = createRoute({
  method: 'delete',
  path: '/v1/feed/posts/{id}',
  operationId: 'deleteFeedPost',
  middleware: [writers] as const,
  tags: TAGS,
  summary: 'Delete a post',
  description: 'Its author, or staff with feed:manage (audited).',
  security: EVERYONE,
  request: { params: postId },
  responses: { 200: json('Deleted.', DeletedPostSchema), 404: errorResponses[404], ...authenticatedErrors },
});

export const listCommentsRoute = createRoute({
  method: 'get',
  path: '/v1/feed/posts/{id}/comments',
  operationId: 'listFeedComments',
  middleware: [readers] as const,
  tags: TAGS,
  summary: "A post's comments",
  description: 'Oldest first. Members do not see hidden comments.',
  security: EVERYONE,
  request: { params: postId, query: ListFeedQuery.pick({ limit: true, cursor: true }) },
  responses: {
    200: json('A page of comments.', FeedCommentList),
    404: errorResponses[404],
    ...bodyErrors,
    ...authenticatedErrors,
  },
});

export const createCommentRoute = createRoute({
  method: 'post',
  path: '/v1/feed/posts/{id}/comments',
  operationId: 'createFeedComment',
  middleware: [writers] as const,
  tags: TAGS,
  summary: 'Comment on a post',
  description:
    'Members when the community allows member comments (403 `MEMBER_COMMENTS_DISABLED`), within `post_rate_per_hour` (429); nobody on a locked post (409 `POST_LOCKED`). Mentioned members are notified.',
  security: EVERYONE,
  request: { params: postId, body: jsonBody(CreateCommentBody) },
  responses: {
    201: json('The comment.', FeedCommentSchema),
    404: errorResponses[404],
    409: errorResponses[409],
    ...bodyErrors,
    ...authenticatedErrors,
  },
});

export const updateCommentRoute = createRoute({
  method: 'patch',
  path: '/v1/feed/comments/{id}',
  operationId: 'updateFeedComment',
  middleware: [writers] as const,
  tags: TAGS,
  summary: 'Edit or hide a comment',
  description: 'The author edits the body (not on a locked post); staff with feed:manage may hide it (audited).',
  security: EVERYONE,
  request: { params: commentId, body: jsonBody(UpdateCommentBody) },
  responses: {
    200: json('The comment.', FeedCommentSchema),
    404: errorResponses[404],
    409: errorResponses[409],
    ...bodyErrors,
    ...authenticatedErrors,
  },
});

export const deleteCommentRoute = createRoute({
  method: 'delete',
  path: '/v1/feed/comments/{id}',
  operationId: 'deleteFeedComment',
  middleware: [writers] as const,
  tags: TAGS,
  summary: 'Delete a comment',
  security: EVERYONE,
  request: { params: commentId },
  responses: { 200: json('Deleted.', DeletedCommentSchema), 404: errorResponses[404], ...authenticatedErrors },
});

const reactionResponses = {
  200: json("The post's reactions.", FeedReactionsSchema),
  404: errorResponses[404],
  409: errorResponses[409],
  ...authenticatedErrors,
} as const;

export const addReactionRoute = createRoute({
  method: 'put',
  path: '/v1/feed/posts/{id}/reactions/{reaction}',
  operationId: 'addFeedReaction',
  middleware: [writers] as const,
  tags: TAGS,
  summary: 'React to a post',
  description:
    'Idempotent. Reactions: like, love, celebrate, laugh, wow, sad (another is a 404). Refused on locked posts (409) and, for members, when the community turned reactions off (403 `REACTIONS_DISABLED`).',
  security: EVERYONE,
  request: { params: ReactionParams },
  responses: reactionResponses,
});

export const removeReactionRoute = createRoute({
  method: 'delete',
  path: '/v1/feed/posts/{id}/reactions/{reaction}',
  operationId: 'removeFeedReaction',
  middleware: [writers] as const,
  tags: TAGS,
  summary: 'Take a reaction back',
  security: EVERYONE,
  request: { params: ReactionParams },
  responses: reactionResponses,
});

export const createReportRoute = createRoute({
  method: 'post',
  path: '/v1/content-reports',
  operationId: 'createContentReport',
  middleware: [requireCredential(['member'])] as const,
  tags: TAGS,
  summary: 'Report a post, comment or message',
  description:
    'A member reports content they can see (a message: in a conversation they take part in) to staff. Reporting it again while the report is open returns that report (200).',
  security: [{ memberToken: [] }],
  request: { body: jsonBody(CreateReportBody) },
  responses: {
    200: json('The open report this member already made.', ContentReportSchema),
    201: json('The report.', ContentReportSchema),
    404: errorResponses[404],
    ...bodyErrors,
    ...authenticatedErrors,
  },
});

export const listReportsRoute = createRoute({
  method: 'get',
  path: '/v1/content-reports',
  operationId: 'listContentReports',
  middleware: [requireCredential(['staff', 'secret_key'], 'feed:read')] as const,
  tags: TAGS,
  summary: 'Reported content',
  description: 'Newest first, with a preview of what was reported. Live: `content_report.*` on the `feed.staff` topic.',
  security: STAFF,
  request: { query: ListReportsQuery },
  responses: { 200: json('A page of reports.', ContentReportList), ...bodyErrors, ...authenticatedErrors },
});

export const resolveReportRoute = createRoute({
  method: 'post',
  path: '/v1/content-reports/{id}/resolve',
  operationId: 'resolveContentReport',
  middleware: [requireCredential(['staff', 'secret_key'], 'feed:manage')] as const,
  tags: TAGS,
  summary: 'Resolve a report',
  description:
    'Dismiss it, or hide or delete the content (a message needs message:moderate too; messages cannot be hidden: 422). Every open report on the same content is resolved with it. Audited.',
  security: STAFF,
  request: { params: reportId, body: jsonBody(ResolveReportBody) },
  responses: {
    200: json('The resolved report.', ContentReportSchema),
    404: errorResponses[404],
    409: errorResponses[409],
    ...bodyErrors,
    ...authenticatedErrors,
  },
});
