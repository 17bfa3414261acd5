import { sql } from 'drizzle-orm';
import { executeRows, type Tx } from '../db/database.js';
import type { MemberEventType, MemberSource, MemberStatus } from '../db/schema/index.js';
import { localDay } from '../lib/time-zone.js';

/** The lifecycle events the growth rollup counts; the rest (consent) leave it alone. */
const COUNTED: ReadonlySet<MemberEventType> = new Set([
  'created',
  'imported',
  'status_changed',
  'tier_changed',
  'deleted',
  'restored',
]);

/** Statuses of a member who is still with the tenant; moving out of them is churn, back into them reactivation. */
const LIVE: ReadonlySet<string> = new Set(['pending', 'active']);

/** The status columns of `membership_daily` (deltas: members in the status at a day's end = sum up to it). */
export const GROWTH_STATUSES = [
  'pending',
  'active',
  'inactive',
  'suspended',
] as const satisfies readonly MemberStatus[];

/** One lifecycle event as `recordMemberEvents` takes it. */
export interface MembershipEvent {
  memberId: string;
  type: MemberEventType;
  from?: string | null;
  to?: string | null;
}

/** The figures of one `membership_daily` row; every one a delta added to what is stored. */
interface Delta {
  day: string;
  tier_key: string;
  source: MemberSource;
  joined: number;
  churned: number;
  reactivated: number;
  pending: number;
  active: number;
  inactive: number;
  suspended: number;
  deleted: number;
}

type Figure = Exclude<keyof Delta, 'day' | 'tier_key' | 'source'>;

interface MemberRowState extends Record<string, unknown> {
  id: string;
  tier_id: string | null;
  source: MemberSource;
  status: MemberStatus;
  deleted: boolean;
  created_ms: number | string;
  time_zone: string;
}

interface MemberState {
  id: string;
  tier_id: string | null;
  source: MemberSource;
  status: MemberStatus;
  deleted: boolean;
  join_day: string;
  day: string;
}

const isStatus = (value: string | null | undefined): value is (typeof GROWTH_STATUSES)[number] =>
  value === 'pending' || value === 'active' || value === 'inactive' || value === 'suspended';

/**
 * Adds the growth deltas of lifecycle events to `membership_daily`, in the
 * caller's transaction (the one writing the events, after the member rows were
 * changed), so the rollup never disagrees with `member_events`. Two statements
 * whatever the number of events: the affected members with the tenant's local
 * days, then one upsert of the summed deltas, in key order (concurrent writers
 * lock rows in the same order and cannot deadlock).
 *
 * Per event, under the member's tier at that moment and their source:
 * - `created` / `imported`: `joined` +1 on the member's creation day, its status +1;
 * - `status_changed` a → b: a −1, b +1; `churned` +1 from pending/active into
 *   inactive/suspended, `reactivated` +1 the other way (a deleted member's status
 *   is not counted: nothing moves);
 * - `deleted` (from s): s −1, `deleted` +1, `churned` +1 when s was pending/active;
 * - `restored` (to s): `deleted` −1, s +1, `reactivated` +1 when s is pending/active
 *   (restoring a member who had lapsed before the deletion brings nobody back);
 * - `tier_changed` x → y: the member's status (or deleted) count moves from x to y.
 *
 * Events of one member are applied in order from the state before the first of
 * them (the members' rows hold the state after all of them).
 */
export async function applyMembershipEvents(
  tx: Tx,
  tenantId: string,
  occurredAt: Date,
  events: readonly MembershipEvent[],
): Promise<void> {
  const counted = events.filter((e) => COUNTED.has(e.type));
  if (counted.length === 0) return;
  const ids = [...new Set(counted.map((e) => e.memberId))];
  // Local days are computed here, as the activity rollups compute theirs (lib/time-zone.ts), so a
  // member's sign-up cohort is the same week or month in both.
  const rows = await executeRows<MemberRowState>(
    tx.execute(sql`
      select m.id, m.tier_id, m.source, m.status, m.deleted_at is not null as deleted,
        (extract(epoch from m.created_at) * 1000)::float8 as created_ms, t.time_zone
      from members m join tenants t on t.id = m.tenant_id
      where m.tenant_id = ${tenantId}
        and m.id = any(array(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)))`),
  );
  const byId = new Map<string, MemberState>(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        tier_id: r.tier_id,
        source: r.source,
        status: r.status,
        deleted: r.deleted,
        join_day: localDay(Number(r.created_ms), r.time_zone),
        day: localDay(occurredAt, r.time_zone),
      },
    ]),
  );
  const byMember = new Map<string, MembershipEvent[]>();
  for (const e of counted) {
    const list = byMember.get(e.memberId);
    if (list) list.push(e);
    else byMember.set(e.memberId, [e]);
  }

  const deltas = new Map<string, Delta>();
  const add = (day: string, tierKey: string, source: MemberSource, figure: Figure, n: number) => {
    const key = `${day}\u0000${tierKey}\u0000${source}`;
    let d = deltas.get(key);
    if (!d) {
      d = {
        day,
        tier_key: tierKey,
        source,
        joined: 0,
        churned: 0,
        reactivated: 0,
        pending: 0,
        active: 0,
        inactive: 0,
        suspended: 0,
        deleted: 0,
      };
      deltas.set(key, d);
    }
    d[figure] += n;
  };

  for (const [memberId, list] of byMember) {
    const member = byId.get(memberId);
    if (!member) continue; // not of this tenant: nothing to count (the event insert fails on its foreign key anyway)
    // The state before the first event, worked back from the row (the state after the last).
    const firstTier = list.find((e) => e.type === 'tier_changed');
    let tier = firstTier ? (firstTier.from ?? '') : (member.tier_id ?? '');
    const firstStatus = list.find((e) => e.type === 'status_changed');
    let status: string = firstStatus?.from ?? member.status;
    const firstPresence = list.find((e) => e.type === 'deleted' || e.type === 'restored');
    let deleted = firstPresence ? firstPresence.type === 'restored' : member.deleted;
    const source = member.source;
    const { day } = member;
    const moveStatus = (from: string, to: string, tierKey: string) => {
      if (isStatus(from)) add(day, tierKey, source, from, -1);
      if (isStatus(to)) add(day, tierKey, source, to, 1);
    };

    for (const e of list) {
      switch (e.type) {
        case 'created':
        case 'imported': {
          status = e.to ?? member.status;
          deleted = false;
          add(member.join_day, tier, source, 'joined', 1);
          if (isStatus(status)) add(member.join_day, tier, source, status, 1);
          break;
        }
        case 'status_changed': {
          const from = e.from ?? status;
          const to = e.to ?? status;
          if (!deleted) {
            moveStatus(from, to, tier);
            if (LIVE.has(from) && !LIVE.has(to)) add(day, tier, source, 'churned', 1);
            if (!LIVE.has(from) && LIVE.has(to)) add(day, tier, source, 'reactivated', 1);
          }
          status = to;
          break;
        }
        case 'deleted': {
          if (deleted) break;
          const from = e.from ?? status;
          if (isStatus(from)) add(day, tier, source, from, -1);
          add(day, tier, source, 'deleted', 1);
          if (LIVE.has(from)) add(day, tier, source, 'churned', 1);
          status = from;
          deleted = true;
          break;
        }
        case 'restored': {
          if (!deleted) break;
          const to = e.to ?? status;
          add(day, tier, source, 'deleted', -1);
          if (isStatus(to)) add(day, tier, source, to, 1);
          if (LIVE.has(to)) add(day, tier, source, 'reactivated', 1);
          status = to;
          deleted = false;
          break;
        }
        case 'tier_changed': {
          const from = e.from ?? '';
          const to = e.to ?? '';
          if (deleted) {
            add(day, from, source, 'deleted', -1);
            add(day, to, source, 'deleted', 1);
          } else if (isStatus(status)) {
            add(day, from, source, status, -1);
            add(day, to, source, status, 1);
          }
          tier = to;
          break;
        }
        default:
          break;
      }
    }
  }

  const figures: Figure[] = [
    'joined',
    'churned',
    'reactivated',
    'pending',
    'active',
    'inactive',
    'suspended',
    'deleted',
  ];
  const values = [...deltas.values()].filter((d) => figures.some((f) => d[f] !== 0));
  if (values.length === 0) return;
  await tx.execute(sql`
    insert into membership_daily as d (tenant_id, day, tier_key, source, joined, churned, reactivated,
      pending, active, inactive, suspended, deleted)
    select ${tenantId}, v.day::date, v.tier_key, v.source, v.joined, v.churned, v.reactivated,
      v.pending, v.active, v.inactive, v.suspended, v.deleted
    from jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
      as v(day text, tier_key text, source text, joined int, churned int, reactivated int,
        pending int, active int, inactive int, suspended int, deleted int)
    order by v.day, v.tier_key, v.source
    on conflict (tenant_id, day, tier_key, source) do update set
      joined = d.joined + excluded.joined,
      churned = d.churned + excluded.churned,
      reactivated = d.reactivated + excluded.reactivated,
      pending = d.pending + excluded.pending,
      active = d.active + excluded.active,
      inactive = d.inactive + excluded.inactive,
      suspended = d.suspended + excluded.suspended,
      deleted = d.deleted + excluded.deleted`);
}
