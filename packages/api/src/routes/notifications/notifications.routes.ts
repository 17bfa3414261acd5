import { createRoute } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import {
  authenticatedErrors,
  errorResponses,
  IdempotencyHeaders,
  jsonBody,
  jsonResponse,
  SECURITY,
} from '../../lib/openapi.js';
import { idParam } from '../../lib/schemas.js';
import {
  ListBatchesQuery,
  ListNotificationsQuery,
  NotificationBatchList,
  NotificationBatchSchema,
  NotificationListSchema,
  NotificationPreferencesSchema,
  ReadAllSchema,
  ReadNotificationSchema,
  SendNotificationBody,
  UpdatePreferencesBody,
} from './notifications.schemas.js';

const MEMBER = [{ memberToken: [] }];
const MEMBER_TAGS = ['Notifications'];
const STAFF_TAGS = ['Notifications'];
const notificationId = idParam('ntf_01jdx3v4k7m9q2w8e5r6t0y1zc');
const batchId = idParam('nbat_01jdx3v4k7m9q2w8e5r6t0y1zc');
const bodyErrors = {
  400: errorResponses[400],
  413: errorResponses[413],
  415: errorResponses[415],
  422: errorResponses[422],
} as const;

export const listMyNotificationsRoute = createRoute({
  method: 'get',
  path: '/v1/me/notifications',
  operationId: 'listMyNotifications',
  middleware: [requireCredential(['member'])] as const,
  tags: MEMBER_TAGS,
  summary: "The signed-in member's notifications",
  description:
    'Newest first, cursor-paginated; `unread=true` lists unread ones only. `unread_count` counts all unread notifications. New ones arrive live as `notification.created` on the `me` topic of `GET /v1/realtime`.',
  security: MEMBER,
  request: { query: ListNotificationsQuery },
  responses: {
    200: jsonResponse(NotificationListSchema, 'A page of notifications.'),
    400: errorResponses[400],
    422: errorResponses[422],
    ...authenticatedErrors,
  },
});

export const readMyNotificationRoute = createRoute({
  method: 'post',
  path: '/v1/me/notifications/{id}/read',
  operationId: 'readMyNotification',
  middleware: [requireCredential(['member'])] as const,
  tags: MEMBER_TAGS,
  summary: 'Mark a notification read',
  description: 'Reading a read notification changes nothing. Another member’s notification is 404.',
  security: MEMBER,
  request: { params: notificationId },
  responses: {
    200: jsonResponse(ReadNotificationSchema, 'The notification, read, with the unread count.'),
    404: errorResponses[404],
    ...authenticatedErrors,
  },
});

export const readAllMyNotificationsRoute = createRoute({
  method: 'post',
  path: '/v1/me/notifications/read-all',
  operationId: 'readAllMyNotifications',
  middleware: [requireCredential(['member'])] as const,
  tags: MEMBER_TAGS,
  summary: 'Mark all notifications read',
  security: MEMBER,
  responses: { 200: jsonResponse(ReadAllSchema, 'How many were marked.'), ...authenticatedErrors },
});

export const deleteMyNotificationRoute = createRoute({
  method: 'delete',
  path: '/v1/me/notifications/{id}',
  operationId: 'deleteMyNotification',
  middleware: [requireCredential(['member'])] as const,
  tags: MEMBER_TAGS,
  summary: 'Delete a notification',
  security: MEMBER,
  request: { params: notificationId },
  responses: { 204: { description: 'Deleted.' }, 404: errorResponses[404], ...authenticatedErrors },
});

export const getMyNotificationPreferencesRoute = createRoute({
  method: 'get',
  path: '/v1/me/notification-preferences',
  operationId: 'getMyNotificationPreferences',
  middleware: [requireCredential(['member'])] as const,
  tags: MEMBER_TAGS,
  summary: "The member's notification preferences",
  description: 'Every type, in-app on/off and email digest (`off`, `daily`, `weekly`). Defaults: in-app on, no digest.',
  security: MEMBER,
  responses: { 200: jsonResponse(NotificationPreferencesSchema, 'Preferences by type.'), ...authenticatedErrors },
});

export const updateMyNotificationPreferencesRoute = createRoute({
  method: 'patch',
  path: '/v1/me/notification-preferences',
  operationId: 'updateMyNotificationPreferences',
  middleware: [requireCredential(['member'])] as const,
  tags: MEMBER_TAGS,
  summary: 'Change notification preferences',
  description:
    'Changes the given fields of the given types; the rest stay. With in-app off, no notification of that type is created for the member (and none is mailed).',
  security: MEMBER,
  request: { body: jsonBody(UpdatePreferencesBody) },
  responses: {
    200: jsonResponse(NotificationPreferencesSchema, 'Preferences by type, after the change.'),
    ...bodyErrors,
    ...authenticatedErrors,
  },
});

export const sendNotificationRoute = createRoute({
  method: 'post',
  path: '/v1/notifications',
  operationId: 'sendNotification',
  middleware: [requireCredential(['secret_key', 'staff'], 'notification:create')] as const,
  tags: STAFF_TAGS,
  summary: 'Send a notification to members',
  description:
    'Sends an in-app notification to one member, up to 1,000 listed members, a tier, a tag, the members matching member list filters, or everyone. A listed audience is done when this answers (`completed`); larger ones are fanned out in the background in pages of 1,000: follow `delivered` and `skipped` of `total` with `GET /v1/notifications/batches/{id}`. Members who turned the type off in-app are skipped. An unknown member or tier is 422 and nothing is queued. Audited.',
  security: SECURITY.secretKey,
  request: { headers: IdempotencyHeaders, body: jsonBody(SendNotificationBody) },
  responses: {
    202: jsonResponse(NotificationBatchSchema, 'The send, queued (or completed for a listed audience).'),
    ...bodyErrors,
    409: errorResponses[409],
    ...authenticatedErrors,
  },
});

export const listNotificationBatchesRoute = createRoute({
  method: 'get',
  path: '/v1/notifications/batches',
  operationId: 'listNotificationBatches',
  middleware: [requireCredential(['secret_key', 'staff'], 'notification:read')] as const,
  tags: STAFF_TAGS,
  summary: 'List notification sends',
  description: 'Newest first, with their progress.',
  security: SECURITY.secretKey,
  request: { query: ListBatchesQuery },
  responses: {
    200: jsonResponse(NotificationBatchList, 'A page of sends.'),
    400: errorResponses[400],
    422: errorResponses[422],
    ...authenticatedErrors,
  },
});

export const getNotificationBatchRoute = createRoute({
  method: 'get',
  path: '/v1/notifications/batches/{id}',
  operationId: 'getNotificationBatch',
  middleware: [requireCredential(['secret_key', 'staff'], 'notification:read')] as const,
  tags: STAFF_TAGS,
  summary: 'Retrieve a notification send',
  description: 'Its status and progress: `delivered` and `skipped` of `total`.',
  security: SECURITY.secretKey,
  request: { params: batchId },
  responses: {
    200: jsonResponse(NotificationBatchSchema, 'The send.'),
    404: errorResponses[404],
    ...authenticatedErrors,
  },
});

export const cancelNotificationBatchRoute = createRoute({
  method: 'post',
  path: '/v1/notifications/batches/{id}/cancel',
  operationId: 'cancelNotificationBatch',
  middleware: [requireCredential(['secret_key', 'staff'], 'notification:create')] as const,
  tags: STAFF_TAGS,
  summary: 'Cancel a notification send',
  description:
    'Stops a queued or running send before its next page; notifications already created stay. Canceling a canceled send changes nothing; a completed or failed one is 409 `NOTIFICATION_BATCH_FINISHED`. Audited.',
  security: SECURITY.secretKey,
  request: { params: batchId },
  responses: {
    200: jsonResponse(NotificationBatchSchema, 'The canceled send.'),
    404: errorResponses[404],
    409: errorResponses[409],
    ...authenticatedErrors,
  },
});
