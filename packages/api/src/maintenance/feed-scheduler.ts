import { and, asc, inArray, isNull, lte, sql } from 'drizzle-orm';
import { executeRows } from '../db/database.js';
import { feedPosts, tenants } from '../db/schema/index.js';
import type { Logger } from '../lib/logger.js';
import { createWakeableLoop, type WakeableLoop } from '../lib/wakeable-loop.js';
import { publishDuePost } from '../services/feed.js';
import { recordMilestone } from '../services/feed-milestones.js';
import type { FeedDeps } from '../services/feed-notify.js';

export interface FeedSchedulerOptions {
  deps: FeedDeps;
  logger: Logger;
  /** Scheduled posts published per run (each in its own transaction). Default 50. */
  batch?: number;
  /** Only these tenants (tests sharing a database); all when omitted. */
  onlyTenants?: readonly string[];
  /** Anniversaries missed while no scheduler ran are still posted this long after the day. Default 7 days. */
  anniversaryGraceMs?: number;
}

/** What one run did. */
export interface FeedSchedulerRun {
  published: number;
  anniversaries: number;
}

/** Publishes scheduled announcements when their time comes, and posts members' anniversaries. */
export interface FeedScheduler extends WakeableLoop {
  runOnce(): Promise<FeedSchedulerRun>;
}

/**
 * The feed's background job. Each run:
 * - publishes due scheduled posts: claims them one at a time across tenants as the
 *   platform role (`FOR UPDATE SKIP LOCKED`, so any number of schedulers share the
 *   work), enters the post's tenant in the same transaction, sets `published_at`,
 *   appends `feed.post_created` where members may see it, and queues the announcement
 *   notification when `data.notify` asked for one (once: `data.notified`);
 * - posts yearly anniversaries (from `members.created_at`) of members who share
 *   milestones, once per member and year (deduplicated by the post's data), within
 *   `anniversaryGraceMs` of the day.
 * `wake()` runs it soon (after an announcement is scheduled for a near time, say).
 *
 * @example
 * const scheduler = createFeedScheduler({ deps, logger });
 * scheduler.start(30_000);
 * // on shutdown
 * await scheduler.stop();
 */
export function createFeedScheduler(options: FeedSchedulerOptions): FeedScheduler {
  const { deps, logger } = options;
  const batch = options.batch ?? 50;
  const graceMs = options.anniversaryGraceMs ?? 7 * 24 * 60 * 60 * 1000;
  const onlyTenants = options.onlyTenants ? [...options.onlyTenants] : null;

  /** Publishes one due post; false when none is due. */
  async function publishNext(): Promise<boolean> {
    const now = deps.clock.now();
    return deps.db.withPlatform(async (tx, scope) => {
      const [due] = await tx
        .select({ tenantId: feedPosts.tenantId, id: feedPosts.id })
        .from(feedPosts)
        .where(
          and(
            isNull(feedPosts.publishedAt),
            isNull(feedPosts.deletedAt),
            lte(feedPosts.publishAt, now),
            onlyTenants ? inArray(feedPosts.tenantId, onlyTenants) : undefined,
          ),
        )
        .orderBy(asc(feedPosts.publishAt))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!due) return false;
      await scope.enterTenant(due.tenantId);
      await publishDuePost(deps, tx, due.tenantId, due.id);
      return true;
    });
  }

  /** The tenants to look at for anniversaries. */
  async function tenantIds(): Promise<string[]> {
    if (onlyTenants) return onlyTenants;
    const rows = await deps.db.withPlatform((tx) => tx.select({ id: tenants.id }).from(tenants));
    return rows.map((r) => r.id);
  }

  /** Posts the anniversaries due in one tenant (members sharing milestones only). */
  async function anniversaries(tenantId: string): Promise<number> {
    const now = deps.clock.now();
    const since = new Date(now.getTime() - graceMs);
    return deps.db.withTenant(tenantId, async (tx) => {
      // Whole years of membership as of now; the anniversary day is within the grace window.
      const due = await executeRows<{ member_id: string; years: number }>(
        tx.execute(sql`
          select m.id as member_id, extract(year from age(${now.toISOString()}::timestamptz, m.created_at))::int as years
          from members m
          join member_community_prefs p on p.tenant_id = m.tenant_id and p.member_id = m.id and p.share_milestones
          where m.tenant_id = ${tenantId}
            and m.deleted_at is null
            and m.created_at <= ${now.toISOString()}::timestamptz - interval '1 year'
            and m.created_at + make_interval(years => extract(year from age(${now.toISOString()}::timestamptz, m.created_at))::int)
                > ${since.toISOString()}::timestamptz
          limit 500`),
      );
      let posted = 0;
      for (const row of due) {
        const years = Number(row.years);
        if (years < 1) continue;
        if (await recordMilestone(deps, tx, tenantId, row.member_id, 'anniversary', { years })) posted++;
      }
      return posted;
    });
  }

  let lastAnniversaryScan: number | null = null;

  async function runOnce(): Promise<FeedSchedulerRun> {
    let published = 0;
    while (published < batch && (await publishNext())) published++;
    let posted = 0;
    const now = deps.clock.now().getTime();
    // Anniversaries change once a day: every tenant is looked at hourly, not on every run.
    if (lastAnniversaryScan !== null && now - lastAnniversaryScan < 60 * 60 * 1000)
      return { published, anniversaries: 0 };
    lastAnniversaryScan = now;
    for (const tenantId of await tenantIds()) {
      try {
        posted += await anniversaries(tenantId);
      } catch (error) {
        logger.warn('feed anniversaries failed', { tenant_id: tenantId, error: String(error) });
      }
    }
    if (published > 0 || posted > 0) logger.info('feed scheduler run', { published, anniversaries: posted });
    return { published, anniversaries: posted };
  }

  const loop = createWakeableLoop(
    async () => (await runOnce()).published >= batch,
    (error) => logger.error('feed scheduler run failed', { error: String(error) }),
    250,
  );
  return { ...loop, runOnce };
}
