import type { Conversation, FeedComment, FeedPost, FeedReaction, Message, Notification } from './community-api.js';

/** Detail of `member-notifications-change`: the unread count changed (loaded, live, or by the member). */
export interface MemberNotificationsChangeDetail {
  unreadCount: number;
}

/** Detail of `member-notification-click`: the member opened a notification. Cancelable: `preventDefault()` keeps the link from being followed. */
export interface MemberNotificationClickDetail {
  notification: Notification;
}

/** Detail of `member-feed-post`: the member published, edited or deleted a post. */
export interface MemberFeedPostDetail {
  action: 'create' | 'update' | 'delete';
  post: FeedPost | { id: string };
}

/** Detail of `member-feed-comment`: the member commented or deleted a comment. */
export interface MemberFeedCommentDetail {
  action: 'create' | 'delete';
  comment: FeedComment | { id: string; post_id: string };
}

/** Detail of `member-feed-reaction`: the member added or removed a reaction. */
export interface MemberFeedReactionDetail {
  postId: string;
  reaction: FeedReaction;
  active: boolean;
}

/** Detail of `member-report`: the member reported a post, comment or message. */
export interface MemberReportDetail {
  targetType: 'post' | 'comment' | 'message';
  targetId: string;
}

/** Detail of `member-message-send`: the member sent, edited or deleted a message. */
export interface MemberMessageDetail {
  action: 'send' | 'edit' | 'delete';
  message: Message;
}

/** Detail of `member-conversation-open`: a conversation was opened (or started: `created`). */
export interface MemberConversationOpenDetail {
  conversation: Conversation;
  created: boolean;
}

/** Detail of `member-messages-unread`: the member's total of unread messages changed. */
export interface MemberMessagesUnreadDetail {
  total: number;
}

declare global {
  interface MemberkitEventMap {
    'member-notifications-change': MemberNotificationsChangeDetail;
    'member-notification-click': MemberNotificationClickDetail;
    'member-feed-post': MemberFeedPostDetail;
    'member-feed-comment': MemberFeedCommentDetail;
    'member-feed-reaction': MemberFeedReactionDetail;
    'member-report': MemberReportDetail;
    'member-message-send': MemberMessageDetail;
    'member-conversation-open': MemberConversationOpenDetail;
    'member-messages-unread': MemberMessagesUnreadDetail;
  }
  interface HTMLElementEventMap {
    'member-notifications-change': CustomEvent<MemberNotificationsChangeDetail>;
    'member-notification-click': CustomEvent<MemberNotificationClickDetail>;
    'member-feed-post': CustomEvent<MemberFeedPostDetail>;
    'member-feed-comment': CustomEvent<MemberFeedCommentDetail>;
    'member-feed-reaction': CustomEvent<MemberFeedReactionDetail>;
    'member-report': CustomEvent<MemberReportDetail>;
    'member-message-send': CustomEvent<MemberMessageDetail>;
    'member-conversation-open': CustomEvent<MemberConversationOpenDetail>;
    'member-messages-unread': CustomEvent<MemberMessagesUnreadDetail>;
  }
}
