import type { AppRouteHandler } from '../../lib/context.js';
import { CursorValues, decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { ApiError } from '../../lib/errors.js';
import { isId } from '../../lib/ids.js';
import { idPageCursor, toIdPage } from '../../lib/page.js';
import {
  cancelNotificationBatch,
  getNotificationBatch,
  listNotificationBatches,
  sendNotification,
} from '../../services/notification-batches.js';
import { toNotificationBatchDto, toNotificationDto } from '../../services/notification-dto.js';
import {
  deleteNotification,
  getNotificationPreferences,
  listNotifications,
  type NotificationAudience,
  NotificationErrors,
  type NotificationPreference,
  readAllNotifications,
  readNotification,
  updateNotificationPreferences,
} from '../../services/notifications.js';
import { auditContextOf } from '../audit-context.js';
import type {
  cancelNotificationBatchRoute,
  deleteMyNotificationRoute,
  getMyNotificationPreferencesRoute,
  getNotificationBatchRoute,
  listMyNotificationsRoute,
  listNotificationBatchesRoute,
  readAllMyNotificationsRoute,
  readMyNotificationRoute,
  sendNotificationRoute,
  updateMyNotificationPreferencesRoute,
} from './notifications.routes.js';

/** A malformed id names nothing: 404 as for any unknown id, without a query. */
function checkNotificationId(id: string): string {
  if (!isId(id, 'ntf')) throw new ApiError(NotificationErrors.NOTIFICATION_NOT_FOUND, `No notification ${id}.`);
  return id;
}

function checkBatchId(id: string): string {
  if (!isId(id, 'nbat'))
    throw new ApiError(NotificationErrors.NOTIFICATION_BATCH_NOT_FOUND, `No notification batch ${id}.`);
  return id;
}

function toPreferencesDto(prefs: NotificationPreference[]) {
  return {
    object: 'notification_preferences' as const,
    data: prefs.map((p) => ({ type: p.type, in_app: p.inApp, email_digest: p.emailDigest })),
  };
}

export const listMyNotificationsHandler: AppRouteHandler<typeof listMyNotificationsRoute> = async (c) => {
  const { tenantId, memberId } = c.var.credential;
  const { limit, cursor, unread } = c.req.valid('query');
  const unreadOnly = unread === 'true';
  const binding = { scope: `notifications:${tenantId}:${memberId}`, query: { unread: unreadOnly } };
  let after: { createdAt: Date; id: string } | undefined;
  if (cursor !== undefined) {
    const [createdAt, id] = await decodeCursor(c.var.deps.secretBox, cursor, binding, [
      CursorValues.timestamp,
      CursorValues.id('ntf'),
    ]);
    after = { createdAt: new Date(createdAt), id };
  }
  const { rows, unreadCount } = await listNotifications(c.var.deps, tenantId, memberId, { limit, after, unreadOnly });
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return c.json(
    {
      object: 'list' as const,
      data: page.map(toNotificationDto),
      has_more: hasMore,
      next_cursor:
        hasMore && last
          ? await encodeCursor(c.var.deps.secretBox, binding, [last.createdAt.toISOString(), last.id])
          : null,
      unread_count: unreadCount,
    },
    200,
  );
};

export const readMyNotificationHandler: AppRouteHandler<typeof readMyNotificationRoute> = async (c) => {
  const { tenantId, memberId } = c.var.credential;
  const id = checkNotificationId(c.req.valid('param').id);
  const { row, unreadCount } = await readNotification(c.var.deps, tenantId, memberId, id);
  return c.json({ ...toNotificationDto(row), unread_count: unreadCount }, 200);
};

export const readAllMyNotificationsHandler: AppRouteHandler<typeof readAllMyNotificationsRoute> = async (c) => {
  const { tenantId, memberId } = c.var.credential;
  const { updated, unreadCount } = await readAllNotifications(c.var.deps, tenantId, memberId);
  return c.json({ object: 'notification_read_all' as const, updated, unread_count: unreadCount }, 200);
};

export const deleteMyNotificationHandler: AppRouteHandler<typeof deleteMyNotificationRoute> = async (c) => {
  const { tenantId, memberId } = c.var.credential;
  const id = checkNotificationId(c.req.valid('param').id);
  await deleteNotification(c.var.deps, tenantId, memberId, id);
  return c.body(null, 204);
};

export const getMyNotificationPreferencesHandler: AppRouteHandler<typeof getMyNotificationPreferencesRoute> = async (
  c,
) => {
  const { tenantId, memberId } = c.var.credential;
  return c.json(toPreferencesDto(await getNotificationPreferences(c.var.deps, tenantId, memberId)), 200);
};

export const updateMyNotificationPreferencesHandler: AppRouteHandler<
  typeof updateMyNotificationPreferencesRoute
> = async (c) => {
  const { tenantId, memberId } = c.var.credential;
  const { preferences } = c.req.valid('json');
  const prefs = await updateNotificationPreferences(
    c.var.deps,
    tenantId,
    memberId,
    preferences.map((p) => ({ type: p.type, inApp: p.in_app, emailDigest: p.email_digest })),
  );
  return c.json(toPreferencesDto(prefs), 200);
};

export const sendNotificationHandler: AppRouteHandler<typeof sendNotificationRoute> = async (c) => {
  const body = c.req.valid('json');
  const row = await sendNotification(c.var.deps, c.var.credential.tenantId, auditContextOf(c), {
    audience: body.audience as NotificationAudience,
    type: body.type,
    title: body.title,
    body: body.body ?? null,
    url: body.url ?? null,
    data: body.data ?? {},
  });
  return c.json(toNotificationBatchDto(row), 202);
};

export const listNotificationBatchesHandler: AppRouteHandler<typeof listNotificationBatchesRoute> = async (c) => {
  const { tenantId } = c.var.credential;
  const { limit, cursor } = c.req.valid('query');
  const scope = `notification-batches:${tenantId}`;
  const after = await idPageCursor(c.var.deps.secretBox, scope, 'nbat', cursor);
  const rows = await listNotificationBatches(c.var.deps, tenantId, { limit, after });
  return c.json(await toIdPage(c.var.deps.secretBox, scope, rows, limit, toNotificationBatchDto), 200);
};

export const getNotificationBatchHandler: AppRouteHandler<typeof getNotificationBatchRoute> = async (c) => {
  const id = checkBatchId(c.req.valid('param').id);
  return c.json(toNotificationBatchDto(await getNotificationBatch(c.var.deps, c.var.credential.tenantId, id)), 200);
};

export const cancelNotificationBatchHandler: AppRouteHandler<typeof cancelNotificationBatchRoute> = async (c) => {
  const id = checkBatchId(c.req.valid('param').id);
  const row = await cancelNotificationBatch(c.var.deps, c.var.credential.tenantId, auditContextOf(c), id);
  return c.json(toNotificationBatchDto(row), 200);
};
