import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { notificationBatches } from '../db/schema/index.js';
import type { Logger } from '../lib/logger.js';
import { createWakeableLoop } from '../lib/wakeable-loop.js';
import { BATCH_PAGE_SIZE, runBatchPage } from '../services/notification-batches.js';
import type { ServiceDeps } from '../services/service-deps.js';

export interface NotificationBatchWorkerOptions {
  deps: ServiceDeps;
  logger: Logger;
  /** Members per page (one transaction). Default 1,000. */
  pageSize?: number;
  /** Pages per {@link NotificationBatchWorker.runOnce}. Default 20. */
  pagesPerRun?: number;
  /** Only these tenants (tests sharing a database); all when omitted. */
  onlyTenants?: readonly string[];
  /** Attempts before a batch that keeps failing is marked `failed`. Default 5. */
  maxAttempts?: number;
  /** Test hook: runs inside each page's transaction before it commits (throw to simulate a crash). */
  beforePageCommit?: (batchId: string) => void;
}

export interface NotificationBatchRun {
  pages: number;
  /** Members looked at. */
  members: number;
  failed: number;
}

export interface NotificationBatchWorker {
  runOnce(): Promise<NotificationBatchRun>;
  /** Runs until no batch has work (tests, shutdown). */
  drain(): Promise<NotificationBatchRun>;
  start(intervalMs: number): void;
  wake(): void;
  stop(): Promise<void>;
}

/**
 * Fans staff sends out to their members. Each page is one transaction that claims a
 * due batch as the platform role (`FOR UPDATE SKIP LOCKED`: any number of workers
 * share the work, never the same batch at once), enters its tenant, creates the
 * notifications of the next 1,000 members by id after the batch's cursor and moves
 * the cursor and counters: a crash loses at most an uncommitted page, which is redone,
 * and nobody gets a send twice. Batches take turns page by page (the one waiting
 * longest goes next). A canceled batch is not claimed again. A page that fails is
 * retried with backoff, and the batch marked `failed` after `maxAttempts`.
 */
export function createNotificationBatchWorker(options: NotificationBatchWorkerOptions): NotificationBatchWorker {
  const { deps, logger } = options;
  const pageSize = options.pageSize ?? BATCH_PAGE_SIZE;
  const pagesPerRun = options.pagesPerRun ?? 20;
  const maxAttempts = options.maxAttempts ?? 5;
  const onlyTenants = options.onlyTenants ? [...options.onlyTenants] : null;

  /** One page of the batch waiting longest; null when none is due. */
  async function runPage(): Promise<{ members: number; failed: boolean } | null> {
    const now = deps.clock.now();
    let claimed: { tenantId: string; id: string; attempts: number } | undefined;
    try {
      return await deps.db.withPlatform(async (tx, scope) => {
        [claimed] = await tx
          .select({
            tenantId: notificationBatches.tenantId,
            id: notificationBatches.id,
            attempts: notificationBatches.attempts,
          })
          .from(notificationBatches)
          .where(
            and(
              inArray(notificationBatches.status, ['queued', 'running']),
              lte(notificationBatches.nextAttemptAt, now),
              onlyTenants ? inArray(notificationBatches.tenantId, onlyTenants) : undefined,
            ),
          )
          .orderBy(asc(notificationBatches.nextAttemptAt))
          .limit(1)
          .for('update', { skipLocked: true });
        if (!claimed) return null;
        const batchId = claimed.id;
        await scope.enterTenant(claimed.tenantId);
        const result = await runBatchPage(deps, tx, claimed.tenantId, batchId, {
          pageSize,
          beforeCommit: options.beforePageCommit ? () => options.beforePageCommit?.(batchId) : undefined,
        });
        if (result.finished && result.batch?.status === 'completed')
          logger.info('notification batch completed', {
            tenant_id: claimed.tenantId,
            batch_id: batchId,
            total: result.batch.total,
            delivered: result.batch.delivered,
            skipped: result.batch.skipped,
          });
        return { members: result.processed, failed: false };
      });
    } catch (error) {
      if (!claimed) throw error;
      const failed = claimed;
      const attempts = failed.attempts + 1;
      const reason = error instanceof Error ? error.message : String(error);
      logger.error('notification batch page failed', {
        tenant_id: failed.tenantId,
        batch_id: failed.id,
        attempts,
        reason,
      });
      await deps.db.withPlatform((tx) =>
        tx
          .update(notificationBatches)
          .set({
            attempts,
            lastError: reason.slice(0, 1000),
            nextAttemptAt: new Date(now.getTime() + Math.min(2 ** attempts, 300) * 1000),
            ...(attempts >= maxAttempts ? { status: 'failed' as const, completedAt: now } : {}),
          })
          .where(
            and(
              eq(notificationBatches.tenantId, failed.tenantId),
              eq(notificationBatches.id, failed.id),
              sql`${notificationBatches.status} in ('queued', 'running')`,
            ),
          ),
      );
      return { members: 0, failed: true };
    }
  }

  async function runOnce(): Promise<NotificationBatchRun> {
    const out: NotificationBatchRun = { pages: 0, members: 0, failed: 0 };
    for (let i = 0; i < pagesPerRun; i++) {
      const page = await runPage();
      if (!page) break;
      out.pages += 1;
      out.members += page.members;
      if (page.failed) out.failed += 1;
    }
    return out;
  }

  const loop = createWakeableLoop(
    async () => (await runOnce()).pages >= pagesPerRun,
    (error) =>
      logger.error('notification batch run failed', { reason: error instanceof Error ? error.message : String(error) }),
    50,
  );

  return {
    runOnce,
    async drain() {
      const total: NotificationBatchRun = { pages: 0, members: 0, failed: 0 };
      for (let i = 0; i < 10_000; i++) {
        const run = await runOnce();
        total.pages += run.pages;
        total.members += run.members;
        total.failed += run.failed;
        if (run.pages < pagesPerRun) break;
      }
      return total;
    },
    start: loop.start,
    wake: loop.wake,
    stop: loop.stop,
  };
}
