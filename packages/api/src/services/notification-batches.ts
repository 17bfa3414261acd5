import { and, asc, count, desc, eq, gt, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { members, notificationBatches, type NotificationBatchRow } from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import { appendAudit } from './audit.js';
import type { AuditContext } from './audit-context.js';
import { memberFilterConditions } from './member-filters.js';
import {
  createNotifications,
  MAX_AUDIENCE_MEMBER_IDS,
  type NewNotificationBatch,
  type NotificationAudience,
  NotificationErrors,
  queueNotificationBatch,
} from './notifications.js';
import type { ServiceDeps } from './service-deps.js';

/** Members a staff send works through per transaction. */
export const BATCH_PAGE_SIZE = 1000;

/** The members (not deleted) an audience stands for, as a condition on `members`. */
export function audienceCondition(tenantId: string, audience: Record<string, unknown>): SQL {
  const base = and(eq(members.tenantId, tenantId), isNull(members.deletedAt))!;
  const a = audience as Partial<Record<string, unknown>>;
  if (typeof a.member_id === 'string') return and(base, eq(members.id, a.member_id))!;
  if (Array.isArray(a.member_ids)) return and(base, inArray(members.id, a.member_ids.map(String)))!;
  if (typeof a.tier_id === 'string') return and(base, eq(members.tierId, a.tier_id))!;
  if (Array.isArray(a.tier_ids)) return and(base, inArray(members.tierId, a.tier_ids.map(String)))!;
  if (typeof a.tag === 'string') return and(base, sql`${members.tags} @> array[${a.tag}]::text[]`)!;
  if (a.filter && typeof a.filter === 'object') {
    const f = a.filter as NonNullable<Extract<NotificationAudience, { filter: unknown }>['filter']>;
    return memberFilterConditions(
      tenantId,
      {
        ...(f.status?.length ? { status: f.status } : {}),
        ...(f.tier_id ? { tierId: f.tier_id } : {}),
        ...(f.tag ? { tag: f.tag } : {}),
        ...(f.q ? { search: f.q } : {}),
      },
      [],
    );
  }
  if (a.everyone === true) return base;
  // An audience this code does not know matches nobody rather than everyone.
  return and(base, sql`false`)!;
}

/** What one page did. */
export interface BatchPageResult {
  batch: NotificationBatchRow | null;
  /** Members looked at in this page. */
  processed: number;
  /** True when the batch has nothing left (completed, canceled, failed or gone). */
  finished: boolean;
}

/**
 * Works through the next page of a batch in the caller's tenant transaction: locks
 * the batch row, counts the audience on the first page (status `running`), creates
 * the page's notifications (members after `cursor`, by id) and moves the cursor and
 * counters, all in this transaction: a crash before commit redoes the page, a crash
 * after it resumes after the page, so nobody gets a send twice. A canceled batch stops.
 * `beforeCommit` is a test hook (a crash in the middle of a page).
 */
export async function runBatchPage(
  deps: ServiceDeps,
  tx: Tx,
  tenantId: string,
  batchId: string,
  options: { pageSize?: number; beforeCommit?: () => void } = {},
): Promise<BatchPageResult> {
  const pageSize = options.pageSize ?? BATCH_PAGE_SIZE;
  const where = and(eq(notificationBatches.tenantId, tenantId), eq(notificationBatches.id, batchId));
  const [batch] = await tx.select().from(notificationBatches).where(where).for('update');
  if (!batch) return { batch: null, processed: 0, finished: true };
  if (batch.status !== 'queued' && batch.status !== 'running') return { batch, processed: 0, finished: true };
  const now = deps.clock.now();
  const audience = audienceCondition(tenantId, batch.audience);
  let total = batch.total;
  if (total === null) {
    const [row] = await tx.select({ n: count() }).from(members).where(audience);
    total = Number(row?.n ?? 0);
  }
  const page = await tx
    .select({ id: members.id })
    .from(members)
    .where(and(audience, batch.cursor ? gt(members.id, batch.cursor) : undefined))
    .orderBy(asc(members.id))
    .limit(pageSize);
  const created = await createNotifications(
    deps,
    tx,
    tenantId,
    page.map((m) => ({
      memberId: m.id,
      type: batch.type,
      title: batch.title,
      body: batch.body,
      url: batch.url,
      data: batch.data,
      batchId: batch.id,
    })),
  );
  const finished = page.length < pageSize;
  options.beforeCommit?.();
  const [updated] = await tx
    .update(notificationBatches)
    .set({
      status: finished ? 'completed' : 'running',
      total,
      delivered: batch.delivered + created.length,
      skipped: batch.skipped + (page.length - created.length),
      cursor: page.at(-1)?.id ?? batch.cursor,
      startedAt: batch.startedAt ?? now,
      completedAt: finished ? now : null,
      nextAttemptAt: now,
      lastError: null,
    })
    .where(where)
    .returning();
  return { batch: updated ?? null, processed: page.length, finished };
}

/** Audiences small enough to fan out in the request itself (one page): the send is done when it answers. */
function isInlineAudience(audience: NotificationAudience): boolean {
  return 'member_id' in audience || 'member_ids' in audience;
}

/**
 * A staff send (`POST /v1/notifications`): validates the audience, queues the
 * batch, audits it, and for a listed audience (≤ 1,000 members, one page) creates
 * the notifications at once in the same transaction; larger audiences go to the
 * fan-out worker, woken on commit.
 */
export async function sendNotification(
  deps: ServiceDeps & { notificationBatches?: { wake(): void } | undefined },
  tenantId: string,
  ctx: AuditContext,
  input: Omit<NewNotificationBatch, 'createdBy'>,
): Promise<NotificationBatchRow> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const inline = isInlineAudience(input.audience);
    const queued = await queueNotificationBatch(
      inline ? { db: deps.db, clock: deps.clock, ids: deps.ids } : deps,
      tx,
      tenantId,
      {
        ...input,
        createdBy: { type: ctx.actorType, id: ctx.actorId },
      },
    );
    await appendAudit(tx, deps, tenantId, ctx, [
      {
        action: 'notification.sent',
        targetType: 'notification_batch',
        targetId: queued.id,
        diff: { audience: input.audience, type: input.type, title: input.title },
      },
    ]);
    if (!inline) return queued;
    const page = await runBatchPage(deps, tx, tenantId, queued.id, { pageSize: MAX_AUDIENCE_MEMBER_IDS + 1 });
    return page.batch ?? queued;
  });
}

/** The tenant's sends, newest first (`limit + 1` rows). */
export async function listNotificationBatches(
  deps: ServiceDeps,
  tenantId: string,
  options: { limit: number; after?: string | undefined },
): Promise<NotificationBatchRow[]> {
  return deps.db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(notificationBatches)
      .where(
        and(
          eq(notificationBatches.tenantId, tenantId),
          options.after ? lt(notificationBatches.id, options.after) : undefined,
        ),
      )
      .orderBy(desc(notificationBatches.id))
      .limit(options.limit + 1),
  );
}

function batchNotFound(id: string): ApiError {
  return new ApiError(NotificationErrors.NOTIFICATION_BATCH_NOT_FOUND, `No notification batch ${id}.`);
}

export async function getNotificationBatch(
  deps: ServiceDeps,
  tenantId: string,
  id: string,
): Promise<NotificationBatchRow> {
  const [row] = await deps.db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(notificationBatches)
      .where(and(eq(notificationBatches.tenantId, tenantId), eq(notificationBatches.id, id))),
  );
  if (!row) throw batchNotFound(id);
  return row;
}

/**
 * Cancels a queued or running send: the worker stops before its next page
 * (notifications already created stay). Audited. A finished send is 409.
 */
export async function cancelNotificationBatch(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  id: string,
): Promise<NotificationBatchRow> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const where = and(eq(notificationBatches.tenantId, tenantId), eq(notificationBatches.id, id));
    // Waits for a page in progress: its counters are then final when this answers.
    const [row] = await tx.select().from(notificationBatches).where(where).for('update');
    if (!row) throw batchNotFound(id);
    if (row.status === 'canceled') return row;
    if (row.status !== 'queued' && row.status !== 'running')
      throw new ApiError(
        NotificationErrors.NOTIFICATION_BATCH_FINISHED,
        `Notification batch ${id} is already ${row.status}.`,
      );
    const [updated] = await tx
      .update(notificationBatches)
      .set({ status: 'canceled', completedAt: deps.clock.now() })
      .where(where)
      .returning();
    await appendAudit(tx, deps, tenantId, ctx, [
      {
        action: 'notification_batch.canceled',
        targetType: 'notification_batch',
        targetId: id,
        diff: { status: { from: row.status, to: 'canceled' } },
      },
    ]);
    return updated ?? row;
  });
}
