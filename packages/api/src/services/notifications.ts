import { and, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { onCommit, type Tx } from '../db/database.js';
import {
  type DigestFrequency,
  members,
  NOTIFICATION_TYPES,
  notificationBatches,
  type NotificationBatchRow,
  notificationPreferences,
  type NotificationRow,
  notifications,
  type NotificationType,
  tiers,
} from '../db/schema/index.js';
import { ApiError, defineErrorCodes } from '../lib/errors.js';
import { validationError } from '../lib/validation.js';
import { appendEvents } from '../realtime/event-log.js';
import { TOPICS } from '../realtime/types.js';
import type { MemberStatus } from '../db/schema/index.js';
import { toNotificationDto } from './notification-dto.js';
import type { ServiceDeps } from './service-deps.js';

export const NotificationErrors = defineErrorCodes({
  NOTIFICATION_NOT_FOUND: { status: 404, title: 'Notification not found' },
  NOTIFICATION_BATCH_NOT_FOUND: { status: 404, title: 'Notification batch not found' },
  NOTIFICATION_BATCH_FINISHED: { status: 409, title: 'Notification batch already finished' },
  AUDIENCE_MEMBER_NOT_FOUND: { status: 422, title: 'Audience member not found' },
  AUDIENCE_TIER_NOT_FOUND: { status: 422, title: 'Audience tier not found' },
});

/** One notification to create for one member. */
export interface NotificationInput {
  memberId: string;
  type: NotificationType;
  title: string;
  body?: string | null | undefined;
  /** Where it leads: a relative path or an https URL. */
  url?: string | null | undefined;
  data?: Record<string, unknown> | undefined;
  /** The staff send it comes from (set by the batch worker). */
  batchId?: string | undefined;
}

/**
 * Creates notifications in the caller's tenant transaction: skips members whose
 * in-app preference for the type is off (and deleted members), inserts the rest,
 * and appends one `notification.created` per notification to `member.<id>` with the
 * notification DTO plus the member's new `unread_count`. Returns the rows created.
 *
 * @example
 * await createNotifications(deps, tx, tenantId, [{ memberId, type: 'mention', title: 'Ada mentioned you', url: '/feed/post_1' }]);
 */
export async function createNotifications(
  deps: ServiceDeps,
  tx: Tx,
  tenantId: string,
  inputs: readonly NotificationInput[],
): Promise<NotificationRow[]> {
  if (inputs.length === 0) return [];
  const memberIds = [...new Set(inputs.map((i) => i.memberId))];
  const types = [...new Set(inputs.map((i) => i.type))];
  const [live, off] = await Promise.all([
    tx
      .select({ id: members.id })
      .from(members)
      .where(and(eq(members.tenantId, tenantId), inArray(members.id, memberIds), isNull(members.deletedAt))),
    tx
      .select({ memberId: notificationPreferences.memberId, type: notificationPreferences.type })
      .from(notificationPreferences)
      .where(
        and(
          eq(notificationPreferences.tenantId, tenantId),
          inArray(notificationPreferences.memberId, memberIds),
          inArray(notificationPreferences.type, types),
          eq(notificationPreferences.inApp, false),
        ),
      ),
  ]);
  const liveIds = new Set(live.map((m) => m.id));
  const muted = new Set(off.map((p) => `${p.memberId}\u0000${p.type}`));
  const wanted = inputs.filter((i) => liveIds.has(i.memberId) && !muted.has(`${i.memberId}\u0000${i.type}`));
  if (wanted.length === 0) return [];
  const now = deps.clock.now();
  const rows = await tx
    .insert(notifications)
    .values(
      wanted.map((i) => ({
        tenantId,
        id: deps.ids.generate('ntf'),
        memberId: i.memberId,
        type: i.type,
        title: i.title,
        body: i.body ?? null,
        url: i.url ?? null,
        data: i.data ?? {},
        batchId: i.batchId ?? null,
        createdAt: now,
      })),
    )
    .returning();
  const unread = await unreadCounts(tx, tenantId, [...new Set(rows.map((r) => r.memberId))]);
  await appendEvents(
    deps,
    tx,
    tenantId,
    rows.map((row) => ({
      topic: TOPICS.member(row.memberId),
      type: 'notification.created',
      data: { ...toNotificationDto(row), unread_count: unread.get(row.memberId) ?? 0 },
    })),
  );
  return rows;
}

/** Unread notifications per member (members without any are absent). */
export async function unreadCounts(
  tx: Tx,
  tenantId: string,
  memberIds: readonly string[],
): Promise<Map<string, number>> {
  if (memberIds.length === 0) return new Map();
  const rows = await tx
    .select({ memberId: notifications.memberId, n: count() })
    .from(notifications)
    .where(
      and(
        eq(notifications.tenantId, tenantId),
        inArray(notifications.memberId, [...memberIds]),
        isNull(notifications.readAt),
      ),
    )
    .groupBy(notifications.memberId);
  return new Map(rows.map((r) => [r.memberId, Number(r.n)]));
}

/** Who a staff send goes to. Exactly one key. */
export type NotificationAudience =
  | { member_id: string }
  | { member_ids: string[] }
  | { tier_id: string }
  | { tier_ids: string[] }
  | { tag: string }
  | { filter: AudienceFilter }
  | { everyone: true };

/** The member list filters a send can target (see services/member-filters.ts). */
export interface AudienceFilter {
  status?: MemberStatus[] | undefined;
  tier_id?: string | undefined;
  tag?: string | undefined;
  q?: string | undefined;
}

export const MAX_AUDIENCE_MEMBER_IDS = 1000;

/**
 * Checks that the audience names things that exist in the tenant: every listed
 * member (not deleted), every tier. Throws a 422 problem naming the first missing one.
 */
export async function validateAudience(tx: Tx, tenantId: string, audience: NotificationAudience): Promise<void> {
  const memberIds =
    'member_id' in audience ? [audience.member_id] : 'member_ids' in audience ? [...new Set(audience.member_ids)] : [];
  if ('member_ids' in audience) {
    if (audience.member_ids.length === 0)
      throw validationError([{ field: 'audience.member_ids', message: 'Give at least one member id.' }]);
    if (audience.member_ids.length > MAX_AUDIENCE_MEMBER_IDS)
      throw validationError([
        {
          field: 'audience.member_ids',
          message: `At most ${MAX_AUDIENCE_MEMBER_IDS} member ids; use a tier, tag or filter.`,
        },
      ]);
  }
  if (memberIds.length > 0) {
    const found = await tx
      .select({ id: members.id })
      .from(members)
      .where(and(eq(members.tenantId, tenantId), inArray(members.id, memberIds), isNull(members.deletedAt)));
    const have = new Set(found.map((m) => m.id));
    const missing = memberIds.find((id) => !have.has(id));
    if (missing)
      throw new ApiError(NotificationErrors.AUDIENCE_MEMBER_NOT_FOUND, `No member ${missing} in this tenant.`);
  }
  const tierIds =
    'tier_id' in audience
      ? [audience.tier_id]
      : 'tier_ids' in audience
        ? [...new Set(audience.tier_ids)]
        : 'filter' in audience && audience.filter.tier_id
          ? [audience.filter.tier_id]
          : [];
  if (tierIds.length > 0) {
    const found = await tx
      .select({ id: tiers.id })
      .from(tiers)
      .where(and(eq(tiers.tenantId, tenantId), inArray(tiers.id, tierIds)));
    const have = new Set(found.map((t) => t.id));
    const missing = tierIds.find((id) => !have.has(id));
    if (missing) throw new ApiError(NotificationErrors.AUDIENCE_TIER_NOT_FOUND, `No tier ${missing} in this tenant.`);
  }
}

export interface NewNotificationBatch {
  audience: NotificationAudience;
  type: NotificationType;
  title: string;
  body?: string | null | undefined;
  url?: string | null | undefined;
  data?: Record<string, unknown> | undefined;
  createdBy: { type: 'staff' | 'api_key' | 'system' | string; id: string };
}

/**
 * Queues a send to many members in the caller's transaction (after validating the
 * audience) and wakes the fan-out worker once it commits. The worker
 * (maintenance/notification-batches.ts) creates the notifications in pages.
 * `wake` is AppDeps (its `notificationBatches`) or a function.
 */
export async function queueNotificationBatch(
  deps: ServiceDeps & { notificationBatches?: { wake(): void } | undefined },
  tx: Tx,
  tenantId: string,
  input: NewNotificationBatch,
): Promise<NotificationBatchRow> {
  await validateAudience(tx, tenantId, input.audience);
  const now = deps.clock.now();
  const [row] = await tx
    .insert(notificationBatches)
    .values({
      tenantId,
      id: deps.ids.generate('nbat'),
      audience: input.audience as Record<string, unknown>,
      type: input.type,
      title: input.title,
      body: input.body ?? null,
      url: input.url ?? null,
      data: input.data ?? {},
      createdByType: input.createdBy.type,
      createdById: input.createdBy.id,
      createdAt: now,
      nextAttemptAt: now,
    })
    .returning();
  if (!row) throw new Error('notification batch not inserted');
  const batches = deps.notificationBatches;
  if (batches) onCommit(tx, () => batches.wake());
  return row;
}

/** Marks a member's unread notifications read (all, or the given ids); returns the ids marked. */
export async function markNotificationsRead(
  deps: ServiceDeps,
  tx: Tx,
  tenantId: string,
  memberId: string,
  ids?: readonly string[],
): Promise<{ ids: string[]; unreadCount: number }> {
  const rows = await tx
    .update(notifications)
    .set({ readAt: deps.clock.now() })
    .where(
      and(
        eq(notifications.tenantId, tenantId),
        eq(notifications.memberId, memberId),
        isNull(notifications.readAt),
        ids ? inArray(notifications.id, [...ids]) : undefined,
      ),
    )
    .returning({ id: notifications.id });
  const unreadCount = (await unreadCounts(tx, tenantId, [memberId])).get(memberId) ?? 0;
  if (rows.length > 0)
    await appendEvents(deps, tx, tenantId, [
      {
        topic: TOPICS.member(memberId),
        type: 'notification.read',
        data: { ids: rows.map((r) => r.id), unread_count: unreadCount },
      },
    ]);
  return { ids: rows.map((r) => r.id), unreadCount };
}

/** Where a page of a member's notifications starts: after this (created_at, id), newest first. */
export interface NotificationPageAfter {
  createdAt: Date;
  id: string;
}

/** A page of a member's notifications, newest first (`limit + 1` rows: the extra one tells there is more), and their unread count. */
export async function listNotifications(
  deps: ServiceDeps,
  tenantId: string,
  memberId: string,
  options: { limit: number; after?: NotificationPageAfter | undefined; unreadOnly?: boolean },
): Promise<{ rows: NotificationRow[]; unreadCount: number }> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const after = options.after;
    const rows = await tx
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.tenantId, tenantId),
          eq(notifications.memberId, memberId),
          options.unreadOnly ? isNull(notifications.readAt) : undefined,
          after
            ? sql`(${notifications.createdAt}, ${notifications.id}) < (${after.createdAt.toISOString()}::timestamptz, ${after.id})`
            : undefined,
        ),
      )
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(options.limit + 1);
    const unreadCount = (await unreadCounts(tx, tenantId, [memberId])).get(memberId) ?? 0;
    return { rows, unreadCount };
  });
}

function notFound(id: string): ApiError {
  return new ApiError(NotificationErrors.NOTIFICATION_NOT_FOUND, `No notification ${id}.`);
}

/** Marks one of the member's notifications read (already read: unchanged); 404 when it is not theirs. */
export async function readNotification(
  deps: ServiceDeps,
  tenantId: string,
  memberId: string,
  id: string,
): Promise<{ row: NotificationRow; unreadCount: number }> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const where = and(
      eq(notifications.tenantId, tenantId),
      eq(notifications.memberId, memberId),
      eq(notifications.id, id),
    );
    const [row] = await tx.select().from(notifications).where(where);
    if (!row) throw notFound(id);
    if (row.readAt) {
      const unreadCount = (await unreadCounts(tx, tenantId, [memberId])).get(memberId) ?? 0;
      return { row, unreadCount };
    }
    const { unreadCount } = await markNotificationsRead(deps, tx, tenantId, memberId, [id]);
    const [updated] = await tx.select().from(notifications).where(where);
    return { row: updated ?? row, unreadCount };
  });
}

/** Marks all of the member's notifications read. */
export async function readAllNotifications(
  deps: ServiceDeps,
  tenantId: string,
  memberId: string,
): Promise<{ updated: number; unreadCount: number }> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const { ids, unreadCount } = await markNotificationsRead(deps, tx, tenantId, memberId);
    return { updated: ids.length, unreadCount };
  });
}

/** Deletes one of the member's notifications; 404 when it is not theirs. Appends `notification.deleted`. */
export async function deleteNotification(
  deps: ServiceDeps,
  tenantId: string,
  memberId: string,
  id: string,
): Promise<void> {
  await deps.db.withTenant(tenantId, async (tx) => {
    const deleted = await tx
      .delete(notifications)
      .where(and(eq(notifications.tenantId, tenantId), eq(notifications.memberId, memberId), eq(notifications.id, id)))
      .returning({ id: notifications.id });
    if (deleted.length === 0) throw notFound(id);
    const unreadCount = (await unreadCounts(tx, tenantId, [memberId])).get(memberId) ?? 0;
    await appendEvents(deps, tx, tenantId, [
      { topic: TOPICS.member(memberId), type: 'notification.deleted', data: { id, unread_count: unreadCount } },
    ]);
  });
}

/** A member's preference for one type. */
export interface NotificationPreference {
  type: NotificationType;
  inApp: boolean;
  emailDigest: DigestFrequency;
}

async function readPreferences(tx: Tx, tenantId: string, memberId: string): Promise<NotificationPreference[]> {
  const rows = await tx
    .select()
    .from(notificationPreferences)
    .where(and(eq(notificationPreferences.tenantId, tenantId), eq(notificationPreferences.memberId, memberId)));
  const byType = new Map(rows.map((r) => [r.type, r]));
  return NOTIFICATION_TYPES.map((type) => {
    const row = byType.get(type);
    return { type, inApp: row?.inApp ?? true, emailDigest: row?.emailDigest ?? 'off' };
  });
}

/** The member's preferences for every type (absent rows: in-app on, no digest). */
export async function getNotificationPreferences(
  deps: ServiceDeps,
  tenantId: string,
  memberId: string,
): Promise<NotificationPreference[]> {
  return deps.db.withTenant(tenantId, (tx) => readPreferences(tx, tenantId, memberId));
}

/** Changes the given fields of the given types; returns every type's preference. */
export async function updateNotificationPreferences(
  deps: ServiceDeps,
  tenantId: string,
  memberId: string,
  changes: readonly {
    type: NotificationType;
    inApp?: boolean | undefined;
    emailDigest?: DigestFrequency | undefined;
  }[],
): Promise<NotificationPreference[]> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const current = new Map((await readPreferences(tx, tenantId, memberId)).map((p) => [p.type, p]));
    const now = deps.clock.now();
    for (const change of changes) {
      const before = current.get(change.type)!;
      const next = {
        type: change.type,
        inApp: change.inApp ?? before.inApp,
        emailDigest: change.emailDigest ?? before.emailDigest,
      };
      current.set(change.type, next);
      await tx
        .insert(notificationPreferences)
        .values({
          tenantId,
          memberId,
          type: change.type,
          inApp: next.inApp,
          emailDigest: next.emailDigest,
          updatedAt: now,
        })
        .onConflictDoUpdate({
          target: [notificationPreferences.tenantId, notificationPreferences.memberId, notificationPreferences.type],
          set: { inApp: next.inApp, emailDigest: next.emailDigest, updatedAt: now },
        });
    }
    return NOTIFICATION_TYPES.map((type) => current.get(type)!);
  });
}
