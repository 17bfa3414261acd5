import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import {
  type FeedCommentRow,
  type FeedPostRow,
  feedComments,
  feedPosts,
  feedReactions,
  tiers,
} from '../db/schema/index.js';
import { ApiError, defineErrorCodes } from '../lib/errors.js';
import { mentionsIn } from '../lib/markdown.js';
import { validationError } from '../lib/validation.js';
import { appendEvents } from '../realtime/event-log.js';
import { appendAudit, diffOf } from './audit.js';
import {
  actorRef,
  authorNames,
  authorOf,
  canSeeComment,
  canSeePost,
  eventsForPost,
  FEED_STAFF_TOPIC,
  type FeedActor,
  type FeedReaction,
  type FeedSettings,
  type FeedViewer,
  postTopics,
  postTransitionEvents,
  readFeedSettings,
  viewerOf,
} from './feed-access.js';
import { type FeedCommentDto, type FeedPostDto, toCommentDto, toPostDto } from './feed-dto.js';
import { type FeedDeps, notifyMentions, queueAnnouncementNotification } from './feed-notify.js';

export const FeedErrors = defineErrorCodes({
  POST_NOT_FOUND: { status: 404, title: 'Post not found' },
  COMMENT_NOT_FOUND: { status: 404, title: 'Comment not found' },
  MEMBER_POSTS_DISABLED: { status: 403, title: 'Member posts are turned off' },
  MEMBER_COMMENTS_DISABLED: { status: 403, title: 'Member comments are turned off' },
  REACTIONS_DISABLED: { status: 403, title: 'Reactions are turned off' },
  NOT_AUTHOR: { status: 403, title: 'Only the author or staff may do this' },
  STAFF_ONLY_FIELD: { status: 403, title: 'Only staff may set this' },
  POST_LOCKED: { status: 409, title: 'The post is locked' },
  POST_ALREADY_PUBLISHED: { status: 409, title: 'The post is already published' },
  MILESTONE_NOT_EDITABLE: { status: 409, title: 'Milestones cannot be edited' },
});

/** Called inside the write's transaction once every rule passed, before anything is stored (the rate limit). */
export type BeforeWrite = (settings: FeedSettings) => Promise<void>;

/** Which posts a staff list shows. Members always see published ones. */
export type FeedStatus = 'published' | 'scheduled' | 'hidden' | 'all';

/** Pinned posts shown at the top of a first page, at most. */
const MAX_PINNED = 20;

function postNotFound(id: string): ApiError {
  return new ApiError(FeedErrors.POST_NOT_FOUND, `No post ${id}.`);
}

function commentNotFound(id: string): ApiError {
  return new ApiError(FeedErrors.COMMENT_NOT_FOUND, `No comment ${id}.`);
}

/** DTOs of `rows` as `actor` sees them (author names, their own reactions). */
async function postDtos(
  tx: Tx,
  tenantId: string,
  actor: FeedActor | null,
  rows: FeedPostRow[],
): Promise<FeedPostDto[]> {
  if (rows.length === 0) return [];
  const names = await authorNames(
    tx,
    tenantId,
    rows.map((r) => ({ type: r.authorType, id: r.authorId })),
  );
  const mine = new Map<string, FeedReaction[]>();
  if (actor) {
    const me = actorRef(actor);
    const reactions = await tx
      .select({ postId: feedReactions.postId, reaction: feedReactions.reaction })
      .from(feedReactions)
      .where(
        and(
          eq(feedReactions.tenantId, tenantId),
          inArray(
            feedReactions.postId,
            rows.map((r) => r.id),
          ),
          eq(feedReactions.actorType, me.type),
          eq(feedReactions.actorId, me.id),
        ),
      )
      .orderBy(asc(feedReactions.createdAt));
    // Stored only after validation against FEED_REACTIONS.
    for (const r of reactions) mine.set(r.postId, [...(mine.get(r.postId) ?? []), r.reaction as FeedReaction]);
  }
  return rows.map((r) => toPostDto(r, authorOf(names, r.authorType, r.authorId), mine.get(r.id) ?? []));
}

async function postDto(tx: Tx, tenantId: string, actor: FeedActor | null, row: FeedPostRow): Promise<FeedPostDto> {
  const [dto] = await postDtos(tx, tenantId, actor, [row]);
  return dto!;
}

async function commentDtos(tx: Tx, tenantId: string, rows: FeedCommentRow[]): Promise<FeedCommentDto[]> {
  const names = await authorNames(
    tx,
    tenantId,
    rows.map((r) => ({ type: r.authorType, id: r.authorId })),
  );
  return rows.map((r) => toCommentDto(r, authorOf(names, r.authorType, r.authorId)));
}

/** The post, locked for update when asked, or 404 when `viewer` may not see it. */
async function loadPost(
  tx: Tx,
  tenantId: string,
  viewer: FeedViewer,
  id: string,
  forUpdate = false,
): Promise<FeedPostRow> {
  const query = tx
    .select()
    .from(feedPosts)
    .where(and(eq(feedPosts.tenantId, tenantId), eq(feedPosts.id, id)));
  const [row] = forUpdate ? await query.for('update') : await query;
  if (!row || !canSeePost(viewer, row)) throw postNotFound(id);
  return row;
}

/** Audit entries are written for what staff and secret keys do; members' own writes are not audited. */
async function audit(
  deps: FeedDeps,
  tx: Tx,
  tenantId: string,
  actor: FeedActor,
  action: string,
  targetType: string,
  targetId: string,
  diff: Record<string, unknown>,
): Promise<void> {
  if (actor.type === 'member') return;
  await appendAudit(tx, deps, tenantId, actor.audit, [{ action, targetType, targetId, diff }]);
}

function requireManager(actor: FeedActor, what: string): void {
  if (actor.type === 'member' || !actor.canManage)
    throw new ApiError(FeedErrors.STAFF_ONLY_FIELD, `Only staff with feed:manage may ${what}.`);
}

/** Checks audience tiers exist (422 naming the field); null = everyone. */
async function checkTiers(tx: Tx, tenantId: string, ids: string[] | null | undefined): Promise<string[] | null> {
  if (!ids) return null;
  const unique = [...new Set(ids)];
  if (unique.length === 0)
    throw validationError([{ field: 'audience_tier_ids', message: 'List at least one tier, or null for everyone.' }]);
  const found = await tx
    .select({ id: tiers.id })
    .from(tiers)
    .where(and(eq(tiers.tenantId, tenantId), inArray(tiers.id, unique)));
  const known = new Set(found.map((t) => t.id));
  const missing = unique.filter((id) => !known.has(id));
  if (missing.length > 0)
    throw validationError(
      missing.map((id) => ({ field: 'audience_tier_ids', message: `No tier ${id}.` })),
      `Unknown tier: ${missing.join(', ')}.`,
    );
  return unique;
}

/** One page of the feed (`after`: the keyset of the last post of the previous page). */
export interface FeedPage {
  posts: FeedPostDto[];
  hasMore: boolean;
  last: { publishAt: string; id: string } | null;
}

/**
 * The feed as `actor` sees it, newest first by publication time. The first page
 * starts with the pinned posts (at most 20), which the chronological pages then leave
 * out. Members see published, visible posts their tier may see; staff choose `status`.
 */
export function listPosts(
  deps: FeedDeps,
  tenantId: string,
  actor: FeedActor,
  options: { limit: number; status: FeedStatus; after?: { publishAt: string; id: string } },
): Promise<FeedPage> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const viewer = await viewerOf(tx, tenantId, actor);
    const conditions: (SQL | undefined)[] = [eq(feedPosts.tenantId, tenantId), isNull(feedPosts.deletedAt)];
    if (viewer.type === 'member') {
      conditions.push(isNull(feedPosts.hiddenAt), isNotNull(feedPosts.publishedAt));
      conditions.push(
        viewer.tierId
          ? sql`(${feedPosts.audienceTierIds} is null or ${viewer.tierId} = any(${feedPosts.audienceTierIds}))`
          : isNull(feedPosts.audienceTierIds),
      );
    } else if (options.status === 'published') {
      conditions.push(isNull(feedPosts.hiddenAt), isNotNull(feedPosts.publishedAt));
    } else if (options.status === 'scheduled') {
      conditions.push(isNull(feedPosts.publishedAt));
    } else if (options.status === 'hidden') {
      conditions.push(isNotNull(feedPosts.hiddenAt));
    }
    const pinned = options.after
      ? []
      : await tx
          .select()
          .from(feedPosts)
          .where(and(...conditions, eq(feedPosts.pinned, true)))
          .orderBy(desc(feedPosts.publishAt), desc(feedPosts.id))
          .limit(MAX_PINNED);
    const after = options.after;
    const rows = await tx
      .select()
      .from(feedPosts)
      .where(
        and(
          ...conditions,
          eq(feedPosts.pinned, false),
          after
            ? or(
                lt(feedPosts.publishAt, new Date(after.publishAt)),
                and(eq(feedPosts.publishAt, new Date(after.publishAt)), lt(feedPosts.id, after.id)),
              )
            : undefined,
        ),
      )
      .orderBy(desc(feedPosts.publishAt), desc(feedPosts.id))
      .limit(options.limit + 1);
    const hasMore = rows.length > options.limit;
    const page = rows.slice(0, options.limit);
    const lastRow = page.at(-1);
    return {
      posts: await postDtos(tx, tenantId, actor, [...pinned, ...page]),
      hasMore,
      last: lastRow ? { publishAt: lastRow.publishAt.toISOString(), id: lastRow.id } : null,
    };
  });
}

/** One post as `actor` sees it (404 when they may not). */
export function getPost(deps: FeedDeps, tenantId: string, actor: FeedActor, id: string): Promise<FeedPostDto> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const viewer = await viewerOf(tx, tenantId, actor);
    return postDto(tx, tenantId, actor, await loadPost(tx, tenantId, viewer, id));
  });
}

/** What a new post or announcement says. Members write posts; staff write announcements. */
export interface NewPostInput {
  title?: string | null;
  body: string;
  pinned?: boolean;
  /** Staff: publish later (an instant in the past or now publishes at once). */
  publishAt?: Date;
  audienceTierIds?: string[] | null;
  /** Staff: notify the audience (`announcement` notification) when it is published. */
  notify?: boolean;
}

/**
 * Writes a post (a member, when the tenant lets members post) or an announcement
 * (staff with feed:manage: pinned, scheduled, for some tiers, with a notification).
 * A published one appears on the feed topics at once, and mentioned members are notified.
 */
export function createPost(
  deps: FeedDeps,
  tenantId: string,
  actor: FeedActor,
  input: NewPostInput,
  beforeWrite?: BeforeWrite,
): Promise<FeedPostDto> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const settings = await readFeedSettings(tx, tenantId);
    const now = deps.clock.now();
    const author = actorRef(actor);
    let kind: 'post' | 'announcement' = 'post';
    let audience: string[] | null = null;
    if (actor.type === 'member') {
      const staffFields = (['pinned', 'publishAt', 'audienceTierIds', 'notify'] as const).filter(
        (k) => input[k] !== undefined,
      );
      if (staffFields.length > 0)
        throw new ApiError(
          FeedErrors.STAFF_ONLY_FIELD,
          `Only staff may set ${staffFields.map((f) => f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)).join(', ')}.`,
        );
      if (!settings.memberPosts)
        throw new ApiError(FeedErrors.MEMBER_POSTS_DISABLED, 'This community does not let members write posts.');
    } else {
      requireManager(actor, 'write announcements');
      kind = 'announcement';
      if (!input.title) throw validationError([{ field: 'title', message: 'Announcements need a title.' }]);
      audience = await checkTiers(tx, tenantId, input.audienceTierIds);
    }
    const scheduled = input.publishAt !== undefined && input.publishAt.getTime() > now.getTime();
    if (actor.type === 'member') await beforeWrite?.(settings);
    const [row] = await tx
      .insert(feedPosts)
      .values({
        tenantId,
        id: deps.ids.generate('post'),
        kind,
        authorType: author.type,
        authorId: author.id,
        title: input.title ?? null,
        body: input.body,
        data: input.notify ? { notify: true } : {},
        audienceTierIds: audience,
        pinned: input.pinned ?? false,
        publishAt: scheduled ? input.publishAt! : now,
        publishedAt: scheduled ? null : now,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    let post = row!;
    const names = await authorNames(tx, tenantId, [author]);
    const authorName = authorOf(names, author.type, author.id).name;
    if (!scheduled) post = await afterPublish(deps, tx, tenantId, post, authorName);
    const dto = await postDto(tx, tenantId, actor, post);
    await audit(deps, tx, tenantId, actor, 'feed_post.created', 'feed_post', post.id, {
      kind,
      title: post.title,
      audience_tier_ids: audience,
      pinned: post.pinned,
      publish_at: post.publishAt.toISOString(),
      notify: input.notify ?? false,
    });
    await appendEvents(deps, tx, tenantId, postTransitionEvents(null, postTopics(post), dto, post.id));
    return dto;
  });
}

/**
 * What happens when a post goes live (at once, or when the scheduler publishes it):
 * mentioned members are notified and, when asked, the audience gets the announcement
 * notification (once: `data.notified` records it).
 */
async function afterPublish(
  deps: FeedDeps,
  tx: Tx,
  tenantId: string,
  post: FeedPostRow,
  authorName: string,
): Promise<FeedPostRow> {
  if (post.hiddenAt) return post;
  await notifyMentions(deps, tx, tenantId, post, post.body, {
    authorName,
    ...(post.authorType === 'member' ? { authorMemberId: post.authorId } : {}),
  });
  if (post.data.notify !== true || post.data.notified === true) return post;
  await queueAnnouncementNotification(deps, tx, tenantId, post);
  const [updated] = await tx
    .update(feedPosts)
    .set({ data: { ...post.data, notified: true } })
    .where(and(eq(feedPosts.tenantId, tenantId), eq(feedPosts.id, post.id)))
    .returning();
  return updated!;
}

/**
 * Publishes a scheduled post whose time came, in the caller's tenant transaction (the
 * scheduler's): sets `published_at`, announces it on its topics, notifies. Returns
 * false when it was already published or deleted.
 */
export async function publishDuePost(deps: FeedDeps, tx: Tx, tenantId: string, id: string): Promise<boolean> {
  const [row] = await tx
    .select()
    .from(feedPosts)
    .where(and(eq(feedPosts.tenantId, tenantId), eq(feedPosts.id, id)))
    .for('update');
  if (!row || row.publishedAt || row.deletedAt) return false;
  const before = postTopics(row);
  const now = deps.clock.now();
  const [published] = await tx
    .update(feedPosts)
    .set({ publishedAt: now, updatedAt: now })
    .where(and(eq(feedPosts.tenantId, tenantId), eq(feedPosts.id, id)))
    .returning();
  const names = await authorNames(tx, tenantId, [{ type: row.authorType, id: row.authorId }]);
  const post = await afterPublish(deps, tx, tenantId, published!, authorOf(names, row.authorType, row.authorId).name);
  const dto = await postDto(tx, tenantId, null, post);
  await appendEvents(deps, tx, tenantId, postTransitionEvents(before, postTopics(post), dto, post.id));
  return true;
}

/** What an edit may change. Authors: title and body; staff with feed:manage: everything. */
export interface PostPatch {
  title?: string | null;
  body?: string;
  pinned?: boolean;
  locked?: boolean;
  hidden?: boolean;
  publishAt?: Date;
  audienceTierIds?: string[] | null;
  notify?: boolean;
}

function moderationView(row: FeedPostRow): Record<string, unknown> {
  return {
    title: row.title,
    body: row.body,
    pinned: row.pinned,
    locked: row.locked,
    hidden: row.hiddenAt !== null,
    publish_at: row.publishAt.toISOString(),
    audience_tier_ids: row.audienceTierIds,
    notify: row.data.notify === true,
  };
}

/**
 * Edits a post: its author changes title and body; staff with feed:manage may also
 * pin, lock, hide, reschedule (before publication), retarget and change the wish to
 * notify. Visibility changes are announced as they look to each audience (a hide is a
 * `feed.post_deleted` for members).
 */
export function updatePost(
  deps: FeedDeps,
  tenantId: string,
  actor: FeedActor,
  id: string,
  patch: PostPatch,
): Promise<FeedPostDto> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const viewer = await viewerOf(tx, tenantId, actor);
    const row = await loadPost(tx, tenantId, viewer, id, true);
    const me = actorRef(actor);
    const isAuthor = row.authorType === me.type && row.authorId === me.id;
    const staff = actor.type !== 'member' && actor.canManage;
    const moderation = (['pinned', 'locked', 'hidden', 'publishAt', 'audienceTierIds', 'notify'] as const).filter(
      (k) => patch[k] !== undefined,
    );
    if (moderation.length > 0) requireManager(actor, 'pin, lock, hide, schedule or target posts');
    const editsContent = patch.title !== undefined || patch.body !== undefined;
    if (editsContent && !isAuthor && !staff)
      throw new ApiError(FeedErrors.NOT_AUTHOR, 'Only the author or staff may edit this post.');
    if (editsContent && row.kind === 'milestone')
      throw new ApiError(
        FeedErrors.MILESTONE_NOT_EDITABLE,
        'Milestones are written by the platform; delete it instead.',
      );
    if (row.kind === 'announcement' && patch.title === null)
      throw validationError([{ field: 'title', message: 'Announcements need a title.' }]);
    if ((patch.publishAt !== undefined || patch.notify !== undefined) && row.publishedAt)
      throw new ApiError(
        FeedErrors.POST_ALREADY_PUBLISHED,
        'The post is published: its publication time and notification can no longer change.',
      );
    const now = deps.clock.now();
    const set: Partial<typeof feedPosts.$inferInsert> = { updatedAt: now };
    if (patch.title !== undefined) set.title = patch.title;
    if (patch.body !== undefined) set.body = patch.body;
    if (patch.pinned !== undefined) set.pinned = patch.pinned;
    if (patch.locked !== undefined) set.locked = patch.locked;
    if (patch.hidden !== undefined) set.hiddenAt = patch.hidden ? (row.hiddenAt ?? now) : null;
    if (patch.audienceTierIds !== undefined)
      set.audienceTierIds = row.kind === 'announcement' ? await checkTiers(tx, tenantId, patch.audienceTierIds) : null;
    if (patch.audienceTierIds !== undefined && row.kind !== 'announcement' && patch.audienceTierIds !== null)
      throw validationError([{ field: 'audience_tier_ids', message: 'Only announcements can be limited to tiers.' }]);
    if (patch.notify !== undefined) set.data = { ...row.data, notify: patch.notify };
    if (patch.publishAt !== undefined) {
      // A time not in the future publishes now (below, as the scheduler would).
      set.publishAt = patch.publishAt.getTime() > now.getTime() ? patch.publishAt : now;
    }
    const [updated] = await tx
      .update(feedPosts)
      .set(set)
      .where(and(eq(feedPosts.tenantId, tenantId), eq(feedPosts.id, id)))
      .returning();
    let post = updated!;
    const before = postTopics(row);
    if (!post.publishedAt && post.publishAt.getTime() <= now.getTime()) {
      const [published] = await tx
        .update(feedPosts)
        .set({ publishedAt: now })
        .where(and(eq(feedPosts.tenantId, tenantId), eq(feedPosts.id, id)))
        .returning();
      const names = await authorNames(tx, tenantId, [{ type: post.authorType, id: post.authorId }]);
      post = await afterPublish(deps, tx, tenantId, published!, authorOf(names, post.authorType, post.authorId).name);
    } else if (patch.body !== undefined && post.publishedAt && !post.hiddenAt) {
      // Newly mentioned members hear of it; those mentioned before do not again.
      const names = await authorNames(tx, tenantId, [me]);
      await notifyMentions(deps, tx, tenantId, post, post.body, {
        authorName: authorOf(names, me.type, me.id).name,
        ...(post.authorType === 'member' ? { authorMemberId: post.authorId } : {}),
        skip: mentionsIn(row.body).map((m) => m.memberId),
      });
    }
    const dto = await postDto(tx, tenantId, actor, post);
    const diff = diffOf(moderationView(row), moderationView(post));
    if (!isAuthor || actor.type !== 'member')
      await audit(deps, tx, tenantId, actor, 'feed_post.updated', 'feed_post', id, diff);
    if (Object.keys(diff).length > 0)
      await appendEvents(deps, tx, tenantId, postTransitionEvents(before, postTopics(post), dto, id));
    return dto;
  });
}

/** Deletes a post (its author, or staff with feed:manage); it disappears from every feed. */
export function deletePost(deps: FeedDeps, tenantId: string, actor: FeedActor, id: string): Promise<void> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const viewer = await viewerOf(tx, tenantId, actor);
    const row = await loadPost(tx, tenantId, viewer, id, true);
    await removePost(deps, tx, tenantId, actor, row);
  });
}

/** Soft-deletes a post the caller may delete, with its events and audit entry (reports resolve through this too). */
export async function removePost(deps: FeedDeps, tx: Tx, tenantId: string, actor: FeedActor, row: FeedPostRow) {
  const me = actorRef(actor);
  const isAuthor = row.authorType === me.type && row.authorId === me.id;
  if (!isAuthor && !(actor.type !== 'member' && actor.canManage))
    throw new ApiError(FeedErrors.NOT_AUTHOR, 'Only the author or staff may delete this post.');
  const now = deps.clock.now();
  await tx
    .update(feedPosts)
    .set({ deletedAt: now, updatedAt: now })
    .where(and(eq(feedPosts.tenantId, tenantId), eq(feedPosts.id, row.id)));
  if (actor.type !== 'member')
    await audit(deps, tx, tenantId, actor, 'feed_post.deleted', 'feed_post', row.id, {
      kind: row.kind,
      title: row.title,
    });
  await appendEvents(deps, tx, tenantId, postTransitionEvents(postTopics(row), null, {}, row.id));
}

/** Hides a post (moderation through a report), as a staff edit would. */
export async function hidePostInTx(deps: FeedDeps, tx: Tx, tenantId: string, actor: FeedActor, row: FeedPostRow) {
  if (row.hiddenAt || row.deletedAt) return;
  const now = deps.clock.now();
  const [post] = await tx
    .update(feedPosts)
    .set({ hiddenAt: now, updatedAt: now })
    .where(and(eq(feedPosts.tenantId, tenantId), eq(feedPosts.id, row.id)))
    .returning();
  const dto = await postDto(tx, tenantId, null, post!);
  await audit(deps, tx, tenantId, actor, 'feed_post.updated', 'feed_post', row.id, {
    hidden: { from: false, to: true },
  });
  await appendEvents(deps, tx, tenantId, postTransitionEvents(postTopics(row), postTopics(post!), dto, row.id));
}

/** A page of a post's comments, oldest first. */
export interface CommentPage {
  comments: FeedCommentDto[];
  hasMore: boolean;
  lastId: string | null;
}

export function listComments(
  deps: FeedDeps,
  tenantId: string,
  actor: FeedActor,
  postId: string,
  options: { limit: number; afterId?: string },
): Promise<CommentPage> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const viewer = await viewerOf(tx, tenantId, actor);
    await loadPost(tx, tenantId, viewer, postId);
    const rows = await tx
      .select()
      .from(feedComments)
      .where(
        and(
          eq(feedComments.tenantId, tenantId),
          eq(feedComments.postId, postId),
          isNull(feedComments.deletedAt),
          viewer.type === 'member' ? isNull(feedComments.hiddenAt) : undefined,
          options.afterId ? gt(feedComments.id, options.afterId) : undefined,
        ),
      )
      .orderBy(asc(feedComments.id))
      .limit(options.limit + 1);
    const page = rows.slice(0, options.limit);
    return {
      comments: await commentDtos(tx, tenantId, page),
      hasMore: rows.length > options.limit,
      lastId: page.at(-1)?.id ?? null,
    };
  });
}

async function bumpCommentCount(tx: Tx, tenantId: string, postId: string, by: number): Promise<void> {
  await tx
    .update(feedPosts)
    .set({ commentCount: sql`greatest(0, ${feedPosts.commentCount} + ${by})` })
    .where(and(eq(feedPosts.tenantId, tenantId), eq(feedPosts.id, postId)));
}

/**
 * Comments on a post the actor sees: members when the tenant allows member comments;
 * nobody on a locked post (409). Mentioned members are notified.
 */
export function createComment(
  deps: FeedDeps,
  tenantId: string,
  actor: FeedActor,
  postId: string,
  body: string,
  beforeWrite?: BeforeWrite,
): Promise<FeedCommentDto> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const viewer = await viewerOf(tx, tenantId, actor);
    const post = await loadPost(tx, tenantId, viewer, postId, true);
    const settings = await readFeedSettings(tx, tenantId);
    if (post.locked) throw new ApiError(FeedErrors.POST_LOCKED, 'The post is locked: no new comments.');
    if (actor.type === 'member' && !settings.memberComments)
      throw new ApiError(FeedErrors.MEMBER_COMMENTS_DISABLED, 'This community does not let members comment.');
    if (actor.type === 'member') await beforeWrite?.(settings);
    const author = actorRef(actor);
    const now = deps.clock.now();
    const [row] = await tx
      .insert(feedComments)
      .values({
        tenantId,
        id: deps.ids.generate('cmt'),
        postId,
        authorType: author.type,
        authorId: author.id,
        body,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await bumpCommentCount(tx, tenantId, postId, 1);
    const [dto] = await commentDtos(tx, tenantId, [row!]);
    if (post.publishedAt && !post.hiddenAt)
      await notifyMentions(deps, tx, tenantId, post, body, {
        authorName: dto!.author.name,
        commentId: row!.id,
        ...(actor.type === 'member' ? { authorMemberId: actor.memberId } : {}),
      });
    if (actor.type !== 'member')
      await audit(deps, tx, tenantId, actor, 'feed_comment.created', 'feed_comment', row!.id, { post_id: postId });
    await appendEvents(deps, tx, tenantId, eventsForPost(postTopics(post), 'feed.comment_created', { ...dto! }));
    return dto!;
  });
}

async function loadComment(
  tx: Tx,
  tenantId: string,
  viewer: FeedViewer,
  id: string,
): Promise<{ comment: FeedCommentRow; post: FeedPostRow }> {
  const [comment] = await tx
    .select()
    .from(feedComments)
    .where(and(eq(feedComments.tenantId, tenantId), eq(feedComments.id, id)))
    .for('update');
  if (!comment || !canSeeComment(viewer, comment)) throw commentNotFound(id);
  const [post] = await tx
    .select()
    .from(feedPosts)
    .where(and(eq(feedPosts.tenantId, tenantId), eq(feedPosts.id, comment.postId)));
  if (!post || !canSeePost(viewer, post)) throw commentNotFound(id);
  return { comment, post };
}

/** Edits a comment: its author the body (not on a locked post); staff with feed:manage may hide it. */
export function updateComment(
  deps: FeedDeps,
  tenantId: string,
  actor: FeedActor,
  id: string,
  patch: { body?: string; hidden?: boolean },
): Promise<FeedCommentDto> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const viewer = await viewerOf(tx, tenantId, actor);
    const { comment, post } = await loadComment(tx, tenantId, viewer, id);
    const me = actorRef(actor);
    const isAuthor = comment.authorType === me.type && comment.authorId === me.id;
    const staff = actor.type !== 'member' && actor.canManage;
    if (patch.hidden !== undefined) requireManager(actor, 'hide comments');
    if (patch.body !== undefined && !isAuthor && !staff)
      throw new ApiError(FeedErrors.NOT_AUTHOR, 'Only the author or staff may edit this comment.');
    if (patch.body !== undefined && post.locked && !staff)
      throw new ApiError(FeedErrors.POST_LOCKED, 'The post is locked: its comments can no longer change.');
    return applyCommentChange(deps, tx, tenantId, actor, comment, post, patch);
  });
}

async function applyCommentChange(
  deps: FeedDeps,
  tx: Tx,
  tenantId: string,
  actor: FeedActor,
  comment: FeedCommentRow,
  post: FeedPostRow,
  patch: { body?: string; hidden?: boolean },
): Promise<FeedCommentDto> {
  const now = deps.clock.now();
  const set: Partial<typeof feedComments.$inferInsert> = { updatedAt: now };
  if (patch.body !== undefined) set.body = patch.body;
  if (patch.hidden !== undefined) set.hiddenAt = patch.hidden ? (comment.hiddenAt ?? now) : null;
  const [updated] = await tx
    .update(feedComments)
    .set(set)
    .where(and(eq(feedComments.tenantId, tenantId), eq(feedComments.id, comment.id)))
    .returning();
  const row = updated!;
  const wasHidden = comment.hiddenAt !== null;
  const isHidden = row.hiddenAt !== null;
  if (wasHidden !== isHidden) await bumpCommentCount(tx, tenantId, post.id, isHidden ? -1 : 1);
  const [dto] = await commentDtos(tx, tenantId, [row]);
  const view = (c: FeedCommentRow) => ({ body: c.body, hidden: c.hiddenAt !== null });
  const diff = diffOf(view(comment), view(row));
  if (actor.type !== 'member')
    await audit(deps, tx, tenantId, actor, 'feed_comment.updated', 'feed_comment', row.id, diff);
  if (Object.keys(diff).length === 0) return dto!;
  const topics = postTopics(post);
  const gone = { id: row.id, post_id: post.id };
  const events = [];
  if (!wasHidden && !isHidden) events.push(...eventsForPost(topics, 'feed.comment_updated', { ...dto! }));
  else {
    const memberType = isHidden ? 'feed.comment_deleted' : 'feed.comment_created';
    events.push(...topics.member.map((topic) => ({ topic, type: memberType, data: isHidden ? gone : { ...dto! } })));
    // Staff see hidden comments: theirs is an update, after the members' removal.
    events.push({ topic: FEED_STAFF_TOPIC, type: 'feed.comment_updated', data: { ...dto! } });
  }
  await appendEvents(deps, tx, tenantId, events);
  return dto!;
}

/** Hides a comment (moderation through a report). */
export async function hideCommentInTx(
  deps: FeedDeps,
  tx: Tx,
  tenantId: string,
  actor: FeedActor,
  comment: FeedCommentRow,
  post: FeedPostRow,
): Promise<void> {
  if (comment.hiddenAt || comment.deletedAt) return;
  await applyCommentChange(deps, tx, tenantId, actor, comment, post, { hidden: true });
}

/** Deletes a comment (its author, or staff with feed:manage). */
export function deleteComment(deps: FeedDeps, tenantId: string, actor: FeedActor, id: string): Promise<void> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const viewer = await viewerOf(tx, tenantId, actor);
    const { comment, post } = await loadComment(tx, tenantId, viewer, id);
    await removeComment(deps, tx, tenantId, actor, comment, post);
  });
}

export async function removeComment(
  deps: FeedDeps,
  tx: Tx,
  tenantId: string,
  actor: FeedActor,
  comment: FeedCommentRow,
  post: FeedPostRow,
): Promise<void> {
  const me = actorRef(actor);
  const isAuthor = comment.authorType === me.type && comment.authorId === me.id;
  if (!isAuthor && !(actor.type !== 'member' && actor.canManage))
    throw new ApiError(FeedErrors.NOT_AUTHOR, 'Only the author or staff may delete this comment.');
  const now = deps.clock.now();
  await tx
    .update(feedComments)
    .set({ deletedAt: now, updatedAt: now })
    .where(and(eq(feedComments.tenantId, tenantId), eq(feedComments.id, comment.id)));
  if (!comment.hiddenAt) await bumpCommentCount(tx, tenantId, post.id, -1);
  if (actor.type !== 'member')
    await audit(deps, tx, tenantId, actor, 'feed_comment.deleted', 'feed_comment', comment.id, { post_id: post.id });
  const gone = { id: comment.id, post_id: post.id };
  const topics = postTopics(post);
  // Staff knew a hidden comment only from feed.staff: that is where its removal goes.
  const events = comment.hiddenAt
    ? [{ topic: FEED_STAFF_TOPIC, type: 'feed.comment_deleted', data: gone }]
    : eventsForPost(topics, 'feed.comment_deleted', gone);
  await appendEvents(deps, tx, tenantId, events);
}

/** A post's reactions after a change, and the actor's own. */
export interface ReactionsView {
  postId: string;
  reactions: Record<string, number>;
  mine: FeedReaction[];
}

/**
 * Adds (`on`) or removes one reaction of the actor on a post they see. Idempotent;
 * counts are kept on the post in the same transaction. Refused on locked posts (409)
 * and, for members, when the tenant turned reactions off (403).
 */
export function setReaction(
  deps: FeedDeps,
  tenantId: string,
  actor: FeedActor,
  postId: string,
  reaction: FeedReaction,
  on: boolean,
): Promise<ReactionsView> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const viewer = await viewerOf(tx, tenantId, actor);
    const post = await loadPost(tx, tenantId, viewer, postId, true);
    if (post.locked) throw new ApiError(FeedErrors.POST_LOCKED, 'The post is locked: reactions can no longer change.');
    if (actor.type === 'member') {
      const settings = await readFeedSettings(tx, tenantId);
      if (!settings.reactions)
        throw new ApiError(FeedErrors.REACTIONS_DISABLED, 'This community does not use reactions.');
    }
    const me = actorRef(actor);
    const key = and(
      eq(feedReactions.tenantId, tenantId),
      eq(feedReactions.postId, postId),
      eq(feedReactions.actorType, me.type),
      eq(feedReactions.actorId, me.id),
    );
    const changed = on
      ? await tx
          .insert(feedReactions)
          .values({ tenantId, postId, actorType: me.type, actorId: me.id, reaction, createdAt: deps.clock.now() })
          .onConflictDoNothing()
          .returning({ reaction: feedReactions.reaction })
      : await tx
          .delete(feedReactions)
          .where(and(key, eq(feedReactions.reaction, reaction)))
          .returning({ reaction: feedReactions.reaction });
    let counts = post.reactionCounts;
    if (changed.length > 0) {
      const next = { ...counts, [reaction]: Math.max(0, (counts[reaction] ?? 0) + (on ? 1 : -1)) };
      if (next[reaction] === 0) delete next[reaction];
      counts = next;
      await tx
        .update(feedPosts)
        .set({ reactionCounts: counts })
        .where(and(eq(feedPosts.tenantId, tenantId), eq(feedPosts.id, postId)));
      await appendEvents(
        deps,
        tx,
        tenantId,
        eventsForPost(postTopics(post), 'feed.reactions_changed', { post_id: postId, reactions: counts }),
      );
    }
    const mine = await tx
      .select({ reaction: feedReactions.reaction })
      .from(feedReactions)
      .where(key)
      .orderBy(asc(feedReactions.createdAt));
    return { postId, reactions: counts, mine: mine.map((r) => r.reaction as FeedReaction) };
  });
}
