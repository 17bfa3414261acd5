import { and, asc, eq, inArray, isNull, lte, ne, sql } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import {
  mailOutbox,
  memberCredentials,
  members,
  notificationPreferences,
  notifications,
  tenants,
} from '../db/schema/index.js';
import { base32Crockford } from '../lib/encoding.js';
import { ID_BODY_LENGTH } from '../lib/ids.js';
import type { Logger } from '../lib/logger.js';
import { createPeriodicLoop } from '../lib/periodic-loop.js';
import { localDay, weekStart, zonedWallTime } from '../lib/time-zone.js';
import type { ServiceDeps } from '../services/service-deps.js';

/** Local hour from which the day's (or Monday's, for weekly) digest goes out. */
const DIGEST_HOUR = 8;
/** Notifications listed in one digest at most (the rest: "and N more"). */
const MAX_ITEMS = 20;

export interface NotificationDigestWorkerOptions {
  deps: ServiceDeps;
  logger: Logger;
  /** Only these tenants (tests sharing a database); all when omitted. */
  onlyTenants?: readonly string[];
}

export interface NotificationDigestRun {
  mails: number;
  notifications: number;
}

export interface NotificationDigestWorker {
  runOnce(): Promise<NotificationDigestRun>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

/** The `notification_digest` mail's data (the template lists `items`). */
export interface NotificationDigestData {
  first_name: string | null;
  frequency: 'daily' | 'weekly';
  count: number;
  items: { type: string; title: string; body: string | null; url: string | null; created_at: string }[];
  more: number;
}

/** The mail id of one member's digest for one slot: the same slot can never queue two mails. */
async function digestMailId(tenantId: string, memberId: string, frequency: string, slot: Date): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest(
      'SHA-256',
      new TextEncoder().encode(`digest|${tenantId}|${memberId}|${frequency}|${slot.toISOString()}`),
    ),
  );
  const bytes = new Uint8Array(16);
  let time = BigInt(slot.getTime());
  for (let i = 5; i >= 0; i--) {
    bytes[i] = Number(time & 0xffn);
    time >>= 8n;
  }
  bytes.set(digest.subarray(0, 10), 6);
  return `mail_${base32Crockford(bytes, ID_BODY_LENGTH)}`;
}

/**
 * Mails members a digest of their unread notifications: daily from 08:00 in the
 * tenant's time zone, weekly from Monday 08:00, for the types whose preference
 * asks for that digest. One mail per member and slot (a deterministic mail id,
 * inserted on no conflict), in the tenant's language, through the mail outbox; the
 * notifications it lists are marked `digested_at` in the same transaction, so none
 * is mailed twice. Notifications read before the slot are not mailed.
 */
export function createNotificationDigestWorker(options: NotificationDigestWorkerOptions): NotificationDigestWorker {
  const { deps, logger } = options;
  const onlyTenants = options.onlyTenants ? [...options.onlyTenants] : null;

  async function digestTenant(tx: Tx, tenantId: string, now: Date): Promise<NotificationDigestRun> {
    const out = { mails: 0, notifications: 0 };
    const [tenant] = await tx
      .select({ timeZone: tenants.timeZone, locale: tenants.defaultLocale })
      .from(tenants)
      .where(eq(tenants.id, tenantId));
    if (!tenant) return out;
    const today = localDay(now, tenant.timeZone);
    const slots: { frequency: 'daily' | 'weekly'; slot: Date }[] = [];
    const daily = zonedWallTime(today, DIGEST_HOUR, tenant.timeZone);
    if (now >= daily) slots.push({ frequency: 'daily', slot: daily });
    const monday = zonedWallTime(weekStart(today), DIGEST_HOUR, tenant.timeZone);
    if (now >= monday) slots.push({ frequency: 'weekly', slot: monday });
    for (const { frequency, slot } of slots) {
      const due = await tx
        .select({
          n: notifications,
          email: members.email,
          firstName: members.firstName,
          locale: memberCredentials.locale,
        })
        .from(notifications)
        .innerJoin(
          notificationPreferences,
          and(
            eq(notificationPreferences.tenantId, notifications.tenantId),
            eq(notificationPreferences.memberId, notifications.memberId),
            eq(notificationPreferences.type, notifications.type),
          ),
        )
        .innerJoin(members, and(eq(members.tenantId, notifications.tenantId), eq(members.id, notifications.memberId)))
        .leftJoin(
          memberCredentials,
          and(eq(memberCredentials.tenantId, members.tenantId), eq(memberCredentials.memberId, members.id)),
        )
        .where(
          and(
            eq(notifications.tenantId, tenantId),
            eq(notificationPreferences.emailDigest, frequency),
            isNull(notifications.readAt),
            isNull(notifications.digestedAt),
            isNull(members.deletedAt),
            lte(notifications.createdAt, now),
          ),
        )
        .orderBy(asc(notifications.memberId), sql`${notifications.createdAt} desc`);
      const byMember = new Map<string, typeof due>();
      for (const row of due) {
        const list = byMember.get(row.n.memberId) ?? [];
        list.push(row);
        byMember.set(row.n.memberId, list);
      }
      for (const [memberId, rows] of byMember) {
        const first = rows[0]!;
        const data: NotificationDigestData = {
          first_name: first.firstName || null,
          frequency,
          count: rows.length,
          items: rows.slice(0, MAX_ITEMS).map(({ n }) => ({
            type: n.type,
            title: n.title,
            body: n.body,
            url: n.url,
            created_at: n.createdAt.toISOString(),
          })),
          more: Math.max(0, rows.length - MAX_ITEMS),
        };
        const inserted = await tx
          .insert(mailOutbox)
          .values({
            tenantId,
            id: await digestMailId(tenantId, memberId, frequency, slot),
            template: 'notification_digest',
            toAddress: first.email,
            locale: first.locale ?? tenant.locale,
            data: { ...data, member_id: memberId, slot: slot.toISOString() },
            createdAt: now,
            nextAttemptAt: now,
          })
          .onConflictDoNothing()
          .returning({ id: mailOutbox.id });
        // Already mailed this slot: these wait for the next one.
        if (inserted.length === 0) continue;
        await tx
          .update(notifications)
          .set({ digestedAt: now })
          .where(
            and(
              eq(notifications.tenantId, tenantId),
              inArray(
                notifications.id,
                rows.map(({ n }) => n.id),
              ),
            ),
          );
        out.mails += 1;
        out.notifications += rows.length;
      }
    }
    return out;
  }

  async function runOnce(): Promise<NotificationDigestRun> {
    const now = deps.clock.now();
    const tenantIds = await deps.db.withPlatform(async (tx) => {
      const rows = await tx
        .selectDistinct({ tenantId: notificationPreferences.tenantId })
        .from(notificationPreferences)
        .where(
          and(
            ne(notificationPreferences.emailDigest, 'off'),
            onlyTenants ? inArray(notificationPreferences.tenantId, onlyTenants) : undefined,
          ),
        );
      return rows.map((r) => r.tenantId);
    });
    const out = { mails: 0, notifications: 0 };
    for (const tenantId of tenantIds) {
      try {
        const run = await deps.db.withTenant(tenantId, (tx) => digestTenant(tx, tenantId, now));
        out.mails += run.mails;
        out.notifications += run.notifications;
      } catch (error) {
        logger.error('notification digest failed', {
          tenant_id: tenantId,
          reason: error instanceof Error ? error.message : String(error),
        });
      }
    }
    if (out.mails > 0) logger.info('notification digests queued', { ...out });
    return out;
  }

  const loop = createPeriodicLoop(
    async () => {
      await runOnce();
      return false;
    },
    (error) =>
      logger.error('notification digest run failed', {
        reason: error instanceof Error ? error.message : String(error),
      }),
  );
  return { runOnce, start: loop.start, stop: loop.stop };
}
