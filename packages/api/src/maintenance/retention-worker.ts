import { and, asc, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import {
  idempotencyKeys,
  loginThrottles,
  mailOutbox,
  members,
  oneTimeTokens,
  platformIdempotencyKeys,
  sessions,
  tenants,
} from '../db/schema/index.js';
import { executeRows } from '../db/database.js';
import { forgetActivityPartitions } from '../services/activity-partitions.js';
import { eraseMember } from '../services/members-gdpr.js';
import { LOGIN_THROTTLE } from '../accounts/login-throttle.js';
import { createPeriodicLoop } from '../lib/periodic-loop.js';
import type { Logger } from '../lib/logger.js';
import type { AuditContext } from '../services/audit-context.js';
import { RESTORE_WINDOW_MS } from '../services/members.js';
import type { ServiceDeps } from '../services/service-deps.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long data is kept after it stops being useful. */
export interface RetentionPolicy {
  /** A deleted member is erased (GDPR Art. 17) once it can no longer be restored. Default 30 days, the restore window. */
  deletedMembersMs: number;
  /** Ended sessions (expired or signed out) are removed after this. Default 30 days, kept for "where was I signed in" questions. */
  endedSessionsMs: number;
  /** Used or expired one-time tokens (mail links) are removed after this. Default 7 days. */
  oneTimeTokensMs: number;
  /** Stored idempotent responses are removed after this. Default 24 hours, the replay window. */
  idempotencyMs: number;
  /** Sent and failed mails (addresses and rendered data) are removed after this. Default 30 days. */
  mailMs: number;
  /** Client ids of activity events (`activity_ingest_keys`) are forgotten after this: the dedupe window. Default 35 days. */
  activityIngestKeysMs: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  deletedMembersMs: RESTORE_WINDOW_MS,
  endedSessionsMs: 30 * DAY_MS,
  oneTimeTokensMs: 7 * DAY_MS,
  idempotencyMs: DAY_MS,
  mailMs: 30 * DAY_MS,
  activityIngestKeysMs: 35 * DAY_MS,
};

/** What one run removed, across tenants. */
export interface RetentionResult {
  members_erased: number;
  sessions_deleted: number;
  one_time_tokens_deleted: number;
  idempotency_keys_deleted: number;
  mails_deleted: number;
  /** Sign-in failure counts past their window and lock (`login_throttles`). */
  sign_in_failures_deleted: number;
  /** Raw activity events older than their tenant's `activity_retention_months` (rollups are kept). */
  activity_events_deleted: number;
  /** Activity client ids past the dedupe window. */
  activity_ingest_keys_deleted: number;
  /** Monthly `activity_events` partitions dropped: past every tenant's retention. */
  activity_partitions_dropped: number;
}

export interface RetentionWorkerOptions {
  deps: ServiceDeps;
  logger: Logger;
  policy?: Partial<RetentionPolicy>;
  /** Members erased per tenant per run (each is its own transaction). Default 100. */
  eraseBatch?: number;
  /** Only these tenants (tests sharing a database); all when omitted. */
  onlyTenants?: readonly string[];
}

/** Removes data past its retention, tenant by tenant. */
export interface RetentionWorker {
  runOnce(): Promise<RetentionResult>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

/** Erasures by the retention job are audited under this actor. */
const RETENTION_ACTOR: AuditContext = { actorType: 'system', actorId: 'retention', requestId: null, ip: null };

/**
 * Creates the job that keeps the database to what is still needed: it erases
 * members whose restore window has passed, and deletes ended sessions, spent
 * mail-link tokens, old idempotent responses, delivered mail and sign-in failure
 * counts that no longer slow down or lock anyone. Each tenant is
 * handled in its own transactions as that tenant (row-level security applies);
 * several workers may run at once (the deletes are idempotent, an erasure twice is
 * a no-op). The audit log is never pruned: it is the tenant's record.
 */
export function createRetentionWorker(options: RetentionWorkerOptions): RetentionWorker {
  const { deps, logger } = options;
  const policy: RetentionPolicy = { ...DEFAULT_RETENTION, ...options.policy };
  const eraseBatch = options.eraseBatch ?? 100;
  const onlyTenants = options.onlyTenants ? [...options.onlyTenants] : null;

  async function tenantIds(): Promise<string[]> {
    const rows = await deps.db.withPlatform((tx) =>
      tx
        .select({ id: tenants.id })
        .from(tenants)
        .where(onlyTenants ? inArray(tenants.id, onlyTenants) : undefined)
        .orderBy(asc(tenants.id)),
    );
    return rows.map((r) => r.id);
  }

  /** Cleans one tenant; true when it left members to erase for the next run. */
  async function cleanTenant(tenantId: string, now: Date, result: RetentionResult): Promise<boolean> {
    const deleted = await deps.db.withTenant(tenantId, async (tx) => {
      const ended = before(now, policy.endedSessionsMs);
      const s = await tx
        .delete(sessions)
        .where(and(eq(sessions.tenantId, tenantId), or(lt(sessions.expiresAt, ended), lt(sessions.revokedAt, ended))))
        .returning({ id: sessions.id });
      const spent = before(now, policy.oneTimeTokensMs);
      const o = await tx
        .delete(oneTimeTokens)
        .where(
          and(
            eq(oneTimeTokens.tenantId, tenantId),
            or(lt(oneTimeTokens.expiresAt, spent), lt(oneTimeTokens.usedAt, spent)),
          ),
        )
        .returning({ hash: oneTimeTokens.tokenHash });
      const i = await tx
        .delete(idempotencyKeys)
        .where(
          and(eq(idempotencyKeys.tenantId, tenantId), lt(idempotencyKeys.createdAt, before(now, policy.idempotencyMs))),
        )
        .returning({ key: idempotencyKeys.key });
      const m = await tx
        .delete(mailOutbox)
        .where(
          and(
            eq(mailOutbox.tenantId, tenantId),
            inArray(mailOutbox.status, ['sent', 'failed']),
            lt(sql`coalesce(${mailOutbox.sentAt}, ${mailOutbox.createdAt})`, before(now, policy.mailMs)),
          ),
        )
        .returning({ id: mailOutbox.id });
      // Counts of unknown emails too: they would otherwise pile up. Nothing depends on one past its window and lock.
      const f = await tx
        .delete(loginThrottles)
        .where(
          and(
            eq(loginThrottles.tenantId, tenantId),
            lt(loginThrottles.windowStart, before(now, LOGIN_THROTTLE.windowMs)),
            or(isNull(loginThrottles.lockedUntil), lt(loginThrottles.lockedUntil, now)),
          ),
        )
        .returning({ account: loginThrottles.accountDigest });
      // Raw activity past the tenant's retention (calendar months back from now); rollups stay.
      const [events] = await executeRows<{ n: number }>(
        tx.execute(sql`with gone as (
            delete from activity_events where tenant_id = ${tenantId} and occurred_at < ${now.toISOString()}::timestamptz
              - make_interval(months => (select activity_retention_months from tenants where id = ${tenantId}))
            returning 1)
          select count(*)::int as n from gone`),
      );
      const [keys] = await executeRows<{ n: number }>(
        tx.execute(sql`with gone as (
            delete from activity_ingest_keys where tenant_id = ${tenantId}
              and created_at < ${before(now, policy.activityIngestKeysMs).toISOString()}::timestamptz
            returning 1)
          select count(*)::int as n from gone`),
      );
      return {
        sessions: s.length,
        tokens: o.length,
        idempotency: i.length,
        mails: m.length,
        failures: f.length,
        activityEvents: events?.n ?? 0,
        activityKeys: keys?.n ?? 0,
      };
    });
    result.sessions_deleted += deleted.sessions;
    result.one_time_tokens_deleted += deleted.tokens;
    result.idempotency_keys_deleted += deleted.idempotency;
    result.mails_deleted += deleted.mails;
    result.sign_in_failures_deleted += deleted.failures;
    result.activity_events_deleted += deleted.activityEvents;
    result.activity_ingest_keys_deleted += deleted.activityKeys;

    // Deleted members past the restore window and not erased yet (the erased keep an erased address).
    const due = await deps.db.withTenant(tenantId, (tx) =>
      tx
        .select({ id: members.id })
        .from(members)
        .where(
          and(
            eq(members.tenantId, tenantId),
            isNotNull(members.deletedAt),
            lt(members.deletedAt, before(now, policy.deletedMembersMs)),
            sql`${members.email} <> 'erased+' || ${members.id} || '@erased.invalid'`,
          ),
        )
        .orderBy(asc(members.deletedAt), asc(members.id))
        .limit(eraseBatch),
    );
    for (const { id } of due) {
      await eraseMember(deps, tenantId, RETENTION_ACTOR, id);
      result.members_erased += 1;
    }
    return due.length >= eraseBatch;
  }

  async function run(): Promise<{ result: RetentionResult; more: boolean }> {
    const now = deps.clock.now();
    const result: RetentionResult = {
      members_erased: 0,
      sessions_deleted: 0,
      one_time_tokens_deleted: 0,
      idempotency_keys_deleted: 0,
      mails_deleted: 0,
      sign_in_failures_deleted: 0,
      activity_events_deleted: 0,
      activity_ingest_keys_deleted: 0,
      activity_partitions_dropped: 0,
    };
    let more = false;
    for (const tenantId of await tenantIds()) {
      // One tenant's failure (a bad row, a lock timeout) does not stop the others.
      try {
        more = (await cleanTenant(tenantId, now, result)) || more;
      } catch (error) {
        logger.error('retention run failed for a tenant', {
          tenant_id: tenantId,
          reason: error instanceof Error ? error.message : String(error),
        });
      }
    }
    if (!onlyTenants) {
      const stale = before(now, policy.idempotencyMs);
      const rows = await deps.db.withPlatform((tx) =>
        tx
          .delete(platformIdempotencyKeys)
          .where(lt(platformIdempotencyKeys.createdAt, stale))
          .returning({ key: platformIdempotencyKeys.key }),
      );
      result.idempotency_keys_deleted += rows.length;
      // Whole months past every tenant's retention: dropped (the per-tenant deletes above emptied them).
      const [dropped] = await deps.db.withPlatform((tx) =>
        executeRows<{ n: number | null }>(
          tx.execute(sql`select memberkit_drop_activity_partitions_before(
              ${now.toISOString()}::timestamptz - make_interval(months => max(activity_retention_months))) as n
            from tenants having count(*) > 0`),
        ),
      );
      if (dropped?.n) {
        result.activity_partitions_dropped += dropped.n;
        forgetActivityPartitions(deps.db);
      }
    }
    if (Object.values(result).some((n) => n > 0)) logger.info('retention run', { ...result });
    return { result, more };
  }

  const loop = createPeriodicLoop(
    async () => (await run()).more,
    (error) => logger.error('retention run failed', { reason: error instanceof Error ? error.message : String(error) }),
  );
  return {
    runOnce: async () => (await run()).result,
    start: (intervalMs) => loop.start(intervalMs),
    stop: () => loop.stop(),
  };
}

/** The time `ms` before `now`. */
function before(now: Date, ms: number): Date {
  return new Date(now.getTime() - ms);
}
