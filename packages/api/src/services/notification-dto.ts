import type { NotificationBatchRow, NotificationRow, NotificationType } from '../db/schema/index.js';

/** A notification as the API returns it (and as `notification.created` carries it). */
export interface NotificationDto {
  id: string;
  object: 'notification';
  type: NotificationType;
  title: string;
  body: string | null;
  url: string | null;
  data: Record<string, unknown>;
  read_at: string | null;
  created_at: string;
}

export function toNotificationDto(row: NotificationRow): NotificationDto {
  return {
    id: row.id,
    object: 'notification',
    type: row.type,
    title: row.title,
    body: row.body,
    url: row.url,
    data: row.data,
    read_at: row.readAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

/** A staff send to many members, as the API returns it. */
export interface NotificationBatchDto {
  id: string;
  object: 'notification_batch';
  status: NotificationBatchRow['status'];
  audience: Record<string, unknown>;
  type: NotificationType;
  title: string;
  body: string | null;
  url: string | null;
  data: Record<string, unknown>;
  total: number | null;
  delivered: number;
  skipped: number;
  created_by: { type: string; id: string };
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
}

export function toNotificationBatchDto(row: NotificationBatchRow): NotificationBatchDto {
  return {
    id: row.id,
    object: 'notification_batch',
    status: row.status,
    audience: row.audience,
    type: row.type,
    title: row.title,
    body: row.body,
    url: row.url,
    data: row.data,
    total: row.total,
    delivered: row.delivered,
    skipped: row.skipped,
    created_by: { type: row.createdByType, id: row.createdById },
    created_at: row.createdAt.toISOString(),
    started_at: row.startedAt?.toISOString() ?? null,
    completed_at: row.completedAt?.toISOString() ?? null,
  };
}

export {
  DIGEST_FREQUENCIES,
  type DigestFrequency,
  NOTIFICATION_BATCH_STATUSES,
  NOTIFICATION_TYPES,
  type NotificationType,
} from '../db/schema/index.js';
