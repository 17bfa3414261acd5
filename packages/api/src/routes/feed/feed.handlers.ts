import type { Context } from 'hono';
import type { CredentialEnv, CredentialOf } from '../../access/require-credential.js';
import { roleAllows } from '../../access/permissions.js';
import type { AppEnv, AppRouteHandler } from '../../lib/context.js';
import { CursorValues, decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { ApiError } from '../../lib/errors.js';
import { isId } from '../../lib/ids.js';
import { enforceRateLimits } from '../../middleware/rate-limit.js';
import { createReport, listReports, ReportErrors, resolveReport } from '../../services/content-reports.js';
import {
  createComment,
  createPost,
  deleteComment,
  deletePost,
  FeedErrors,
  getPost,
  listComments,
  listPosts,
  setReaction,
  updateComment,
  updatePost,
  type BeforeWrite,
  type PostPatch,
} from '../../services/feed.js';
import { FEED_REACTIONS, type FeedActor, type FeedReaction } from '../../services/feed-access.js';
import type {
  addReactionRoute,
  createCommentRoute,
  createPostRoute,
  createReportRoute,
  deleteCommentRoute,
  deletePostRoute,
  getPostRoute,
  listCommentsRoute,
  listFeedRoute,
  listReportsRoute,
  removeReactionRoute,
  resolveReportRoute,
  updateCommentRoute,
  updatePostRoute,
} from './feed.routes.js';

type FeedCredential = CredentialOf<'member' | 'staff' | 'secret_key'>;
type FeedContext = Context<AppEnv & CredentialEnv<FeedCredential>>;

/** Who acts: the member, or staff (a user or a secret key) with whether its role may manage the feed. */
function actorOf(c: FeedContext): FeedActor {
  const credential = c.var.credential;
  if (credential.type === 'member') return { type: 'member', memberId: credential.memberId };
  const canManage = roleAllows(credential.role, 'feed:manage');
  const audit = {
    actorType: credential.type === 'staff' ? ('staff' as const) : ('api_key' as const),
    actorId: credential.type === 'staff' ? credential.staffId : credential.id,
    requestId: c.var.requestId,
    ip: c.var.deps.clientIp?.(c) ?? null,
  };
  return credential.type === 'staff'
    ? { type: 'staff', staffId: credential.staffId, canManage, audit }
    : { type: 'api_key', keyId: credential.id, canManage, audit };
}

/** Members' posts and comments count against the community's hourly quota (429 with Retry-After; nothing stored). */
function postQuota(c: FeedContext): BeforeWrite {
  return async (settings) => {
    const credential = c.var.credential;
    if (credential.type !== 'member') return;
    await enforceRateLimits(c, [
      {
        policy: 'feed-posts',
        key: `feed-posts:${credential.tenantId}:${credential.memberId}`,
        limit: settings.postRatePerHour,
        windowSeconds: 3600,
      },
    ]);
  };
}

function checkPostId(id: string): string {
  if (!isId(id, 'post')) throw new ApiError(FeedErrors.POST_NOT_FOUND, `No post ${id}.`);
  return id;
}

function checkCommentId(id: string): string {
  if (!isId(id, 'cmt')) throw new ApiError(FeedErrors.COMMENT_NOT_FOUND, `No comment ${id}.`);
  return id;
}

function viewerKey(c: FeedContext): string {
  const credential = c.var.credential;
  return credential.type === 'member' ? `member:${credential.memberId}` : 'staff';
}

export const listFeedHandler: AppRouteHandler<typeof listFeedRoute> = async (c) => {
  const { limit, cursor, status } = c.req.valid('query');
  const credential = c.var.credential;
  if (credential.type === 'member' && status && status !== 'published')
    throw new ApiError(FeedErrors.STAFF_ONLY_FIELD, 'Members see published posts only; leave out status.');
  const effective = credential.type === 'member' ? 'published' : (status ?? 'all');
  const binding = { scope: `feed:${credential.tenantId}:${viewerKey(c)}`, query: { status: effective } };
  let after: { publishAt: string; id: string } | undefined;
  if (cursor !== undefined) {
    const [publishAt, id] = await decodeCursor(c.var.deps.secretBox, cursor, binding, [
      CursorValues.timestamp,
      CursorValues.id('post'),
    ]);
    after = { publishAt, id };
  }
  const page = await listPosts(c.var.deps, credential.tenantId, actorOf(c), {
    limit,
    status: effective,
    ...(after ? { after } : {}),
  });
  return c.json(
    {
      object: 'list' as const,
      data: page.posts,
      has_more: page.hasMore,
      next_cursor:
        page.hasMore && page.last
          ? await encodeCursor(c.var.deps.secretBox, binding, [page.last.publishAt, page.last.id])
          : null,
    },
    200,
  );
};

export const createPostHandler: AppRouteHandler<typeof createPostRoute> = async (c) => {
  const body = c.req.valid('json');
  const post = await createPost(
    c.var.deps,
    c.var.credential.tenantId,
    actorOf(c),
    {
      body: body.body,
      ...(body.title !== undefined ? { title: body.title } : {}),
      ...(body.pinned !== undefined ? { pinned: body.pinned } : {}),
      ...(body.publish_at !== undefined ? { publishAt: new Date(body.publish_at) } : {}),
      ...(body.audience_tier_ids !== undefined ? { audienceTierIds: body.audience_tier_ids } : {}),
      ...(body.notify !== undefined ? { notify: body.notify } : {}),
    },
    postQuota(c),
  );
  return c.json(post, 201);
};

export const getPostHandler: AppRouteHandler<typeof getPostRoute> = async (c) => {
  const id = checkPostId(c.req.valid('param').id);
  return c.json(await getPost(c.var.deps, c.var.credential.tenantId, actorOf(c), id), 200);
};

export const updatePostHandler: AppRouteHandler<typeof updatePostRoute> = async (c) => {
  const id = checkPostId(c.req.valid('param').id);
  const body = c.req.valid('json');
  const patch: PostPatch = {
    ...(body.title !== undefined ? { title: body.title } : {}),
    ...(body.body !== undefined ? { body: body.body } : {}),
    ...(body.pinned !== undefined ? { pinned: body.pinned } : {}),
    ...(body.locked !== undefined ? { locked: body.locked } : {}),
    ...(body.hidden !== undefined ? { hidden: body.hidden } : {}),
    ...(body.publish_at !== undefined ? { publishAt: new Date(body.publish_at) } : {}),
    ...(body.audience_tier_ids !== undefined ? { audienceTierIds: body.audience_tier_ids } : {}),
    ...(body.notify !== undefined ? { notify: body.notify } : {}),
  };
  return c.json(await updatePost(c.var.deps, c.var.credential.tenantId, actorOf(c), id, patch), 200);
};

export const deletePostHandler: AppRouteHandler<typeof deletePostRoute> = async (c) => {
  const id = checkPostId(c.req.valid('param').id);
  await deletePost(c.var.deps, c.var.credential.tenantId, actorOf(c), id);
  return c.json({ id, object: 'feed_post' as const, deleted: true as const }, 200);
};

export const listCommentsHandler: AppRouteHandler<typeof listCommentsRoute> = async (c) => {
  const postId = checkPostId(c.req.valid('param').id);
  const { limit, cursor } = c.req.valid('query');
  const credential = c.var.credential;
  const binding = { scope: `feed-comments:${credential.tenantId}:${viewerKey(c)}`, query: { post_id: postId } };
  let afterId: string | undefined;
  if (cursor !== undefined)
    [afterId] = await decodeCursor(c.var.deps.secretBox, cursor, binding, [CursorValues.id('cmt')]);
  const page = await listComments(c.var.deps, credential.tenantId, actorOf(c), postId, {
    limit,
    ...(afterId ? { afterId } : {}),
  });
  return c.json(
    {
      object: 'list' as const,
      data: page.comments,
      has_more: page.hasMore,
      next_cursor:
        page.hasMore && page.lastId ? await encodeCursor(c.var.deps.secretBox, binding, [page.lastId]) : null,
    },
    200,
  );
};

export const createCommentHandler: AppRouteHandler<typeof createCommentRoute> = async (c) => {
  const postId = checkPostId(c.req.valid('param').id);
  const { body } = c.req.valid('json');
  const comment = await createComment(c.var.deps, c.var.credential.tenantId, actorOf(c), postId, body, postQuota(c));
  return c.json(comment, 201);
};

export const updateCommentHandler: AppRouteHandler<typeof updateCommentRoute> = async (c) => {
  const id = checkCommentId(c.req.valid('param').id);
  const body = c.req.valid('json');
  const comment = await updateComment(c.var.deps, c.var.credential.tenantId, actorOf(c), id, {
    ...(body.body !== undefined ? { body: body.body } : {}),
    ...(body.hidden !== undefined ? { hidden: body.hidden } : {}),
  });
  return c.json(comment, 200);
};

export const deleteCommentHandler: AppRouteHandler<typeof deleteCommentRoute> = async (c) => {
  const id = checkCommentId(c.req.valid('param').id);
  await deleteComment(c.var.deps, c.var.credential.tenantId, actorOf(c), id);
  return c.json({ id, object: 'feed_comment' as const, deleted: true as const }, 200);
};

function checkReaction(reaction: string): FeedReaction {
  if (!(FEED_REACTIONS as readonly string[]).includes(reaction))
    throw new ApiError(FeedErrors.POST_NOT_FOUND, `No reaction ${reaction}: use one of ${FEED_REACTIONS.join(', ')}.`);
  return reaction as FeedReaction;
}

async function react(c: FeedContext, id: string, reaction: string, on: boolean) {
  const view = await setReaction(
    c.var.deps,
    c.var.credential.tenantId,
    actorOf(c),
    checkPostId(id),
    checkReaction(reaction),
    on,
  );
  return {
    object: 'feed_reactions' as const,
    post_id: view.postId,
    reactions: view.reactions,
    my_reactions: view.mine as FeedReaction[],
  };
}

export const addReactionHandler: AppRouteHandler<typeof addReactionRoute> = async (c) => {
  const { id, reaction } = c.req.valid('param');
  return c.json(await react(c, id, reaction, true), 200);
};

export const removeReactionHandler: AppRouteHandler<typeof removeReactionRoute> = async (c) => {
  const { id, reaction } = c.req.valid('param');
  return c.json(await react(c, id, reaction, false), 200);
};

export const createReportHandler: AppRouteHandler<typeof createReportRoute> = async (c) => {
  const body = c.req.valid('json');
  const { tenantId, memberId } = c.var.credential;
  const prefix = body.target_type === 'post' ? 'post' : body.target_type === 'comment' ? 'cmt' : 'msg';
  if (!isId(body.target_id, prefix))
    throw new ApiError(ReportErrors.REPORT_TARGET_NOT_FOUND, `No ${body.target_type} ${body.target_id}.`);
  const { report, created } = await createReport(c.var.deps, tenantId, memberId, {
    targetType: body.target_type,
    targetId: body.target_id,
    reason: body.reason,
  });
  return created ? c.json(report, 201) : c.json(report, 200);
};

export const listReportsHandler: AppRouteHandler<typeof listReportsRoute> = async (c) => {
  const { limit, cursor, status } = c.req.valid('query');
  const { tenantId } = c.var.credential;
  const binding = { scope: `content-reports:${tenantId}`, query: { status: status ?? null } };
  let beforeId: string | undefined;
  if (cursor !== undefined)
    [beforeId] = await decodeCursor(c.var.deps.secretBox, cursor, binding, [CursorValues.id('rep')]);
  const page = await listReports(c.var.deps, tenantId, {
    limit,
    ...(status ? { status } : {}),
    ...(beforeId ? { beforeId } : {}),
  });
  return c.json(
    {
      object: 'list' as const,
      data: page.reports,
      has_more: page.hasMore,
      next_cursor:
        page.hasMore && page.lastId ? await encodeCursor(c.var.deps.secretBox, binding, [page.lastId]) : null,
    },
    200,
  );
};

export const resolveReportHandler: AppRouteHandler<typeof resolveReportRoute> = async (c) => {
  const { id } = c.req.valid('param');
  if (!isId(id, 'rep')) throw new ApiError(ReportErrors.REPORT_NOT_FOUND, `No report ${id}.`);
  const body = c.req.valid('json');
  const credential = c.var.credential;
  const actor = actorOf(c as unknown as FeedContext);
  if (actor.type === 'member') throw new Error('unreachable: the route admits staff only');
  const report = await resolveReport(c.var.deps, credential.tenantId, { ...actor, role: credential.role }, id, {
    action: body.action,
    ...(body.note ? { note: body.note } : {}),
  });
  return c.json(report, 200);
};
