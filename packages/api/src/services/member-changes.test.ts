import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realtimeEvents } from '../db/schema/index.js';
import { createTestContext, type TestContext } from '../testing/index.js';

type Tenant = Awaited<ReturnType<TestContext['createTenant']>>;
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

/** The tenant's live events on the staff `members` topic, in sequence order. */
async function memberEvents(tenant: Tenant) {
  const rows = await t.db.withTenant(tenant.id, (tx) =>
    tx
      .select()
      .from(realtimeEvents)
      .where(and(eq(realtimeEvents.tenantId, tenant.id), eq(realtimeEvents.topic, 'members')))
      .orderBy(asc(realtimeEvents.seq)),
  );
  return rows.map((r) => ({ seq: r.seq, type: r.type, data: r.data as Record<string, unknown> }));
}

describe('live member events for staff', () => {
  it('every change a staff table shows is an event carrying the member as the API returns it', async () => {
    const tenant = await t.createTenant();
    const key = tenant.secret_key;
    const created = await t.request('POST', '/v1/members', {
      key,
      body: { email: 'ada@example.org', first_name: 'Ada', last_name: 'Lovelace' },
    });
    const id = created.body.id as string;
    await t.request('PATCH', `/v1/members/${id}`, { key, body: { first_name: 'Augusta' } });
    await t.request('PATCH', `/v1/members/${id}`, { key, body: { status: 'active' } });
    await t.request('POST', '/v1/members/bulk', {
      key,
      body: { action: 'add_tags', member_ids: [id], params: { tags: ['board'] } },
    });
    await t.request('DELETE', `/v1/members/${id}`, { key });
    await t.request('POST', `/v1/members/${id}/restore`, { key });
    // A request that changes nothing is no event.
    await t.request('PATCH', `/v1/members/${id}`, { key, body: { first_name: 'Augusta' } });
    const current = await t.request('GET', `/v1/members/${id}`, { key });

    const events = await memberEvents(tenant);
    expect(events.map((e) => e.type)).toEqual([
      'member.created',
      'member.updated',
      'member.status_changed',
      'member.updated',
      'member.deleted',
      'member.restored',
    ]);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events[1]?.data).toMatchObject({ id, object: 'member', first_name: 'Augusta', status: 'pending' });
    expect(events[3]?.data).toMatchObject({ tags: ['board'] });
    expect(events.at(-1)?.data).toEqual(current.body);
  });

  it('a failed change publishes nothing', async () => {
    const tenant = await t.createTenant();
    const created = await t.request('POST', '/v1/members', {
      key: tenant.secret_key,
      body: { email: 'grace@example.org', first_name: 'Grace', last_name: 'Hopper', status: 'active' },
    });
    const bad = await t.request('PATCH', `/v1/members/${created.body.id}`, {
      key: tenant.secret_key,
      body: { status: 'pending' },
    });
    expect(bad.status).toBe(409);
    expect((await memberEvents(tenant)).map((e) => e.type)).toEqual(['member.created']);
  });

  it('erasing a member removes the live events that carried their data', async () => {
    const tenant = await t.createTenant();
    const key = tenant.secret_key;
    const created = await t.request('POST', '/v1/members', {
      key,
      body: { email: 'erase-me@example.org', first_name: 'Erin', last_name: 'Rase' },
    });
    const id = created.body.id as string;
    await t.request('PATCH', `/v1/members/${id}`, { key, body: { last_name: 'Rased' } });
    const erased = await t.request('POST', `/v1/members/${id}/erase`, { key });
    expect(erased.status).toBeLessThan(300);
    const events = await memberEvents(tenant);
    expect(JSON.stringify(events)).not.toContain('erase-me@example.org');
    expect(events.at(-1)?.data).toMatchObject({ id, first_name: 'Erased' });
  });
});
