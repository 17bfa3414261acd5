import type { ListPromise } from '../core/pagination.js';
import { Resource, seg, toQuery } from '../core/resource.js';
import type { CallOptions, Transport } from '../core/transport.js';
import type { BodyOf, Booleanish, QueryOf, Schema } from '../core/types.js';

/** One in-app notification of the signed-in member. */
export type Notification = Schema<'Notification'>;
/** What a notification is about; each has its own in-app and email-digest preference. */
export type NotificationType = Notification['type'];
/** One page of the member's notifications, with the unread count across all of them. */
export type NotificationList = Schema<'NotificationList'>;
/** Query of {@link MyNotificationsResource.list}. */
export type ListNotificationsParams = Booleanish<Omit<QueryOf<'listMyNotifications'>, 'cursor'>>;
/** A notification just marked read, with the member's unread count after it. */
export type ReadNotification = Schema<'ReadNotification'>;
/** What {@link MyNotificationsResource.markAllRead} changed. */
export type NotificationsReadAll = Schema<'NotificationReadAll'>;
/** The member's preferences, one per type. */
export type NotificationPreferences = Schema<'NotificationPreferences'>;
/** The member's preference for one notification type. */
export type NotificationPreference = NotificationPreferences['data'][number];
/** How often unread notifications of a type are mailed as a digest. */
export type EmailDigest = NotificationPreference['email_digest'];
/** Body of {@link NotificationPreferencesResource.update}: only the types and channels sent change. */
export type UpdateNotificationPreferencesParams = BodyOf<'updateMyNotificationPreferences'>;

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
  markRead(id: string, options?: CallOptions): Promise<ReadNotification> {
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

/** Body of {@link NotificationsResource.send}. */
export type SendNotificationParams = BodyOf<'sendNotification'>;
/** Who a staff notification goes to: one member, a list, a tier, a tag, a filtered segment or everyone. */
export type NotificationAudience = SendNotificationParams['audience'];
/** A queued send to many members and its progress. */
export type NotificationBatch = Schema<'NotificationBatch'>;
/** One page of notification batches. */
export type NotificationBatchList = Schema<'NotificationBatchList'>;
/** Query of {@link NotificationBatchesResource.list}. */
export type ListNotificationBatchesParams = Omit<QueryOf<'listNotificationBatches'>, 'cursor'>;

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
