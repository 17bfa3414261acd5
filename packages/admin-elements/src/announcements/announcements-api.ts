import type { Memberkit, FeedPost as SdkFeedPost } from '@memberkit/sdk';

/** A feed post as staff see it (the SDK's `FeedPost`); announcements are `kind: 'announcement'`. */
export type FeedPost = SdkFeedPost;

/** What staff write: a new announcement. */
export interface CreateAnnouncementBody {
  title: string;
  body: string;
  pinned?: boolean | undefined;
  /** ISO 8601; absent to publish now. */
  publish_at?: string | undefined;
  /** Tiers whose members see it; empty or absent for everyone. */
  audience_tier_ids?: string[] | undefined;
  /** Queue an `announcement` notification to its audience when it is published. */
  notify?: boolean | undefined;
}

/** A change to an announcement. */
export interface UpdateAnnouncementBody {
  title?: string | undefined;
  body?: string | undefined;
  pinned?: boolean | undefined;
  /** Only before publication. */
  publish_at?: string | undefined;
  audience_tier_ids?: string[] | null | undefined;
}

/** One page of posts. */
export interface PostPage {
  data: FeedPost[];
  has_more: boolean;
  next_cursor: string | null;
}

/**
 * The feed API as `<member-admin-announcements>` uses it (staff token, `feed:read` /
 * `feed:manage`). {@link sdkAnnouncementsApi} implements it on the provider's SDK client
 * (`mk.feed`); a page may pass its own as the element's `api`.
 */
export interface AnnouncementsApi {
  list(params: { status: 'published' | 'scheduled'; limit?: number; cursor?: string | undefined }): Promise<PostPage>;
  create(body: CreateAnnouncementBody): Promise<FeedPost>;
  update(id: string, body: UpdateAnnouncementBody): Promise<FeedPost>;
  delete(id: string): Promise<void>;
}

/** {@link AnnouncementsApi} on the provider's SDK client: `mk.feed`. */
export function sdkAnnouncementsApi(client: Memberkit): AnnouncementsApi {
  const feed = client.feed;
  return {
    list: async ({ cursor, ...params }) => {
      const page = await feed.list({ ...params, ...(cursor ? { cursor } : {}) });
      return { data: page.data, has_more: page.has_more, next_cursor: page.next_cursor ?? null };
    },
    // A staff post is an announcement (the API takes no `kind`).
    create: (body) => feed.posts.create({ ...body }),
    update: (id, body) => feed.posts.update(id, { ...body }),
    delete: async (id) => {
      await feed.posts.delete(id);
    },
  };
}

/** Announcement bodies allow up to 10,000 characters. */
export const MAX_BODY_LENGTH = 10_000;
/** Titles allow up to 200 characters. */
export const MAX_TITLE_LENGTH = 200;
