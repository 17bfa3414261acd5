import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRows } from '../../db/database.js';
import {
  createTestContext,
  drainActivityRollups,
  expectProblem,
  type TestContext,
  type TestTenant,
} from '../../testing/index.js';

let t: TestContext;
let wakes = 0;
beforeAll(async () => {
  t = await createTestContext();
  // The in-process rollup worker of a server: the route wakes it after a batch is written.
  t.deps.activityRollups = { wake: () => void wakes++ };
});
afterAll(() => t.close());

const SITE = 'https://www.club.example';

async function createMember(tenant: TestTenant): Promise<string> {
  const res = await t.request('POST', '/v1/members', {
    key: tenant.secret_key,
    body: {
      email: `m-${Math.random().toString(36).slice(2, 10)}@example.org`,
      first_name: 'Ada',
      last_name: 'Lovelace',
    },
  });
  if (res.status !== 201) throw new Error(`member: ${res.status} ${res.text}`);
  return res.body.id as string;
}

async function counts(tenantId: string) {
  const [row] = await t.db.withTenant(tenantId, (tx) =>
    executeRows<{ events: number; daily: number }>(
      tx.execute(sql`select (select count(*)::int from activity_events) as events,
        (select coalesce(sum(events), 0)::int from activity_daily_counts) as daily`),
    ),
  );
  return row!;
}

const post = (key: string, body: unknown, headers?: Record<string, string>) =>
  t.request('POST', '/v1/activity', { key, body, ...(headers ? { headers } : {}) });

describe('POST /v1/activity', () => {
  it('takes a batch with a secret key: per-event results, the good events written, repeats counted once', async () => {
    const tenant = await t.createTenant();
    const other = await t.createTenant();
    const member = await createMember(tenant);
    const foreign = await createMember(other);
    const before = wakes;
    const res = await post(tenant.secret_key, {
      events: [
        { id: 'a-1', type: 'event.attended', member_id: member, properties: { event: 'agm' } },
        { id: 'a-1', type: 'event.attended', member_id: member },
        { type: 'page.viewed', member_id: foreign },
        { type: 'member.signed_in', member_id: member },
        { type: 'page.viewed', member_id: member, occurred_at: '2020-01-01T00:00:00Z' },
        { type: 'page.viewed' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'activity_ingest', accepted: 1, duplicates: 1, rejected: 4 });
    expect(res.body.items.map((i: { status: string; error?: { code: string } }) => i.error?.code ?? i.status)).toEqual([
      'accepted',
      'duplicate',
      'MEMBER_NOT_FOUND',
      'RESERVED_EVENT_TYPE',
      'EVENT_TOO_OLD',
      'MEMBER_ID_REQUIRED',
    ]);
    expect(res.body.items[2]).toEqual({
      index: 2,
      id: null,
      status: 'rejected',
      error: { code: 'MEMBER_NOT_FOUND', field: 'member_id', message: 'No such member.' },
    });
    expect(wakes).toBe(before + 1);

    const again = await post(tenant.secret_key, { events: [{ id: 'a-1', type: 'event.attended', member_id: member }] });
    expect(again.body.items[0].status).toBe('duplicate');
    expect(wakes).toBe(before + 1);
    await drainActivityRollups(t.deps);
    expect(await counts(tenant.id)).toEqual({ events: 1, daily: 1 });
    // Nothing reached the other tenant.
    expect(await counts(other.id)).toEqual({ events: 0, daily: 0 });
  });

  it('writes nothing of an atomic batch with an invalid event and names it in a 422', async () => {
    const tenant = await t.createTenant();
    const member = await createMember(tenant);
    const res = await post(tenant.secret_key, {
      atomic: true,
      events: [
        { type: 'course.completed', member_id: member },
        { type: 'course.completed', member_id: member, properties: { nested: { no: true } } },
      ],
    });
    const problem = expectProblem(res, 422, 'ACTIVITY_BATCH_REJECTED');
    expect(problem.errors).toEqual([
      { field: 'events[1].properties.nested', message: expect.stringMatching(/^INVALID_PROPERTIES: /) },
    ]);
    expect(await counts(tenant.id)).toEqual({ events: 0, daily: 0 });
  });

  it('answers 422 problem+json for an empty, oversized or malformed batch', async () => {
    const tenant = await t.createTenant();
    const member = await createMember(tenant);
    expectProblem(await post(tenant.secret_key, { events: [] }), 422, 'ACTIVITY_BATCH_EMPTY');
    const many = Array.from({ length: 1001 }, () => ({ type: 'page.viewed', member_id: member }));
    expectProblem(await post(tenant.secret_key, { events: many }), 422, 'ACTIVITY_BATCH_TOO_LARGE');
    const malformed = expectProblem(await post(tenant.secret_key, { events: 'lots' }), 422, 'VALIDATION_FAILED');
    expect(malformed.errors?.[0]?.field).toBe('events');
    expectProblem(
      await post(tenant.secret_key, { events: [{ type: 7, member_id: member }] }),
      422,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await t.request('POST', '/v1/activity', {
        key: tenant.secret_key,
        rawBody: '{"events": [',
        headers: { 'Content-Type': 'application/json' },
      }),
      400,
      'INVALID_JSON',
    );
    expect(await counts(tenant.id)).toEqual({ events: 0, daily: 0 });
  });

  it('needs activity:create: managers ingest, viewers and publishable keys do not', async () => {
    const tenant = await t.createTenant();
    const member = await createMember(tenant);
    const events = [{ type: 'page.viewed', member_id: member }];
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    const refused = expectProblem(await post(viewer.key, { events }), 403, 'PERMISSION_DENIED');
    expect(refused.detail).toContain('activity:create');
    expectProblem(await post(tenant.publishable_key, { events }), 403, 'PERMISSION_DENIED');
    expectProblem(await t.request('POST', '/v1/activity', { body: { events } }), 401, 'UNAUTHENTICATED');
    const manager = await t.signInStaff(tenant, 'manager');
    expect((await post(manager.access_token, { events })).body.accepted).toBe(1);
  });

  it("lets a member token send its own member's events (member_id optional), from allowed origins only", async () => {
    const tenant = await t.createTenant();
    const patched = await t.request('PATCH', '/v1/tenant', {
      key: tenant.secret_key,
      body: { allowed_origins: [SITE] },
    });
    expect(patched.status).toBe(200);
    const session = await t.signUpMember(tenant);
    const me = await t.request('GET', '/v1/me', { key: session.access_token });
    const someoneElse = await createMember(tenant);
    const res = await post(
      session.access_token,
      {
        events: [
          { type: 'page.viewed', properties: { path: '/events' } },
          { type: 'page.viewed', member_id: me.body.id },
          { type: 'page.viewed', member_id: someoneElse },
        ],
      },
      { Origin: SITE },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(res.body.items.map((i: { status: string; error?: { code: string } }) => i.error?.code ?? i.status)).toEqual([
      'accepted',
      'accepted',
      'MEMBER_NOT_ALLOWED',
    ]);
    const [source] = await t.db.withTenant(tenant.id, (tx) =>
      executeRows<{ source: string; n: number }>(
        tx.execute(
          sql`select source, count(*)::int as n from activity_events where type = 'page.viewed' group by source`,
        ),
      ),
    );
    expect(source).toEqual({ source: 'member', n: 2 });
    expectProblem(
      await post(session.access_token, { events: [{ type: 'page.viewed' }] }, { Origin: 'https://evil.example' }),
      403,
      'ORIGIN_NOT_ALLOWED',
    );
  });

  it('replays the first response to a retry with the same Idempotency-Key', async () => {
    const tenant = await t.createTenant();
    const member = await createMember(tenant);
    const body = { events: [{ type: 'content.read', member_id: member }] };
    const headers = { 'Idempotency-Key': 'batch-0001' };
    const first = await post(tenant.secret_key, body, headers);
    const second = await post(tenant.secret_key, body, headers);
    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(await counts(tenant.id)).toMatchObject({ events: 1 });
  });
});
