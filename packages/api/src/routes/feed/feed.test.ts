import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communitySettings, feedPosts, memberCommunityPrefs, realtimeEvents } from '../../db/schema/index.js';
import { createManualClock } from '../../lib/clock.js';
import { createFeedScheduler } from '../../maintenance/feed-scheduler.js';
import { recordMilestone } from '../../services/feed-milestones.js';
import { createTestContext, expectProblem, type TestContext, type TestTenant } from '../../testing/harness.js';

const clock = createManualClock(new Date('2026-12-07T09:00:00Z'));
let t: TestContext;

beforeAll(async () => {
  t = await createTestContext({
    clock,
    ...(process.env.DATABASE_URL ? { serverUrl: process.env.DATABASE_URL } : {}),
  });
});
afterAll(() => t.close());

async function setSettings(tenant: TestTenant, values: Partial<typeof communitySettings.$inferInsert>) {
  await t.db.withTenant(tenant.id, (tx) =>
    tx
      .insert(communitySettings)
      .values({ tenantId: tenant.id, ...values })
      .onConflictDoUpdate({ target: communitySettings.tenantId, set: values }),
  );
}

async function posts(tenant: TestTenant) {
  return t.db.withTenant(tenant.id, (tx) => tx.select().from(feedPosts).where(eq(feedPosts.tenantId, tenant.id)));
}

async function events(tenant: TestTenant) {
  return t.db.withTenant(tenant.id, (tx) =>
    tx.select().from(realtimeEvents).where(eq(realtimeEvents.tenantId, tenant.id)).orderBy(realtimeEvents.seq),
  );
}

async function world() {
  const tenant = await t.createTenant();
  const staff = await t.signInStaff(tenant, 'admin');
  const member = await t.signUpMember(tenant);
  return { tenant, staff: staff.access_token, member: member.access_token, memberId: member.member.id as string };
}

describe('member posts', () => {
  it('refuses a member post while member posts are off (403) and accepts it when on', async () => {
    const w = await world();
    const off = await t.request('POST', '/v1/feed/posts', { key: w.member, body: { body: 'Hello' } });
    expectProblem(off, 403, 'MEMBER_POSTS_DISABLED');
    expect(await posts(w.tenant)).toHaveLength(0);
    await setSettings(w.tenant, { memberPosts: true });
    const on = await t.request('POST', '/v1/feed/posts', { key: w.member, body: { body: 'Hello *all*' } });
    expect(on.status).toBe(201);
    expect(on.body).toMatchObject({ kind: 'post', author: { type: 'member', name: 'Ada Lovelace' }, published: true });
    const list = await t.request('GET', '/v1/feed', { key: w.member });
    expect(list.body.data.map((p: { id: string }) => p.id)).toEqual([on.body.id]);
    const logged = await events(w.tenant);
    expect(logged.map((e) => [e.topic, e.type])).toContainEqual(['feed', 'feed.post_created']);
  });

  it('answers 429 past post_rate_per_hour and stores nothing more', async () => {
    const w = await world();
    await setSettings(w.tenant, { memberPosts: true, postRatePerHour: 2 });
    for (let i = 0; i < 2; i++)
      expect((await t.request('POST', '/v1/feed/posts', { key: w.member, body: { body: `p${i}` } })).status).toBe(201);
    const refused = await t.request('POST', '/v1/feed/posts', { key: w.member, body: { body: 'p3' } });
    expectProblem(refused, 429, 'RATE_LIMITED');
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(await posts(w.tenant)).toHaveLength(2);
  });

  it('refuses an oversized body with 422 and stores nothing', async () => {
    const w = await world();
    await setSettings(w.tenant, { memberPosts: true });
    const res = await t.request('POST', '/v1/feed/posts', { key: w.member, body: { body: 'x'.repeat(10_001) } });
    expectProblem(res, 422);
    expect(await posts(w.tenant)).toHaveLength(0);
  });
});

describe('announcements', () => {
  it('keeps a scheduled announcement from members until the scheduler publishes it', async () => {
    const w = await world();
    const publishAt = new Date(clock.now().getTime() + 5 * 60 * 1000).toISOString();
    const created = await t.request('POST', '/v1/feed/posts', {
      key: w.staff,
      body: { title: 'Assembly', body: 'Soon', publish_at: publishAt },
    });
    expect(created.status).toBe(201);
    expect(created.body.published).toBe(false);
    expect((await t.request('GET', '/v1/feed', { key: w.member })).body.data).toHaveLength(0);
    expectProblem(await t.request('GET', `/v1/feed/posts/${created.body.id}`, { key: w.member }), 404);
    expect((await events(w.tenant)).filter((e) => e.topic === 'feed')).toHaveLength(0);
    const scheduled = await t.request('GET', '/v1/feed?status=scheduled', { key: w.staff });
    expect(scheduled.body.data.map((p: { id: string }) => p.id)).toEqual([created.body.id]);

    const scheduler = createFeedScheduler({ deps: t.deps, logger: t.logger, onlyTenants: [w.tenant.id] });
    expect((await scheduler.runOnce()).published).toBe(0);
    clock.advance(6 * 60 * 1000);
    expect((await scheduler.runOnce()).published).toBe(1);
    const list = await t.request('GET', '/v1/feed', { key: w.member });
    expect(list.body.data.map((p: { id: string }) => p.id)).toEqual([created.body.id]);
    expect((await events(w.tenant)).map((e) => [e.topic, e.type])).toContainEqual(['feed', 'feed.post_created']);
  });

  it('shows a tier-restricted announcement only to that tier', async () => {
    const w = await world();
    const tier = await t.request('POST', '/v1/tiers', {
      key: w.tenant.secret_key,
      body: { name: 'Gold', interval: 'free' },
    });
    expect(tier.status).toBe(201);
    const res = await t.request('POST', '/v1/feed/posts', {
      key: w.staff,
      body: { title: 'Gold only', body: 'Hi gold', audience_tier_ids: [tier.body.id] },
    });
    expect(res.status).toBe(201);
    expect((await t.request('GET', '/v1/feed', { key: w.member })).body.data).toHaveLength(0);
    const feedEvents = (await events(w.tenant)).filter((e) => e.type === 'feed.post_created');
    expect(feedEvents.map((e) => e.topic).sort()).toEqual(['feed.staff', `feed.tier.${tier.body.id}`].sort());
    const moved = await t.request('PATCH', `/v1/members/${w.memberId}`, {
      key: w.tenant.secret_key,
      body: { tier_id: tier.body.id },
    });
    expect(moved.status).toBe(200);
    expect((await t.request('GET', '/v1/feed', { key: w.member })).body.data).toHaveLength(1);
  });

  it('hides a post from members, locks comments (409) and counts reactions', async () => {
    const w = await world();
    const post = await t.request('POST', '/v1/feed/posts', { key: w.staff, body: { title: 'News', body: 'Body' } });
    const id = post.body.id as string;
    const liked = await t.request('PUT', `/v1/feed/posts/${id}/reactions/like`, { key: w.member });
    expect(liked.body).toMatchObject({ reactions: { like: 1 }, my_reactions: ['like'] });
    await t.request('PUT', `/v1/feed/posts/${id}/reactions/like`, { key: w.member });
    await t.request('PUT', `/v1/feed/posts/${id}/reactions/like`, { key: w.staff });
    expect((await t.request('GET', `/v1/feed/posts/${id}`, { key: w.member })).body.reactions).toEqual({ like: 2 });
    expect(
      (await t.request('POST', `/v1/feed/posts/${id}/comments`, { key: w.member, body: { body: 'Nice' } })).status,
    ).toBe(201);

    expect((await t.request('PATCH', `/v1/feed/posts/${id}`, { key: w.staff, body: { locked: true } })).status).toBe(
      200,
    );
    expectProblem(
      await t.request('POST', `/v1/feed/posts/${id}/comments`, { key: w.member, body: { body: 'x' } }),
      409,
      'POST_LOCKED',
    );

    expect((await t.request('PATCH', `/v1/feed/posts/${id}`, { key: w.staff, body: { hidden: true } })).status).toBe(
      200,
    );
    expect((await t.request('GET', '/v1/feed', { key: w.member })).body.data).toHaveLength(0);
    expect((await t.request('GET', '/v1/feed?status=hidden', { key: w.staff })).body.data).toHaveLength(1);
    const logged = (await events(w.tenant)).map((e) => [e.topic, e.type]);
    expect(logged).toContainEqual(['feed', 'feed.post_deleted']);
    expect(logged).toContainEqual(['feed.staff', 'feed.post_updated']);
  });
});

describe('reports', () => {
  it('lets a member report a comment and staff hide it', async () => {
    const w = await world();
    const post = await t.request('POST', '/v1/feed/posts', { key: w.staff, body: { title: 'News', body: 'Body' } });
    const comment = await t.request('POST', `/v1/feed/posts/${post.body.id}/comments`, {
      key: w.member,
      body: { body: 'spam' },
    });
    const report = await t.request('POST', '/v1/content-reports', {
      key: w.member,
      body: { target_type: 'comment', target_id: comment.body.id, reason: 'Spam' },
    });
    expect(report.status).toBe(201);
    const open = await t.request('GET', '/v1/content-reports?status=open', { key: w.staff });
    expect(open.body.data[0]).toMatchObject({ id: report.body.id, target: { excerpt: 'spam' } });
    const resolved = await t.request('POST', `/v1/content-reports/${report.body.id}/resolve`, {
      key: w.staff,
      body: { action: 'hide' },
    });
    expect(resolved.body).toMatchObject({ status: 'resolved', resolution: { action: 'hide' } });
    const comments = await t.request('GET', `/v1/feed/posts/${post.body.id}/comments`, { key: w.member });
    expect(comments.body.data).toHaveLength(0);
  });
});

describe('tenant isolation', () => {
  it("answers 404 for another tenant's post", async () => {
    const a = await world();
    const b = await world();
    const post = await t.request('POST', '/v1/feed/posts', { key: b.staff, body: { title: 'B', body: 'B only' } });
    expectProblem(await t.request('GET', `/v1/feed/posts/${post.body.id}`, { key: a.member }), 404);
    expectProblem(await t.request('PUT', `/v1/feed/posts/${post.body.id}/reactions/like`, { key: a.member }), 404);
    expectProblem(
      await t.request('PATCH', `/v1/feed/posts/${post.body.id}`, { key: a.staff, body: { hidden: true } }),
      404,
    );
    expect((await t.request('GET', '/v1/feed', { key: a.member })).body.data).toHaveLength(0);
  });
});

describe('milestones', () => {
  it('posts a milestone only for a member who shares them, once', async () => {
    const w = await world();
    const record = () =>
      t.db.withTenant(w.tenant.id, (tx) => recordMilestone(t.deps, tx, w.tenant.id, w.memberId, 'joined', {}));
    expect(await record()).toBeNull();
    await t.db.withTenant(w.tenant.id, (tx) =>
      tx.insert(memberCommunityPrefs).values({ tenantId: w.tenant.id, memberId: w.memberId, shareMilestones: true }),
    );
    expect(await record()).toMatch(/^post_/);
    expect(await record()).toBeNull();
    const list = await t.request('GET', '/v1/feed', { key: w.member });
    expect(list.body.data).toMatchObject([
      { kind: 'milestone', data: { milestone: 'joined' }, body: 'Ada Lovelace joined.' },
    ]);
  });
});
