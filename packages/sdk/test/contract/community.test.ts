import type { TestTenant } from '@memberkit/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Memberkit, RealtimeEvent } from '../../src/index.js';
import { startApi, type Api } from '../support/api.js';

// The community namespaces against the real API, in-process, on PGlite: every path and
// body the SDK sends is the one the routes accept.
let api: Api;
let tenant: TestTenant;
let staff: Memberkit;
let ada: Memberkit;
let grace: Memberkit;
let adaId: string;
let graceId: string;

beforeAll(async () => {
  api = await startApi();
  tenant = await api.t.createTenant('SDK community');
  staff = api.client({ secretKey: tenant.secret_key });
  await staff.community.settings.update({
    presence_visibility: 'members',
    member_posts: true,
    member_comments: true,
    reactions: true,
    member_messaging: true,
    support_inbox: true,
  });
  const a = await api.t.signUpMember(tenant);
  const g = await api.t.signUpMember(tenant);
  ada = api.client({ accessToken: a.access_token });
  grace = api.client({ accessToken: g.access_token });
  adaId = (await ada.me.retrieve()).id;
  graceId = (await grace.me.retrieve()).id;
});
afterAll(() => api.close());

describe('community resources', () => {
  it('reads the settings as a member and keeps member community prefs', async () => {
    expect(await ada.community.settings.get()).toMatchObject({ member_posts: true, presence_visibility: 'members' });
    expect(await ada.me.community.update({ share_milestones: true })).toMatchObject({ share_milestones: true });
    expect(await ada.me.community.get()).toMatchObject({ share_milestones: true });
  });

  it('posts, comments, reacts, reports and moderates on the feed', async () => {
    const post = await ada.feed.posts.create({ body: 'Hello **everyone**' });
    expect(await grace.feed.posts.get(post.id)).toMatchObject({ id: post.id, kind: 'post' });
    expect(await grace.feed.posts.react(post.id, 'like')).toMatchObject({ post_id: post.id, my_reactions: ['like'] });
    const comment = await grace.feed.posts.comments.create(post.id, { body: 'Welcome!' });
    expect((await ada.feed.posts.comments.list(post.id)).data.map((c) => c.id)).toEqual([comment.id]);
    expect(await grace.feed.comments.update(comment.id, { body: 'Welcome, Ada!' })).toMatchObject({
      body: 'Welcome, Ada!',
    });
    const ids: string[] = [];
    for await (const item of grace.feed.list({ limit: 1 })) ids.push(item.id);
    expect(ids).toContain(post.id);
    await grace.feed.posts.unreact(post.id, 'like');
    expect(await ada.feed.posts.update(post.id, { body: 'Hello again' })).toMatchObject({ body: 'Hello again' });

    const report = await grace.contentReports.create({ target_type: 'post', target_id: post.id, reason: 'spam' });
    const open = await staff.contentReports.list({ status: 'open' }).toArray({ limit: 100 });
    expect(open.map((r) => r.id)).toContain(report.id);
    expect(await staff.contentReports.resolve(report.id, { action: 'dismiss' })).toMatchObject({ id: report.id });

    await grace.feed.comments.delete(comment.id);
    expect(await ada.feed.posts.delete(post.id)).toMatchObject({ id: post.id });
  });

  it('messages member to member: unread, read receipts, edit, delete', async () => {
    const conversation = await ada.conversations.create({ kind: 'direct', member_id: graceId, body: 'Hi Grace' });
    expect((await grace.conversations.unread()).total).toBeGreaterThanOrEqual(1);
    const [first] = (await grace.conversations.messages.list(conversation.id)).data;
    expect(first).toMatchObject({ body: 'Hi Grace' });
    const reply = await grace.conversations.messages.send(conversation.id, { body: 'Hi Ada', client_id: 'c-1' });
    const again = await grace.conversations.messages.send(conversation.id, { body: 'Hi Ada', client_id: 'c-1' });
    expect(again.id).toBe(reply.id);
    await ada.conversations.read(conversation.id, reply.id);
    expect((await ada.conversations.get(conversation.id)).unread_count).toBe(0);
    expect(await grace.conversations.messages.update(conversation.id, reply.id, { body: 'Hi Ada!' })).toMatchObject({
      body: 'Hi Ada!',
    });
    expect(await grace.conversations.messages.delete(conversation.id, reply.id)).toMatchObject({ body: null });
    await grace.conversations.typing(conversation.id);
    expect((await ada.conversations.list().toArray({ limit: 10 })).map((c) => c.id)).toContain(conversation.id);
  });

  it('resumes the feed, conversations and messages from a saved cursor (a "load more" that keeps only the cursor)', async () => {
    const posts = [
      await ada.feed.posts.create({ body: 'First of two' }),
      await ada.feed.posts.create({ body: 'Second of two' }),
    ];
    const firstPosts = await grace.feed.list({ limit: 1 });
    expect(firstPosts.next_cursor).toBeTruthy();
    const nextPosts = await grace.feed.list({ limit: 1, cursor: firstPosts.next_cursor ?? undefined });
    expect([...firstPosts.data, ...nextPosts.data].map((p) => p.id).sort()).toEqual(posts.map((p) => p.id).sort());

    const groups = [
      await ada.conversations.create({ kind: 'group', title: 'One', member_ids: [graceId] }),
      await ada.conversations.create({ kind: 'group', title: 'Two', member_ids: [graceId] }),
    ];
    const firstConversations = await grace.conversations.list({ kind: 'group', limit: 1 });
    expect(firstConversations.next_cursor).toBeTruthy();
    const nextConversations = await grace.conversations.list({
      kind: 'group',
      limit: 1,
      cursor: firstConversations.next_cursor ?? undefined,
    });
    expect([...firstConversations.data, ...nextConversations.data].map((c) => c.id).sort()).toEqual(
      groups.map((c) => c.id).sort(),
    );

    const group = groups[0]?.id ?? '';
    const messages = [
      await ada.conversations.messages.send(group, { body: 'Hello' }),
      await ada.conversations.messages.send(group, { body: 'Hello again' }),
    ];
    const latest = await grace.conversations.messages.list(group, { limit: 1 });
    expect(latest.next_cursor).toBeTruthy();
    const earlier = await grace.conversations.messages.list(group, {
      limit: 1,
      cursor: latest.next_cursor ?? undefined,
    });
    expect([...latest.data, ...earlier.data].map((m) => m.id).sort()).toEqual(messages.map((m) => m.id).sort());
  });

  it('delivers a message live to the other member, and their conversation list update (conversation and me topics)', async () => {
    const conversation = await ada.conversations.create({ kind: 'direct', member_id: graceId });
    const events: RealtimeEvent[] = [];
    const sub = grace.realtime.subscribe(['me', `conversation.${conversation.id}`], (event) => events.push(event));
    try {
      await sub.ready;
      const sent = await ada.conversations.messages.send(conversation.id, { body: 'Live?' });
      for (let i = 0; i < 500 && !events.some((e) => e.type === 'message.created'); i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      const created = events.find((e) => e.type === 'message.created');
      expect(created).toMatchObject({ topic: `conversation.${conversation.id}`, data: { id: sent.id, body: 'Live?' } });
      for (let i = 0; i < 500 && !events.some((e) => e.type === 'conversation.updated'); i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      const updated = events.find((e) => e.type === 'conversation.updated');
      expect(updated).toMatchObject({ topic: `member.${graceId}`, data: { id: conversation.id, unread_count: 1 } });
    } finally {
      sub.close();
    }
  });

  it('blocks and unblocks a member', async () => {
    expect(await ada.me.blocks.block(graceId)).toMatchObject({ member_id: graceId });
    expect((await ada.me.blocks.list()).data.map((b) => b.member_id)).toEqual([graceId]);
    await ada.me.blocks.unblock(graceId);
    expect((await ada.me.blocks.list()).data).toEqual([]);
  });

  it('sends notifications from staff, lists and reads them as the member', async () => {
    const batch = await staff.notifications.send({ audience: { member_id: adaId }, title: 'AGM on Friday' });
    expect(batch).toMatchObject({ object: 'notification_batch' });
    expect(await staff.notifications.batches.get(batch.id)).toMatchObject({ id: batch.id });
    expect((await staff.notifications.batches.list().toArray({ limit: 10 })).map((b) => b.id)).toContain(batch.id);
    const preferences = await ada.me.notifications.preferences.get();
    expect(preferences.data.length).toBe(7);
    await ada.me.notifications.preferences.update({ preferences: [{ type: 'mention', email_digest: 'daily' }] });
    const page = await ada.me.notifications.list({ unread: true });
    expect(page.unread_count).toBeGreaterThanOrEqual(0);
    const all = await ada.me.notifications.markAllRead();
    expect(all.unread_count).toBe(0);
  });

  it('keeps presence by heartbeat and lists who is online', async () => {
    await ada.presence.heartbeat({ status: 'online' });
    const online = await grace.presence.list().toArray({ limit: 100 });
    expect(online.map((p) => p.member_id)).toContain(adaId);
  });
});
