import { and, desc, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import {
  type CONTENT_REPORT_STATUSES,
  contentReports,
  conversationParticipants,
  feedComments,
  feedPosts,
  messages,
  type REPORT_TARGETS,
} from '../db/schema/index.js';
import { ApiError, defineErrorCodes } from '../lib/errors.js';
import { markdownExcerpt } from '../lib/markdown.js';
import { appendEvents } from '../realtime/event-log.js';
import { appendAudit } from './audit.js';
import { deleteMessage } from './messages.js';
import { staffActor } from './conversation-views.js';
import type { Role } from '../access/permissions.js';
import {
  authorNames,
  authorOf,
  canSeeComment,
  canSeePost,
  FEED_STAFF_TOPIC,
  type FeedActor,
  viewerOf,
} from './feed-access.js';
import { hideCommentInTx, hidePostInTx, removeComment, removePost } from './feed.js';
import type { FeedDeps } from './feed-notify.js';

export const ReportErrors = defineErrorCodes({
  REPORT_NOT_FOUND: { status: 404, title: 'Report not found' },
  REPORT_TARGET_NOT_FOUND: { status: 404, title: 'Reported content not found' },
  REPORT_ALREADY_RESOLVED: { status: 409, title: 'The report is already resolved' },
  MESSAGE_CANNOT_BE_HIDDEN: { status: 422, title: 'Messages cannot be hidden' },
});

export type ReportTarget = (typeof REPORT_TARGETS)[number];
export type ReportStatus = (typeof CONTENT_REPORT_STATUSES)[number];
export type ReportAction = 'dismiss' | 'hide' | 'delete';

/** A report as the API returns it; `target` is a preview of the content for staff (null once it is gone). */
export type ContentReportDto = {
  id: string;
  object: 'content_report';
  target_type: ReportTarget;
  target_id: string;
  reporter: { type: 'member'; id: string; name: string };
  reason: string;
  status: ReportStatus;
  resolution: { action: ReportAction; note: string | null } | null;
  resolved_by_staff_id: string | null;
  target: { author: { type: string; id: string; name: string }; excerpt: string; removed: boolean } | null;
  created_at: string;
  resolved_at: string | null;
};

type ReportRow = typeof contentReports.$inferSelect;

function parseResolution(text: string | null): ContentReportDto['resolution'] {
  if (!text) return null;
  const colon = text.indexOf(':');
  const action = (colon < 0 ? text : text.slice(0, colon)) as ReportAction;
  return { action, note: colon < 0 ? null : text.slice(colon + 1).trim() || null };
}

/** What each report's target looks like now (author, excerpt, whether it was removed). */
async function targetPreviews(tx: Tx, tenantId: string, rows: ReportRow[]) {
  const ids = (type: ReportTarget) => [...new Set(rows.filter((r) => r.targetType === type).map((r) => r.targetId))];
  const out = new Map<
    string,
    { authorType: 'member' | 'staff' | 'platform'; authorId: string; body: string; removed: boolean }
  >();
  const postIds = ids('post');
  if (postIds.length)
    for (const p of await tx
      .select()
      .from(feedPosts)
      .where(and(eq(feedPosts.tenantId, tenantId), inArray(feedPosts.id, postIds))))
      out.set(`post:${p.id}`, {
        authorType: p.authorType,
        authorId: p.authorId,
        body: p.title ? `${p.title} — ${p.body}` : p.body,
        removed: p.deletedAt !== null || p.hiddenAt !== null,
      });
  const commentIds = ids('comment');
  if (commentIds.length)
    for (const c of await tx
      .select()
      .from(feedComments)
      .where(and(eq(feedComments.tenantId, tenantId), inArray(feedComments.id, commentIds))))
      out.set(`comment:${c.id}`, {
        authorType: c.authorType,
        authorId: c.authorId,
        body: c.body,
        removed: c.deletedAt !== null || c.hiddenAt !== null,
      });
  const messageIds = ids('message');
  if (messageIds.length)
    for (const m of await tx
      .select()
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), inArray(messages.id, messageIds))))
      out.set(`message:${m.id}`, {
        authorType: m.senderType,
        authorId: m.senderId,
        body: m.body,
        removed: m.deletedAt !== null,
      });
  return out;
}

async function reportDtos(
  tx: Tx,
  tenantId: string,
  rows: ReportRow[],
  staffView: boolean,
): Promise<ContentReportDto[]> {
  const previews = staffView ? await targetPreviews(tx, tenantId, rows) : new Map();
  const names = await authorNames(tx, tenantId, [
    ...rows.map((r) => ({ type: 'member' as const, id: r.reporterMemberId })),
    ...[...previews.values()].map((p) => ({ type: p.authorType, id: p.authorId })),
  ]);
  return rows.map((r) => {
    const preview = previews.get(`${r.targetType}:${r.targetId}`);
    return {
      id: r.id,
      object: 'content_report',
      target_type: r.targetType,
      target_id: r.targetId,
      reporter: { type: 'member', id: r.reporterMemberId, name: authorOf(names, 'member', r.reporterMemberId).name },
      reason: r.reason,
      status: r.status,
      resolution: parseResolution(r.resolution),
      resolved_by_staff_id: r.resolvedByStaffId,
      target: preview
        ? {
            author: authorOf(names, preview.authorType, preview.authorId),
            excerpt: preview.removed && preview.body === '' ? '' : markdownExcerpt(preview.body, 280),
            removed: preview.removed,
          }
        : null,
      created_at: r.createdAt.toISOString(),
      resolved_at: r.resolvedAt?.toISOString() ?? null,
    };
  });
}

/** Checks the member can see what they report (404 otherwise: nothing of another tenant or conversation is revealed). */
async function checkTargetVisible(tx: Tx, tenantId: string, memberId: string, type: ReportTarget, id: string) {
  const notFound = () => new ApiError(ReportErrors.REPORT_TARGET_NOT_FOUND, `No ${type} ${id}.`);
  const viewer = await viewerOf(tx, tenantId, { type: 'member', memberId });
  if (type === 'post') {
    const [post] = await tx
      .select()
      .from(feedPosts)
      .where(and(eq(feedPosts.tenantId, tenantId), eq(feedPosts.id, id)));
    if (!post || !canSeePost(viewer, post)) throw notFound();
  } else if (type === 'comment') {
    const [comment] = await tx
      .select()
      .from(feedComments)
      .where(and(eq(feedComments.tenantId, tenantId), eq(feedComments.id, id)));
    if (!comment || !canSeeComment(viewer, comment)) throw notFound();
    const [post] = await tx
      .select()
      .from(feedPosts)
      .where(and(eq(feedPosts.tenantId, tenantId), eq(feedPosts.id, comment.postId)));
    if (!post || !canSeePost(viewer, post)) throw notFound();
  } else {
    const [message] = await tx
      .select({ conversationId: messages.conversationId, deletedAt: messages.deletedAt })
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), eq(messages.id, id)));
    if (!message || message.deletedAt) throw notFound();
    const [participant] = await tx
      .select({ id: conversationParticipants.participantId })
      .from(conversationParticipants)
      .where(
        and(
          eq(conversationParticipants.tenantId, tenantId),
          eq(conversationParticipants.conversationId, message.conversationId),
          eq(conversationParticipants.participantType, 'member'),
          eq(conversationParticipants.participantId, memberId),
          isNull(conversationParticipants.leftAt),
        ),
      );
    if (!participant) throw notFound();
  }
}

/**
 * A member reports a post, comment or message they can see. Reporting the same thing
 * again while the first report is open returns that report (`created: false`).
 */
export function createReport(
  deps: FeedDeps,
  tenantId: string,
  memberId: string,
  input: { targetType: ReportTarget; targetId: string; reason: string },
): Promise<{ report: ContentReportDto; created: boolean }> {
  return deps.db.withTenant(tenantId, async (tx) => {
    await checkTargetVisible(tx, tenantId, memberId, input.targetType, input.targetId);
    const open = and(
      eq(contentReports.tenantId, tenantId),
      eq(contentReports.targetType, input.targetType),
      eq(contentReports.targetId, input.targetId),
      eq(contentReports.reporterMemberId, memberId),
      eq(contentReports.status, 'open'),
    );
    const [existing] = await tx.select().from(contentReports).where(open);
    if (existing) return { report: (await reportDtos(tx, tenantId, [existing], false))[0]!, created: false };
    const [row] = await tx
      .insert(contentReports)
      .values({
        tenantId,
        id: deps.ids.generate('rep'),
        targetType: input.targetType,
        targetId: input.targetId,
        reporterMemberId: memberId,
        reason: input.reason,
        createdAt: deps.clock.now(),
      })
      .returning();
    const [staffDto] = await reportDtos(tx, tenantId, [row!], true);
    await appendEvents(deps, tx, tenantId, [
      { topic: FEED_STAFF_TOPIC, type: 'content_report.created', data: { ...staffDto! } },
    ]);
    return { report: (await reportDtos(tx, tenantId, [row!], false))[0]!, created: true };
  });
}

/** Reports for staff, newest first, by status (all when omitted). */
export function listReports(
  deps: FeedDeps,
  tenantId: string,
  options: { limit: number; status?: ReportStatus; beforeId?: string },
): Promise<{ reports: ContentReportDto[]; hasMore: boolean; lastId: string | null }> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const rows = await tx
      .select()
      .from(contentReports)
      .where(
        and(
          eq(contentReports.tenantId, tenantId),
          options.status ? eq(contentReports.status, options.status) : undefined,
          options.beforeId ? lt(contentReports.id, options.beforeId) : undefined,
        ),
      )
      .orderBy(desc(contentReports.id))
      .limit(options.limit + 1);
    const page = rows.slice(0, options.limit);
    return {
      reports: await reportDtos(tx, tenantId, page, true),
      hasMore: rows.length > options.limit,
      lastId: page.at(-1)?.id ?? null,
    };
  });
}

/** Who resolves reports: staff (a user or a secret key) with feed:manage, and its role (messages need message:moderate). */
export type ReportResolver = Extract<FeedActor, { type: 'staff' | 'api_key' }> & { role: Role };

/**
 * Resolves a report: `dismiss` leaves the content, `hide` hides a post or comment,
 * `delete` deletes it (a message: soft-deleted, body blanked, `message.deleted` on its
 * conversation). Every open report on the same content is resolved with it; audited.
 */
export async function resolveReport(
  deps: FeedDeps,
  tenantId: string,
  resolver: ReportResolver,
  id: string,
  input: { action: ReportAction; note?: string },
): Promise<ContentReportDto> {
  const [report] = await deps.db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(contentReports)
      .where(and(eq(contentReports.tenantId, tenantId), eq(contentReports.id, id))),
  );
  if (!report) throw new ApiError(ReportErrors.REPORT_NOT_FOUND, `No report ${id}.`);
  if (report.status !== 'open')
    throw new ApiError(ReportErrors.REPORT_ALREADY_RESOLVED, `Report ${id} was already ${report.status}.`);
  if (report.targetType === 'message' && input.action === 'hide')
    throw new ApiError(
      ReportErrors.MESSAGE_CANNOT_BE_HIDDEN,
      'Messages cannot be hidden; delete it or dismiss the report.',
    );
  if (report.targetType === 'message' && input.action === 'delete') {
    // The messaging service deletes it (unread counts, the conversation's preview, its events and audit entry).
    const [message] = await deps.db.withTenant(tenantId, (tx) =>
      tx
        .select({ conversationId: messages.conversationId, deletedAt: messages.deletedAt })
        .from(messages)
        .where(and(eq(messages.tenantId, tenantId), eq(messages.id, report.targetId))),
    );
    if (message && !message.deletedAt)
      await deleteMessage(
        deps,
        staffActor(
          tenantId,
          resolver.type === 'staff' ? resolver.staffId : resolver.keyId,
          resolver.role,
          resolver.audit,
        ),
        message.conversationId,
        report.targetId,
      );
  }
  return deps.db.withTenant(tenantId, async (tx) => {
    const [row] = await tx
      .select()
      .from(contentReports)
      .where(and(eq(contentReports.tenantId, tenantId), eq(contentReports.id, id)))
      .for('update');
    if (row?.status !== 'open')
      throw new ApiError(ReportErrors.REPORT_ALREADY_RESOLVED, `Report ${id} was already resolved.`);
    if (input.action !== 'dismiss' && row.targetType !== 'message')
      await moderate(deps, tx, tenantId, resolver, row, input.action);
    const now = deps.clock.now();
    const resolution = input.note ? `${input.action}: ${input.note}` : input.action;
    const resolved = await tx
      .update(contentReports)
      .set({
        status: input.action === 'dismiss' ? 'dismissed' : 'resolved',
        resolution,
        resolvedByStaffId: resolver.type === 'staff' ? resolver.staffId : null,
        resolvedAt: now,
      })
      .where(
        and(
          eq(contentReports.tenantId, tenantId),
          eq(contentReports.targetType, row.targetType),
          eq(contentReports.targetId, row.targetId),
          eq(contentReports.status, 'open'),
        ),
      )
      .returning();
    await appendAudit(tx, deps, tenantId, resolver.audit, [
      {
        action: 'content_report.resolved',
        targetType: 'content_report',
        targetId: id,
        diff: {
          action: input.action,
          target_type: row.targetType,
          target_id: row.targetId,
          reports: resolved.map((r) => r.id),
          ...(input.note ? { note: input.note } : {}),
        },
      },
    ]);
    const dtos = await reportDtos(tx, tenantId, resolved, true);
    await appendEvents(
      deps,
      tx,
      tenantId,
      dtos.map((dto) => ({ topic: FEED_STAFF_TOPIC, type: 'content_report.resolved', data: { ...dto } })),
    );
    return dtos.find((d) => d.id === id)!;
  });
}

async function moderate(
  deps: FeedDeps,
  tx: Tx,
  tenantId: string,
  resolver: ReportResolver,
  row: ReportRow,
  action: 'hide' | 'delete',
): Promise<void> {
  if (row.targetType === 'post') {
    const [post] = await tx
      .select()
      .from(feedPosts)
      .where(and(eq(feedPosts.tenantId, tenantId), eq(feedPosts.id, row.targetId)))
      .for('update');
    if (!post || post.deletedAt) return;
    if (action === 'hide') await hidePostInTx(deps, tx, tenantId, resolver, post);
    else await removePost(deps, tx, tenantId, resolver, post);
    return;
  }
  const [comment] = await tx
    .select()
    .from(feedComments)
    .where(and(eq(feedComments.tenantId, tenantId), eq(feedComments.id, row.targetId)))
    .for('update');
  if (!comment || comment.deletedAt) return;
  const [post] = await tx
    .select()
    .from(feedPosts)
    .where(and(eq(feedPosts.tenantId, tenantId), eq(feedPosts.id, comment.postId)));
  if (!post) return;
  if (action === 'hide') await hideCommentInTx(deps, tx, tenantId, resolver, comment, post);
  else await removeComment(deps, tx, tenantId, resolver, comment, post);
}
