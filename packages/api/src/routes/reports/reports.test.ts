import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityEvents, auditLog, members, tiers } from '../../db/schema/index.js';
import { createManualClock } from '../../lib/clock.js';
import { ingestActivity, type ActivityInput } from '../../services/activity-ingest.js';
import { localDay, monthStart, weekStart } from '../../lib/time-zone.js';
import {
  createTestContext,
  drainActivityRollups,
  expectProblem,
  type TestContext,
  type TestTenant,
} from '../../testing/index.js';

const ZONE = 'Pacific/Auckland';
const NOW = new Date('2026-11-20T03:00:00Z'); // 16:00 on 20 November in Auckland
const clock = createManualClock(NOW);

let t: TestContext;
let tenant: TestTenant;
let tierA: string;
let tierB: string;

interface MemberFixture {
  id: string;
  status: 'pending' | 'active' | 'inactive' | 'suspended';
  source: 'signup' | 'invite' | 'import' | 'staff';
  tierId: string | null;
  region: string | null;
  deleted: boolean;
}
const fixtures: MemberFixture[] = [];

interface RawEvent {
  memberId: string;
  type: string;
  tierKey: string;
  day: string;
}
let events: RawEvent[] = [];

async function addMember(f: Omit<MemberFixture, 'id'>): Promise<string> {
  const id = t.deps.ids.generate('mem');
  await t.db.withTenant(tenant.id, (tx) =>
    tx.insert(members).values({
      tenantId: tenant.id,
      id,
      email: `${id}@example.org`,
      firstName: 'Ada',
      lastName: 'Lovelace',
      status: f.status,
      source: f.source,
      tierId: f.tierId,
      customFields: f.region ? { region: f.region, nickname: 'x' } : { nickname: 'y' },
    }),
  );
  fixtures.push({ ...f, id });
  return id;
}

async function setTier(memberId: string, tierId: string | null) {
  await t.db.withTenant(tenant.id, (tx) =>
    tx
      .update(members)
      .set({ tierId })
      .where(and(eq(members.tenantId, tenant.id), eq(members.id, memberId))),
  );
  fixtures.find((f) => f.id === memberId)!.tierId = tierId;
}

async function ingest(batch: ActivityInput[]) {
  const result = await ingestActivity(t.deps, tenant.id, batch, { source: 'api', backfill: true });
  expect(result.rejected).toBe(0);
}

/** Deterministic pseudo-random numbers, so a failure reproduces. */
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

beforeAll(async () => {
  t = await createTestContext({ clock });
  tenant = await t.createTenant('Report Club');
  const tz = await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { time_zone: ZONE } });
  expect(tz.status).toBe(200);
  const fields = await t.request('PUT', '/v1/tenant/fields', {
    key: tenant.secret_key,
    body: {
      fields: [
        {
          key: 'region',
          label: { en: 'Region', de: 'Region' },
          type: 'select',
          options: [
            { value: 'north', label: { en: 'North', de: 'Nord' } },
            { value: 'south', label: { en: 'South', de: 'Süd' } },
          ],
        },
        { key: 'nickname', label: { en: 'Nickname' }, type: 'text' },
      ],
    },
  });
  expect(fields.status).toBe(200);
  for (const name of ['Gold', '=HYPERLINK("http://evil.example")']) {
    const res = await t.request('POST', '/v1/tiers', { key: tenant.secret_key, body: { name, interval: 'free' } });
    expect(res.status).toBe(201);
    if (name === 'Gold') tierA = res.body.id;
    else tierB = res.body.id;
  }

  const statuses = ['active', 'active', 'inactive', 'pending', 'suspended'] as const;
  const sources = ['signup', 'invite', 'import', 'staff'] as const;
  const regions = ['north', 'south', null];
  for (let i = 0; i < 14; i++) {
    await addMember({
      status: statuses[i % statuses.length]!,
      source: sources[i % sources.length]!,
      tierId: i % 3 === 0 ? null : i % 3 === 1 ? tierA : tierB,
      region: regions[i % regions.length]!,
      deleted: false,
    });
  }

  // Three months of activity, times spread over the whole day so many fall near local midnight.
  const random = rng(42);
  const types = ['page.viewed', 'event.attended', 'course.completed', 'x.quiz_passed'];
  const start = Date.parse('2026-08-25T00:00:00Z');
  const span = NOW.getTime() - start - 3_600_000;
  const makeBatch = (n: number, salt: string): ActivityInput[] =>
    Array.from({ length: n }, (_, i) => ({
      id: `${salt}-${i}`,
      type: types[Math.floor(random() * types.length)]!,
      member_id: fixtures[Math.floor(random() * random() * fixtures.length)]!.id,
      occurred_at: new Date(start + Math.floor(random() * span)).toISOString(),
    }));
  const first = makeBatch(400, 'a');
  await ingest(first);
  await ingest(first.slice(0, 50)); // duplicates: counted once
  // Members change tier mid-period: later events carry the new tier.
  await setTier(fixtures[1]!.id, tierB);
  await setTier(fixtures[2]!.id, null);
  await setTier(fixtures[3]!.id, tierA);
  await ingest(makeBatch(300, 'b'));
  // Right around local midnight in Auckland (11:00 UTC in NZDT).
  await ingest(
    fixtures.slice(0, 6).flatMap((f, i) => [
      { id: `edge-${i}-1`, type: 'page.viewed', member_id: f.id, occurred_at: '2026-10-31T10:59:59Z' },
      { id: `edge-${i}-2`, type: 'page.viewed', member_id: f.id, occurred_at: '2026-10-31T11:00:00Z' },
    ]),
  );
  // A deleted member keeps their activity; their status in reports is `deleted`.
  await t.db.withTenant(tenant.id, (tx) =>
    tx
      .update(members)
      .set({ deletedAt: NOW })
      .where(and(eq(members.tenantId, tenant.id), eq(members.id, fixtures[4]!.id))),
  );
  fixtures[4]!.deleted = true;
  await drainActivityRollups(t.deps);

  const raw = await t.db.withTenant(tenant.id, (tx) =>
    tx.select().from(activityEvents).where(eq(activityEvents.tenantId, tenant.id)),
  );
  events = raw.map((e) => ({
    memberId: e.memberId,
    type: e.type,
    tierKey: e.tierKey,
    day: localDay(e.occurredAt, ZONE),
  }));
  expect(events.length).toBe(400 + 300 + 12);
});
afterAll(() => t.close());

type Spec = {
  metric: 'event_count' | 'unique_members' | 'members';
  dimensions?: string[];
  filters?: {
    tier_id?: string[];
    event_type?: string[];
    status?: string[];
    source?: string[];
    custom_field?: { key: string; values: string[] };
  };
  from?: string;
  to?: string;
};

function memberOf(id: string): MemberFixture {
  return fixtures.find((f) => f.id === id)!;
}

function statusOf(m: MemberFixture): string {
  return m.deleted ? 'deleted' : m.status;
}

function activityValue(dim: string, e: RawEvent): string | null {
  const m = memberOf(e.memberId);
  if (dim === 'day') return e.day;
  if (dim === 'week') return weekStart(e.day);
  if (dim === 'month') return monthStart(e.day);
  if (dim === 'tier') return e.tierKey === '' ? null : e.tierKey;
  if (dim === 'event_type') return e.type;
  if (dim === 'status') return statusOf(m);
  if (dim === 'source') return m.source;
  if (dim === 'custom_field:region') return m.region;
  throw new Error(dim);
}

/** The report recomputed from the raw events and member rows: group key → value. */
function bruteForce(spec: Spec): Map<string, number> {
  const dims = spec.dimensions ?? [];
  const f = spec.filters ?? {};
  const groups = new Map<string, Set<string> | number>();
  if (spec.metric === 'members') {
    for (const m of fixtures) {
      if (m.deleted) continue;
      if (f.tier_id && !f.tier_id.includes(m.tierId ?? 'none')) continue;
      if (f.status && !f.status.includes(m.status)) continue;
      if (f.source && !f.source.includes(m.source)) continue;
      if (f.custom_field && !f.custom_field.values.includes(m.region ?? '')) continue;
      const key = dims
        .map((d) => (d === 'tier' ? m.tierId : d === 'status' ? m.status : d === 'source' ? m.source : m.region))
        .join('|');
      groups.set(key, ((groups.get(key) as number | undefined) ?? 0) + 1);
    }
    return groups as Map<string, number>;
  }
  for (const e of events) {
    if (e.day < spec.from! || e.day > spec.to!) continue;
    const m = memberOf(e.memberId);
    if (f.tier_id && !f.tier_id.map((x) => (x === 'none' ? '' : x)).includes(e.tierKey)) continue;
    if (f.event_type && !f.event_type.includes(e.type)) continue;
    if (f.status && !f.status.includes(statusOf(m))) continue;
    if (f.source && !f.source.includes(m.source)) continue;
    if (f.custom_field && !f.custom_field.values.includes(m.region ?? '')) continue;
    const key = dims.map((d) => activityValue(d, e)).join('|');
    if (spec.metric === 'event_count') groups.set(key, ((groups.get(key) as number | undefined) ?? 0) + 1);
    else {
      const set = (groups.get(key) as Set<string> | undefined) ?? new Set<string>();
      set.add(e.memberId);
      groups.set(key, set);
    }
  }
  return new Map([...groups].map(([k, v]) => [k, typeof v === 'number' ? v : v.size]));
}

function distinctMembers(spec: Spec): number {
  return bruteForce({ ...spec, dimensions: [] }).get('') ?? 0;
}

async function query(spec: unknown, key = tenant.secret_key, headers: Record<string, string> = {}) {
  return t.request('POST', '/v1/reports/query', { key, body: spec, headers });
}

async function expectMatches(spec: Spec, source?: string) {
  const res = await query(spec);
  expect(res.status, res.text).toBe(200);
  const dims = spec.dimensions ?? [];
  const got = new Map<string, number>(
    (res.body.rows as Record<string, string | number | null>[]).map((r) => [
      dims.map((d) => r[d]).join('|'),
      r[spec.metric] as number,
    ]),
  );
  const expected = bruteForce(spec);
  expect(got.size).toBeGreaterThan(0);
  expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected));
  if (source) expect(res.body.source).toBe(source);
  if (spec.metric === 'event_count')
    expect(res.body.totals).toEqual({ event_count: [...expected.values()].reduce((a, b) => a + b, 0) });
  if (spec.metric === 'unique_members') expect(res.body.totals).toEqual({ unique_members: distinctMembers(spec) });
  return res.body;
}

describe('POST /v1/reports/query', () => {
  const range = { from: '2026-09-01', to: '2026-11-30' };

  it('counts events per local day, across the Auckland midnight', async () => {
    const body = await expectMatches(
      { metric: 'event_count', dimensions: ['day'], from: '2026-10-25', to: '2026-11-05' },
      'activity_daily_counts',
    );
    const edge = (body.rows as { day: string; event_count: number }[]).filter(
      (r) => r.day === '2026-10-31' || r.day === '2026-11-01',
    );
    expect(edge.length).toBe(2);
    expect(body.columns[0]).toEqual({ key: 'day', label: 'Day', type: 'date' });
  });

  it('counts events by month and tier at the time of the event', async () => {
    const body = await expectMatches({ metric: 'event_count', dimensions: ['month', 'tier'], ...range });
    const gold = (body.rows as Record<string, unknown>[]).find((r) => r.tier === tierA);
    expect(gold?.tier_label).toBe('Gold');
    expect((body.rows as Record<string, unknown>[]).some((r) => r.tier === null && r.tier_label === 'No tier')).toBe(
      true,
    );
  });

  it('counts events by week and type for some tiers', async () => {
    await expectMatches({
      metric: 'event_count',
      dimensions: ['week', 'event_type'],
      filters: { tier_id: [tierA, 'none'] },
      from: '2026-09-03',
      to: '2026-11-18',
    });
  });

  it('counts events by the member’s current status and a select custom field', async () => {
    const body = await expectMatches(
      { metric: 'event_count', dimensions: ['status', 'custom_field:region'], ...range },
      'activity_member_days',
    );
    expect((body.rows as Record<string, unknown>[]).some((r) => r.status === 'deleted')).toBe(true);
    await expectMatches(
      {
        metric: 'event_count',
        dimensions: ['source', 'event_type'],
        filters: { custom_field: { key: 'region', values: ['north'] }, status: ['active', 'deleted'] },
        ...range,
      },
      'activity_member_day_types',
    );
  });

  it('counts distinct active members per whole month from the period rollups', async () => {
    await expectMatches(
      { metric: 'unique_members', dimensions: ['month'], from: '2026-09-01', to: '2026-11-30' },
      'activity_active_counts',
    );
    await expectMatches(
      { metric: 'unique_members', dimensions: ['tier', 'month'], from: '2026-09-01', to: '2026-11-30' },
      'activity_active_counts',
    );
    await expectMatches(
      {
        metric: 'unique_members',
        dimensions: ['month', 'source'],
        filters: { status: ['active', 'inactive'] },
        from: '2026-09-01',
        to: '2026-11-30',
      },
      'activity_member_periods',
    );
    // Several tiers without a tier dimension: distinct across them, not a sum per tier.
    await expectMatches(
      { metric: 'unique_members', dimensions: ['month'], filters: { tier_id: [tierA, tierB] }, ...range },
      'activity_member_periods',
    );
  });

  it('counts distinct members over clipped weeks and without a time dimension exactly', async () => {
    await expectMatches(
      { metric: 'unique_members', dimensions: ['week', 'tier'], from: '2026-09-03', to: '2026-11-11' },
      'activity_member_days',
    );
    await expectMatches({ metric: 'unique_members', dimensions: ['custom_field:region'], ...range });
    await expectMatches(
      { metric: 'unique_members', dimensions: ['event_type'], from: '2026-10-01', to: '2026-10-31' },
      'activity_member_day_types',
    );
    await expectMatches(
      { metric: 'unique_members', dimensions: ['week'], from: '2026-08-31', to: '2026-11-22' },
      'activity_active_counts',
    );
  });

  it('counts current members by status, tier and custom field', async () => {
    await expectMatches({ metric: 'members', dimensions: ['status'], ...range }, 'members');
    await expectMatches({ metric: 'members', dimensions: ['tier', 'custom_field:region'], ...range });
    await expectMatches({
      metric: 'members',
      dimensions: ['source'],
      filters: { tier_id: [tierB, 'none'], status: ['active'] },
      ...range,
    });
  });

  it('labels in the request’s language', async () => {
    const res = await query(
      { metric: 'members', dimensions: ['status', 'custom_field:region'], ...range },
      tenant.secret_key,
      {
        'Accept-Language': 'de-DE, en;q=0.5',
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.columns.map((c: { label: string }) => c.label)).toContain('Mitglieder');
    const rows = res.body.rows as Record<string, unknown>[];
    expect(rows.find((r) => r.status === 'active')?.status_label).toBe('Aktiv');
    expect(rows.find((r) => r['custom_field:region'] === 'south')?.['custom_field:region_label']).toBe('Süd');
  });

  it('answers CSV when asked, formulas defused', async () => {
    const res = await query({ metric: 'members', dimensions: ['tier'], ...range }, tenant.secret_key, {
      Accept: 'text/csv',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe('tier,tier_label,members');
    expect(res.text).toContain(`${tierB},"'=HYPERLINK(""http://evil.example"")"`);
    expect(lines.at(-1)).toBe('');
  });

  it('takes filter values as data, never as SQL', async () => {
    const res = await query({
      metric: 'event_count',
      filters: { event_type: ["x'); delete from members; --"], tier_id: ["' or 1=1 --"] },
      ...range,
    });
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([]);
    const count = await t.db.withTenant(tenant.id, (tx) => tx.select().from(members));
    expect(count.length).toBe(fixtures.length);
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ['an unknown metric', { metric: 'revenue', ...range }, 'metric'],
    ['an unknown dimension', { metric: 'event_count', dimensions: ['weekday'], ...range }, 'dimensions.0'],
    ['two time dimensions', { metric: 'event_count', dimensions: ['day', 'month'], ...range }, 'dimensions.1'],
    ['a dimension twice', { metric: 'event_count', dimensions: ['tier', 'tier'], ...range }, 'dimensions.1'],
    [
      'four dimensions',
      { metric: 'event_count', dimensions: ['day', 'tier', 'status', 'source'], ...range },
      'dimensions',
    ],
    ['an inverted range', { metric: 'event_count', from: '2026-10-02', to: '2026-10-01' }, 'to'],
    ['a range over 3 years', { metric: 'event_count', from: '2023-01-01', to: '2026-01-01' }, 'to'],
    ['a date that does not exist', { metric: 'event_count', from: '2026-02-30', to: '2026-03-01' }, 'from'],
    ['a missing range', { metric: 'event_count' }, 'from'],
    ['a range and dates', { metric: 'event_count', range: 'last_7_days', ...range }, 'range'],
    ['an unknown custom field', { metric: 'event_count', dimensions: ['custom_field:city'], ...range }, 'dimensions.0'],
    ['a text custom field', { metric: 'members', dimensions: ['custom_field:nickname'], ...range }, 'dimensions.0'],
    [
      'SQL in a custom field name',
      { metric: 'members', dimensions: ["custom_field:region') from members; --"], ...range },
      'dimensions.0',
    ],
    [
      'SQL in a filter’s custom field',
      { metric: 'members', filters: { custom_field: { key: 'region"; drop table members', values: ['x'] } }, ...range },
      'filters.custom_field.key',
    ],
    ['SQL in a property', { metric: 'sum', property: "amount'); drop table members; --", ...range }, 'property'],
    ['sum (no numeric rollup)', { metric: 'sum', property: 'amount', ...range }, 'metric'],
    ['members by event type', { metric: 'members', dimensions: ['event_type'], ...range }, 'dimensions.0'],
    [
      'members over time by a custom field',
      { metric: 'members', dimensions: ['month', 'custom_field:region'], ...range },
      'dimensions.1',
    ],
    ['an unknown field', { metric: 'event_count', group_by: 'tier', ...range }, 'group_by'],
    ['an unknown status', { metric: 'members', filters: { status: ['gone'] }, ...range }, 'filters.status.0'],
  ];
  for (const [name, spec, field] of bad) {
    it(`refuses ${name} with 422 naming ${field}`, async () => {
      const problem = expectProblem(await query(spec), 422);
      expect(problem.errors?.map((e) => e.field)).toContain(field);
    });
  }

  it('refuses more than 1,000 groups with 422', async () => {
    const other = await t.createTenant('Busy');
    const member = t.deps.ids.generate('mem');
    await t.db.withTenant(other.id, (tx) =>
      tx
        .insert(members)
        .values({ tenantId: other.id, id: member, email: 'b@example.org', firstName: 'B', lastName: 'B' }),
    );
    const types = Array.from({ length: 11 }, (_, i) => `x.type_${i}`);
    const batch: ActivityInput[] = [];
    for (let day = 0; day < 100; day++)
      for (const type of types)
        batch.push({
          type,
          member_id: member,
          occurred_at: new Date(Date.parse('2026-08-01T12:00:00Z') + day * 86_400_000).toISOString(),
        });
    for (let i = 0; i < batch.length; i += 1000)
      await ingestActivity(t.deps, other.id, batch.slice(i, i + 1000), { source: 'api', backfill: true });
    await drainActivityRollups(t.deps);
    const spec = { metric: 'event_count', dimensions: ['day', 'event_type'], from: '2026-08-01', to: '2026-11-08' };
    const problem = expectProblem(await query(spec, other.secret_key), 422, 'REPORT_TOO_MANY_GROUPS');
    expect(problem.errors?.[0]?.field).toBe('dimensions');
    const fine = await query({ ...spec, dimensions: ['month', 'event_type'] }, other.secret_key);
    expect(fine.status).toBe(200);
    expect(fine.body.totals).toEqual({ event_count: 1100 });
  });

  it('needs analytics:read', async () => {
    const res = await query({ metric: 'event_count', ...range }, tenant.publishable_key);
    expect([401, 403]).toContain(res.status);
  });
});

describe('/v1/reports (saved reports)', () => {
  it('creates, lists, reads, updates, runs and deletes a report, audited', async () => {
    const staff = await t.signInStaff(tenant, 'manager');
    const created = await t.request('POST', '/v1/reports', {
      key: staff.access_token,
      body: {
        name: 'Active by tier',
        spec: { metric: 'unique_members', dimensions: ['month', 'tier'], range: 'last_12_months' },
        schedule: 'weekly',
        recipients: [staff.id],
      },
    });
    expect(created.status, created.text).toBe(201);
    const report = created.body;
    expect(report.id).toMatch(/^rpt_/);
    expect(report.created_by).toBe(staff.id);
    // Next Monday (23 November) 07:00 in Auckland (NZDT, +13) = Sunday 18:00 UTC.
    expect(report.next_run_at).toBe('2026-11-22T18:00:00.000Z');

    // A later second: ids of one millisecond are in no particular order, and the list is in id order.
    clock.advance(1000);
    const second = await t.request('POST', '/v1/reports', {
      key: tenant.secret_key,
      body: {
        name: 'Events',
        spec: { metric: 'event_count', dimensions: ['month'], from: '2026-09-01', to: '2026-11-30' },
      },
    });
    expect(second.status).toBe(201);
    expect(second.body.next_run_at).toBeNull();
    clock.set(NOW);

    const page1 = await t.request('GET', '/v1/reports?limit=1', { key: tenant.secret_key });
    expect(page1.body.data.map((r: { id: string }) => r.id)).toEqual([report.id]);
    expect(page1.body.has_more).toBe(true);
    const page2 = await t.request('GET', `/v1/reports?limit=1&cursor=${page1.body.next_cursor}`, {
      key: tenant.secret_key,
    });
    expect(page2.body.data.map((r: { id: string }) => r.id)).toEqual([second.body.id]);
    expect(page2.body.has_more).toBe(false);

    const got = await t.request('GET', `/v1/reports/${report.id}`, { key: tenant.secret_key });
    expect(got.body).toEqual(report);

    const result = await t.request('GET', `/v1/reports/${second.body.id}/result`, { key: tenant.secret_key });
    expect(result.status).toBe(200);
    const direct = await query({ metric: 'event_count', dimensions: ['month'], from: '2026-09-01', to: '2026-11-30' });
    expect(result.body).toEqual(direct.body);
    const csv = await t.request('GET', `/v1/reports/${second.body.id}/result.csv`, { key: tenant.secret_key });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n')[0]).toBe('month,event_count');
    expect(csv.text.split('\r\n').length).toBe(direct.body.rows.length + 2);
    const viaAccept = await t.request('GET', `/v1/reports/${second.body.id}/result`, {
      key: tenant.secret_key,
      headers: { Accept: 'text/csv' },
    });
    expect(viaAccept.text).toBe(csv.text);

    const patched = await t.request('PATCH', `/v1/reports/${report.id}`, {
      key: tenant.secret_key,
      body: { name: 'Renamed', schedule: null },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe('Renamed');
    expect(patched.body.next_run_at).toBeNull();

    const deleted = await t.request('DELETE', `/v1/reports/${report.id}`, { key: tenant.secret_key });
    expect(deleted.body).toEqual({ id: report.id, object: 'report', deleted: true });
    expectProblem(
      await t.request('GET', `/v1/reports/${report.id}`, { key: tenant.secret_key }),
      404,
      'REPORT_NOT_FOUND',
    );

    const audit = await t.db.withTenant(tenant.id, (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.targetId, report.id)))
        .orderBy(asc(auditLog.seq)),
    );
    expect(audit.map((a) => a.action)).toEqual(['report.created', 'report.updated', 'report.deleted']);
    expect(audit[0]!.actorId).toBe(staff.id);
  });

  it('checks the spec and the recipients like a query (422 naming spec.<field>)', async () => {
    const badSpec = await t.request('POST', '/v1/reports', {
      key: tenant.secret_key,
      body: { name: 'x', spec: { metric: 'event_count', dimensions: ['custom_field:nope'], range: 'last_7_days' } },
    });
    expect(expectProblem(badSpec, 422).errors?.map((e) => e.field)).toContain('spec.dimensions.0');
    const badRecipient = await t.request('POST', '/v1/reports', {
      key: tenant.secret_key,
      body: {
        name: 'x',
        spec: { metric: 'event_count', range: 'last_7_days' },
        schedule: 'monthly',
        recipients: ['stf_01jdx3v4k7m9q2w8e5r6t0y1zc'],
      },
    });
    expect(expectProblem(badRecipient, 422).errors?.map((e) => e.field)).toContain('recipients.0');
    const noRecipient = await t.request('POST', '/v1/reports', {
      key: tenant.secret_key,
      body: { name: 'x', spec: { metric: 'event_count', range: 'last_7_days' }, schedule: 'monthly' },
    });
    expect(expectProblem(noRecipient, 422).errors?.map((e) => e.field)).toContain('recipients');
  });

  it('keeps tenants apart: another tenant’s report is 404', async () => {
    const created = await t.request('POST', '/v1/reports', {
      key: tenant.secret_key,
      body: { name: 'Mine', spec: { metric: 'members', dimensions: ['status'], range: 'last_7_days' } },
    });
    const other = await t.createTenant('Other');
    const id = created.body.id as string;
    for (const [method, path, body] of [
      ['GET', `/v1/reports/${id}`, undefined],
      ['PATCH', `/v1/reports/${id}`, { name: 'Theirs' }],
      ['DELETE', `/v1/reports/${id}`, undefined],
      ['GET', `/v1/reports/${id}/result`, undefined],
      ['GET', `/v1/reports/${id}/result.csv`, undefined],
    ] as const) {
      expectProblem(await t.request(method, path, { key: other.secret_key, ...(body ? { body } : {}) }), 404);
    }
    const list = await t.request('GET', '/v1/reports', { key: other.secret_key });
    expect(list.body.data).toEqual([]);
    // Row-level security alone hides it too, whatever a query asks for.
    const rows = await t.db.withTenant(other.id, (tx) => tx.select().from(tiers).where(eq(tiers.tenantId, tenant.id)));
    expect(rows).toEqual([]);
  });

  it('lets viewers read but not manage reports', async () => {
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', name: 'viewer', role: 'viewer' });
    expect((await t.request('GET', '/v1/reports', { key: viewer.key })).status).toBe(200);
    const refused = await t.request('POST', '/v1/reports', {
      key: viewer.key,
      body: { name: 'x', spec: { metric: 'members', range: 'last_7_days' } },
    });
    expectProblem(refused, 403);
  });
});

describe('members over time (membership_daily)', () => {
  it('counts members per status and tier at the end of each week, as they were then', async () => {
    const zone = 'America/Los_Angeles';
    const la = await t.createTenant('LA Club');
    await t.request('PATCH', '/v1/tenant', { key: la.secret_key, body: { time_zone: zone } });
    const tier = (
      await t.request('POST', '/v1/tiers', { key: la.secret_key, body: { name: 'Gold', interval: 'free' } })
    ).body.id as string;
    /** What happened, when: replayed below to know each member's state at any moment. */
    const history: { at: Date; id: string; status?: string; tier?: string | null; deleted?: boolean }[] = [];
    const at = (iso: string) => {
      clock.set(new Date(iso));
      return new Date(iso);
    };
    const create = async (iso: string, status: string, tierId: string | null) => {
      const when = at(iso);
      const res = await t.request('POST', '/v1/members', {
        key: la.secret_key,
        body: { email: `${crypto.randomUUID()}@example.org`, first_name: 'A', last_name: 'B', status, tier_id: tierId },
      });
      expect(res.status, res.text).toBe(201);
      history.push({ at: when, id: res.body.id, status, tier: tierId });
      return res.body.id as string;
    };
    const patch = async (iso: string, id: string, body: { status?: string; tier_id?: string | null }) => {
      const when = at(iso);
      const res = await t.request('PATCH', `/v1/members/${id}`, { key: la.secret_key, body });
      expect(res.status, res.text).toBe(200);
      history.push({
        at: when,
        id,
        ...(body.status ? { status: body.status } : {}),
        ...('tier_id' in body ? { tier: body.tier_id } : {}),
      });
    };
    const m1 = await create('2026-10-05T18:00:00Z', 'active', tier);
    const m2 = await create('2026-10-06T06:30:00Z', 'pending', null); // 23:30 on the 5th in Los Angeles
    await create('2026-10-13T12:00:00Z', 'active', tier);
    await patch('2026-10-14T12:00:00Z', m2, { status: 'active' });
    await patch('2026-10-20T12:00:00Z', m1, { status: 'inactive' });
    await patch('2026-10-21T12:00:00Z', m2, { tier_id: tier });
    const m4 = await create('2026-10-27T12:00:00Z', 'active', null);
    at('2026-10-28T12:00:00Z');
    expect((await t.request('DELETE', `/v1/members/${m4}`, { key: la.secret_key })).status).toBe(200);
    history.push({ at: new Date('2026-10-28T12:00:00Z'), id: m4, deleted: true });
    clock.set(NOW);

    const expected = new Map<string, number>();
    for (const weekEnd of ['2026-10-04', '2026-10-11', '2026-10-18', '2026-10-25', '2026-11-01', '2026-11-08']) {
      const state = new Map<string, { status: string; tier: string | null; deleted: boolean }>();
      for (const h of history) {
        if (localDay(h.at, zone) > weekEnd) continue;
        const s = state.get(h.id) ?? { status: 'pending', tier: null, deleted: false };
        state.set(h.id, {
          status: h.status ?? s.status,
          tier: h.tier !== undefined ? h.tier : s.tier,
          deleted: h.deleted ?? s.deleted,
        });
      }
      for (const s of state.values()) {
        if (s.deleted) continue;
        const key = `${weekStart(weekEnd)}|${s.status}|${s.tier}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
    }
    const res = await query(
      { metric: 'members', dimensions: ['week', 'status', 'tier'], from: '2026-09-28', to: '2026-11-08' },
      la.secret_key,
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body.source).toBe('membership_daily');
    expect(res.body.totals).toBeNull();
    const got = new Map(
      (res.body.rows as Record<string, string | number | null>[]).map((r) => [
        `${r.week}|${r.status}|${r.tier}`,
        r.members,
      ]),
    );
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected));
  });
});
