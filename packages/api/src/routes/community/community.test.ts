import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../lib/clock.js';
import type { HubConnection } from '../../realtime/hub.js';
import type { EphemeralEvent, RealtimeEvent } from '../../realtime/types.js';
import { sweepStalePresence } from '../../services/presence.js';
import { createTestContext, expectProblem, type TestContext, type TestTenant } from '../../testing/harness.js';

let t: TestContext;
const clock = createManualClock(new Date());

beforeAll(async () => {
  t = await createTestContext({ clock });
});
afterAll(async () => {
  await t.close();
});

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`gave up waiting for ${what}`);
}

/** A live subscriber of one tenant's topic, as a stream registers with the hub. */
function listen(tenantId: string, topic: string) {
  const events: (RealtimeEvent | EphemeralEvent)[] = [];
  const connection: HubConnection = { tenantId, topics: new Set([topic]), push: (e) => events.push(e), close() {} };
  const realtime = t.deps.realtime;
  if (!realtime) throw new Error('the test context has no realtime runtime');
  const remove = realtime.hub.add(connection);
  return { events, remove };
}

describe('GET/PATCH /v1/community/settings', () => {
  let tenant: TestTenant;
  beforeAll(async () => {
    tenant = await t.createTenant();
  });

  it('answers the defaults to staff and to members', async () => {
    const staff = await t.request('GET', '/v1/community/settings', { key: tenant.secret_key });
    expect(staff.status).toBe(200);
    expect(staff.body).toEqual({
      object: 'community_settings',
      presence_visibility: 'staff',
      member_posts: false,
      member_comments: true,
      reactions: true,
      member_messaging: false,
      support_inbox: true,
      message_rate_per_minute: 30,
      post_rate_per_hour: 20,
      updated_at: null,
    });
    const member = await t.signUpMember(tenant);
    const asMember = await t.request('GET', '/v1/community/settings', { key: member.access_token });
    expect(asMember.body).toEqual(staff.body);
  });

  it('changes the fields given, audited; members and viewers cannot change them', async () => {
    const changed = await t.request('PATCH', '/v1/community/settings', {
      key: tenant.secret_key,
      body: { presence_visibility: 'members', member_messaging: true, message_rate_per_minute: 10 },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      presence_visibility: 'members',
      member_messaging: true,
      message_rate_per_minute: 10,
      member_posts: false,
    });
    expect(changed.body.updated_at).toEqual(expect.any(String));
    const again = await t.request('GET', '/v1/community/settings', { key: tenant.secret_key });
    expect(again.body).toEqual(changed.body);

    const audit = await t.request('GET', '/v1/audit-log?action=community_settings.updated&limit=10', {
      key: tenant.secret_key,
    });
    expect(audit.status).toBe(200);
    expect(audit.body.data).toHaveLength(1);
    expect(audit.body.data[0].diff).toMatchObject({ member_messaging: { from: false, to: true } });

    const member = await t.signUpMember(tenant);
    expectProblem(
      await t.request('PATCH', '/v1/community/settings', { key: member.access_token, body: { member_posts: true } }),
      403,
    );
    const viewer = await t.signInStaff(tenant, 'viewer');
    expectProblem(
      await t.request('PATCH', '/v1/community/settings', { key: viewer.access_token, body: { member_posts: true } }),
      403,
    );
    expectProblem(
      await t.request('PATCH', '/v1/community/settings', {
        key: tenant.secret_key,
        body: { message_rate_per_minute: 0 },
      }),
      422,
    );
    expectProblem(
      await t.request('PATCH', '/v1/community/settings', {
        key: tenant.secret_key,
        body: { presence_visibility: 'everyone' },
      }),
      422,
    );
    expectProblem(
      await t.request('PATCH', '/v1/community/settings', { key: tenant.secret_key, body: { unknown: true } }),
      422,
    );
    expectProblem(await t.request('GET', '/v1/community/settings'), 401);
  });

  it('keeps each tenant its own settings', async () => {
    const other = await t.createTenant();
    const theirs = await t.request('GET', '/v1/community/settings', { key: other.secret_key });
    expect(theirs.body.presence_visibility).toBe('staff');
  });
});

describe('GET/PATCH /v1/me/community', () => {
  it('lets a member share milestones, and only members', async () => {
    const tenant = await t.createTenant();
    const member = await t.signUpMember(tenant);
    const before = await t.request('GET', '/v1/me/community', { key: member.access_token });
    expect(before.body).toEqual({ object: 'member_community_prefs', share_milestones: false });
    const after = await t.request('PATCH', '/v1/me/community', {
      key: member.access_token,
      body: { share_milestones: true },
    });
    expect(after.body).toEqual({ object: 'member_community_prefs', share_milestones: true });
    expect((await t.request('GET', '/v1/me/community', { key: member.access_token })).body.share_milestones).toBe(true);
    const someoneElse = await t.signUpMember(tenant);
    expect((await t.request('GET', '/v1/me/community', { key: someoneElse.access_token })).body.share_milestones).toBe(
      false,
    );
    expectProblem(await t.request('GET', '/v1/me/community', { key: tenant.secret_key }), 403);
    expectProblem(
      await t.request('PATCH', '/v1/me/community', { key: member.access_token, body: { share_milestones: 'yes' } }),
      422,
    );
  });
});

describe('presence', () => {
  it('heartbeats make a member online, announce changes live, and the sweeper makes them offline', async () => {
    const tenant = await t.createTenant();
    const live = listen(tenant.id, 'presence');
    const ada = await t.signUpMember(tenant);
    const me = await t.request('GET', '/v1/me', { key: ada.access_token });
    const adaId = me.body.id as string;

    const beat = await t.request('POST', '/v1/presence/heartbeat', { key: ada.access_token, body: {} });
    expect(beat.status).toBe(200);
    expect(beat.body).toMatchObject({ member_id: adaId, status: 'online', name: 'Ada Lovelace' });
    await until(() => live.events.length === 1, 'presence.changed online');
    expect(live.events[0]).toMatchObject({
      topic: 'presence',
      type: 'presence.changed',
      data: { member_id: adaId, status: 'online' },
    });

    // Same status again: no announcement; away: one.
    await t.request('POST', '/v1/presence/heartbeat', { key: ada.access_token, body: { status: 'online' } });
    await t.request('POST', '/v1/presence/heartbeat', { key: ada.access_token, body: { status: 'away' } });
    await until(() => live.events.length === 2, 'presence.changed away');
    expect(live.events.map((e) => (e.data as { status: string }).status)).toEqual(['online', 'away']);

    const list = await t.request('GET', '/v1/presence', { key: tenant.secret_key });
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      object: 'list',
      data: [{ member_id: adaId, name: 'Ada Lovelace', status: 'away', last_seen_at: expect.any(String) }],
      has_more: false,
      next_cursor: null,
    });

    // 91 s without a heartbeat: offline, announced, out of the list.
    clock.advance(91_000);
    expect(await sweepStalePresence(t.deps, { tenantIds: [tenant.id] })).toBe(1);
    await until(() => live.events.length === 3, 'presence.changed offline');
    expect(live.events[2]).toMatchObject({ data: { member_id: adaId, status: 'offline' } });
    expect((await t.request('GET', '/v1/presence', { key: tenant.secret_key })).body.data).toEqual([]);
    live.remove();
  });

  it('shows presence as the tenant configures: staff only by default, members when visible to members, nobody when off', async () => {
    const tenant = await t.createTenant();
    const ada = await t.signUpMember(tenant);
    const grace = await t.signUpMember(tenant);
    await t.request('POST', '/v1/presence/heartbeat', { key: ada.access_token, body: { status: 'online' } });
    await t.request('POST', '/v1/presence/heartbeat', { key: grace.access_token, body: { status: 'online' } });

    expectProblem(await t.request('GET', '/v1/presence', { key: grace.access_token }), 403, 'PRESENCE_DISABLED');
    const staff = await t.signInStaff(tenant, 'viewer');
    expect((await t.request('GET', '/v1/presence', { key: staff.access_token })).body.data).toHaveLength(2);

    await t.request('PATCH', '/v1/community/settings', {
      key: tenant.secret_key,
      body: { presence_visibility: 'members' },
    });
    const first = await t.request('GET', '/v1/presence?limit=1', { key: grace.access_token });
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(1);
    expect(first.body.has_more).toBe(true);
    const second = await t.request('GET', `/v1/presence?limit=1&cursor=${encodeURIComponent(first.body.next_cursor)}`, {
      key: grace.access_token,
    });
    expect(second.body.data).toHaveLength(1);
    expect(second.body.has_more).toBe(false);
    expect(second.body.data[0].member_id).not.toBe(first.body.data[0].member_id);
    expectProblem(await t.request('GET', '/v1/presence?cursor=garbage', { key: grace.access_token }), 400);

    await t.request('PATCH', '/v1/community/settings', {
      key: tenant.secret_key,
      body: { presence_visibility: 'off' },
    });
    expectProblem(await t.request('GET', '/v1/presence', { key: staff.access_token }), 403, 'PRESENCE_DISABLED');
    expectProblem(await t.request('GET', '/v1/presence', { key: grace.access_token }), 403, 'PRESENCE_DISABLED');

    // Another tenant's members are never listed.
    const other = await t.createTenant();
    expect((await t.request('GET', '/v1/presence', { key: other.secret_key })).body.data).toEqual([]);
    expectProblem(await t.request('POST', '/v1/presence/heartbeat', { key: tenant.secret_key, body: {} }), 403);
    expectProblem(
      await t.request('POST', '/v1/presence/heartbeat', { key: ada.access_token, body: { status: 'busy' } }),
      422,
    );
  });
});
