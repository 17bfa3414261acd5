import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationBatches, notifications, realtimeEvents } from '../../db/schema/index.js';
import { createNotificationBatchWorker } from '../../maintenance/notification-batches.js';
import { createNotifications } from '../../services/notifications.js';
import { createTestContext, expectProblem, type TestContext, type TestTenant } from '../../testing/index.js';

let t: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant('Rowing club');
});
afterAll(async () => {
  await t.close();
});

async function member(on: TestTenant = tenant) {
  const session = await t.signUpMember(on);
  const me = await t.request('GET', '/v1/me', { key: session.access_token });
  return { id: me.body.id as string, token: session.access_token as string };
}

async function notify(memberId: string, title: string, on: TestTenant = tenant) {
  return t.db.withTenant(on.id, (tx) =>
    createNotifications(t.deps, tx, on.id, [{ memberId, type: 'custom', title, url: '/x' }]),
  );
}

function worker(on: TestTenant = tenant, extra: Partial<Parameters<typeof createNotificationBatchWorker>[0]> = {}) {
  return createNotificationBatchWorker({ deps: t.deps, logger: t.logger, onlyTenants: [on.id], ...extra });
}

describe('member notifications', () => {
  it('lists newest first with cursors and unread counts; reads one, reads all, deletes', async () => {
    const m = await member();
    for (let i = 1; i <= 3; i++) await notify(m.id, `Hello ${i}`);
    const first = await t.request('GET', '/v1/me/notifications?limit=2', { key: m.token });
    expect(first.status, first.text).toBe(200);
    expect(first.body.data.map((n: { title: string }) => n.title)).toEqual(['Hello 3', 'Hello 2']);
    expect(first.body.unread_count).toBe(3);
    expect(first.body.has_more).toBe(true);
    const second = await t.request('GET', `/v1/me/notifications?limit=2&cursor=${first.body.next_cursor}`, {
      key: m.token,
    });
    expect(second.body.data.map((n: { title: string }) => n.title)).toEqual(['Hello 1']);
    expect(second.body.has_more).toBe(false);

    const id = first.body.data[0].id as string;
    const read = await t.request('POST', `/v1/me/notifications/${id}/read`, { key: m.token });
    expect(read.status, read.text).toBe(200);
    expect(read.body.read_at).not.toBeNull();
    expect(read.body.unread_count).toBe(2);
    const unread = await t.request('GET', '/v1/me/notifications?unread=true', { key: m.token });
    expect(unread.body.data).toHaveLength(2);

    const all = await t.request('POST', '/v1/me/notifications/read-all', { key: m.token });
    expect(all.body).toMatchObject({ updated: 2, unread_count: 0 });

    const del = await t.request('DELETE', `/v1/me/notifications/${id}`, { key: m.token });
    expect(del.status).toBe(204);
    const after = await t.request('GET', '/v1/me/notifications', { key: m.token });
    expect(after.body.data).toHaveLength(2);
    expectProblem(
      await t.request('DELETE', `/v1/me/notifications/${id}`, { key: m.token }),
      404,
      'NOTIFICATION_NOT_FOUND',
    );
  });

  it("a member cannot read, mark or delete another member's notification", async () => {
    const a = await member();
    const b = await member();
    const [row] = await notify(a.id, 'Private');
    const id = row!.id;
    expectProblem(await t.request('POST', `/v1/me/notifications/${id}/read`, { key: b.token }), 404);
    expectProblem(await t.request('DELETE', `/v1/me/notifications/${id}`, { key: b.token }), 404);
    const list = await t.request('GET', '/v1/me/notifications', { key: b.token });
    expect(list.body.data).toEqual([]);
    const mine = await t.request('GET', '/v1/me/notifications', { key: a.token });
    expect(mine.body.data[0]).toMatchObject({ id, read_at: null });
    expectProblem(await t.request('POST', '/v1/me/notifications/nonsense/read', { key: a.token }), 404);
  });

  it('appends notification.created with the DTO and unread count to the member topic', async () => {
    const m = await member();
    const [row] = await notify(m.id, 'Live one');
    const events = await t.db.withTenant(tenant.id, (tx) =>
      tx
        .select()
        .from(realtimeEvents)
        .where(and(eq(realtimeEvents.tenantId, tenant.id), eq(realtimeEvents.topic, `member.${m.id}`))),
    );
    expect(events.map((e) => e.type)).toEqual(['notification.created']);
    expect(events[0]!.data).toMatchObject({ id: row!.id, object: 'notification', title: 'Live one', unread_count: 1 });
    await t.request('POST', `/v1/me/notifications/${row!.id}/read`, { key: m.token });
    const after = await t.db.withTenant(tenant.id, (tx) =>
      tx
        .select()
        .from(realtimeEvents)
        .where(eq(realtimeEvents.topic, `member.${m.id}`)),
    );
    expect(after.map((e) => e.type)).toEqual(['notification.created', 'notification.read']);
    expect(after[1]!.data).toEqual({ ids: [row!.id], unread_count: 0 });
  });

  it('preferences: all types listed; in-app off means nothing is created', async () => {
    const m = await member();
    const prefs = await t.request('GET', '/v1/me/notification-preferences', { key: m.token });
    expect(prefs.status).toBe(200);
    expect(prefs.body.data).toHaveLength(7);
    expect(prefs.body.data[0]).toEqual({ type: 'announcement', in_app: true, email_digest: 'off' });
    const patch = await t.request('PATCH', '/v1/me/notification-preferences', {
      key: m.token,
      body: {
        preferences: [
          { type: 'custom', in_app: false },
          { type: 'announcement', email_digest: 'daily' },
        ],
      },
    });
    expect(patch.status, patch.text).toBe(200);
    expect(patch.body.data).toContainEqual({ type: 'custom', in_app: false, email_digest: 'off' });
    expect(patch.body.data).toContainEqual({ type: 'announcement', in_app: true, email_digest: 'daily' });
    expect(await notify(m.id, 'Muted')).toEqual([]);
    const list = await t.request('GET', '/v1/me/notifications', { key: m.token });
    expect(list.body.data).toEqual([]);
    const bad = await t.request('PATCH', '/v1/me/notification-preferences', {
      key: m.token,
      body: { preferences: [{ type: 'nope', in_app: false }] },
    });
    expectProblem(bad, 422);
  });

  it('staff endpoints refuse members, member endpoints refuse staff keys', async () => {
    const m = await member();
    expectProblem(await t.request('GET', '/v1/notifications/batches', { key: m.token }), 403);
    expectProblem(await t.request('GET', '/v1/me/notifications', { key: tenant.secret_key }), 403);
  });
});

describe('staff sends', () => {
  it('sends to one member at once, audited, with Idempotency-Key replay', async () => {
    const m = await member();
    const headers = { 'Idempotency-Key': `send-${m.id}` };
    const body = { audience: { member_id: m.id }, title: 'Welcome aboard', url: '/welcome' };
    const res = await t.request('POST', '/v1/notifications', { key: tenant.secret_key, body, headers });
    expect(res.status, res.text).toBe(202);
    expect(res.body).toMatchObject({ object: 'notification_batch', status: 'completed', total: 1, delivered: 1 });
    const again = await t.request('POST', '/v1/notifications', { key: tenant.secret_key, body, headers });
    expect(again.body.id).toBe(res.body.id);
    const list = await t.request('GET', '/v1/me/notifications', { key: m.token });
    expect(list.body.data.map((n: { title: string }) => n.title)).toEqual(['Welcome aboard']);
    const audit = await t.request('GET', '/v1/audit-log?limit=100', { key: tenant.secret_key });
    expect(audit.status, audit.text).toBe(200);
    expect(audit.body.data.some((e: { action: string }) => e.action === 'notification.sent')).toBe(true);
  });

  it('viewers may read sends but not send; bad audiences are 4xx and queue nothing', async () => {
    const viewer = await t.signInStaff(tenant, 'viewer');
    const refused = await t.request('POST', '/v1/notifications', {
      key: viewer.access_token,
      body: { audience: { everyone: true }, title: 'Hi' },
    });
    expectProblem(refused, 403);
    expect((await t.request('GET', '/v1/notifications/batches', { key: viewer.access_token })).status).toBe(200);

    const before = (await t.request('GET', '/v1/notifications/batches?limit=100', { key: tenant.secret_key })).body.data
      .length;
    const bad = [
      { audience: { member_id: 'mem_01jdx3v4k7m9q2w8e5r6t0y1zc' }, title: 'Hi' },
      { audience: { tier_id: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc' }, title: 'Hi' },
      { audience: { member_ids: Array.from({ length: 1001 }, (_, i) => `mem_${i}`) }, title: 'Hi' },
      { audience: { everyone: true, tag: 'x' }, title: 'Hi' },
      { audience: { everyone: true }, title: '' },
      { audience: { everyone: true }, title: 'Hi', url: 'javascript:alert(1)' },
    ];
    for (const body of bad) {
      const res = await t.request('POST', '/v1/notifications', { key: tenant.secret_key, body });
      expect(res.status, res.text).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    const after = (await t.request('GET', '/v1/notifications/batches?limit=100', { key: tenant.secret_key })).body.data
      .length;
    expect(after).toBe(before);
  });

  it('fans out to a tier, a tag and everyone in pages, reports progress, respects preferences', async () => {
    const club = await t.createTenant('Fan-out club');
    const tier = await t.request('POST', '/v1/tiers', {
      key: club.secret_key,
      body: { name: 'Gold', interval: 'free' },
    });
    expect(tier.status, tier.text).toBe(201);
    const people = [];
    for (let i = 0; i < 5; i++) people.push(await member(club));
    for (const p of people.slice(0, 3))
      await t.request('PATCH', `/v1/members/${p.id}`, { key: club.secret_key, body: { tier_id: tier.body.id } });
    for (const p of people.slice(2))
      await t.request('PATCH', `/v1/members/${p.id}`, { key: club.secret_key, body: { tags: ['rower'] } });
    await t.request('PATCH', '/v1/me/notification-preferences', {
      key: people[0]!.token,
      body: { preferences: [{ type: 'announcement', in_app: false }] },
    });

    const send = async (audience: Record<string, unknown>, title: string) => {
      const res = await t.request('POST', '/v1/notifications', { key: club.secret_key, body: { audience, title } });
      expect(res.status, res.text).toBe(202);
      expect(res.body.status).toBe('queued');
      return res.body.id as string;
    };
    const tierBatch = await send({ tier_id: tier.body.id }, 'Tier news');
    const tagBatch = await send({ tag: 'rower' }, 'Rowers news');
    const allBatch = await send({ everyone: true }, 'Everyone news');

    const w = worker(club, { pageSize: 2, pagesPerRun: 1 });
    await w.runOnce();
    const progress = await t.request('GET', `/v1/notifications/batches/${tierBatch}`, { key: club.secret_key });
    expect(progress.body).toMatchObject({ status: 'running', total: 3 });
    expect(progress.body.delivered + progress.body.skipped).toBe(2);
    await worker(club, { pageSize: 2 }).drain();

    const get = async (id: string) =>
      (await t.request('GET', `/v1/notifications/batches/${id}`, { key: club.secret_key })).body;
    expect(await get(tierBatch)).toMatchObject({ status: 'completed', total: 3, delivered: 2, skipped: 1 });
    expect(await get(tagBatch)).toMatchObject({ status: 'completed', total: 3, delivered: 3, skipped: 0 });
    expect(await get(allBatch)).toMatchObject({ status: 'completed', total: 5, delivered: 4, skipped: 1 });
    const titles = async (p: { token: string }) =>
      (await t.request('GET', '/v1/me/notifications', { key: p.token })).body.data.map(
        (n: { title: string }) => n.title,
      );
    expect(await titles(people[0]!)).toEqual([]);
    expect((await titles(people[2]!)).sort()).toEqual(['Everyone news', 'Rowers news', 'Tier news']);
    expect((await titles(people[4]!)).sort()).toEqual(['Everyone news', 'Rowers news']);
  });

  it('resumes after a crash mid-page without sending twice; a canceled batch stops', async () => {
    const club = await t.createTenant('Crash club');
    const people = [];
    for (let i = 0; i < 5; i++) people.push(await member(club));
    const res = await t.request('POST', '/v1/notifications', {
      key: club.secret_key,
      body: { audience: { everyone: true }, title: 'Once only' },
    });
    const batchId = res.body.id as string;
    await worker(club, { pageSize: 2, pagesPerRun: 1 }).runOnce();
    let crashes = 0;
    const crashing = worker(club, {
      pageSize: 2,
      pagesPerRun: 1,
      beforePageCommit: () => {
        crashes += 1;
        throw new Error('simulated crash');
      },
    });
    const crashed = await crashing.runOnce();
    expect(crashed.failed).toBe(1);
    expect(crashes).toBe(1);
    // The failed page backs off: make it due again, as time passing would.
    await t.db.withTenant(club.id, (tx) =>
      tx
        .update(notificationBatches)
        .set({ nextAttemptAt: new Date(0) })
        .where(eq(notificationBatches.id, batchId)),
    );
    await worker(club, { pageSize: 2 }).drain();
    const rows = await t.db.withTenant(club.id, (tx) =>
      tx.select().from(notifications).where(eq(notifications.batchId, batchId)),
    );
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((r) => r.memberId)).size).toBe(5);
    const batch = (await t.request('GET', `/v1/notifications/batches/${batchId}`, { key: club.secret_key })).body;
    expect(batch).toMatchObject({ status: 'completed', delivered: 5, total: 5 });
    expectProblem(
      await t.request('POST', `/v1/notifications/batches/${batchId}/cancel`, { key: club.secret_key }),
      409,
      'NOTIFICATION_BATCH_FINISHED',
    );

    const second = await t.request('POST', '/v1/notifications', {
      key: club.secret_key,
      body: { audience: { everyone: true }, title: 'Canceled' },
    });
    await worker(club, { pageSize: 2, pagesPerRun: 1 }).runOnce();
    const canceled = await t.request('POST', `/v1/notifications/batches/${second.body.id}/cancel`, {
      key: club.secret_key,
    });
    expect(canceled.body).toMatchObject({ status: 'canceled', delivered: 2 });
    await worker(club, { pageSize: 2 }).drain();
    const got = await t.db.withTenant(club.id, (tx) =>
      tx.select().from(notifications).where(eq(notifications.batchId, second.body.id)),
    );
    expect(got).toHaveLength(2);
  });
});
