import type { Member } from '../resources/members.js';
import type { Notification } from '../resources/notifications.js';
import type { FeedComment, FeedPost, FeedReaction } from '../resources/feed.js';
import type { Conversation, Message } from '../resources/conversations.js';
import type { PresenceStatus } from '../resources/presence.js';

/** A topic a stream can subscribe to. `me` is the signed-in member's own events (members only). */
export type RealtimeTopic =
  | 'members'
  | 'feed'
  | 'feed.staff'
  | 'presence'
  | 'inbox'
  | 'me'
  | `member.${string}`
  | `conversation.${string}`;

/** Someone in a conversation, as receipts and typing name them. */
export interface ParticipantRef {
  type: 'member' | 'staff';
  id: string;
}

/** Every event type of the stream and the type of its `data`. */
export interface RealtimeEventMap {
  /** `members` topic (staff with `member:read`). */
  'member.created': Member;
  'member.updated': Member;
  'member.status_changed': Member;
  'member.tier_changed': Member;
  'member.deleted': { id: string; object: 'member' };
  'member.restored': Member;
  /** `presence` topic. */
  'presence.changed': { member_id: string; status: PresenceStatus; last_seen_at: string; name: string };
  /** `me` topic (`member.<id>`). */
  'notification.created': Notification & { unread_count: number };
  'notification.read': { ids: string[]; unread_count: number };
  'notification.deleted': { id: string; unread_count: number };
  /** `me` (the member's view, with their `unread_count`) and `inbox` (staff). */
  'conversation.created': Conversation;
  'conversation.updated': Conversation;
  'message.unread': { total_unread: number };
  /** `feed` topic. */
  'feed.post_created': FeedPost;
  'feed.post_updated': FeedPost;
  'feed.post_deleted': { id: string };
  'feed.comment_created': FeedComment;
  'feed.comment_updated': FeedComment;
  'feed.comment_deleted': { id: string; post_id: string };
  'feed.reactions_changed': { post_id: string; reactions: Partial<Record<FeedReaction, number>> };
  /** `conversation.<id>` topics (and `inbox` for support conversations). */
  'message.created': Message;
  'message.updated': Message;
  'message.deleted': Message;
  'conversation.read': {
    conversation_id: string;
    participant: ParticipantRef;
    last_read_message_id: string | null;
    read_at: string;
  };
  /** Ephemeral: never logged, no `id`, not replayed after a reconnect. */
  typing: { conversation_id: string; participant: ParticipantRef & { name: string } };
}

/** An event type the SDK knows. */
export type RealtimeEventType = keyof RealtimeEventMap;

/**
 * One event as the stream delivers it: switch on `type` and `data` is typed.
 * Types added to the API after this SDK version are delivered too (reach a `default` branch).
 *
 * @example
 * mk.realtime.subscribe(['me'], (event) => {
 *   if (event.type === 'notification.created') badge.textContent = String(event.data.unread_count);
 * });
 */
export type RealtimeEvent = {
  [K in RealtimeEventType]: {
    /** `<epoch>-<seq>`; undefined for ephemeral events (`typing`). */
    id: string | undefined;
    type: K;
    /** The concrete topic, e.g. `member.mem_…` for `me`, `conversation.cnv_…`. */
    topic: string;
    created_at: string;
    data: RealtimeEventMap[K];
  };
}[RealtimeEventType];
