import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, messages, notifications, realtimeEvents } from '../../db/schema/index.js';
import { createTestContext, expectProblem, type TestContext, type TestTenant } from '../../testing/harness.js';

let t: TestContext;

beforeAll(async () => {
  t = await createTestContext(process.env.DATABASE_URL ? { serverUrl: process.env.DATABASE_URL } : {});
});
afterAll(async () => {
  await t.close();
});

interface Member {
  token: string;
  id: string;
}

async function member(tenant: TestTenant): Promise<Member> {
  const session = await t.signUpMember(tenant);
  return { token: session.access_token, id: session.member.id as string };
}

async function settings(tenant: TestTenant, body: Record<string, unknown>) {
  const res = await t.request('PATCH', '/v1/community/settings', { key: tenant.secret_key, body });
  expect(res.status, res.text).toBe(200);
}

async function world(options: { messaging?: boolean } = {}) {
  const tenant = await t.createTenant();
  if (options.messaging ?? true) await settings(tenant, { member_messaging: true });
  const [a, b, c] = [await member(tenant), await member(tenant), await member(tenant)];
  return { tenant, a: a!, b: b!, c: c! };
}

async function events(tenantId: string, topic?: string) {
  return t.db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(realtimeEvents)
      .where(and(eq(realtimeEvents.tenantId, tenantId), topic ? eq(realtimeEvents.topic, topic) : undefined))
      .orderBy(realtimeEvents.seq),
  );
}

async function storedMessages(tenantId: string) {
  return t.db.withTenant(tenantId, (tx) => tx.select().from(messages).where(eq(messages.tenantId, tenantId)));
}

async function direct(w: Awaited<ReturnType<typeof world>>, body = 'Hello B') {
  const res = await t.request('POST', '/v1/conversations', {
    key: w.a.token,
    body: { kind: 'direct', member_id: w.b.id, body },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

describe('member to member', () => {
  it('is refused while the tenant does not allow it, and works once it does', async () => {
    const w = await world({ messaging: false });
    const refused = await t.request('POST', '/v1/conversations', {
      key: w.a.token,
      body: { kind: 'direct', member_id: w.b.id, body: 'Hi' },
    });
    expectProblem(refused, 403, 'MEMBER_MESSAGING_DISABLED');
    expect(await storedMessages(w.tenant.id)).toHaveLength(0);
    await settings(w.tenant, { member_messaging: true });
    const id = await direct(w, 'Hi');
    // The same pair again: the existing conversation, the message posted to it.
    const again = await t.request('POST', '/v1/conversations', {
      key: w.b.token,
      body: { kind: 'direct', member_id: w.a.id, body: 'Hi back' },
    });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(id);
    expect(again.body.participants.map((p: { name: string }) => p.name)).toEqual(['Ada Lovelace', 'Ada Lovelace']);
  });

  it('counts unread messages, keeps read receipts and publishes the events', async () => {
    const w = await world();
    const id = await direct(w, 'First');
    const second = await t.request('POST', `/v1/conversations/${id}/messages`, {
      key: w.a.token,
      body: { body: 'Second' },
    });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({
      object: 'message',
      conversation_id: id,
      sender: { type: 'member', id: w.a.id, name: 'Ada Lovelace' },
      body: 'Second',
      edited_at: null,
      deleted_at: null,
    });

    const unread = await t.request('GET', '/v1/conversations/unread', { key: w.b.token });
    expect(unread.body).toEqual({ total: 2, conversations: [{ id, unread_count: 2 }] });
    const listed = await t.request('GET', '/v1/conversations', { key: w.b.token });
    expect(listed.body.data).toHaveLength(1);
    expect(listed.body.data[0]).toMatchObject({ id, kind: 'direct', unread_count: 2, last_message_preview: 'Second' });
    expect((await t.request('GET', '/v1/conversations/unread', { key: w.a.token })).body.total).toBe(0);

    // One unread message notification per conversation, whatever the number of messages.
    const notes = await t.db.withTenant(w.tenant.id, (tx) =>
      tx.select().from(notifications).where(eq(notifications.memberId, w.b.id)),
    );
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ type: 'message', data: { conversation_id: id } });
    expect(
      await t.db.withTenant(w.tenant.id, (tx) =>
        tx.select().from(notifications).where(eq(notifications.memberId, w.a.id)),
      ),
    ).toHaveLength(0);

    const read = await t.request('POST', `/v1/conversations/${id}/read`, {
      key: w.b.token,
      body: { message_id: second.body.id },
    });
    expect(read.status, read.text).toBe(200);
    expect(read.body.unread_count).toBe(0);
    const seenByA = await t.request('GET', `/v1/conversations/${id}`, { key: w.a.token });
    const bAsSeen = seenByA.body.participants.find((p: { id: string }) => p.id === w.b.id);
    expect(bAsSeen.last_read_message_id).toBe(second.body.id);
    expect((await t.request('GET', '/v1/conversations/unread', { key: w.b.token })).body.total).toBe(0);

    const thread = await events(w.tenant.id, `conversation.${id}`);
    expect(thread.map((e) => e.type)).toEqual(['message.created', 'message.created', 'conversation.read']);
    expect(thread[2]!.data).toMatchObject({
      conversation_id: id,
      participant: { type: 'member', id: w.b.id },
      last_read_message_id: second.body.id,
    });
    const forB = await events(w.tenant.id, `member.${w.b.id}`);
    const updates = forB.filter((e) => e.type === 'conversation.updated');
    expect(updates.map((e) => e.data.unread_count)).toEqual([1, 2, 0]);
    expect(forB.filter((e) => e.type === 'message.unread').map((e) => e.data.total_unread)).toEqual([1, 2, 0]);
    expect(forB.some((e) => e.type === 'notification.created')).toBe(true);
  });

  it('refuses direct messages between members who block each other, both ways', async () => {
    const w = await world();
    const id = await direct(w);
    const block = await t.request('PUT', `/v1/me/blocks/${w.a.id}`, { key: w.b.token });
    expect(block.status, block.text).toBe(200);
    expect(block.body).toMatchObject({ object: 'member_block', member_id: w.a.id });
    expectProblem(
      await t.request('POST', `/v1/conversations/${id}/messages`, { key: w.a.token, body: { body: 'Still there?' } }),
      403,
      'MEMBER_BLOCKED',
    );
    expectProblem(
      await t.request('POST', `/v1/conversations/${id}/messages`, { key: w.b.token, body: { body: 'Go away' } }),
      403,
      'MEMBER_BLOCKED',
    );
    expectProblem(
      await t.request('POST', '/v1/conversations', {
        key: w.a.token,
        body: { kind: 'group', title: 'Club', member_ids: [w.b.id, w.c.id] },
      }),
      403,
      'MEMBER_BLOCKED',
    );
    const blocks = await t.request('GET', '/v1/me/blocks', { key: w.b.token });
    expect(blocks.body.data.map((b: { member_id: string }) => b.member_id)).toEqual([w.a.id]);
    expect((await t.request('DELETE', `/v1/me/blocks/${w.a.id}`, { key: w.b.token })).status).toBe(204);
    expect(
      (await t.request('POST', `/v1/conversations/${id}/messages`, { key: w.a.token, body: { body: 'Hi again' } }))
        .status,
    ).toBe(201);
  });

  it('lets senders edit and delete only their own messages', async () => {
    const w = await world();
    const id = await direct(w, 'Typo hre');
    const page = await t.request('GET', `/v1/conversations/${id}/messages`, { key: w.b.token });
    const messageId = page.body.data[0].id as string;
    const path = `/v1/conversations/${id}/messages/${messageId}`;
    expectProblem(await t.request('PATCH', path, { key: w.b.token, body: { body: 'Hacked' } }), 403, 'NOT_ALLOWED');
    expectProblem(await t.request('DELETE', path, { key: w.b.token }), 403, 'NOT_ALLOWED');
    const edited = await t.request('PATCH', path, { key: w.a.token, body: { body: 'Typo here' } });
    expect(edited.status).toBe(200);
    expect(edited.body.body).toBe('Typo here');
    expect(edited.body.edited_at).not.toBeNull();
    const deleted = await t.request('DELETE', path, { key: w.a.token });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ id: messageId, body: null });
    expect(deleted.body.deleted_at).not.toBeNull();
    const after = await t.request('GET', `/v1/conversations/${id}/messages`, { key: w.b.token });
    expect(after.body.data[0]).toMatchObject({ id: messageId, body: null });
    // Deleted unread messages no longer count.
    expect((await t.request('GET', '/v1/conversations/unread', { key: w.b.token })).body.total).toBe(0);
    expectProblem(await t.request('PATCH', path, { key: w.a.token, body: { body: 'Back' } }), 409, 'MESSAGE_DELETED');
    const types = (await events(w.tenant.id, `conversation.${id}`)).map((e) => e.type);
    expect(types).toEqual(['message.created', 'message.updated', 'message.deleted']);
  });

  it('pages history newest first and stores one message per client_id', async () => {
    const w = await world();
    const id = await direct(w, 'm0');
    const sent: string[] = [];
    for (let i = 1; i <= 4; i++) {
      const res = await t.request('POST', `/v1/conversations/${id}/messages`, {
        key: w.a.token,
        body: { body: `m${i}`, client_id: `c${i}` },
      });
      expect(res.status).toBe(201);
      sent.push(res.body.id);
    }
    const replay = await t.request('POST', `/v1/conversations/${id}/messages`, {
      key: w.a.token,
      body: { body: 'm4', client_id: 'c4' },
    });
    expect(replay.status).toBe(200);
    expect(replay.body.id).toBe(sent[3]);
    const bodies: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { data: { body: string }[]; next_cursor: string | null } } = await t.request(
        'GET',
        `/v1/conversations/${id}/messages?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { key: w.b.token },
      );
      bodies.push(...res.body.data.map((m) => m.body));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(bodies).toEqual(['m4', 'm3', 'm2', 'm1', 'm0']);
    expect(await storedMessages(w.tenant.id)).toHaveLength(5);
  });
});

describe('bad input and access', () => {
  it('refuses oversized and empty messages without storing them, and answers 404 for unknown conversations', async () => {
    const w = await world();
    const id = await direct(w);
    expectProblem(
      await t.request('POST', `/v1/conversations/${id}/messages`, { key: w.a.token, body: { body: 'x'.repeat(4001) } }),
      422,
    );
    expectProblem(
      await t.request('POST', `/v1/conversations/${id}/messages`, { key: w.a.token, body: { body: '   ' } }),
      422,
    );
    expect(
      (
        await t.request('POST', `/v1/conversations/${id}/messages`, {
          key: w.a.token,
          body: { body: 'x'.repeat(4000) },
        })
      ).status,
    ).toBe(201);
    expect(await storedMessages(w.tenant.id)).toHaveLength(2);
    const unknown = 'cnv_01jdx3v4k7m9q2w8e5r6t0y1zc';
    expectProblem(await t.request('GET', `/v1/conversations/${unknown}`, { key: w.a.token }), 404);
    expectProblem(
      await t.request('POST', `/v1/conversations/${unknown}/messages`, { key: w.a.token, body: { body: 'Hi' } }),
      404,
    );
    expectProblem(await t.request('GET', '/v1/conversations/nonsense/messages', { key: w.a.token }), 404);
  });

  it('hides conversations from members not in them and from other tenants (404)', async () => {
    const w = await world();
    const id = await direct(w);
    const other = await world();
    for (const key of [w.c.token, other.a.token]) {
      expectProblem(await t.request('GET', `/v1/conversations/${id}`, { key }), 404, 'CONVERSATION_NOT_FOUND');
      expectProblem(await t.request('GET', `/v1/conversations/${id}/messages`, { key }), 404);
      expectProblem(
        await t.request('POST', `/v1/conversations/${id}/messages`, { key, body: { body: 'Let me in' } }),
        404,
      );
      expectProblem(await t.request('POST', `/v1/conversations/${id}/typing`, { key }), 404);
      expect((await t.request('GET', '/v1/conversations', { key })).body.data).toEqual([]);
    }
    // Nor can another tenant's staff, or a member address another tenant's member.
    expectProblem(await t.request('GET', `/v1/conversations/${id}`, { key: other.tenant.secret_key }), 404);
    expectProblem(
      await t.request('POST', '/v1/conversations', {
        key: other.a.token,
        body: { kind: 'direct', member_id: w.a.id, body: 'Hi' },
      }),
      404,
      'MEMBER_NOT_FOUND',
    );
    expect(await storedMessages(w.tenant.id)).toHaveLength(1);
    expect(await storedMessages(other.tenant.id)).toHaveLength(0);
  });

  it('holds members to message_rate_per_minute: 429 with Retry-After, nothing stored beyond it', async () => {
    const w = await world();
    await settings(w.tenant, { message_rate_per_minute: 3 });
    const id = await direct(w, 'one');
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof t.request>> | undefined;
    for (let i = 0; i < 6; i++) {
      const res = await t.request('POST', `/v1/conversations/${id}/messages`, {
        key: w.a.token,
        body: { body: `m${i}` },
      });
      statuses.push(res.status);
      if (res.status === 429) refused = res;
    }
    expect(statuses).toEqual([201, 201, 429, 429, 429, 429]);
    expectProblem(refused!, 429, 'RATE_LIMITED');
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused!.headers.get('ratelimit')).toContain('"messages"');
    expect(await storedMessages(w.tenant.id)).toHaveLength(3);
    // Another member has their own budget.
    expect(
      (await t.request('POST', `/v1/conversations/${id}/messages`, { key: w.b.token, body: { body: 'b' } })).status,
    ).toBe(201);
  });
});

/** Waits (bounded) until `check` holds. */
async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!check()) throw new Error(`never happened: ${what}`);
}

describe('live delivery', () => {
  it('delivers new messages and typing indicators to a subscriber of the conversation', async () => {
    const w = await world({ messaging: false });
    const staff = await t.signInStaff(w.tenant, 'manager');
    const opened = await t.request('POST', '/v1/conversations', {
      key: w.a.token,
      body: { kind: 'support', body: 'Anyone there?' },
    });
    const id = opened.body.id as string;
    const received: { type: string; data: Record<string, unknown> }[] = [];
    const remove = t.deps.realtime!.hub.add({
      tenantId: w.tenant.id,
      topics: new Set([`conversation.${id}`]),
      push: (event) => received.push({ type: event.type, data: event.data }),
      close: () => {},
    });
    try {
      expect((await t.request('POST', `/v1/conversations/${id}/typing`, { key: staff.access_token })).status).toBe(204);
      await until(() => received.some((e) => e.type === 'typing'), 'typing event');
      expect(received.find((e) => e.type === 'typing')!.data).toEqual({
        conversation_id: id,
        participant: { type: 'staff', id: staff.id, name: 'Grace Hopper' },
      });
      await t.request('POST', `/v1/conversations/${id}/messages`, { key: staff.access_token, body: { body: 'Yes!' } });
      await until(() => received.some((e) => e.type === 'message.created'), 'message.created');
      expect(received.find((e) => e.type === 'message.created')!.data).toMatchObject({ body: 'Yes!' });
      expect((await t.request('POST', `/v1/conversations/${id}/typing`, { key: w.a.token })).status).toBe(204);
      await until(
        () => received.some((e) => e.type === 'typing' && (e.data.participant as { id: string }).id === w.a.id),
        'member typing',
      );
    } finally {
      remove();
    }
  });
});

describe('support inbox', () => {
  it('lets staff list, assign, reply to and close support conversations; a member message reopens them', async () => {
    const w = await world({ messaging: false });
    const staff = await t.signInStaff(w.tenant, 'manager');
    const opened = await t.request('POST', '/v1/conversations', {
      key: w.a.token,
      body: { kind: 'support', title: 'Invoice', body: 'My invoice is wrong' },
    });
    expect(opened.status, opened.text).toBe(201);
    const id = opened.body.id as string;

    const inbox = await t.request('GET', '/v1/conversations', { key: staff.access_token });
    expect(inbox.status).toBe(200);
    expect(inbox.body.data).toHaveLength(1);
    expect(inbox.body.data[0]).toMatchObject({ id, kind: 'support', status: 'open', unread_count: 1 });
    expect(
      (await t.request('GET', '/v1/conversations?assigned=unassigned', { key: staff.access_token })).body.data,
    ).toHaveLength(1);

    const assigned = await t.request('PATCH', `/v1/conversations/${id}`, {
      key: staff.access_token,
      body: { assigned_staff_id: staff.id },
    });
    expect(assigned.status, assigned.text).toBe(200);
    expect(assigned.body.assigned_staff_id).toBe(staff.id);
    expect(
      (await t.request('GET', '/v1/conversations?assigned=me', { key: staff.access_token })).body.data,
    ).toHaveLength(1);
    expect(
      (await t.request('GET', '/v1/conversations?assigned=unassigned', { key: staff.access_token })).body.data,
    ).toHaveLength(0);

    const reply = await t.request('POST', `/v1/conversations/${id}/messages`, {
      key: staff.access_token,
      body: { body: 'Fixed it' },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.sender).toEqual({ type: 'staff', id: staff.id, name: 'Grace Hopper' });
    expect((await t.request('GET', '/v1/conversations/unread', { key: w.a.token })).body.total).toBe(1);

    const closed = await t.request('PATCH', `/v1/conversations/${id}`, {
      key: staff.access_token,
      body: { status: 'closed' },
    });
    expect(closed.body.status).toBe('closed');
    expectProblem(
      await t.request('PATCH', `/v1/conversations/${id}`, { key: w.a.token, body: { status: 'open' } }),
      403,
    );
    await t.request('POST', `/v1/conversations/${id}/messages`, { key: w.a.token, body: { body: 'Thanks!' } });
    expect((await t.request('GET', `/v1/conversations/${id}`, { key: staff.access_token })).body.status).toBe('open');

    const viewer = await t.signInStaff(w.tenant, 'viewer');
    expectProblem(
      await t.request('POST', `/v1/conversations/${id}/messages`, { key: viewer.access_token, body: { body: 'Hi' } }),
      403,
    );
    expect((await t.request('GET', `/v1/conversations/${id}/messages`, { key: viewer.access_token })).status).toBe(200);

    const inboxEvents = await events(w.tenant.id, 'inbox');
    expect(inboxEvents[0]!.type).toBe('conversation.created');
    expect(inboxEvents.map((e) => e.type)).toContain('message.created');
    const audit = await t.db.withTenant(w.tenant.id, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.targetId, id)),
    );
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['conversation.assigned']));
  });

  it('is closed to members when the tenant turns the support inbox off', async () => {
    const w = await world();
    await settings(w.tenant, { support_inbox: false });
    expectProblem(
      await t.request('POST', '/v1/conversations', { key: w.a.token, body: { kind: 'support', body: 'Help' } }),
      403,
      'SUPPORT_INBOX_DISABLED',
    );
  });
});

describe('groups and moderation', () => {
  it("lets a group's owner add and remove members; a removed member keeps the history up to then", async () => {
    const w = await world();
    const d = await member(w.tenant);
    const created = await t.request('POST', '/v1/conversations', {
      key: w.a.token,
      body: { kind: 'group', title: 'Committee', member_ids: [w.b.id, w.c.id], body: 'Welcome' },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;
    expect(created.body.participants).toHaveLength(3);
    expect(created.body.participants[0]).toMatchObject({ id: w.a.id, role: 'owner' });

    expectProblem(
      await t.request('POST', `/v1/conversations/${id}/participants`, { key: w.b.token, body: { member_id: d.id } }),
      403,
      'NOT_ALLOWED',
    );
    const added = await t.request('POST', `/v1/conversations/${id}/participants`, {
      key: w.a.token,
      body: { member_id: d.id },
    });
    expect(added.status, added.text).toBe(200);
    expect(added.body.participants).toHaveLength(4);
    expect((await t.request('GET', `/v1/conversations/${id}/messages`, { key: d.token })).status).toBe(200);

    const removed = await t.request('DELETE', `/v1/conversations/${id}/participants/${w.c.id}`, { key: w.a.token });
    expect(removed.status).toBe(200);
    expect(removed.body.participants.find((p: { id: string }) => p.id === w.c.id).left_at).not.toBeNull();
    await t.request('POST', `/v1/conversations/${id}/messages`, { key: w.b.token, body: { body: 'After C left' } });
    const history = await t.request('GET', `/v1/conversations/${id}/messages`, { key: w.c.token });
    expect(history.body.data.map((m: { body: string }) => m.body)).toEqual(['Welcome']);
    expectProblem(
      await t.request('POST', `/v1/conversations/${id}/messages`, { key: w.c.token, body: { body: 'Me again' } }),
      403,
      'NOT_A_PARTICIPANT',
    );
    // B leaves on their own.
    expect(
      (await t.request('DELETE', `/v1/conversations/${id}/participants/${w.b.id}`, { key: w.b.token })).status,
    ).toBe(200);
    const renamed = await t.request('PATCH', `/v1/conversations/${id}`, { key: w.a.token, body: { title: 'Board' } });
    expect(renamed.body.title).toBe('Board');
  });

  it('lets moderators delete any message and lock conversations, audited', async () => {
    const w = await world();
    const id = await direct(w, 'Something rude');
    const manager = await t.signInStaff(w.tenant, 'manager');
    const viewer = await t.signInStaff(w.tenant, 'viewer');
    const messageId = (await t.request('GET', `/v1/conversations/${id}/messages`, { key: manager.access_token })).body
      .data[0].id as string;
    expectProblem(
      await t.request('DELETE', `/v1/conversations/${id}/messages/${messageId}`, { key: viewer.access_token }),
      403,
    );
    const deleted = await t.request('DELETE', `/v1/conversations/${id}/messages/${messageId}`, {
      key: manager.access_token,
    });
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.body.body).toBeNull();
    expectProblem(
      await t.request('PATCH', `/v1/conversations/${id}`, { key: viewer.access_token, body: { locked: true } }),
      403,
    );
    const locked = await t.request('PATCH', `/v1/conversations/${id}`, {
      key: manager.access_token,
      body: { locked: true },
    });
    expect(locked.body.locked).toBe(true);
    expectProblem(
      await t.request('POST', `/v1/conversations/${id}/messages`, { key: w.a.token, body: { body: 'Unfair' } }),
      409,
      'CONVERSATION_LOCKED',
    );
    const audit = await t.db.withTenant(w.tenant.id, (tx) =>
      tx.select({ action: auditLog.action, targetId: auditLog.targetId }).from(auditLog),
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'message.deleted', targetId: messageId },
        { action: 'conversation.moderated', targetId: id },
      ]),
    );
  });
});
