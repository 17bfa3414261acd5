import { createRouter } from '../../lib/create-router.js';
import {
  cancelNotificationBatchHandler,
  deleteMyNotificationHandler,
  getMyNotificationPreferencesHandler,
  getNotificationBatchHandler,
  listMyNotificationsHandler,
  listNotificationBatchesHandler,
  readAllMyNotificationsHandler,
  readMyNotificationHandler,
  sendNotificationHandler,
  updateMyNotificationPreferencesHandler,
} from './notifications.handlers.js';
import {
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

/** Member notifications, preferences, and staff sends to many members. */
export const notificationsRouter = createRouter()
  .openapi(listMyNotificationsRoute, listMyNotificationsHandler)
  .openapi(readAllMyNotificationsRoute, readAllMyNotificationsHandler)
  .openapi(readMyNotificationRoute, readMyNotificationHandler)
  .openapi(deleteMyNotificationRoute, deleteMyNotificationHandler)
  .openapi(getMyNotificationPreferencesRoute, getMyNotificationPreferencesHandler)
  .openapi(updateMyNotificationPreferencesRoute, updateMyNotificationPreferencesHandler)
  .openapi(sendNotificationRoute, sendNotificationHandler)
  .openapi(listNotificationBatchesRoute, listNotificationBatchesHandler)
  .openapi(getNotificationBatchRoute, getNotificationBatchHandler)
  .openapi(cancelNotificationBatchRoute, cancelNotificationBatchHandler);
