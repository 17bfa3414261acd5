import { sql } from 'drizzle-orm';
import { executeRows, type Tx } from '../db/database.js';
import { ALL_TIERS, type ActivityRollupDelta } from '../db/schema/activity.js';
import { monthStart, weekStart } from '../lib/time-zone.js';
import { tenantTimeZone } from './activity-ingest.js';

/** What applying one tenant's claimed queue rows did. */
export interface AppliedRollups {
  /** Queue rows applied (and deleted). */
  queueRows: number;
  /** Events they carried. */
  events: number;
  /** Age of the oldest applied row when applied, in ms (database time). */
  oldestAgeMs: number | null;
}

const param = <T>(values: T[]) => sql.param(values);

/**
 * Claims up to `limit` of the tenant's rollup queue rows (`FOR UPDATE SKIP LOCKED`),
 * applies their merged delta to every rollup table and deletes them, in the
 * caller's tenant transaction. Takes the tenant's rollup advisory lock first, so
 * two workers never apply one tenant at once and "first row of the period" is exact.
 *
 * Every table is written by one statement over arrays (`unnest`) with
 * `ON CONFLICT DO UPDATE … RETURNING (xmax = 0)`: which member-day and member-period
 * rows are new decides the distinct active counts (per tier, and `'*'` when the
 * member had no row of that period under any tier before) and the cohort counts.
 */
export async function applyActivityRollups(tx: Tx, tenantId: string, limit: number): Promise<AppliedRollups> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('memberkit_activity_rollup'), hashtext(${tenantId}))`);
  const claimed = await executeRows<{
    id: string | number;
    delta: ActivityRollupDelta;
    events: number;
    age_ms: number;
  }>(
    tx.execute(sql`select id, delta, events, (extract(epoch from (clock_timestamp() - created_at)) * 1000)::float8 as age_ms
      from activity_rollup_queue where tenant_id = ${tenantId}
      order by id limit ${limit} for update skip locked`),
  );
  if (claimed.length === 0) return { queueRows: 0, events: 0, oldestAgeMs: null };

  // Merge: (member, day, type, tier) → events.
  const merged = new Map<string, [string, string, string, string, number]>();
  let events = 0;
  let oldestAgeMs = 0;
  for (const row of claimed) {
    events += row.events;
    oldestAgeMs = Math.max(oldestAgeMs, Number(row.age_ms));
    const delta = typeof row.delta === 'string' ? (JSON.parse(row.delta) as ActivityRollupDelta) : row.delta;
    for (const [memberId, day, type, tierKey, n] of delta.rows) {
      const key = `${memberId}\u0000${day}\u0000${type}\u0000${tierKey}`;
      const entry = merged.get(key);
      if (entry) entry[4] += n;
      else merged.set(key, [memberId, day, type, tierKey, n]);
    }
  }

  const daily = new Map<string, [string, string, string, number]>();
  const memberDays = new Map<string, [string, string, string, number]>();
  const memberPeriods = new Map<string, [string, string, string, string, number]>();
  const add4 = (map: Map<string, [string, string, string, number]>, a: string, b: string, c: string, n: number) => {
    const key = `${a}\u0000${b}\u0000${c}`;
    const entry = map.get(key);
    if (entry) entry[3] += n;
    else map.set(key, [a, b, c, n]);
  };
  const addPeriod = (grain: string, period: string, memberId: string, tierKey: string, n: number) => {
    const key = `${grain}\u0000${period}\u0000${memberId}\u0000${tierKey}`;
    const entry = memberPeriods.get(key);
    if (entry) entry[4] += n;
    else memberPeriods.set(key, [grain, period, memberId, tierKey, n]);
  };
  const types = {
    day: [] as string[],
    type: [] as string[],
    member: [] as string[],
    tier: [] as string[],
    n: [] as number[],
  };
  for (const [memberId, day, type, tierKey, n] of merged.values()) {
    types.day.push(day);
    types.type.push(type);
    types.member.push(memberId);
    types.tier.push(tierKey);
    types.n.push(n);
    add4(daily, day, type, tierKey, n);
    add4(memberDays, day, memberId, tierKey, n);
    addPeriod('week', weekStart(day), memberId, tierKey, n);
    addPeriod('month', monthStart(day), memberId, tierKey, n);
  }

  const columns = <T extends unknown[]>(rows: Iterable<T>, width: number): unknown[][] => {
    const out: unknown[][] = Array.from({ length: width }, () => []);
    for (const row of rows) for (let i = 0; i < width; i++) out[i]!.push(row[i]);
    return out;
  };

  const [dDay, dType, dTier, dN] = columns(daily.values(), 4);
  await tx.execute(sql`insert into activity_daily_counts (tenant_id, day, type, tier_key, events)
    select ${tenantId}, u.day, u.type, u.tier_key, u.events
    from unnest(${param(dDay!)}::date[], ${param(dType!)}::text[], ${param(dTier!)}::text[], ${param(dN!)}::bigint[])
      as u(day, type, tier_key, events)
    on conflict (tenant_id, day, type, tier_key) do update set events = activity_daily_counts.events + excluded.events`);

  await tx.execute(sql`insert into activity_member_day_types (tenant_id, day, type, member_id, tier_key, events)
    select ${tenantId}, u.day, u.type, u.member_id, u.tier_key, u.events
    from unnest(${param(types.day)}::date[], ${param(types.type)}::text[], ${param(types.member)}::text[],
                ${param(types.tier)}::text[], ${param(types.n)}::int[]) as u(day, type, member_id, tier_key, events)
    on conflict (tenant_id, day, type, member_id, tier_key)
      do update set events = activity_member_day_types.events + excluded.events`);

  // Active counts: +1 per new (period, member, tier) row; '*' +1 per member without any row of the period before.
  const active = new Map<string, [string, string, string, number]>();
  const bump = (grain: string, period: string, tierKey: string) => add4(active, grain, period, tierKey, 1);

  const [mdDay, mdMember, mdTier, mdN] = columns(memberDays.values(), 4);
  const dayRows = await executeRows<{
    day: string;
    member_id: string;
    tier_key: string;
    inserted: boolean;
    member_new: boolean;
  }>(
    tx.execute(sql`with input as (
        select * from unnest(${param(mdDay!)}::date[], ${param(mdMember!)}::text[], ${param(mdTier!)}::text[], ${param(mdN!)}::int[])
          as u(day, member_id, tier_key, events)
      ), prior as (
        select distinct d.day, d.member_id from activity_member_days d
        join (select distinct day, member_id from input) i on d.day = i.day and d.member_id = i.member_id
        where d.tenant_id = ${tenantId}
      ), up as (
        insert into activity_member_days (tenant_id, day, member_id, tier_key, events)
        select ${tenantId}, day, member_id, tier_key, events from input
        on conflict (tenant_id, day, member_id, tier_key) do update set events = activity_member_days.events + excluded.events
        returning day, member_id, tier_key, (xmax = 0) as inserted
      )
      select up.day::text as day, up.member_id, up.tier_key, up.inserted, (p.member_id is null) as member_new
      from up left join prior p on p.day = up.day and p.member_id = up.member_id`),
  );
  const newMemberDays = new Set<string>();
  for (const r of dayRows) {
    if (r.inserted) bump('day', r.day, r.tier_key);
    if (r.member_new && r.inserted) {
      const key = `${r.day}\u0000${r.member_id}`;
      if (!newMemberDays.has(key)) {
        newMemberDays.add(key);
        bump('day', r.day, ALL_TIERS);
      }
    }
  }

  const [pGrain, pPeriod, pMember, pTier, pN] = columns(memberPeriods.values(), 5);
  const periodRows = await executeRows<{
    grain: string;
    period: string;
    member_id: string;
    tier_key: string;
    inserted: boolean;
    member_new: boolean;
  }>(
    tx.execute(sql`with input as (
        select * from unnest(${param(pGrain!)}::text[], ${param(pPeriod!)}::date[], ${param(pMember!)}::text[],
                             ${param(pTier!)}::text[], ${param(pN!)}::int[])
          as u(grain, period, member_id, tier_key, events)
      ), prior as (
        select distinct d.grain, d.period, d.member_id from activity_member_periods d
        join (select distinct grain, period, member_id from input) i
          on d.grain = i.grain and d.period = i.period and d.member_id = i.member_id
        where d.tenant_id = ${tenantId}
      ), up as (
        insert into activity_member_periods (tenant_id, grain, period, member_id, tier_key, events)
        select ${tenantId}, grain, period, member_id, tier_key, events from input
        on conflict (tenant_id, grain, period, member_id, tier_key)
          do update set events = activity_member_periods.events + excluded.events
        returning grain, period, member_id, tier_key, (xmax = 0) as inserted
      )
      select up.grain, up.period::text as period, up.member_id, up.tier_key, up.inserted, (p.member_id is null) as member_new
      from up left join prior p on p.grain = up.grain and p.period = up.period and p.member_id = up.member_id`),
  );
  const firsts: [string, string, string][] = [];
  const newMemberPeriods = new Set<string>();
  for (const r of periodRows) {
    if (r.inserted) bump(r.grain, r.period, r.tier_key);
    if (r.member_new && r.inserted) {
      const key = `${r.grain}\u0000${r.period}\u0000${r.member_id}`;
      if (!newMemberPeriods.has(key)) {
        newMemberPeriods.add(key);
        bump(r.grain, r.period, ALL_TIERS);
        firsts.push([r.grain, r.period, r.member_id]);
      }
    }
  }

  const [aGrain, aPeriod, aTier, aN] = columns(active.values(), 4);
  if (active.size > 0) {
    await tx.execute(sql`insert into activity_active_counts (tenant_id, grain, period, tier_key, members)
      select ${tenantId}, u.grain, u.period, u.tier_key, u.members
      from unnest(${param(aGrain!)}::text[], ${param(aPeriod!)}::date[], ${param(aTier!)}::text[], ${param(aN!)}::int[])
        as u(grain, period, tier_key, members)
      on conflict (tenant_id, grain, period, tier_key) do update set members = activity_active_counts.members + excluded.members`);
  }

  if (firsts.length > 0) {
    const zone = await tenantTimeZone(tx, tenantId);
    const [fGrain, fPeriod, fMember] = columns(firsts, 3);
    // Cohort = the member's sign-up week/month in the tenant's zone; only periods from the cohort on count.
    await tx.execute(sql`insert into activity_cohort_counts (tenant_id, grain, cohort, period, join_tier_key, members)
      select ${tenantId}, f.grain, c.cohort, f.period, coalesce(m.join_tier_id, ''), count(*)::int
      from unnest(${param(fGrain!)}::text[], ${param(fPeriod!)}::date[], ${param(fMember!)}::text[]) as f(grain, period, member_id)
      join members m on m.tenant_id = ${tenantId} and m.id = f.member_id
      cross join lateral (select date_trunc(case when f.grain = 'week' then 'week' else 'month' end,
                                            m.created_at at time zone ${zone})::date as cohort) c
      where f.period >= c.cohort
      group by f.grain, c.cohort, f.period, coalesce(m.join_tier_id, '')
      on conflict (tenant_id, grain, cohort, period, join_tier_key)
        do update set members = activity_cohort_counts.members + excluded.members`);
  }

  const ids = claimed.map((r) => String(r.id));
  await tx.execute(
    sql`delete from activity_rollup_queue where tenant_id = ${tenantId} and id = any(${param(ids)}::bigint[])`,
  );
  return { queueRows: claimed.length, events, oldestAgeMs };
}
