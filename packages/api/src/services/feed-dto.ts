import type { FeedCommentRow, FeedPostRow } from '../db/schema/index.js';
import type { FeedPostKind } from '../db/schema/feed.js';
import type { AuthorDto, FeedReaction } from './feed-access.js';

/** A feed post as the API returns it (and as `feed.*` events carry it). */
export type FeedPostDto = {
  id: string;
  object: 'feed_post';
  kind: FeedPostKind;
  author: AuthorDto;
  title: string | null;
  body: string;
  data: Record<string, unknown>;
  audience_tier_ids: string[] | null;
  pinned: boolean;
  locked: boolean;
  hidden: boolean;
  publish_at: string;
  published: boolean;
  comment_count: number;
  reactions: Record<string, number>;
  my_reactions: FeedReaction[];
  created_at: string;
  updated_at: string;
};

/** A comment as the API returns it. */
export type FeedCommentDto = {
  id: string;
  object: 'feed_comment';
  post_id: string;
  author: AuthorDto;
  body: string;
  hidden: boolean;
  created_at: string;
  updated_at: string;
};

/** What `data` of a post shows (`notify`: the audience is notified when it is published); bookkeeping stays inside. */
function publicData(data: Record<string, unknown>): Record<string, unknown> {
  const { notified: _notified, ...rest } = data;
  return rest;
}

export function toPostDto(row: FeedPostRow, author: AuthorDto, myReactions: FeedReaction[]): FeedPostDto {
  return {
    id: row.id,
    object: 'feed_post',
    kind: row.kind,
    author,
    title: row.title,
    body: row.body,
    data: publicData(row.data),
    audience_tier_ids: row.audienceTierIds,
    pinned: row.pinned,
    locked: row.locked,
    hidden: row.hiddenAt !== null,
    publish_at: row.publishAt.toISOString(),
    published: row.publishedAt !== null,
    comment_count: row.commentCount,
    reactions: row.reactionCounts,
    my_reactions: myReactions,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export function toCommentDto(row: FeedCommentRow, author: AuthorDto): FeedCommentDto {
  return {
    id: row.id,
    object: 'feed_comment',
    post_id: row.postId,
    author,
    body: row.body,
    hidden: row.hiddenAt !== null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
