import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityEvents, members } from '../../db/schema/index.js';
import { createManualClock } from '../../lib/clock.js';
import { ingestActivity, type ActivityInput } from '../../services/activity-ingest.js';
import {
  createTestContext,
  drainActivityRollups,
  expectProblem,
  type TestContext,
  type TestTenant,
} from '../../testing/index.js';
import {
  datesBetween,
  expectedEngagement,
  expectedMemberEngagement,
  wallDate,
  type RawEvent,
  type RawMember,
} from './engagement-brute-force.js';

/**
 * Every engagement figure twice: through the API (rollups) and by brute force over
 * the raw events (engagement-brute-force.ts), on generated activity with duplicates,
 * late events, events on both sides of local midnights (including DST change days)
 * in Pacific/Auckland and America/Los_Angeles, tier changes mid-period, deleted and
 * erased members, and status changes.
 */

const clock = createManualClock(new Date('2026-10-20T12:00:00Z'));
let t: TestContext;

/** A seeded PRNG (mulberry32): the same data every run. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const TYPES = ['page.viewed', 'page.viewed', 'page.viewed', 'event.attended', 'course.completed', 'x.quiz_passed'];
const THRESHOLDS = { high: 8, moderate: 3 };

interface Scenario {
  tenant: TestTenant;
  zone: string;
  tiers: [string, string];
  memberIds: string[];
  erased: string;
  deleted: string;
}

/** Instants a local day starts at in `zone` between two instants (every 15 minutes checked: DST days included). */
function localMidnights(zone: string, from: Date, to: Date): Date[] {
  const out: Date[] = [];
  for (let ms = from.getTime(); ms <= to.getTime(); ms += 15 * 60_000) {
    if (wallDate(new Date(ms - 1), zone) !== wallDate(new Date(ms), zone)) out.push(new Date(ms));
  }
  return out;
}

async function ingest(tenantId: string, events: ActivityInput[]) {
  for (let i = 0; i < events.length; i += 1000) {
    const result = await ingestActivity(t.deps, tenantId, events.slice(i, i + 1000), { source: 'api', backfill: true });
    expect(result.rejected, JSON.stringify(result.items.find((r) => r.status === 'rejected'))).toBe(0);
  }
}

/**
 * A tenant in `zone` with 14 members over two tiers and ~1,500 events from
 * mid-September to mid-November, sent in two rounds around a tier change.
 */
async function buildScenario(zone: string, seed: number): Promise<Scenario> {
  const random = prng(seed);
  clock.set(new Date('2026-10-20T12:00:00Z'));
  const tenant = await t.createTenant(`Engagement ${zone}`);
  const key = tenant.secret_key;
  const patched = await t.request('PATCH', '/v1/tenant', {
    key,
    body: {
      time_zone: zone,
      analytics: {
        engagement_thresholds: { highly_active: THRESHOLDS.high, moderately_active: THRESHOLDS.moderate },
      },
    },
  });
  expect(patched.status).toBe(200);
  const tiers: string[] = [];
  for (const name of ['Basic', 'Plus']) {
    const res = await t.request('POST', '/v1/tiers', { key, body: { name, interval: 'free' } });
    expect(res.status).toBe(201);
    tiers.push(res.body.id);
  }
  const memberIds: string[] = [];
  for (let i = 0; i < 14; i++) {
    const res = await t.request('POST', '/v1/members', {
      key,
      body: {
        email: `m${i}-${seed}@example.org`,
        first_name: 'M',
        last_name: String(i),
        status: i % 4 === 3 ? 'pending' : 'active',
        ...(i % 3 === 2 ? {} : { tier_id: tiers[i % 3] }),
      },
    });
    expect(res.status).toBe(201);
    memberIds.push(res.body.id);
  }

  // Round 1 (clock 2026-10-20): activity from 2026-09-12 on, heavier for the first members.
  const round1: ActivityInput[] = [];
  const start = new Date('2026-09-12T00:00:00Z').getTime();
  const round1End = clock.now().getTime() - 60_000;
  let serial = 0;
  const event = (memberId: string, at: Date, withId: boolean): ActivityInput => ({
    ...(withId ? { id: `c-${seed}-${serial++}` } : {}),
    type: TYPES[Math.floor(random() * TYPES.length)]!,
    member_id: memberId,
    occurred_at: at.toISOString(),
    properties: { n: serial },
  });
  for (const [i, memberId] of memberIds.entries()) {
    const count = i === 13 ? 0 : Math.floor((random() * 240) / (i + 1)) + (i < 10 ? 3 : 0);
    for (let k = 0; k < count; k++)
      round1.push(event(memberId, new Date(start + Math.floor(random() * (round1End - start))), random() < 0.5));
  }
  // Both sides of every local midnight (DST days included), for a few members.
  for (const midnight of localMidnights(zone, new Date(start), new Date(round1End))) {
    const memberId = memberIds[Math.floor(random() * 5)]!;
    round1.push(event(memberId, new Date(midnight.getTime() - 1), true));
    round1.push(event(memberId, midnight, true));
  }
  // Duplicates within the batch: the same client ids again.
  const withIds = round1.filter((e) => e.id !== undefined);
  for (let k = 0; k < 40; k++) round1.push({ ...withIds[Math.floor(random() * withIds.length)]! });
  await ingest(tenant.id, round1);

  // Tier changes mid-period, then round 2 (clock 2026-11-12): late events back to October,
  // and duplicates of round 1.
  for (const [i, memberId] of memberIds.entries()) {
    if (i % 3 === 2 || i > 9) continue;
    const res = await t.request('PATCH', `/v1/members/${memberId}`, {
      key,
      body: { tier_id: tiers[(i + 1) % 2] },
    });
    expect(res.status).toBe(200);
  }
  clock.set(new Date('2026-11-12T09:30:00Z'));
  const round2: ActivityInput[] = [];
  const lateFrom = new Date('2026-10-01T00:00:00Z').getTime();
  const round2End = clock.now().getTime() - 60_000;
  for (const [i, memberId] of memberIds.entries()) {
    const count = i === 13 ? 0 : Math.floor((random() * 120) / (i + 1));
    for (let k = 0; k < count; k++)
      round2.push(event(memberId, new Date(lateFrom + Math.floor(random() * (round2End - lateFrom))), random() < 0.3));
  }
  for (const midnight of localMidnights(zone, new Date('2026-10-28T00:00:00Z'), new Date(round2End))) {
    const memberId = memberIds[5 + Math.floor(random() * 3)]!;
    round2.push(event(memberId, new Date(midnight.getTime() - 1), false));
    round2.push(event(memberId, midnight, false));
  }
  for (let k = 0; k < 30; k++) round2.push({ ...withIds[Math.floor(random() * withIds.length)]! });
  await ingest(tenant.id, round2);

  // Status changes, a soft delete and an erasure (its events stay, pseudonymous).
  expect((await t.request('PATCH', `/v1/members/${memberIds[4]}`, { key, body: { status: 'inactive' } })).status).toBe(
    200,
  );
  expect((await t.request('PATCH', `/v1/members/${memberIds[8]}`, { key, body: { status: 'suspended' } })).status).toBe(
    200,
  );
  const deleted = memberIds[6]!;
  expect((await t.request('DELETE', `/v1/members/${deleted}`, { key })).status).toBe(200);
  const erased = memberIds[1]!;
  expect((await t.request('DELETE', `/v1/members/${erased}`, { key })).status).toBe(200);
  expect((await t.request('POST', `/v1/members/${erased}/erase`, { key })).status).toBe(204);

  await drainActivityRollups(t.deps);
  return { tenant, zone, tiers: tiers as [string, string], memberIds, erased, deleted };
}

async function rawData(tenantId: string): Promise<{ events: RawEvent[]; members: RawMember[] }> {
  return t.db.withTenant(tenantId, async (tx) => {
    const events = await tx
      .select({
        id: activityEvents.id,
        memberId: activityEvents.memberId,
        type: activityEvents.type,
        occurredAt: activityEvents.occurredAt,
        tierKey: activityEvents.tierKey,
      })
      .from(activityEvents)
      .where(eq(activityEvents.tenantId, tenantId));
    const rows = await tx
      .select({ id: members.id, status: members.status, tierId: members.tierId, deletedAt: members.deletedAt })
      .from(members)
      .where(eq(members.tenantId, tenantId));
    return { events, members: rows };
  });
}

/** The API's report with labels removed, for comparison with the brute force. */
function withoutLabels(body: Record<string, unknown>) {
  const strip = (s: { top_event_types: { label?: string }[]; segments: { label?: string }[] }) => ({
    ...s,
    top_event_types: s.top_event_types.map(({ label: _, ...rest }) => rest),
    segments: s.segments.map(({ label: _, ...rest }) => rest),
  });
  return {
    series: body.series,
    summary: strip(body.summary as never),
    previous: strip(body.previous as never),
  };
}

const scenarios: Scenario[] = [];
beforeAll(async () => {
  t = await createTestContext({ clock });
  scenarios.push(await buildScenario('Pacific/Auckland', 7));
  scenarios.push(await buildScenario('America/Los_Angeles', 11));
}, 240_000);
afterAll(() => t?.close());

describe.each([
  ['Pacific/Auckland', 0],
  ['America/Los_Angeles', 1],
])('GET /v1/analytics/engagement in %s', (_zone, index) => {
  const queries: {
    from?: string;
    to?: string;
    interval?: 'day' | 'week' | 'month';
    tier?: 0 | 1;
    status?: string;
  }[] = [
    { from: '2026-10-01', to: '2026-10-31', interval: 'day' },
    { from: '2026-10-01', to: '2026-10-31', interval: 'month' },
    { from: '2026-09-20', to: '2026-11-12', interval: 'week' },
    { from: '2026-09-15', to: '2026-11-12', interval: 'month' },
    { from: '2026-10-05', to: '2026-10-11', interval: 'week' },
    { from: '2026-10-19', to: '2026-11-05', interval: 'day', tier: 0 },
    { from: '2026-09-14', to: '2026-11-08', interval: 'week', tier: 1 },
    { from: '2026-10-01', to: '2026-11-12', interval: 'month', tier: 1 },
    { from: '2026-10-01', to: '2026-11-12', interval: 'week', status: 'active' },
    { from: '2026-09-26', to: '2026-11-03', interval: 'day', status: 'active', tier: 0 },
    { from: '2026-10-01', to: '2026-10-31', interval: 'month', status: 'inactive' },
    { from: '2026-09-27', to: '2026-09-27', interval: 'day' },
    { from: '2026-11-01', to: '2026-11-01', interval: 'week' },
    { from: '2026-11-02', to: '2026-11-08', interval: 'day' },
    {},
  ];
  it.each(queries.map((q) => [JSON.stringify(q), q] as const))(
    'agrees with the raw events for %s',
    async (_label, q) => {
      const s = scenarios[index]!;
      const params = new URLSearchParams();
      if (q.from) params.set('from', q.from);
      if (q.to) params.set('to', q.to);
      if (q.interval) params.set('interval', q.interval);
      if (q.tier !== undefined) params.set('tier_id', s.tiers[q.tier]);
      if (q.status) params.set('status', q.status);
      const res = await t.request('GET', `/v1/analytics/engagement?${params}`, { key: s.tenant.secret_key });
      expect(res.status, res.text).toBe(200);
      const today = wallDate(clock.now(), s.zone);
      const from = q.from ?? datesBetween('2026-01-01', today).at(-30)!;
      const to = q.to ?? today;
      expect(res.body).toMatchObject({
        object: 'engagement_report',
        from,
        to,
        interval: q.interval ?? 'day',
        time_zone: s.zone,
        tier_id: q.tier === undefined ? null : s.tiers[q.tier],
        status: q.status ?? null,
        thresholds: { highly_active: THRESHOLDS.high, moderately_active: THRESHOLDS.moderate },
      });
      const raw = await rawData(s.tenant.id);
      const expected = expectedEngagement({
        ...raw,
        zone: s.zone,
        from,
        to,
        interval: q.interval ?? 'day',
        ...(q.tier !== undefined ? { tierId: s.tiers[q.tier] } : {}),
        ...(q.status ? { status: q.status } : {}),
        thresholds: THRESHOLDS,
      });
      expect(withoutLabels(res.body)).toEqual(expected);
      // Something to compare: the windows hold activity (the last query's default window too).
      expect(expected.summary.events + expected.previous.events).toBeGreaterThan(0);
    },
  );

  it('counts events on each side of a local midnight on the local day they happened', async () => {
    const s = scenarios[index]!;
    const raw = await rawData(s.tenant.id);
    const days = new Set(raw.events.map((e) => wallDate(e.occurredAt, s.zone)));
    const utcDays = new Set(raw.events.map((e) => e.occurredAt.toISOString().slice(0, 10)));
    // The scenario has events at 23:59:59.999 and 00:00 local time: the local days differ from the UTC days.
    expect(days).not.toEqual(utcDays);
    const res = await t.request('GET', '/v1/analytics/engagement?from=2026-09-12&to=2026-11-12&interval=day', {
      key: s.tenant.secret_key,
    });
    const withEvents = new Set(
      (res.body.series as { period: string; events: number }[]).filter((b) => b.events > 0).map((b) => b.period),
    );
    expect(withEvents).toEqual(new Set([...days].filter((d) => d >= '2026-09-12' && d <= '2026-11-12')));
  });
});

describe('GET /v1/analytics/members/{id}/engagement', () => {
  it('agrees with the raw events for every member, deleted and erased ones too', async () => {
    for (const s of scenarios) {
      const raw = await rawData(s.tenant.id);
      const today = wallDate(clock.now(), s.zone);
      const segments = new Set<string>();
      for (const memberId of s.memberIds) {
        const res = await t.request('GET', `/v1/analytics/members/${memberId}/engagement`, {
          key: s.tenant.secret_key,
        });
        expect(res.status, res.text).toBe(200);
        const expected = expectedMemberEngagement({
          events: raw.events,
          memberId,
          zone: s.zone,
          today,
          thresholds: THRESHOLDS,
        });
        expect(res.body).toMatchObject({ object: 'member_engagement', member_id: memberId, time_zone: s.zone });
        const {
          segment_label: _l,
          object: _o,
          member_id: _m,
          time_zone: _z,
          last_active_at: _a,
          thresholds: _t,
          ...rest
        } = res.body;
        expect(rest, memberId).toEqual(expected);
        segments.add(expected.segment);
      }
      // The data spreads members over several segments (else the comparison proves little).
      expect(segments.size).toBeGreaterThanOrEqual(3);
    }
  });

  it('moves the window with the clock: the member is dormant 60 days later', async () => {
    const s = scenarios[0]!;
    const saved = clock.now();
    try {
      clock.set(new Date(saved.getTime() + 61 * 86_400_000));
      const res = await t.request('GET', `/v1/analytics/members/${s.memberIds[0]}/engagement`, {
        key: s.tenant.secret_key,
      });
      expect(res.body).toMatchObject({ events: 0, segment: 'dormant', current_streak: 0, score: 0 });
      expect(res.body.longest_streak).toBeGreaterThan(0);
    } finally {
      clock.set(saved);
    }
  });

  it("answers 404 for another tenant's member and for a malformed id", async () => {
    const [a, b] = scenarios;
    expectProblem(
      await t.request('GET', `/v1/analytics/members/${b!.memberIds[0]}/engagement`, { key: a!.tenant.secret_key }),
      404,
      'MEMBER_NOT_FOUND',
    );
    expectProblem(
      await t.request('GET', '/v1/analytics/members/nope/engagement', { key: a!.tenant.secret_key }),
      404,
      'MEMBER_NOT_FOUND',
    );
  });
});

describe('GET /v1/members?segment=', () => {
  it('lists exactly the members of each segment over the last 30 local days, page by page', async () => {
    for (const s of scenarios) {
      const raw = await rawData(s.tenant.id);
      const today = wallDate(clock.now(), s.zone);
      const live = raw.members.filter((m) => m.deletedAt === null);
      const covered = new Set<string>();
      for (const segment of ['highly_active', 'moderately_active', 'low', 'dormant']) {
        const expected = live
          .filter(
            (m) =>
              expectedMemberEngagement({
                events: raw.events,
                memberId: m.id,
                zone: s.zone,
                today,
                thresholds: THRESHOLDS,
              }).segment === segment,
          )
          .map((m) => m.id)
          .sort();
        const listed: string[] = [];
        let cursor: string | null = null;
        do {
          const res: { status: number; body: { data: { id: string }[]; next_cursor: string | null } } = await t.request(
            'GET',
            `/v1/members?segment=${segment}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
            { key: s.tenant.secret_key },
          );
          expect(res.status).toBe(200);
          listed.push(...res.body.data.map((m) => m.id));
          cursor = res.body.next_cursor;
        } while (cursor);
        expect(listed.sort(), segment).toEqual(expected);
        for (const id of listed) covered.add(id);
        const total = await t.request('GET', `/v1/members?segment=${segment}&include_total=true&limit=1`, {
          key: s.tenant.secret_key,
        });
        expect(total.body.total_count).toBe(expected.length);
      }
      expect(covered.size).toBe(live.length);
    }
  });

  it('combines with other filters and refuses an unknown segment', async () => {
    const s = scenarios[1]!;
    const all = await t.request('GET', '/v1/members?segment=dormant&limit=100', { key: s.tenant.secret_key });
    const pending = await t.request('GET', '/v1/members?segment=dormant&status=pending&limit=100', {
      key: s.tenant.secret_key,
    });
    expect(pending.body.data.every((m: { status: string }) => m.status === 'pending')).toBe(true);
    expect(pending.body.data.length).toBeLessThanOrEqual(all.body.data.length);
    expectProblem(
      await t.request('GET', '/v1/members?segment=asleep', { key: s.tenant.secret_key }),
      422,
      'VALIDATION_FAILED',
    );
  });
});

describe('GET /v1/analytics/engagement: input and access', () => {
  it('refuses an inverted range, a range over 366 days, an unknown interval and an unknown tier', async () => {
    const key = scenarios[0]!.tenant.secret_key;
    expectProblem(
      await t.request('GET', '/v1/analytics/engagement?from=2026-10-10&to=2026-10-01', { key }),
      422,
      'ANALYTICS_INVALID_RANGE',
    );
    const long = expectProblem(
      await t.request('GET', '/v1/analytics/engagement?from=2025-01-01&to=2026-01-02', { key }),
      422,
      'ANALYTICS_RANGE_TOO_LONG',
    );
    expect(long.detail).toMatch(/366/);
    expect((await t.request('GET', '/v1/analytics/engagement?from=2025-01-02&to=2026-01-02', { key })).status).toBe(
      200,
    );
    expectProblem(await t.request('GET', '/v1/analytics/engagement?interval=hour', { key }), 422, 'VALIDATION_FAILED');
    expectProblem(
      await t.request('GET', '/v1/analytics/engagement?from=2026-02-30', { key }),
      422,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await t.request('GET', `/v1/analytics/engagement?tier_id=${scenarios[1]!.tiers[0]}`, { key }),
      422,
      'ANALYTICS_TIER_NOT_FOUND',
    );
    expectProblem(
      await t.request('GET', '/v1/analytics/engagement?segment=low', { key }),
      400,
      'UNKNOWN_QUERY_PARAMETER',
    );
  });

  it('lets viewers (key and staff) read, and refuses member tokens and publishable keys', async () => {
    const s = scenarios[0]!;
    const viewer = await t.createKey(s.tenant.secret_key, { kind: 'secret', role: 'viewer' });
    expect((await t.request('GET', '/v1/analytics/engagement', { key: viewer.key })).status).toBe(200);
    const staff = await t.signInStaff(s.tenant, 'viewer');
    expect((await t.request('GET', '/v1/analytics/engagement', { key: staff.access_token })).status).toBe(200);
    expect(
      (await t.request('GET', `/v1/analytics/members/${s.memberIds[0]}/engagement`, { key: staff.access_token }))
        .status,
    ).toBe(200);
    const member = await t.signUpMember(s.tenant);
    expectProblem(
      await t.request('GET', '/v1/analytics/engagement', { key: member.access_token }),
      403,
      'PERMISSION_DENIED',
    );
    expectProblem(
      await t.request('GET', '/v1/analytics/engagement', { key: s.tenant.publishable_key }),
      403,
      'PERMISSION_DENIED',
    );
    expectProblem(await t.request('GET', '/v1/analytics/engagement'), 401, 'UNAUTHENTICATED');
  });

  it('labels event types and segments in German for Accept-Language: de', async () => {
    const s = scenarios[0]!;
    const res = await t.request('GET', '/v1/analytics/engagement?from=2026-10-01&to=2026-10-31', {
      key: s.tenant.secret_key,
      headers: { 'Accept-Language': 'de-DE, en;q=0.5' },
    });
    expect(res.body.summary.segments[0]).toMatchObject({ segment: 'highly_active', label: 'Sehr aktiv' });
    expect(res.body.event_types).toContainEqual({ type: 'page.viewed', label: 'Seite angesehen' });
    expect(res.body.event_types).toContainEqual({ type: 'x.quiz_passed', label: 'x.quiz_passed' });
    const en = await t.request('GET', '/v1/analytics/engagement?from=2026-10-01&to=2026-10-31', {
      key: s.tenant.secret_key,
    });
    expect(en.body.summary.segments[3]).toMatchObject({ segment: 'dormant', label: 'Dormant' });
  });
});
