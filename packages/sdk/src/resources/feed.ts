import type { ListPromise } from '../core/pagination.js';
import { Resource, seg, toQuery } from '../core/resource.js';
import type { CallOptions, Transport } from '../core/transport.js';
import type { BodyOf, QueryOf, Schema } from '../core/types.js';

/** A post of the tenant's activity feed: a member post, a staff announcement or a member milestone. */
export type FeedPost = Schema<'FeedPost'>;
/** The reactions a post takes. */
export type FeedReaction = FeedPost['my_reactions'][number];
/** Who wrote a post or comment. */
export type Author = Schema<'FeedAuthor'>;
/** One page of the feed. */
export type FeedPostList = Schema<'FeedPostList'>;
/** What {@link FeedPostsResource.delete} answers. */
export type DeletedFeedPost = Schema<'DeletedFeedPost'>;
/** A comment on a post. */
export type FeedComment = Schema<'FeedComment'>;
/** One page of a post's comments. */
export type FeedCommentList = Schema<'FeedCommentList'>;
/** What {@link FeedCommentsResource.delete} answers. */
export type DeletedFeedComment = Schema<'DeletedFeedComment'>;
/**
 * Query of {@link FeedResource.list}; `status` is for staff with `feed:read`. `cursor` (a page's
 * `next_cursor`) starts the list there, for a "load more" that keeps only the cursor.
 */
export type ListFeedParams = QueryOf<'listFeed'>;
/** Body of {@link FeedPostsResource.create}: a member post, or (staff) an announcement. */
export type CreateFeedPostParams = BodyOf<'createFeedPost'>;
/** Body of {@link FeedPostsResource.update}: authors edit their text; staff also pin, lock and hide. */
export type UpdateFeedPostParams = BodyOf<'updateFeedPost'>;
/** Query of {@link FeedPostCommentsResource.list}. */
export type ListFeedCommentsParams = Omit<QueryOf<'listFeedComments'>, 'cursor'>;
/** Body of {@link FeedPostCommentsResource.create}. */
export type CreateFeedCommentParams = BodyOf<'createFeedComment'>;
/** Body of {@link FeedCommentsResource.update}. */
export type UpdateFeedCommentParams = BodyOf<'updateFeedComment'>;
/** The reactions of a post after a change. */
export type FeedReactions = Schema<'FeedReactions'>;

/** `mk.feed.posts.comments`: comments of a post. */
export class FeedPostCommentsResource extends Resource {
  /** Lists a post's comments, oldest first (`GET /v1/feed/posts/{id}/comments`). */
  list(postId: string, params?: ListFeedCommentsParams, options?: CallOptions): ListPromise<FeedCommentList> {
    return this.paginate(
      { path: `/v1/feed/posts/${seg(postId)}/comments`, query: toQuery(params), auth: 'member' },
      options,
    );
  }

  /** Comments on a post (`POST /v1/feed/posts/{id}/comments`); a locked post answers 409. */
  create(postId: string, params: CreateFeedCommentParams, options?: CallOptions): Promise<FeedComment> {
    return this.call(
      { method: 'POST', path: `/v1/feed/posts/${seg(postId)}/comments`, body: params, auth: 'member' },
      options,
    );
  }
}

/** `mk.feed.posts`: posts and announcements. */
export class FeedPostsResource extends Resource {
  /** Comments of a post. */
  readonly comments: FeedPostCommentsResource;

  /** Made by {@link Memberkit}. */
  constructor(transport: Transport) {
    super(transport);
    this.comments = new FeedPostCommentsResource(transport);
  }

  /**
   * Posts to the feed (`POST /v1/feed/posts`): members write posts when the tenant allows
   * them; staff write announcements (pinned, scheduled, for some tiers, with a notification).
   *
   * @example
   * await mk.feed.posts.create({ body: 'Hello **everyone**' });
   */
  create(params: CreateFeedPostParams, options?: CallOptions): Promise<FeedPost> {
    return this.call({ method: 'POST', path: '/v1/feed/posts', body: params, auth: 'member' }, options);
  }

  /** One post (`GET /v1/feed/posts/{id}`). */
  get(id: string, options?: CallOptions): Promise<FeedPost> {
    return this.call({ method: 'GET', path: `/v1/feed/posts/${seg(id)}`, auth: 'member' }, options);
  }

  /** Edits a post (`PATCH /v1/feed/posts/{id}`). */
  update(id: string, params: UpdateFeedPostParams, options?: CallOptions): Promise<FeedPost> {
    return this.call({ method: 'PATCH', path: `/v1/feed/posts/${seg(id)}`, body: params, auth: 'member' }, options);
  }

  /** Deletes a post (`DELETE /v1/feed/posts/{id}`). */
  delete(id: string, options?: CallOptions): Promise<DeletedFeedPost> {
    return this.call({ method: 'DELETE', path: `/v1/feed/posts/${seg(id)}`, auth: 'member' }, options);
  }

  /** Adds the caller's reaction (`PUT /v1/feed/posts/{id}/reactions/{reaction}`); idempotent. */
  react(id: string, reaction: FeedReaction, options?: CallOptions): Promise<FeedReactions> {
    return this.call(
      { method: 'PUT', path: `/v1/feed/posts/${seg(id)}/reactions/${seg(reaction)}`, auth: 'member' },
      options,
    );
  }

  /** Takes the caller's reaction back (`DELETE /v1/feed/posts/{id}/reactions/{reaction}`). */
  unreact(id: string, reaction: FeedReaction, options?: CallOptions): Promise<FeedReactions> {
    return this.call(
      { method: 'DELETE', path: `/v1/feed/posts/${seg(id)}/reactions/${seg(reaction)}`, auth: 'member' },
      options,
    );
  }
}

/** `mk.feed.comments`: one comment by id. */
export class FeedCommentsResource extends Resource {
  /** Edits a comment (own), or hides it (staff) (`PATCH /v1/feed/comments/{id}`). */
  update(id: string, params: UpdateFeedCommentParams, options?: CallOptions): Promise<FeedComment> {
    return this.call({ method: 'PATCH', path: `/v1/feed/comments/${seg(id)}`, body: params, auth: 'member' }, options);
  }

  /** Deletes a comment (`DELETE /v1/feed/comments/{id}`). */
  delete(id: string, options?: CallOptions): Promise<DeletedFeedComment> {
    return this.call({ method: 'DELETE', path: `/v1/feed/comments/${seg(id)}`, auth: 'member' }, options);
  }
}

/** `mk.feed`: the tenant's activity feed (members and staff). */
export class FeedResource extends Resource {
  /** Posts, their comments and reactions. */
  readonly posts: FeedPostsResource;
  /** Comments by id. */
  readonly comments: FeedCommentsResource;

  /** Made by {@link Memberkit}. */
  constructor(transport: Transport) {
    super(transport);
    this.posts = new FeedPostsResource(transport);
    this.comments = new FeedCommentsResource(transport);
  }

  /**
   * The feed, pinned posts first on the first page (`GET /v1/feed`): await it for one page,
   * or iterate it for every post.
   *
   * @example
   * for await (const post of mk.feed.list({ limit: 20 })) console.log(post.title ?? post.body);
   */
  list(params?: ListFeedParams, options?: CallOptions): ListPromise<FeedPostList> {
    return this.paginate({ path: '/v1/feed', query: toQuery(params), auth: 'member' }, options);
  }
}

/** A member's report of a post, comment or message. */
export type ContentReport = Schema<'ContentReport'>;
/** One page of reports. */
export type ContentReportList = Schema<'ContentReportList'>;
/** Body of {@link ContentReportsResource.create}. */
export type CreateContentReportParams = BodyOf<'createContentReport'>;
/** Query of {@link ContentReportsResource.list}. */
export type ListContentReportsParams = Omit<QueryOf<'listContentReports'>, 'cursor'>;
/** Body of {@link ContentReportsResource.resolve}. */
export type ResolveContentReportParams = BodyOf<'resolveContentReport'>;

/**
 * `mk.contentReports`: members report posts, comments and messages; staff resolve them.
 * (`mk.reports` is the custom analytics reports.)
 */
export class ContentReportsResource extends Resource {
  /** Reports a post, comment or message (`POST /v1/content-reports`, member). */
  create(params: CreateContentReportParams, options?: CallOptions): Promise<ContentReport> {
    return this.call({ method: 'POST', path: '/v1/content-reports', body: params, auth: 'member' }, options);
  }

  /** Lists reports (`GET /v1/content-reports`, staff `feed:read`). */
  list(params?: ListContentReportsParams, options?: CallOptions): ListPromise<ContentReportList> {
    return this.paginate({ path: '/v1/content-reports', query: toQuery(params) }, options);
  }

  /** Resolves a report: dismiss it, or hide or delete what it reports (`POST /v1/content-reports/{id}/resolve`, `feed:manage`). */
  resolve(id: string, params: ResolveContentReportParams, options?: CallOptions): Promise<ContentReport> {
    return this.call({ method: 'POST', path: `/v1/content-reports/${seg(id)}/resolve`, body: params }, options);
  }
}
