import type { Tx } from '../db/database.js';
import { NO_TIER } from '../db/schema/activity.js';
import { localDay } from '../lib/time-zone.js';
import {
  appendActivity,
  checkEventType,
  checkProperties,
  generateEventId,
  memberTiers,
  type PreparedActivity,
  tenantTimeZone,
} from './activity-ingest.js';
import { ensureActivityPartitionInTx, partitionMonth } from './activity-partitions.js';
import type { ServiceDeps } from './service-deps.js';

/** Activity Memberkit records itself (source `platform`), in the transaction of the action. */
export const PLATFORM_ACTIVITY_TYPES = [
  'member.signed_up',
  'member.email_verified',
  'member.signed_in',
  'member.tier_changed',
  'member.status_changed',
  'member.invite_accepted',
  'member.profile_updated',
] as const;
export type PlatformActivityType = (typeof PLATFORM_ACTIVITY_TYPES)[number];

export interface PlatformActivityInput {
  memberId: string;
  type: PlatformActivityType;
  /** Flat JSON (strings, numbers, booleans, null), ≤ 4 KB: e.g. `{ method: 'password' }`, `{ from: 'tier_…', to: 'tier_…' }`. */
  properties?: Record<string, unknown>;
}

/**
 * Records platform activity (sign-ups, sign-ins, tier changes, …) in the caller's
 * transaction `tx`, so the event exists exactly when the action committed. Same raw
 * table, same rollup queue as the ingest (through `appendActivity`); the event's
 * tier is the member's tier as `tx` sees it (after the action), its time now.
 * Deleted members and unknown ids are skipped. `last_active_at` is left to the
 * caller (sign-ins touch it themselves; a staff action is not the member's activity).
 *
 * @example
 * await recordPlatformActivity(tx, deps, tenantId, [{ memberId: row.id, type: 'member.signed_in', properties: { method: 'password' } }]);
 */
export async function recordPlatformActivity(
  tx: Tx,
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  tenantId: string,
  events: PlatformActivityInput[],
): Promise<void> {
  if (events.length === 0) return;
  const nowMs = deps.clock.now().getTime();
  for (const e of events) {
    // Programming errors, not input: fail loudly.
    if (checkEventType(e.type, 'platform')) throw new Error(`not an event type: ${e.type}`);
  }
  const tiers = await memberTiers(tx, tenantId, [...new Set(events.map((e) => e.memberId))]);
  if (tiers.size === 0) return;
  const zone = await tenantTimeZone(tx, tenantId);
  const day = localDay(nowMs, zone);
  const rows: PreparedActivity[] = [];
  for (const e of events) {
    const tierKey = tiers.get(e.memberId);
    if (tierKey === undefined) continue;
    const props = checkProperties(e.properties ?? {});
    if ('error' in props) throw new Error(`platform event ${e.type}: ${props.error.message}`);
    rows.push({
      id: generateEventId(nowMs),
      memberId: e.memberId,
      type: e.type,
      occurredAtMs: nowMs,
      properties: props.json,
      tierKey: tierKey ?? NO_TIER,
      day,
    });
  }
  await ensureActivityPartitionInTx(deps.db, tx, partitionMonth(nowMs));
  await appendActivity(tx, tenantId, rows, 'platform');
}
