import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRows } from '../db/database.js';
import { ApiError } from '../lib/errors.js';
import { createManualClock } from '../lib/clock.js';
import { localDay, monthStart, weekStart, zonedDayStart } from '../lib/time-zone.js';
import { drainActivityRollups } from '../maintenance/activity-rollup-worker.js';
import { createTestContext, type TestContext, type TestTenant } from '../testing/index.js';
import { type ActivityInput, ingestActivity } from './activity-ingest.js';
import { recordPlatformActivity } from './platform-activity.js';

const clock = createManualClock(new Date('2026-06-10T12:00:00Z'));
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ clock });
});
afterAll(() => t.close());

const HOUR = 60 * 60 * 1000;

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

async function tenantIn(zone: string): Promise<TestTenant> {
  const tenant = await t.createTenant();
  const res = await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { time_zone: zone } });
  if (res.status !== 200) throw new Error(`time zone not set: ${res.status} ${res.text}`);
  return tenant;
}

async function createTier(tenant: TestTenant, name: string): Promise<string> {
  const res = await t.request('POST', '/v1/tiers', {
    key: tenant.secret_key,
    body: { name, interval: 'year', price: { amount: 1000 } },
  });
  if (res.status !== 201) throw new Error(`tier: ${res.status} ${res.text}`);
  return res.body.id as string;
}

async function createMember(tenant: TestTenant, tierId: string | null): Promise<string> {
  const res = await t.request('POST', '/v1/members', {
    key: tenant.secret_key,
    body: {
      email: `m-${Math.random().toString(36).slice(2, 10)}@example.org`,
      first_name: 'Ada',
      last_name: 'Lovelace',
      status: 'active',
      ...(tierId ? { tier_id: tierId } : {}),
    },
  });
  if (res.status !== 201) throw new Error(`member: ${res.status} ${res.text}`);
  return res.body.id as string;
}

type Row = Record<string, string | number>;

/** Rows of a rollup table of the tenant, as sorted strings (comparable with brute force). */
async function table(tenantId: string, name: string, columns: string[]): Promise<string[]> {
  const rows = await t.db.withTenant(tenantId, (tx) =>
    executeRows<Row>(
      tx.execute(
        sql.raw(
          `select ${columns.map((c) => `${c}::text as ${c}`).join(', ')} from ${name} where tenant_id = '${tenantId}'`,
        ),
      ),
    ),
  );
  return rows.map((r) => columns.map((c) => r[c]).join('|')).sort();
}

/** Every rollup recomputed from the raw events and members, the slow obvious way. */
async function bruteForce(tenantId: string, zone: string) {
  const events = await t.db.withTenant(tenantId, (tx) =>
    executeRows<{ occurred_at: string | Date; member_id: string; type: string; tier_key: string }>(
      tx.execute(sql`select occurred_at, member_id, type, tier_key from activity_events where tenant_id = ${tenantId}`),
    ),
  );
  const members = await t.db.withTenant(tenantId, (tx) =>
    executeRows<{ id: string; created_at: string | Date; join_tier_id: string | null }>(
      tx.execute(sql`select id, created_at, join_tier_id from members where tenant_id = ${tenantId}`),
    ),
  );
  const count = (map: Map<string, number>, key: string, n = 1) => map.set(key, (map.get(key) ?? 0) + n);
  const daily = new Map<string, number>();
  const memberDays = new Map<string, number>();
  const memberDayTypes = new Map<string, number>();
  const memberPeriods = new Map<string, number>();
  const activeSets = new Map<string, Set<string>>();
  const activeMembersOfPeriod = new Map<string, Set<string>>();
  const addActive = (grain: string, period: string, tier: string, member: string) => {
    const key = `${grain}|${period}|${tier}`;
    if (!activeSets.has(key)) activeSets.set(key, new Set());
    activeSets.get(key)!.add(member);
  };
  for (const e of events) {
    const day = localDay(new Date(e.occurred_at), zone);
    count(daily, `${day}|${e.type}|${e.tier_key}`);
    count(memberDays, `${day}|${e.member_id}|${e.tier_key}`);
    count(memberDayTypes, `${day}|${e.type}|${e.member_id}|${e.tier_key}`);
    for (const [grain, period] of [
      ['week', weekStart(day)],
      ['month', monthStart(day)],
    ] as const) {
      count(memberPeriods, `${grain}|${period}|${e.member_id}|${e.tier_key}`);
      const key = `${grain}|${period}`;
      if (!activeMembersOfPeriod.has(key)) activeMembersOfPeriod.set(key, new Set());
      activeMembersOfPeriod.get(key)!.add(e.member_id);
    }
    for (const [grain, period] of [
      ['day', day],
      ['week', weekStart(day)],
      ['month', monthStart(day)],
    ] as const) {
      addActive(grain, period, e.tier_key, e.member_id);
      addActive(grain, period, '*', e.member_id);
    }
  }
  const cohorts = new Map<string, number>();
  const byId = new Map(members.map((m) => [m.id, m]));
  for (const [key, set] of activeMembersOfPeriod) {
    const [grain, period] = key.split('|') as [string, string];
    for (const id of set) {
      const m = byId.get(id)!;
      const created = localDay(new Date(m.created_at), zone);
      const cohort = grain === 'week' ? weekStart(created) : monthStart(created);
      if (period >= cohort) count(cohorts, `${grain}|${cohort}|${period}|${m.join_tier_id ?? ''}`);
    }
  }
  const lines = (map: Map<string, number>) => [...map].map(([k, n]) => `${k}|${n}`).sort();
  return {
    events: events.length,
    daily: lines(daily),
    memberDays: lines(memberDays),
    memberDayTypes: lines(memberDayTypes),
    memberPeriods: lines(memberPeriods),
    active: [...activeSets].map(([k, s]) => `${k}|${s.size}`).sort(),
    cohorts: lines(cohorts),
  };
}

async function expectRollupsMatch(tenantId: string, zone: string) {
  await drainActivityRollups(t.deps);
  const expected = await bruteForce(tenantId, zone);
  expect(expected.events).toBeGreaterThan(0);
  expect(await table(tenantId, 'activity_daily_counts', ['day', 'type', 'tier_key', 'events'])).toEqual(expected.daily);
  expect(await table(tenantId, 'activity_member_days', ['day', 'member_id', 'tier_key', 'events'])).toEqual(
    expected.memberDays,
  );
  expect(
    await table(tenantId, 'activity_member_day_types', ['day', 'type', 'member_id', 'tier_key', 'events']),
  ).toEqual(expected.memberDayTypes);
  expect(
    await table(tenantId, 'activity_member_periods', ['grain', 'period', 'member_id', 'tier_key', 'events']),
  ).toEqual(expected.memberPeriods);
  expect(await table(tenantId, 'activity_active_counts', ['grain', 'period', 'tier_key', 'members'])).toEqual(
    expected.active,
  );
  expect(
    await table(tenantId, 'activity_cohort_counts', ['grain', 'cohort', 'period', 'join_tier_key', 'members']),
  ).toEqual(expected.cohorts);
  const [queued] = await t.db.withTenant(tenantId, (tx) =>
    executeRows<{ n: number }>(
      tx.execute(sql`select count(*)::int as n from activity_rollup_queue where tenant_id = ${tenantId}`),
    ),
  );
  expect(queued?.n).toBe(0);
}

const TYPES = ['page.viewed', 'event.attended', 'course.completed', 'x.donated'];

/** Events spread over the last week, many near local midnight of `zone`, with repeated client ids. */
function generate(memberIds: string[], n: number, seed: number, zone: string): ActivityInput[] {
  const next = random(seed);
  const now = clock.now().getTime();
  const out: ActivityInput[] = [];
  for (let i = 0; i < n; i++) {
    let at = now - Math.floor(next() * 5.5 * 24 * HOUR);
    if (next() < 0.4) {
      // Within minutes of a local midnight: the local day decides.
      const midnight = zonedDayStart(localDay(at, zone), zone).getTime();
      at = Math.min(now, midnight + Math.floor((next() - 0.5) * 20 * 60 * 1000));
    }
    const event: ActivityInput = {
      type: TYPES[Math.floor(next() * TYPES.length)]!,
      member_id: memberIds[Math.floor(next() * memberIds.length)]!,
      occurred_at: new Date(at).toISOString(),
      properties: { n: i, path: `/p/${i % 7}` },
    };
    if (next() < 0.5) event.id = `c-${seed}-${Math.floor(next() * n)}`; // repeats within and across batches
    out.push(event);
  }
  return out;
}

describe('activity ingest → rollups', () => {
  for (const zone of ['Pacific/Auckland', 'America/Los_Angeles']) {
    it(`rollups equal brute force over the raw events (${zone}: duplicates, midnight edges, a tier change mid-day, cohorts)`, async () => {
      clock.set(new Date('2026-05-01T10:00:00Z'));
      const tenant = await tenantIn(zone);
      const gold = await createTier(tenant, 'Gold');
      const silver = await createTier(tenant, 'Silver');
      const early = [await createMember(tenant, gold), await createMember(tenant, null)];
      clock.set(new Date('2026-06-04T23:30:00Z'));
      const late = [
        await createMember(tenant, silver),
        await createMember(tenant, gold),
        await createMember(tenant, silver),
      ];
      clock.set(new Date('2026-06-10T12:00:00Z'));
      const ids = [...early, ...late];

      const first = await ingestActivity(t.deps, tenant.id, generate(ids, 400, 1, zone), { source: 'api' });
      expect(first.rejected).toBe(0);
      expect(first.duplicates).toBeGreaterThan(0);
      expect(first.accepted + first.duplicates).toBe(400);
      await expectRollupsMatch(tenant.id, zone);

      // The same client ids again: all duplicates, nothing counted twice.
      const repeated = generate(ids, 400, 1, zone);
      const again = await ingestActivity(t.deps, tenant.id, repeated, { source: 'api' });
      expect(again.items.map((item) => item.status)).toEqual(
        repeated.map((e) => (e.id === undefined ? 'accepted' : 'duplicate')),
      );

      // A tier change mid-day: today's events before and after count under each tier, the member once in '*'.
      const moved = ids[2]!;
      const today = {
        member_id: moved,
        type: 'page.viewed',
        occurred_at: new Date(clock.now().getTime() - HOUR).toISOString(),
      };
      await ingestActivity(t.deps, tenant.id, [today], { source: 'member', memberId: moved });
      const patched = await t.request('PATCH', `/v1/members/${moved}`, {
        key: tenant.secret_key,
        body: { tier_id: gold },
      });
      expect(patched.status).toBe(200);
      await ingestActivity(t.deps, tenant.id, [today, { ...today, type: 'course.completed' }], {
        source: 'member',
        memberId: moved,
      });
      await t.db.withTenant(tenant.id, (tx) =>
        recordPlatformActivity(tx, t.deps, tenant.id, [
          { memberId: moved, type: 'member.signed_in', properties: { method: 'password' } },
        ]),
      );
      await ingestActivity(t.deps, tenant.id, generate(ids, 300, 2, zone), { source: 'api' });
      await expectRollupsMatch(tenant.id, zone);

      const todayLocal = localDay(new Date(today.occurred_at), zone);
      const counts = await table(tenant.id, 'activity_member_days', ['day', 'member_id', 'tier_key']);
      expect(counts.filter((r) => r.startsWith(`${todayLocal}|${moved}|`)).sort()).toEqual(
        [`${todayLocal}|${moved}|${gold}`, `${todayLocal}|${moved}|${silver}`].sort(),
      );
    });
  }

  it('rejects bad events one by one and keeps the good ones', async () => {
    const tenant = await tenantIn('UTC');
    const other = await t.createTenant();
    const member = await createMember(tenant, null);
    const foreign = await createMember(other, null);
    const now = clock.now().getTime();
    const result = await ingestActivity(
      t.deps,
      tenant.id,
      [
        { type: 'page.viewed', member_id: member },
        { type: 'Page.Viewed', member_id: member },
        { type: 'member.signed_in', member_id: member },
        { type: 'billing.paid', member_id: member },
        { type: 'page.viewed', member_id: foreign },
        { type: 'page.viewed', member_id: member, occurred_at: new Date(now - 8 * 24 * HOUR).toISOString() },
        { type: 'page.viewed', member_id: member, occurred_at: new Date(now + 6 * 60 * 1000).toISOString() },
        { type: 'page.viewed', member_id: member, occurred_at: 'yesterday' },
        { type: 'page.viewed', member_id: member, properties: { nested: { a: 1 } } },
        { type: 'page.viewed', member_id: member, properties: { big: 'x'.repeat(5000) } },
        { type: 'page.viewed', member_id: member, id: 'has spaces' },
        { type: 'x.custom_thing', member_id: member, id: 'ok-1', properties: { a: 1, b: 'two', c: true, d: null } },
      ],
      { source: 'api' },
    );
    expect(result.items.map((i) => i.error?.code ?? i.status)).toEqual([
      'accepted',
      'INVALID_EVENT_TYPE',
      'RESERVED_EVENT_TYPE',
      'INVALID_EVENT_TYPE',
      'MEMBER_NOT_FOUND',
      'EVENT_TOO_OLD',
      'EVENT_IN_FUTURE',
      'INVALID_OCCURRED_AT',
      'INVALID_PROPERTIES',
      'PROPERTIES_TOO_LARGE',
      'INVALID_EVENT_ID',
      'accepted',
    ]);
    expect(result).toMatchObject({ accepted: 2, duplicates: 0, rejected: 10 });
    expect(result.items[11]!.id).toBe('ok-1');
    expect(result.items[0]!.id).toMatch(/^evt_[0-9a-z]{26}$/);

    // backfill lifts the 7-day window only.
    const old = await ingestActivity(
      t.deps,
      tenant.id,
      [
        { type: 'page.viewed', member_id: member, occurred_at: new Date(now - 200 * 24 * HOUR).toISOString() },
        { type: 'member.signed_up', member_id: member },
      ],
      { source: 'api', backfill: true },
    );
    expect(old.items.map((i) => i.error?.code ?? i.status)).toEqual(['accepted', 'RESERVED_EVENT_TYPE']);

    // A member token sends its own member's events only.
    const mine = await ingestActivity(t.deps, tenant.id, [{ type: 'page.viewed', member_id: foreign }], {
      source: 'member',
      memberId: member,
    });
    expect(mine.items[0]!.error?.code).toBe('MEMBER_NOT_ALLOWED');
    await expectRollupsMatch(tenant.id, 'UTC');
  });

  it('writes nothing of an atomic batch with a bad event (422 listing it)', async () => {
    const tenant = await tenantIn('UTC');
    const other = await t.createTenant();
    const member = await createMember(tenant, null);
    const foreign = await createMember(other, null);
    for (const bad of [
      { type: 'nope', member_id: member },
      { type: 'page.viewed', member_id: foreign },
    ]) {
      const error = await ingestActivity(
        t.deps,
        tenant.id,
        [{ type: 'page.viewed', member_id: member, id: 'atomic-1' }, bad],
        { source: 'api', atomic: true },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('ACTIVITY_BATCH_REJECTED');
      expect((error as ApiError).errors?.map((e) => e.field)).toEqual([
        `events[1].${bad.type === 'nope' ? 'type' : 'member_id'}`,
      ]);
    }
    const [written] = await t.db.withTenant(tenant.id, (tx) =>
      executeRows<{ events: number; keys: number; queued: number }>(
        tx.execute(sql`select (select count(*)::int from activity_events) as events,
          (select count(*)::int from activity_ingest_keys) as keys,
          (select count(*)::int from activity_rollup_queue) as queued`),
      ),
    );
    expect(written).toEqual({ events: 0, keys: 0, queued: 0 });
    // The id was not consumed: the good event goes in afterwards.
    const ok = await ingestActivity(t.deps, tenant.id, [{ type: 'page.viewed', member_id: member, id: 'atomic-1' }], {
      source: 'api',
      atomic: true,
    });
    expect(ok.items[0]!.status).toBe('accepted');
  });

  it('moves last_active_at forward, at most once per 5 minutes, never backwards', async () => {
    const tenant = await tenantIn('UTC');
    const member = await createMember(tenant, null);
    const lastActive = async () => {
      const [row] = await t.db.withTenant(tenant.id, (tx) =>
        executeRows<{ at: string | null }>(
          tx.execute(
            sql`select last_active_at::text as at from members where tenant_id = ${tenant.id} and id = ${member}`,
          ),
        ),
      );
      return row?.at ? new Date(row.at).toISOString() : null;
    };
    const now = clock.now().getTime();
    const at = (ms: number) => new Date(ms).toISOString();
    await ingestActivity(t.deps, tenant.id, [{ type: 'page.viewed', member_id: member, occurred_at: at(now - HOUR) }], {
      source: 'api',
    });
    expect(await lastActive()).toBe(at(now - HOUR));
    await ingestActivity(
      t.deps,
      tenant.id,
      [{ type: 'page.viewed', member_id: member, occurred_at: at(now - 2 * HOUR) }],
      {
        source: 'api',
      },
    );
    expect(await lastActive()).toBe(at(now - HOUR));
    await ingestActivity(
      t.deps,
      tenant.id,
      [{ type: 'page.viewed', member_id: member, occurred_at: at(now - HOUR + 60_000) }],
      {
        source: 'api',
      },
    );
    expect(await lastActive()).toBe(at(now - HOUR));
    await ingestActivity(
      t.deps,
      tenant.id,
      [
        { type: 'page.viewed', member_id: member, occurred_at: at(now - 10 * 60_000) },
        { type: 'page.viewed', member_id: member, occurred_at: at(now + 2 * 60_000) },
      ],
      { source: 'api' },
    );
    // The latest event, but never past now.
    expect(await lastActive()).toBe(at(now));
  });
});
