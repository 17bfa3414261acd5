import type { ListPromise } from '../core/pagination.js';
import { Resource, seg, toQuery } from '../core/resource.js';
import type { CallOptions, Transport } from '../core/transport.js';

/** What a notification is about; each has its own in-app and email-digest preference. */
export type NotificationType =
  | 'announcement'
  | 'message'
  | 'mention'
  | 'membership_renewal'
  | 'payment_failed'
  | 'invitation'
  | 'custom';

/** One in-app notification of the signed-in member. */
export interface Notification {
  id: string;
  object: 'notification';
  type: NotificationType;
  title: string;
  body: string | null;
  /** Where the notification leads (absolute or site-relative). */
  url: string | null;
  data: Record<string, unknown> | null;
  /** ISO 8601; null while unread. */
  read_at: string | null;
  created_at: string;
}

/** One page of the member's notifications, with the unread count across all of them. */
export interface NotificationList {
  object: 'list';
  data: Notification[];
  has_more: boolean;
  next_cursor: string | null;
  unread_count: number;
}

/** Query of {@link MyNotificationsResource.list}. */
export interface ListNotificationsParams {
  /** Page size (1–100). */
  limit?: number | undefined;
  /** Only unread ones. */
  unread?: boolean | undefined;
}

/** What {@link MyNotificationsResource.markAllRead} changed. */
export interface NotificationsReadAll {
  updated: number;
  unread_count: number;
}

/** How often unread notifications of a type are mailed as a digest. */
export type EmailDigest = 'off' | 'daily' | 'weekly';

/** The member's preference for one notification type. */
export interface NotificationPreference {
  type: NotificationType;
  in_app: boolean;
  email_digest: EmailDigest;
}

/** The member's preferences, one per type. */
export interface NotificationPreferences {
  data: NotificationPreference[];
}

/** Body of {@link NotificationPreferencesResource.update}: only the types and channels sent change. */
export interface UpdateNotificationPreferencesParams {
  preferences: { type: NotificationType; in_app?: boolean | undefined; email_digest?: EmailDigest | undefined }[];
}

/** `mk.me.notifications.preferences`: per type, in-app on/off and the email digest. */
export class NotificationPreferencesResource extends Resource {
  /** The member's preferences for every type (`GET /v1/me/notification-preferences`). */
  get(options?: CallOptions): Promise<NotificationPreferences> {
    return this.call({ method: 'GET', path: '/v1/me/notification-preferences', auth: 'member' }, options);
  }

  /**
   * Changes preferences (`PATCH /v1/me/notification-preferences`).
   *
   * @example
   * await mk.me.notifications.preferences.update({ preferences: [{ type: 'mention', email_digest: 'daily' }] });
   */
  update(params: UpdateNotificationPreferencesParams, options?: CallOptions): Promise<NotificationPreferences> {
    return this.call(
      { method: 'PATCH', path: '/v1/me/notification-preferences', body: params, auth: 'member' },
      options,
    );
  }
}

/** `mk.me.notifications`: the signed-in member's notifications. */
export class MyNotificationsResource extends Resource {
  /** Per-type preferences. */
  readonly preferences: NotificationPreferencesResource;

  /** Made by {@link Memberkit}. */
  constructor(transport: Transport) {
    super(transport);
    this.preferences = new NotificationPreferencesResource(transport);
  }

  /**
   * Lists the member's notifications, newest first (`GET /v1/me/notifications`): await it
   * for one page (with `unread_count`), or iterate it for every notification.
   *
   * @example
   * const { data, unread_count } = await mk.me.notifications.list({ limit: 20 });
   */
  list(params?: ListNotificationsParams, options?: CallOptions): ListPromise<NotificationList> {
    return this.paginate({ path: '/v1/me/notifications', query: toQuery(params), auth: 'member' }, options);
  }

  /** Marks one notification read (`POST /v1/me/notifications/{id}/read`). */
  markRead(id: string, options?: CallOptions): Promise<Notification> {
    return this.call({ method: 'POST', path: `/v1/me/notifications/${seg(id)}/read`, auth: 'member' }, options);
  }

  /** Marks every notification read (`POST /v1/me/notifications/read-all`). */
  markAllRead(options?: CallOptions): Promise<NotificationsReadAll> {
    return this.call({ method: 'POST', path: '/v1/me/notifications/read-all', auth: 'member' }, options);
  }

  /** Deletes one notification (`DELETE /v1/me/notifications/{id}`). */
  delete(id: string, options?: CallOptions): Promise<void> {
    return this.call({ method: 'DELETE', path: `/v1/me/notifications/${seg(id)}`, auth: 'member' }, options);
  }
}

/** Who a staff notification goes to: one member, a list, a tier, a tag, a filtered segment or everyone. */
export type NotificationAudience =
  | { member_id: string }
  | { member_ids: string[] }
  | { tier_id: string }
  | { tag: string }
  | {
      filter: {
        status?: string | undefined;
        tier_id?: string | undefined;
        tag?: string | undefined;
        q?: string | undefined;
      };
    }
  | { everyone: true };

/** Body of {@link NotificationsResource.send}. */
export interface SendNotificationParams {
  audience: NotificationAudience;
  /** Defaults to `custom`. */
  type?: NotificationType | undefined;
  title: string;
  body?: string | undefined;
  url?: string | undefined;
  data?: Record<string, unknown> | undefined;
}

/** A queued send to many members and its progress. */
export interface NotificationBatch {
  id: string;
  object: 'notification_batch';
  status: 'queued' | 'running' | 'completed' | 'cancelled' | 'failed';
  audience: NotificationAudience;
  /** Members in the audience (known once the send started). */
  total: number | null;
  delivered: number;
  /** Members whose preferences turned this type off. */
  skipped: number;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
}

/** One page of notification batches. */
export interface NotificationBatchList {
  object: 'list';
  data: NotificationBatch[];
  has_more: boolean;
  next_cursor: string | null;
}

/** Query of {@link NotificationBatchesResource.list}. */
export interface ListNotificationBatchesParams {
  limit?: number | undefined;
}

/** `mk.notifications.batches`: staff sends and their progress. */
export class NotificationBatchesResource extends Resource {
  /** Lists sends, newest first (`GET /v1/notifications/batches`). */
  list(params?: ListNotificationBatchesParams, options?: CallOptions): ListPromise<NotificationBatchList> {
    return this.paginate({ path: '/v1/notifications/batches', query: toQuery(params) }, options);
  }

  /** One send and its progress (`GET /v1/notifications/batches/{id}`). */
  get(id: string, options?: CallOptions): Promise<NotificationBatch> {
    return this.call({ method: 'GET', path: `/v1/notifications/batches/${seg(id)}` }, options);
  }

  /** Stops a send that has not finished (`POST /v1/notifications/batches/{id}/cancel`). */
  cancel(id: string, options?: CallOptions): Promise<NotificationBatch> {
    return this.call({ method: 'POST', path: `/v1/notifications/batches/${seg(id)}/cancel` }, options);
  }
}

/** `mk.notifications`: notifications sent by staff (secret key or staff token with `notification:create`). */
export class NotificationsResource extends Resource {
  /** Sends and their progress. */
  readonly batches: NotificationBatchesResource;

  /** Made by {@link Memberkit}. */
  constructor(transport: Transport) {
    super(transport);
    this.batches = new NotificationBatchesResource(transport);
  }

  /**
   * Queues a notification to an audience (`POST /v1/notifications`, 202): the API answers
   * at once with a batch; poll `batches.get(id)` for progress. Idempotent per key.
   *
   * @example
   * const batch = await mk.notifications.send({ audience: { tier_id: 'tier_…' }, title: 'AGM on Friday' });
   */
  send(params: SendNotificationParams, options?: CallOptions): Promise<NotificationBatch> {
    return this.call({ method: 'POST', path: '/v1/notifications', body: params }, options);
  }
}
