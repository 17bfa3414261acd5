import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { type FeedPostRow, members } from '../db/schema/index.js';
import { markdownExcerpt, mentionsIn } from '../lib/markdown.js';
import type { AppDeps } from '../deps.js';
import { createNotifications, queueNotificationBatch } from './notifications.js';
import type { ServiceDeps } from './service-deps.js';

/** What feed services need: the database, time, ids, and the notification fan-out worker to wake. */
export type FeedDeps = ServiceDeps & Pick<AppDeps, 'notificationBatches'>;

/**
 * Sends a `mention` notification to each member `text` mentions who can see the post
 * (not the author, not members mentioned before: `skip`), in the caller's transaction.
 */
export async function notifyMentions(
  deps: FeedDeps,
  tx: Tx,
  tenantId: string,
  post: FeedPostRow,
  text: string,
  options: { authorName: string; authorMemberId?: string; commentId?: string; skip?: Iterable<string> },
): Promise<void> {
  const skip = new Set(options.skip ?? []);
  if (options.authorMemberId) skip.add(options.authorMemberId);
  const ids = mentionsIn(text)
    .map((m) => m.memberId)
    .filter((id) => !skip.has(id))
    .slice(0, 50);
  if (ids.length === 0) return;
  const rows = await tx
    .select({ id: members.id, tierId: members.tierId })
    .from(members)
    .where(and(eq(members.tenantId, tenantId), inArray(members.id, ids), isNull(members.deletedAt)));
  const audience = post.audienceTierIds;
  const recipients = rows.filter((m) => !audience || (m.tierId !== null && audience.includes(m.tierId)));
  if (recipients.length === 0) return;
  const where = options.commentId ? 'a comment' : post.kind === 'announcement' ? 'an announcement' : 'a post';
  await createNotifications(
    deps,
    tx,
    tenantId,
    recipients.map((m) => ({
      memberId: m.id,
      type: 'mention' as const,
      title: `${options.authorName} mentioned you in ${where}`,
      body: markdownExcerpt(text),
      data: { post_id: post.id, ...(options.commentId ? { comment_id: options.commentId } : {}) },
    })),
  );
}

/**
 * Queues the `announcement` notification to the announcement's audience (everyone, or
 * the members of its tiers), in the caller's transaction; the fan-out worker is
 * woken after commit.
 */
export async function queueAnnouncementNotification(
  deps: FeedDeps,
  tx: Tx,
  tenantId: string,
  post: FeedPostRow,
): Promise<void> {
  const createdBy = { type: post.authorType === 'staff' ? 'staff' : 'api_key', id: post.authorId } as const;
  await queueNotificationBatch(deps, tx, tenantId, {
    audience: post.audienceTierIds ? { tier_ids: post.audienceTierIds } : { everyone: true },
    type: 'announcement',
    title: post.title ?? markdownExcerpt(post.body, 80),
    body: markdownExcerpt(post.body),
    data: { post_id: post.id },
    createdBy,
  });
}
