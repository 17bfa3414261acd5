import { and, asc, eq, gt, inArray, isNull, lt, ne, sql } from 'drizzle-orm';
import type { Database, Tx } from '../db/database.js';
import { memberPresence, members, type PresenceStatus } from '../db/schema/index.js';
import type { Clock } from '../lib/clock.js';
import { defineErrorCodes } from '../lib/errors.js';
import { appendEvents } from '../realtime/event-log.js';
import { TOPICS } from '../realtime/types.js';

/** A member without a heartbeat for this long reads as offline (and the sweeper writes it so). */
export const PRESENCE_TIMEOUT_MS = 90_000;

/** What presence writes need. */
export interface PresenceDeps {
  db: Database;
  clock: Clock;
}

/** One member's presence as the API returns it (and as `presence.changed` carries it). */
export interface PresenceDto {
  member_id: string;
  name: string;
  status: PresenceStatus;
  last_seen_at: string;
}

/** The status a row means at `now`: a heartbeat older than the timeout is offline. */
export function effectiveStatus(
  row: { status: PresenceStatus; lastSeenAt: Date } | undefined,
  now: Date,
): PresenceStatus {
  if (!row) return 'offline';
  if (now.getTime() - row.lastSeenAt.getTime() > PRESENCE_TIMEOUT_MS) return 'offline';
  return row.status;
}

function memberName(row: { firstName: string; lastName: string }): string {
  return `${row.firstName} ${row.lastName}`.trim();
}

/**
 * Records a member's presence (a heartbeat, a connection, a disconnect) and, when the
 * status they show changes, appends `presence.changed` in the same transaction.
 * Returns the member's presence, or null when the member does not exist (or is deleted).
 */
export async function recordPresence(
  deps: PresenceDeps,
  tenantId: string,
  memberId: string,
  status: PresenceStatus,
): Promise<{ presence: PresenceDto; changed: boolean } | null> {
  const now = deps.clock.now();
  return deps.db.withTenant(tenantId, async (tx) => {
    const [member] = await tx
      .select({ firstName: members.firstName, lastName: members.lastName })
      .from(members)
      .where(and(eq(members.tenantId, tenantId), eq(members.id, memberId), isNull(members.deletedAt)));
    if (!member) return null;
    const [previous] = await tx
      .select({ status: memberPresence.status, lastSeenAt: memberPresence.lastSeenAt })
      .from(memberPresence)
      .where(and(eq(memberPresence.tenantId, tenantId), eq(memberPresence.memberId, memberId)))
      .for('update');
    const before = effectiveStatus(previous, now);
    // Going offline keeps the time the member was last seen; a heartbeat moves it.
    const lastSeenAt = status === 'offline' ? (previous?.lastSeenAt ?? now) : now;
    await tx
      .insert(memberPresence)
      .values({ tenantId, memberId, status, lastSeenAt, updatedAt: now })
      .onConflictDoUpdate({
        target: [memberPresence.tenantId, memberPresence.memberId],
        set: { status, lastSeenAt, updatedAt: now },
      });
    const presence: PresenceDto = {
      member_id: memberId,
      name: memberName(member),
      status,
      last_seen_at: lastSeenAt.toISOString(),
    };
    const changed = before !== status;
    if (changed) {
      await appendEvents(deps, tx, tenantId, [
        { topic: TOPICS.presence, type: 'presence.changed', data: { ...presence } },
      ]);
    }
    return { presence, changed };
  });
}

/**
 * Marks members whose heartbeats stopped (older than the timeout) offline, across
 * tenants, and announces each change. Returns how many were marked; at most `limit`
 * per call (the caller runs again when it got `limit`).
 */
export async function sweepStalePresence(
  deps: PresenceDeps,
  options: {
    limit?: number /** Only these tenants (tests on a shared database). */;
    tenantIds?: readonly string[];
  } = {},
): Promise<number> {
  const limit = options.limit ?? 500;
  const cutoff = new Date(deps.clock.now().getTime() - PRESENCE_TIMEOUT_MS);
  const stale = await deps.db.withPlatform((tx) =>
    tx
      .select({ tenantId: memberPresence.tenantId, memberId: memberPresence.memberId })
      .from(memberPresence)
      .where(
        and(
          ne(memberPresence.status, 'offline'),
          lt(memberPresence.lastSeenAt, cutoff),
          options.tenantIds ? inArray(memberPresence.tenantId, [...options.tenantIds]) : undefined,
        ),
      )
      .orderBy(asc(memberPresence.tenantId), asc(memberPresence.memberId))
      .limit(limit),
  );
  const byTenant = new Map<string, string[]>();
  for (const row of stale) {
    const list = byTenant.get(row.tenantId) ?? [];
    list.push(row.memberId);
    byTenant.set(row.tenantId, list);
  }
  let marked = 0;
  for (const [tenantId, memberIds] of byTenant) {
    marked += await deps.db.withTenant(tenantId, async (tx) => {
      const updated = await tx
        .update(memberPresence)
        .set({ status: 'offline', updatedAt: deps.clock.now() })
        .where(
          and(
            eq(memberPresence.tenantId, tenantId),
            inArray(memberPresence.memberId, memberIds),
            ne(memberPresence.status, 'offline'),
            lt(memberPresence.lastSeenAt, cutoff),
          ),
        )
        .returning({ memberId: memberPresence.memberId, lastSeenAt: memberPresence.lastSeenAt });
      if (updated.length === 0) return 0;
      const names = await namesOf(
        tx,
        tenantId,
        updated.map((row) => row.memberId),
      );
      await appendEvents(
        deps,
        tx,
        tenantId,
        updated.map((row) => ({
          topic: TOPICS.presence,
          type: 'presence.changed',
          data: {
            member_id: row.memberId,
            name: names.get(row.memberId) ?? '',
            status: 'offline',
            last_seen_at: row.lastSeenAt.toISOString(),
          },
        })),
      );
      return updated.length;
    });
  }
  return marked;
}

async function namesOf(tx: Tx, tenantId: string, memberIds: string[]): Promise<Map<string, string>> {
  const rows = await tx
    .select({ id: members.id, firstName: members.firstName, lastName: members.lastName })
    .from(members)
    .where(and(eq(members.tenantId, tenantId), inArray(members.id, memberIds)));
  return new Map(rows.map((row) => [row.id, memberName(row)]));
}

/**
 * Members online or away now (heartbeat within the timeout, not deleted), by member id,
 * one page after `afterMemberId`.
 */
export async function listPresence(
  deps: PresenceDeps,
  tenantId: string,
  options: { limit: number; afterMemberId?: string },
): Promise<{ data: PresenceDto[]; hasMore: boolean }> {
  const cutoff = new Date(deps.clock.now().getTime() - PRESENCE_TIMEOUT_MS);
  const rows = await deps.db.withTenant(tenantId, (tx) =>
    tx
      .select({
        memberId: memberPresence.memberId,
        status: memberPresence.status,
        lastSeenAt: memberPresence.lastSeenAt,
        firstName: members.firstName,
        lastName: members.lastName,
      })
      .from(memberPresence)
      .innerJoin(members, and(eq(members.tenantId, memberPresence.tenantId), eq(members.id, memberPresence.memberId)))
      .where(
        and(
          eq(memberPresence.tenantId, tenantId),
          ne(memberPresence.status, 'offline'),
          sql`${memberPresence.lastSeenAt} >= ${cutoff}`,
          isNull(members.deletedAt),
          options.afterMemberId ? gt(memberPresence.memberId, options.afterMemberId) : undefined,
        ),
      )
      .orderBy(asc(memberPresence.memberId))
      .limit(options.limit + 1),
  );
  return {
    data: rows.slice(0, options.limit).map((row) => ({
      member_id: row.memberId,
      name: memberName(row),
      status: row.status,
      last_seen_at: row.lastSeenAt.toISOString(),
    })),
    hasMore: rows.length > options.limit,
  };
}

/** Error codes of presence. */
export const PresenceErrors = defineErrorCodes({
  PRESENCE_DISABLED: { status: 403, title: 'Presence is not shown to you' },
});
