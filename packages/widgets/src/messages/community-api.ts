/**
 * What the community elements (`<member-notifications>`, `<member-feed>`,
 * `<member-messages>`, `<member-presence>`) share of the SDK: its types, the reactions,
 * and a pager over a list's pages for "Show older".
 */
import type { FeedReaction, ListPromise, PageLike } from '@memberkit/sdk';

export type {
  CommunitySettings,
  Conversation,
  ConversationParticipant,
  FeedComment,
  FeedPost,
  FeedReaction,
  Message,
  Notification,
  PresenceEntry,
  RealtimeEvent,
} from '@memberkit/sdk';

/** The reactions a post takes, in the order the feed shows them. */
export const REACTIONS: readonly FeedReaction[] = ['like', 'love', 'celebrate', 'laugh', 'wow', 'sad'];

/**
 * The pages of one list, loaded on demand: `first()` (again after a reload), then
 * `next()` for each "Show older". A new `first()` forgets the pages of the last.
 */
export class Pager<P extends PageLike<unknown>> {
  #pages: AsyncGenerator<P, void, undefined> | undefined;
  /** Whether `next()` may give another page. */
  hasMore = false;

  /** Starts over with `list` and resolves to its first page. */
  async first(list: ListPromise<P>): Promise<P> {
    const pages = list.pages();
    this.#pages = pages;
    // pages() always yields the first page before it can be done.
    const page = (await pages.next()).value as P;
    if (this.#pages === pages) this.hasMore = Boolean(page.has_more);
    return page;
  }

  /** The next page, or null when there is none. */
  async next(): Promise<P | null> {
    const pages = this.#pages;
    if (!pages || !this.hasMore) return null;
    const step = await pages.next();
    if (this.#pages !== pages) return null;
    if (step.done) {
      this.hasMore = false;
      return null;
    }
    this.hasMore = Boolean(step.value.has_more);
    return step.value;
  }
}
