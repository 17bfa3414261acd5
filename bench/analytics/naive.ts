/**
 * The naive approach a first version would take: every figure computed from the raw
 * tables at request time (a CTE over `activity_events` with COUNT(DISTINCT member_id)
 * per day and per-member counts for segments; cohorts and growth from `members` and
 * `member_events`), no rollups. Run as the app runs SQL: role memberkit_app,
 * `app.tenant_id` set (row-level security on), one transaction per query.
 */
import type pg from 'pg';

/** Engagement: the window [from, to] and the one of equal length before, like GET /v1/analytics/engagement. */
export const NAIVE_ENGAGEMENT = `
with b as (select $2::date as f, $3::date as t),
ev as (
  select e.member_id, e.type, (e.occurred_at at time zone $4)::date as day
  from activity_events e
  where e.tenant_id = $1
    and e.occurred_at >= (($2::date - ($3::date - $2::date + 1))::timestamp at time zone $4)
    and e.occurred_at < (($3::date + 1)::timestamp at time zone $4)
),
w as (select ev.member_id, ev.type, ev.day, ev.day >= b.f as cur from ev, b),
daily as (select cur, day, count(distinct member_id) as active, count(*) as events from w group by cur, day),
types as (select cur, type, count(*) as events from w group by cur, type),
per_member as (select cur, member_id, count(*) as n from w group by cur, member_id),
seg as (
  select c.cur,
    count(*) filter (where p.n >= $5) as highly_active,
    count(*) filter (where p.n >= $6 and p.n < $5) as moderately_active,
    count(*) filter (where p.n >= 1 and p.n < $6) as low,
    count(*) filter (where p.n is null) as dormant
  from members m cross join (values (true), (false)) c(cur)
  left join per_member p on p.member_id = m.id and p.cur = c.cur
  where m.tenant_id = $1 and m.deleted_at is null
  group by c.cur
),
summary as (
  select w.cur, count(distinct w.member_id) as active_members, count(*) as events,
    count(distinct w.member_id) filter (where w.day > (case when w.cur then b.t else b.f - 1 end) - 7) as wau,
    count(distinct w.member_id) filter (where w.day > (case when w.cur then b.t else b.f - 1 end) - 30) as mau
  from w, b group by w.cur
)
select json_build_object(
  'summary', (select json_object_agg(case when s.cur then 'current' else 'previous' end, json_build_object(
      'active_members', s.active_members, 'events', s.events, 'wau', s.wau, 'mau', s.mau,
      'dau_sum', (select coalesce(sum(d.active), 0) from daily d where d.cur = s.cur))) from summary s),
  'daily', (select json_agg(json_build_object('day', day, 'active', active, 'events', events) order by day) from daily where cur),
  'types', (select json_agg(json_build_object('type', type, 'events', events) order by events desc, type) from types where cur),
  'segments', (select json_object_agg(case when cur then 'current' else 'previous' end, json_build_object(
      'highly_active', highly_active, 'moderately_active', moderately_active, 'low', low, 'dormant', dormant)) from seg)
) as result`;

/**
 * Retention by month: cohorts of `members.created_at` (local month) from $3 (the first
 * cohort's 1st), members of each active in each later month (COUNT DISTINCT over the raw
 * events), churn per month from member_events.
 */
export const NAIVE_RETENTION = `
with c as (
  select id, date_trunc('month', (created_at at time zone $2))::date as cohort
  from members where tenant_id = $1 and created_at >= ($3::date::timestamp at time zone $2)
),
a as (
  select e.member_id, date_trunc('month', (e.occurred_at at time zone $2))::date as period
  from activity_events e
  where e.tenant_id = $1 and e.occurred_at >= ($3::date::timestamp at time zone $2)
),
sizes as (select cohort, count(*) as size from c group by cohort),
ret as (
  select c.cohort, a.period, count(distinct a.member_id) as retained
  from c join a on a.member_id = c.id and a.period >= c.cohort group by 1, 2
),
churn as (
  select date_trunc('month', (e.occurred_at at time zone $2))::date as period, count(*) as churned
  from member_events e
  where e.tenant_id = $1 and e.occurred_at >= ($3::date::timestamp at time zone $2)
    and ((e.type = 'status_changed' and e.from_value in ('pending', 'active') and e.to_value in ('inactive', 'suspended'))
      or (e.type = 'deleted' and e.from_value in ('pending', 'active')))
  group by 1
)
select json_build_object(
  'sizes', (select json_object_agg(cohort, size) from sizes),
  'retained', (select json_agg(json_build_array(cohort, period, retained)) from ret),
  'churn', (select json_object_agg(period, churned) from churn)
) as result`;

/**
 * Growth by month over [from, to] from the raw lifecycle tables: joined, churned and
 * reactivated per bucket from member_events, members per status at each bucket's end
 * by replaying every member's latest status event up to it. Totals only (the API also
 * splits by tier and source), so the naive side does less work than the API.
 */
export const NAIVE_GROWTH = `
with ev as (
  select e.member_id, e.type, e.from_value, e.to_value, e.occurred_at, (e.occurred_at at time zone $2)::date as day
  from member_events e
  where e.tenant_id = $1 and e.occurred_at < (($4::date + 1)::timestamp at time zone $2)
),
buckets as (
  select gs::date as period, greatest(gs::date, $3::date) as start,
    least((gs + interval '1 month' - interval '1 day')::date, $4::date) as "end"
  from generate_series(date_trunc('month', $3::date), $4::date, interval '1 month') gs
),
moves as (
  select b.period,
    count(*) filter (where ev.type in ('created', 'imported')) as new,
    count(*) filter (where ev.type = 'status_changed' and ev.from_value in ('pending', 'active') and ev.to_value in ('inactive', 'suspended')) as churned,
    count(*) filter (where ev.type = 'status_changed' and ev.from_value in ('inactive', 'suspended') and ev.to_value in ('pending', 'active')) as reactivated
  from buckets b join ev on ev.day between b.start and b."end" group by b.period
),
status_at as (
  select b.period, s.to_value as status, count(*) as n
  from buckets b
  cross join lateral (
    select distinct on (ev.member_id) ev.member_id, ev.to_value from ev
    where ev.type in ('created', 'imported', 'status_changed') and ev.day <= b."end"
    order by ev.member_id, ev.occurred_at desc
  ) s
  group by 1, 2
)
select json_build_object(
  'moves', (select json_object_agg(period, json_build_object('new', new, 'churned', churned, 'reactivated', reactivated)) from moves),
  'status', (select json_agg(json_build_array(period, status, n)) from status_at)
) as result`;

/** Unique members by month × tier (the tier at the time of the event) over [from, to], and in total. */
export const NAIVE_REPORT = `
select json_agg(json_build_array(month, tier_key, unique_members)) as result from (
  select date_trunc('month', (occurred_at at time zone $2))::date as month, tier_key, count(distinct member_id) as unique_members
  from activity_events
  where tenant_id = $1 and occurred_at >= ($3::date::timestamp at time zone $2)
    and occurred_at < (($4::date + 1)::timestamp at time zone $2)
  group by grouping sets ((1, 2), ())
) x`;

/** Runs one naive query as the app would: its own transaction, role memberkit_app, app.tenant_id set. */
export async function runAsApp<T>(client: pg.ClientBase, tenantId: string, sql: string, params: unknown[]): Promise<T> {
  await client.query('begin');
  try {
    await client.query("select set_config('role', 'memberkit_app', true), set_config('app.tenant_id', $1, true)", [
      tenantId,
    ]);
    const res = await client.query<{ result: T }>(sql, params);
    await client.query('commit');
    return res.rows[0]!.result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}

/** EXPLAIN (ANALYZE, BUFFERS) of a naive query as the app, rolled back. */
export async function explainAsAppSql(
  client: pg.ClientBase,
  tenantId: string,
  sql: string,
  params: unknown[],
): Promise<string> {
  await client.query('begin');
  try {
    await client.query("select set_config('role', 'memberkit_app', true), set_config('app.tenant_id', $1, true)", [
      tenantId,
    ]);
    const res = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${sql}`, params);
    return res.rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await client.query('rollback').catch(() => undefined);
  }
}
