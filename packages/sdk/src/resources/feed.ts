import type { ListPromise } from '../core/pagination.js';
import { Resource, seg, toQuery } from '../core/resource.js';
import type { CallOptions, Transport } from '../core/transport.js';

/** The reactions a post takes. */
export type FeedReaction = 'like' | 'love' | 'celebrate' | 'laugh' | 'wow' | 'sad';

/** Who wrote a post, comment or message. */
export interface Author {
  type: 'member' | 'staff' | 'system';
  id: string | null;
  name: string;
}

/** A post of the tenant's activity feed: a member post, a staff announcement or a member milestone. */
export interface FeedPost {
  id: string;
  object: 'feed_post';
  kind: 'post' | 'announcement' | 'milestone';
  author: Author;
  title: string | null;
  /** Markdown subset. */
  body: string | null;
  data: Record<string, unknown> | null;
  /** Empty: everyone. */
  audience_tier_ids: string[];
  pinned: boolean;
  locked: boolean;
  /** Hidden by staff (only staff see hidden posts). */
  hidden: boolean;
  publish_at: string | null;
  published: boolean;
  comment_count: number;
  /** Count per reaction. */
  reactions: Partial<Record<FeedReaction, number>>;
  /** The caller's own reactions. */
  my_reactions: FeedReaction[];
  created_at: string;
  updated_at: string;
}

/** One page of the feed. */
export interface FeedPostList {
  object: 'list';
  data: FeedPost[];
  has_more: boolean;
  next_cursor: string | null;
}

/** A comment on a post. */
export interface FeedComment {
  id: string;
  object: 'feed_comment';
  post_id: string;
  author: Author;
  body: string;
  hidden: boolean;
  created_at: string;
  updated_at: string;
}

/** One page of a post's comments. */
export interface FeedCommentList {
  object: 'list';
  data: FeedComment[];
  has_more: boolean;
  next_cursor: string | null;
}

/** Query of {@link FeedResource.list}. */
export interface ListFeedParams {
  limit?: number | undefined;
  /** Staff with `feed:read` only; members always get published posts. */
  status?: 'published' | 'scheduled' | 'hidden' | 'all' | undefined;
}

/** Body of {@link FeedPostsResource.create}: a member post, or (staff) an announcement. */
export interface CreateFeedPostParams {
  kind?: 'post' | 'announcement' | undefined;
  title?: string | undefined;
  body: string;
  pinned?: boolean | undefined;
  /** ISO 8601: publish later (announcements). */
  publish_at?: string | undefined;
  audience_tier_ids?: string[] | undefined;
  /** Announcements: notify the audience when it is published. */
  notify?: boolean | undefined;
}

/** Body of {@link FeedPostsResource.update}: authors edit their text; staff also pin, lock and hide. */
export interface UpdateFeedPostParams {
  title?: string | null | undefined;
  body?: string | undefined;
  pinned?: boolean | undefined;
  locked?: boolean | undefined;
  hidden?: boolean | undefined;
  publish_at?: string | null | undefined;
  audience_tier_ids?: string[] | undefined;
}

/** Query of {@link FeedPostCommentsResource.list}. */
export interface ListFeedCommentsParams {
  limit?: number | undefined;
}

/** Body of {@link FeedPostCommentsResource.create}. */
export interface CreateFeedCommentParams {
  body: string;
}

/** Body of {@link FeedCommentsResource.update}. */
export interface UpdateFeedCommentParams {
  body?: string | undefined;
  /** Staff only. */
  hidden?: boolean | undefined;
}

/** The reactions of a post after a change. */
export interface FeedReactions {
  post_id: string;
  reactions: Partial<Record<FeedReaction, number>>;
  my_reactions?: FeedReaction[] | undefined;
}

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
  delete(id: string, options?: CallOptions): Promise<void> {
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
  delete(id: string, options?: CallOptions): Promise<void> {
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
export interface ContentReport {
  id: string;
  object: 'content_report';
  target_type: 'post' | 'comment' | 'message';
  target_id: string;
  reason: string;
  status: 'open' | 'resolved' | 'dismissed';
  reporter: Author;
  action: 'dismiss' | 'hide' | 'delete' | null;
  note: string | null;
  created_at: string;
  resolved_at: string | null;
}

/** One page of reports. */
export interface ContentReportList {
  object: 'list';
  data: ContentReport[];
  has_more: boolean;
  next_cursor: string | null;
}

/** Body of {@link ContentReportsResource.create}. */
export interface CreateContentReportParams {
  target_type: 'post' | 'comment' | 'message';
  target_id: string;
  reason: string;
}

/** Query of {@link ContentReportsResource.list}. */
export interface ListContentReportsParams {
  status?: string | undefined;
  limit?: number | undefined;
}

/** Body of {@link ContentReportsResource.resolve}. */
export interface ResolveContentReportParams {
  action: 'dismiss' | 'hide' | 'delete';
  note?: string | undefined;
}

/**
 * `mk.contentReports`: members report posts, comments and messages; staff resolve them.
 * (`mk.reports` is the custom analytics reports.)
 */
export class ContentReportsResource extends Resource {
  /** Reports a post, comment or message (`POST /v1/reports`, member). */
  create(params: CreateContentReportParams, options?: CallOptions): Promise<ContentReport> {
    return this.call({ method: 'POST', path: '/v1/reports', body: params, auth: 'member' }, options);
  }

  /** Lists reports (`GET /v1/reports`, staff `feed:read`). */
  list(params?: ListContentReportsParams, options?: CallOptions): ListPromise<ContentReportList> {
    return this.paginate({ path: '/v1/reports', query: toQuery(params) }, options);
  }

  /** Resolves a report: dismiss it, or hide or delete what it reports (`POST /v1/reports/{id}/resolve`, `feed:manage`). */
  resolve(id: string, params: ResolveContentReportParams, options?: CallOptions): Promise<ContentReport> {
    return this.call({ method: 'POST', path: `/v1/reports/${seg(id)}/resolve`, body: params }, options);
  }
}
