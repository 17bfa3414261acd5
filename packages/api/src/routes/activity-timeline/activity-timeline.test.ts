import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityEvents } from '../../db/schema/index.js';
import { createManualClock } from '../../lib/clock.js';
import { ingestActivity, type ActivityInput } from '../../services/activity-ingest.js';
import {
  createTestContext,
  drainActivityRollups,
  expectProblem,
  type TestContext,
  type TestTenant,
} from '../../testing/index.js';
import { wallDate } from '../analytics-engagement/engagement-brute-force.js';

const clock = createManualClock(new Date('2026-11-20T10:00:00Z'));
let t: TestContext;
let tenant: TestTenant;
let other: TestTenant;
let memberA: string;
let memberB: string;
let foreignMember: string;
/** A signed-up member (token) and their id. */
let self: { token: string; id: string };

async function createMember(key: string, email: string): Promise<string> {
  const res = await t.request('POST', '/v1/members', { key, body: { email, first_name: 'A', last_name: 'B' } });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function ingest(tenantId: string, events: ActivityInput[], source: 'api' | 'member' = 'api') {
  const result = await ingestActivity(t.deps, tenantId, events, { source, backfill: true });
  expect(result.rejected).toBe(0);
}

beforeAll(async () => {
  t = await createTestContext({ clock });
  tenant = await t.createTenant('Timelines');
  other = await t.createTenant('Other');
  await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { time_zone: 'America/Los_Angeles' } });
  memberA = await createMember(tenant.secret_key, 'a@example.org');
  memberB = await createMember(tenant.secret_key, 'b@example.org');
  foreignMember = await createMember(other.secret_key, 'f@example.org');
  const session = await t.signUpMember(tenant);
  self = { token: session.access_token, id: (await t.request('GET', '/v1/me', { key: session.access_token })).body.id };

  const types = ['page.viewed', 'event.attended', 'event.registered', 'x.quiz_passed', 'course.completed'];
  const events: ActivityInput[] = [];
  for (let i = 0; i < 40; i++) {
    // Several events share an instant: ties are broken by id.
    const at = new Date(Date.parse('2026-11-01T07:59:00Z') + Math.floor(i / 3) * 3_600_000);
    events.push({
      id: `a-${String(i).padStart(2, '0')}`,
      type: types[i % types.length]!,
      member_id: memberA,
      occurred_at: at.toISOString(),
      properties: { i },
    });
  }
  for (let i = 0; i < 5; i++)
    events.push({ type: 'page.viewed', member_id: memberB, occurred_at: `2026-11-0${i + 2}T12:00:00Z` });
  await ingest(tenant.id, events);
  await ingest(
    tenant.id,
    [
      { type: 'page.viewed', member_id: self.id, occurred_at: '2026-11-15T08:00:00Z', properties: { path: '/news' } },
      { type: 'page.viewed', member_id: self.id, occurred_at: '2026-11-16T08:00:00Z', properties: { path: '/events' } },
    ],
    'member',
  );
  await ingest(other.id, [{ type: 'page.viewed', member_id: foreignMember, occurred_at: '2026-11-03T12:00:00Z' }]);
  await drainActivityRollups(t.deps);
}, 120_000);
afterAll(() => t?.close());

/** Every page of a timeline, following next_cursor. */
async function allPages(path: string, key: string, limit: number) {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res: {
      status: number;
      text: string;
      body: { data: { id: string }[]; next_cursor: string | null; has_more: boolean };
    } = await t.request('GET', `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
      key,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.data.length).toBeLessThanOrEqual(limit);
    expect(res.body.has_more).toBe(res.body.next_cursor !== null);
    ids.push(...res.body.data.map((e) => e.id));
    cursor = res.body.next_cursor;
    pages++;
  } while (cursor);
  return { ids, pages };
}

/** The member's raw events, newest first, ties by id descending (what the timeline promises). */
async function rawTimeline(memberId: string, keep: (type: string) => boolean = () => true) {
  const rows = await t.db.withTenant(tenant.id, (tx) =>
    tx.select().from(activityEvents).where(eq(activityEvents.memberId, memberId)),
  );
  return rows
    .filter((r) => keep(r.type))
    .sort((x, y) => y.occurredAt.getTime() - x.occurredAt.getTime() || (x.id < y.id ? 1 : x.id > y.id ? -1 : 0))
    .map((r) => r.id);
}

describe('GET /v1/members/{id}/activity', () => {
  it('pages through the whole timeline newest first, ties by id, without gaps or repeats', async () => {
    const expected = await rawTimeline(memberA);
    expect(expected.length).toBeGreaterThanOrEqual(40);
    const { ids, pages } = await allPages(`/v1/members/${memberA}/activity`, tenant.secret_key, 7);
    expect(ids).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 7));
  });

  it('returns each event with its label, source, tier and properties', async () => {
    const res = await t.request('GET', `/v1/members/${memberA}/activity?limit=1&type=x.quiz_passed`, {
      key: tenant.secret_key,
      headers: { 'Accept-Language': 'de' },
    });
    expect(res.body.data[0]).toEqual({
      id: 'a-38',
      object: 'activity_event',
      member_id: memberA,
      type: 'x.quiz_passed',
      label: 'x.quiz_passed',
      occurred_at: '2026-11-01T19:59:00.000Z',
      received_at: expect.any(String),
      source: 'api',
      tier_id: null,
      properties: { i: 38 },
    });
    const de = await t.request('GET', `/v1/members/${memberA}/activity?limit=1&type=event.attended`, {
      key: tenant.secret_key,
      headers: { 'Accept-Language': 'de' },
    });
    expect(de.body.data[0].label).toBe('Veranstaltung besucht');
  });

  it('filters by exact type and by namespace, and binds the cursor to the filter', async () => {
    const exact = await allPages(`/v1/members/${memberA}/activity?type=event.attended`, tenant.secret_key, 3);
    expect(exact.ids).toEqual(await rawTimeline(memberA, (type) => type === 'event.attended'));
    const namespace = await allPages(`/v1/members/${memberA}/activity?type=event.*`, tenant.secret_key, 3);
    expect(namespace.ids).toEqual(await rawTimeline(memberA, (type) => type.startsWith('event.')));
    expect(namespace.ids.length).toBeGreaterThan(exact.ids.length);
    const first = await t.request('GET', `/v1/members/${memberA}/activity?type=event.*&limit=2`, {
      key: tenant.secret_key,
    });
    const cursor = encodeURIComponent(first.body.next_cursor);
    expectProblem(
      await t.request('GET', `/v1/members/${memberA}/activity?limit=2&cursor=${cursor}`, { key: tenant.secret_key }),
      400,
      'INVALID_CURSOR',
    );
    expectProblem(
      await t.request('GET', `/v1/members/${memberB}/activity?type=event.*&limit=2&cursor=${cursor}`, {
        key: tenant.secret_key,
      }),
      400,
      'INVALID_CURSOR',
    );
    for (const bad of ['event.', 'Event.attended', 'event.*.x', '*', 'event.attended;drop'])
      expectProblem(
        await t.request('GET', `/v1/members/${memberA}/activity?type=${encodeURIComponent(bad)}`, {
          key: tenant.secret_key,
        }),
        422,
        'VALIDATION_FAILED',
      );
  });

  it("answers 404 for another tenant's member and an unknown id, an empty page for a member without events", async () => {
    expectProblem(
      await t.request('GET', `/v1/members/${foreignMember}/activity`, { key: tenant.secret_key }),
      404,
      'MEMBER_NOT_FOUND',
    );
    expectProblem(
      await t.request('GET', '/v1/members/mem_00000000000000000000000000/activity', { key: tenant.secret_key }),
      404,
      'MEMBER_NOT_FOUND',
    );
    const quiet = await createMember(tenant.secret_key, 'quiet@example.org');
    const res = await t.request('GET', `/v1/members/${quiet}/activity`, { key: tenant.secret_key });
    expect(res.body).toEqual({ object: 'list', data: [], has_more: false, next_cursor: null });
  });

  it('keeps the timeline of a deleted member readable', async () => {
    const gone = await createMember(tenant.secret_key, 'gone@example.org');
    await ingest(tenant.id, [
      { id: 'gone-1', type: 'page.viewed', member_id: gone, occurred_at: '2026-11-10T10:00:00Z' },
    ]);
    await drainActivityRollups(t.deps);
    await t.request('DELETE', `/v1/members/${gone}`, { key: tenant.secret_key });
    const res = await t.request('GET', `/v1/members/${gone}/activity`, { key: tenant.secret_key });
    expect(res.body.data.map((e: { id: string }) => e.id)).toEqual(['gone-1']);
  });

  it('lets viewers read and refuses member tokens', async () => {
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    expect((await t.request('GET', `/v1/members/${memberA}/activity`, { key: viewer.key })).status).toBe(200);
    expectProblem(
      await t.request('GET', `/v1/members/${self.id}/activity`, { key: self.token }),
      403,
      'PERMISSION_DENIED',
    );
  });
});

describe('GET /v1/me/activity', () => {
  it("lists the member's own events only, and refuses staff credentials", async () => {
    // Sign-up and verification recorded platform events too; the page views are the member's own.
    const res = await t.request('GET', '/v1/me/activity?type=page.*', { key: self.token });
    expect(res.status).toBe(200);
    expect(
      res.body.data.map((e: { member_id: string; properties: { path: string } }) => [e.member_id, e.properties.path]),
    ).toEqual([
      [self.id, '/events'],
      [self.id, '/news'],
    ]);
    expect(res.body.data[0].source).toBe('member');
    const all = await allPages('/v1/me/activity', self.token, 1);
    expect(all.ids).toEqual(await rawTimeline(self.id));
    expect(all.ids.length).toBeGreaterThan(2);
    expectProblem(await t.request('GET', '/v1/me/activity', { key: tenant.secret_key }), 403, 'PERMISSION_DENIED');
  });
});

describe('GET /v1/activity/types', () => {
  it('counts events and distinct members per type over local days, most events first', async () => {
    const rows = await t.db.withTenant(tenant.id, (tx) => tx.select().from(activityEvents));
    for (const [from, to] of [
      ['2026-11-01', '2026-11-01'],
      ['2026-10-31', '2026-11-30'],
      ['2026-11-02', '2026-11-05'],
    ] as const) {
      const inRange = rows.filter((r) => {
        const day = wallDate(r.occurredAt, 'America/Los_Angeles');
        return day >= from && day <= to;
      });
      const byType = new Map<string, { events: number; members: Set<string> }>();
      for (const r of inRange) {
        const entry = byType.get(r.type) ?? { events: 0, members: new Set<string>() };
        entry.events++;
        entry.members.add(r.memberId);
        byType.set(r.type, entry);
      }
      const expected = [...byType]
        .map(([type, v]) => ({ type, events: v.events, members: v.members.size }))
        .sort((x, y) => y.events - x.events || (x.type < y.type ? -1 : 1));
      const res = await t.request('GET', `/v1/activity/types?from=${from}&to=${to}`, { key: tenant.secret_key });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ object: 'list', from, to });
      expect(res.body.data.map(({ label: _, ...rest }: { label: string }) => rest)).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
    }
  });

  it('labels built-in types in the request locale and defaults to the last 30 days', async () => {
    const res = await t.request('GET', '/v1/activity/types', {
      key: tenant.secret_key,
      headers: { 'Accept-Language': 'de' },
    });
    expect(res.body).toMatchObject({ from: '2026-10-22', to: '2026-11-20' });
    expect(res.body.data).toContainEqual(expect.objectContaining({ type: 'page.viewed', label: 'Seite angesehen' }));
    expect(res.body.data).toContainEqual(expect.objectContaining({ type: 'x.quiz_passed', label: 'x.quiz_passed' }));
  });

  it('refuses inverted and overlong ranges and member tokens', async () => {
    expectProblem(
      await t.request('GET', '/v1/activity/types?from=2026-11-02&to=2026-11-01', { key: tenant.secret_key }),
      422,
      'ANALYTICS_INVALID_RANGE',
    );
    expectProblem(
      await t.request('GET', '/v1/activity/types?from=2024-11-02&to=2026-11-01', { key: tenant.secret_key }),
      422,
      'ANALYTICS_RANGE_TOO_LONG',
    );
    expectProblem(await t.request('GET', '/v1/activity/types', { key: self.token }), 403, 'PERMISSION_DENIED');
  });
});
