import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApp } from '../../app.js';
import {
  communitySettings,
  conversationParticipants,
  conversations,
  memberPresence,
  realtimeTickets,
} from '../../db/schema/index.js';
import { appendEvents } from '../../realtime/event-log.js';
import { createRealtimeRuntime } from '../../realtime/runtime.js';
import { configureStreams } from '../../realtime/stream-connection.js';
import type { RealtimeEventInput, RealtimeRuntime } from '../../realtime/types.js';
import { createRealtimeWebSocketServer } from '../../realtime/websocket.js';
import { createNodeCompressor } from '../../runtime/node-compression.js';
import { createTestContext, type TestContext, type TestTenant } from '../../testing/index.js';

let t: TestContext;
let tenant: TestTenant;
let other: TestTenant;
let alice: { id: string; token: string; refresh: string };
let bob: { id: string; token: string; refresh: string };
let staffToken: string;
const ORIGIN = 'https://club.example';

/** One SSE frame as a client parses it. */
interface Frame {
  id?: string;
  event: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read frame fields directly; each read is asserted
  data: any;
}

/** Reads SSE frames from a streamed body: `next()` waits for the next frame (comments counted as heartbeats). */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let heartbeats = 0;
  let ended = false;
  const frames: Frame[] = [];
  async function fill(): Promise<boolean> {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      return false;
    }
    buffer += decoder.decode(value, { stream: true });
    for (let at = buffer.indexOf('\n\n'); at >= 0; at = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      if (block.startsWith(':')) {
        heartbeats++;
        continue;
      }
      const frame: Frame = { event: 'message', data: null };
      for (const line of block.split('\n')) {
        const [field, ...rest] = line.split(': ');
        const value = rest.join(': ');
        if (field === 'id') frame.id = value;
        else if (field === 'event') frame.event = value;
        else if (field === 'data') frame.data = JSON.parse(value);
      }
      frames.push(frame);
    }
    return true;
  }
  return {
    get heartbeats() {
      return heartbeats;
    },
    get ended() {
      return ended;
    },
    /** The next frame; null when the stream ended. */
    async next(): Promise<Frame | null> {
      while (frames.length === 0) if (!(await fill())) return null;
      return frames.shift() ?? null;
    },
    /** Frames until one of type `event` (inclusive). */
    async until(event: string): Promise<Frame[]> {
      const seen: Frame[] = [];
      for (;;) {
        const frame = await this.next();
        if (!frame) throw new Error(`stream ended before ${event}; saw ${seen.map((f) => f.event).join(',')}`);
        seen.push(frame);
        if (frame.event === event) return seen;
      }
    },
    async waitForHeartbeat(): Promise<void> {
      const start = heartbeats;
      while (heartbeats === start) if (!(await fill())) throw new Error('stream ended');
    },
    /** Reads to the end; the frames left. */
    async rest(): Promise<Frame[]> {
      const out: Frame[] = [];
      for (let f = await this.next(); f; f = await this.next()) out.push(f);
      return out;
    },
    cancel: () => reader.cancel(),
  };
}

async function member(on: TestTenant = tenant) {
  const session = await t.signUpMember(on);
  const me = await t.request('GET', '/v1/me', { key: session.access_token });
  return { id: me.body.id as string, token: session.access_token as string, refresh: session.refresh_token as string };
}

async function ticket(key: string, origin?: string): Promise<string> {
  const res = await t.request('POST', '/v1/realtime/tickets', {
    key,
    ...(origin ? { headers: { Origin: origin } } : {}),
  });
  expect(res.status, res.text).toBe(201);
  return res.body.ticket as string;
}

async function open(
  key: string,
  topics: string,
  options: { lastEventId?: string; origin?: string; app?: { request: typeof t.app.request } } = {},
) {
  const headers: Record<string, string> = {};
  if (options.lastEventId) headers['Last-Event-ID'] = options.lastEventId;
  if (options.origin) headers.Origin = options.origin;
  const res = await (options.app ?? t.app).request(
    `/v1/realtime?ticket=${encodeURIComponent(await ticket(key, options.origin))}&topics=${encodeURIComponent(topics)}`,
    { headers },
  );
  expect(res.status, res.status === 200 ? '' : await res.clone().text()).toBe(200);
  if (!res.body) throw new Error('no body');
  return { res, sse: sseReader(res.body) };
}

async function append(tenantId: string, inputs: RealtimeEventInput[]) {
  return t.db.withTenant(tenantId, (tx) => appendEvents(t.deps, tx, tenantId, inputs));
}

const feedEvent = (n: number): RealtimeEventInput => ({
  topic: 'feed',
  type: 'feed.post_created',
  data: { id: `post_${n}`, n },
});

async function conversationWith(tenantId: string, memberIds: string[]): Promise<string> {
  const id = t.deps.ids.generate('cnv');
  await t.db.withTenant(tenantId, async (tx) => {
    await tx.insert(conversations).values({
      tenantId,
      id,
      kind: 'group',
      title: 'Committee',
      createdByType: 'member',
      createdById: memberIds[0]!,
    });
    await tx.insert(conversationParticipants).values(
      memberIds.map((memberId) => ({
        tenantId,
        conversationId: id,
        participantType: 'member' as const,
        participantId: memberId,
      })),
    );
  });
  return id;
}

beforeAll(async () => {
  t = await createTestContext();
  configureStreams(t.deps.realtime!.hub, { heartbeatMs: 40 });
  tenant = await t.createTenant('Realtime club');
  other = await t.createTenant('Other club');
  await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { allowed_origins: [ORIGIN] } });
  alice = await member();
  bob = await member();
  staffToken = (await t.signInStaff(tenant, 'viewer')).access_token;
});
afterAll(async () => {
  await t?.close();
});

describe('POST /v1/realtime/tickets', () => {
  it('issues a ticket to a member, a staff user and a secret key, with the stream and WebSocket URLs', async () => {
    for (const key of [alice.token, staffToken, tenant.secret_key]) {
      const res = await t.request('POST', '/v1/realtime/tickets', { key });
      expect(res.status, res.text).toBe(201);
      expect(res.body).toMatchObject({ object: 'realtime_ticket', ticket: expect.stringMatching(/^rtt_/) });
      expect(Date.parse(res.body.expires_at) - Date.now()).toBeLessThanOrEqual(60_000);
      expect(res.body.stream_url).toBe(
        `http://api.memberkit.test/v1/realtime?ticket=${encodeURIComponent(res.body.ticket)}`,
      );
      expect(res.body.websocket_url).toMatch(/^ws:\/\/api\.memberkit\.test\/v1\/realtime\/ws\?ticket=rtt_/);
    }
  });

  it('stores only the hash of the secret', async () => {
    const issued = await ticket(alice.token);
    const rows = await t.db.withTenant(tenant.id, (tx) => tx.select().from(realtimeTickets));
    const secret = issued.split('.')[1]!;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.secretHash).not.toContain(secret);
  });

  it('refuses publishable keys (403) and anonymous callers (401)', async () => {
    expect((await t.request('POST', '/v1/realtime/tickets', { key: tenant.publishable_key })).status).toBe(403);
    expect((await t.request('POST', '/v1/realtime/tickets')).status).toBe(401);
  });
});

describe('GET /v1/realtime: tickets', () => {
  const stream = (ticketValue: string, headers: Record<string, string> = {}) =>
    t.app.request(`/v1/realtime?ticket=${encodeURIComponent(ticketValue)}&topics=feed`, { headers });

  async function expectRefused(res: Response, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as { code: string }).code).toBe(code);
  }

  it('refuses a forged ticket', async () => {
    const real = await ticket(alice.token);
    const forged = `${real.split('.')[0]}.${'A'.repeat(43)}`;
    await expectRefused(await stream(forged), 401, 'INVALID_TICKET');
    await expectRefused(await stream('rtt_garbage'), 401, 'INVALID_TICKET');
  });

  it("refuses a ticket whose tenant part was swapped for another tenant's", async () => {
    const real = await ticket(alice.token);
    const swapped = `rtt_${Buffer.from(other.id).toString('base64url')}.${real.split('.')[1]}`;
    await expectRefused(await stream(swapped), 401, 'INVALID_TICKET');
  });

  it('refuses a reused ticket', async () => {
    const once = await ticket(alice.token);
    const first = await stream(once);
    expect(first.status).toBe(200);
    await first.body?.cancel();
    await expectRefused(await stream(once), 401, 'INVALID_TICKET');
  });

  it('refuses an expired ticket', async () => {
    const expired = await ticket(alice.token);
    await t.db.withTenant(tenant.id, (tx) =>
      tx
        .update(realtimeTickets)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(realtimeTickets.tenantId, tenant.id)),
    );
    await expectRefused(await stream(expired), 401, 'INVALID_TICKET');
  });

  it('refuses a stream opened from another origin than the ticket was issued to', async () => {
    const bound = await ticket(alice.token, ORIGIN);
    const res = await stream(bound, { Origin: 'https://evil.example' });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://evil.example');
    await expectRefused(res, 403, 'ORIGIN_MISMATCH');
    const same = await stream(await ticket(alice.token, ORIGIN), { Origin: ORIGIN });
    expect(same.status).toBe(200);
    expect(same.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    await same.body?.cancel();
  });

  it('refuses the ticket of a session that signed out since', async () => {
    const carol = await member();
    const issued = await ticket(carol.token);
    const out = await t.request('POST', '/v1/auth/logout', {
      key: tenant.publishable_key,
      body: { refresh_token: carol.refresh },
    });
    expect(out.status).toBe(204);
    await expectRefused(await stream(issued), 401, 'INVALID_TICKET');
  });

  it('answers 503 REALTIME_UNAVAILABLE where the deployment has no real-time runtime', async () => {
    const edge = createApp({ ...t.deps, realtime: undefined });
    const res = await edge.request('/v1/realtime/tickets', {
      method: 'POST',
      headers: { Authorization: `Bearer ${alice.token}` },
    });
    await expectRefused(res, 503, 'REALTIME_UNAVAILABLE');
    await expectRefused(await edge.request('/v1/realtime?ticket=rtt_x.y&topics=feed'), 503, 'REALTIME_UNAVAILABLE');
  });
});

describe('GET /v1/realtime: topics', () => {
  const refused = async (key: string, topics: string, status: number, code: string, on = tenant) => {
    void on;
    const res = await t.app.request(
      `/v1/realtime?ticket=${encodeURIComponent(await ticket(key))}&topics=${encodeURIComponent(topics)}`,
    );
    const body = (await res.json()) as { code: string; detail: string };
    expect(res.status, body.detail).toBe(status);
    expect(body.code).toBe(code);
    return body.detail;
  };

  it("refuses a member another member's private topic, naming it", async () => {
    const detail = await refused(alice.token, `feed,member.${bob.id}`, 403, 'TOPIC_NOT_ALLOWED');
    expect(detail).toContain(`member.${bob.id}`);
  });

  it('refuses a member a conversation they are not in, and one of another tenant', async () => {
    const theirs = await conversationWith(tenant.id, [bob.id]);
    await refused(alice.token, `conversation.${theirs}`, 403, 'TOPIC_NOT_ALLOWED');
    const stranger = await member(other);
    const elsewhere = await conversationWith(other.id, [stranger.id]);
    await refused(alice.token, `conversation.${elsewhere}`, 403, 'TOPIC_NOT_ALLOWED');
    await refused(staffToken, `conversation.${elsewhere}`, 403, 'TOPIC_NOT_ALLOWED');
  });

  it('refuses a member staff topics, and presence while presence is for staff only', async () => {
    await refused(alice.token, 'members', 403, 'TOPIC_NOT_ALLOWED');
    await refused(alice.token, 'inbox', 403, 'TOPIC_NOT_ALLOWED');
    await refused(alice.token, 'presence', 403, 'TOPIC_NOT_ALLOWED');
  });

  it('follows the presence visibility: members when shown to members, nobody when off', async () => {
    const club = await t.createTenant('Presence club');
    const ann = await member(club);
    const viewer = (await t.signInStaff(club, 'viewer')).access_token;
    const setVisibility = (presenceVisibility: 'off' | 'staff' | 'members') =>
      t.db.withTenant(club.id, (tx) =>
        tx
          .insert(communitySettings)
          .values({ tenantId: club.id, presenceVisibility })
          .onConflictDoUpdate({ target: communitySettings.tenantId, set: { presenceVisibility } }),
      );
    await setVisibility('members');
    const shown = await open(ann.token, 'presence');
    expect((await shown.sse.next())?.data.topics).toEqual(['presence']);
    await shown.sse.cancel();
    await setVisibility('off');
    await refused(ann.token, 'presence', 403, 'TOPIC_NOT_ALLOWED');
    await refused(viewer, 'presence', 403, 'TOPIC_NOT_ALLOWED');
  });

  it("refuses staff a member's own topics", async () => {
    await refused(staffToken, 'me', 403, 'TOPIC_NOT_ALLOWED');
    await refused(staffToken, `member.${alice.id}`, 403, 'TOPIC_NOT_ALLOWED');
  });

  it('answers 400 for unknown or malformed topics', async () => {
    await refused(alice.token, 'feed,secrets', 400, 'INVALID_TOPIC');
    await refused(alice.token, 'conversation.1 OR 1=1', 400, 'INVALID_TOPIC');
    await refused(alice.token, ',', 400, 'INVALID_TOPIC');
  });

  it('lets a member follow a conversation they are in, and staff the inbox and members', async () => {
    const ours = await conversationWith(tenant.id, [alice.id, bob.id]);
    const mine = await open(alice.token, `me,feed,conversation.${ours}`);
    const ready = await mine.sse.next();
    expect(ready?.event).toBe('ready');
    expect(ready?.data.topics).toEqual([`member.${alice.id}`, 'feed', `conversation.${ours}`]);
    expect(ready?.id).toBe(ready?.data.last_event_id);
    await mine.sse.cancel();
    const staff = await open(staffToken, `members,inbox,presence,conversation.${ours}`);
    expect((await staff.sse.next())?.event).toBe('ready');
    await staff.sse.cancel();
  });
});

describe('GET /v1/realtime: events', () => {
  it('streams without compression or buffering', async () => {
    const compressed = createApp({ ...t.deps, compressor: createNodeCompressor() });
    const { res, sse } = await open(alice.token, 'feed', { app: compressed });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toContain('no-cache');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    expect(res.headers.get('content-encoding')).toBeNull();
    expect((await sse.next())?.event).toBe('ready');
    await sse.cancel();
  });

  it("delivers the topics' events in order, and nothing of other topics or tenants", async () => {
    const { sse } = await open(alice.token, 'feed,me');
    expect((await sse.next())?.event).toBe('ready');
    await append(other.id, [feedEvent(0)]);
    await append(tenant.id, [
      feedEvent(1),
      { topic: `member.${bob.id}`, type: 'notification.created', data: { id: 'ntf_bob' } },
      { topic: `member.${alice.id}`, type: 'notification.created', data: { id: 'ntf_alice' } },
    ]);
    await append(tenant.id, [feedEvent(2)]);
    const got = [await sse.next(), await sse.next(), await sse.next()];
    expect(got.map((f) => f?.data.data.id)).toEqual(['post_1', 'ntf_alice', 'post_2']);
    expect(got[0]).toMatchObject({
      event: 'feed.post_created',
      data: { type: 'feed.post_created', topic: 'feed', created_at: expect.any(String) },
    });
    expect(got[0]?.id).toBe(got[0]?.data.id);
    const seqs = got.map((f) => Number(f?.id?.split('-')[1]));
    expect(seqs[1]! - seqs[0]!).toBe(2);
    await sse.cancel();
  });

  it("gives a member's feed the announcements for their tier, and not those for other tiers", async () => {
    const key = tenant.secret_key;
    const gold = await t.request('POST', '/v1/tiers', { key, body: { name: 'Gold', interval: 'free' } });
    const inGold = await member();
    const noTier = await member();
    await t.request('PATCH', `/v1/members/${inGold.id}`, { key, body: { tier_id: gold.body.id } });
    const goldStream = await open(inGold.token, 'feed');
    const otherStream = await open(noTier.token, 'feed');
    await goldStream.sse.until('ready');
    await otherStream.sse.until('ready');

    const forGold = { title: 'Gold only', body: 'For gold members.', audience_tier_ids: [gold.body.id] };
    const goldPost = await t.request('POST', '/v1/feed/posts', { key, body: forGold });
    const everyonePost = await t.request('POST', '/v1/feed/posts', { key, body: { title: 'All', body: 'For all.' } });
    expect([goldPost.status, everyonePost.status]).toEqual([201, 201]);

    const goldSeen = [
      ...(await goldStream.sse.until('feed.post_created')),
      ...(await goldStream.sse.until('feed.post_created')),
    ];
    expect(goldSeen.filter((f) => f.event === 'feed.post_created').map((f) => f.data.data.id)).toEqual([
      goldPost.body.id,
      everyonePost.body.id,
    ]);
    // The member without the tier sees the post for everyone first: the gold one never came.
    const otherFirst = (await otherStream.sse.until('feed.post_created')).at(-1);
    expect(otherFirst?.data.data.id).toBe(everyonePost.body.id);
    await goldStream.sse.cancel();
    await otherStream.sse.cancel();
  });

  it('shows a member with an open stream as online, and offline once it closes', async () => {
    const dave = await member();
    const status = async () => {
      const [row] = await t.db.withTenant(tenant.id, (tx) =>
        tx.select().from(memberPresence).where(eq(memberPresence.memberId, dave.id)),
      );
      return row?.status;
    };
    const { sse } = await open(dave.token, 'me');
    await sse.next();
    for (let i = 0; i < 200 && (await status()) !== 'online'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await status()).toBe('online');
    await sse.cancel();
    for (let i = 0; i < 200 && (await status()) !== 'offline'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await status()).toBe('offline');
  });

  it('sends heartbeat comments', async () => {
    const { sse } = await open(alice.token, 'feed');
    await sse.next();
    await sse.waitForHeartbeat();
    expect(sse.heartbeats).toBeGreaterThan(0);
    await sse.cancel();
  });

  it('resumes after Last-Event-ID with nothing lost or doubled, also on a new runtime (server restart)', async () => {
    const first = await open(alice.token, 'feed');
    const ready = await first.sse.next();
    await append(tenant.id, [feedEvent(10), feedEvent(11)]);
    const seen = [await first.sse.next(), await first.sse.next()];
    expect(seen.map((f) => f?.data.data.n)).toEqual([10, 11]);
    await first.sse.cancel();

    // Missed while disconnected.
    await append(tenant.id, [feedEvent(12)]);
    await append(tenant.id, [{ topic: 'members', type: 'member.updated', data: { id: 'mem_x' } }, feedEvent(13)]);

    const again = await open(alice.token, 'feed', { lastEventId: seen[1]!.id! });
    const resumedReady = await again.sse.next();
    expect(resumedReady).toMatchObject({ event: 'ready', id: seen[1]!.id });
    const replayed = [await again.sse.next(), await again.sse.next()];
    expect(replayed.map((f) => f?.data.data.n)).toEqual([12, 13]);
    await append(tenant.id, [feedEvent(14)]);
    expect((await again.sse.next())?.data.data.n).toBe(14);
    const last = replayed[1]!.id!;
    await again.sse.cancel();

    // The "server" restarts: a new runtime and app on the same database; events happened meanwhile.
    await append(tenant.id, [feedEvent(15), feedEvent(16)]);
    const restarted: RealtimeRuntime & { stop(): Promise<void>; start(): Promise<void> } = createRealtimeRuntime({
      db: t.db,
      logger: t.logger,
      pollMs: 200,
    });
    await restarted.start();
    try {
      const app2 = createApp({ ...t.deps, realtime: restarted });
      // From the id of the ready frame of a stream that saw nothing: the log serves everything after it.
      const fromStart = await open(alice.token, 'feed', { lastEventId: ready!.id!, app: app2 });
      await fromStart.sse.next();
      const all: number[] = [];
      while (all.length < 7) all.push((await fromStart.sse.next())?.data.data.n);
      expect(all).toEqual([10, 11, 12, 13, 14, 15, 16]);
      await fromStart.sse.cancel();

      const resumed = await open(alice.token, 'feed', { lastEventId: last, app: app2 });
      await resumed.sse.next();
      const after = [await resumed.sse.next(), await resumed.sse.next(), await resumed.sse.next()];
      expect(after.map((f) => f?.data.data.n)).toEqual([14, 15, 16]);
      await append(tenant.id, [feedEvent(17)]);
      expect((await resumed.sse.next())?.data.data.n).toBe(17);
      await resumed.sse.cancel();
    } finally {
      await restarted.stop();
    }
  });

  it('accepts last_event_id in the query, and sends resync for another epoch, a pruned or an unknown id', async () => {
    const probe = await open(alice.token, 'feed');
    const ready = (await probe.sse.next())!;
    await probe.sse.cancel();
    const [epoch, seq] = ready.id!.split('-') as [string, string];
    const viaQuery = await t.app.request(
      `/v1/realtime?ticket=${encodeURIComponent(await ticket(alice.token))}&topics=feed&last_event_id=${ready.id}`,
    );
    const q = sseReader(viaQuery.body!);
    expect((await q.next())?.id).toBe(ready.id);
    await q.cancel();

    const resync = async (lastEventId: string) => {
      const { sse } = await open(alice.token, 'feed', { lastEventId });
      const frames = await sse.rest();
      expect(frames.map((f) => f.event)).toEqual(['resync']);
      return frames[0]!.data.reason as string;
    };
    expect(await resync(`zzzzzzzzzzzzzzzz-${seq}`)).toBe('epoch_changed');
    expect(await resync(`${epoch}-${Number(seq) + 1000}`)).toBe('unknown_event_id');
    expect(await resync('not-an-id')).toBe('unknown_event_id');
    await t.db.withTenant(tenant.id, (tx) =>
      tx.execute(sql`update realtime_sequences set pruned_through = ${Number(seq)} where tenant_id = ${tenant.id}`),
    );
    try {
      expect(await resync(`${epoch}-${Number(seq) - 1}`)).toBe('pruned');
    } finally {
      await t.db.withTenant(tenant.id, (tx) =>
        tx.execute(sql`update realtime_sequences set pruned_through = 0 where tenant_id = ${tenant.id}`),
      );
    }
  });

  it('tells a slow consumer to resync and disconnects it while the others keep up', async () => {
    const runtime = createRealtimeRuntime({ db: t.db, logger: t.logger, pollMs: 200 });
    configureStreams(runtime.hub, { maxQueuedEvents: 4, heartbeatMs: 60_000 });
    await runtime.start();
    try {
      const app2 = createApp({ ...t.deps, realtime: runtime });
      const slow = await open(alice.token, 'feed', { app: app2 });
      const fast = await open(bob.token, 'feed', { app: app2 });
      expect((await fast.sse.next())?.event).toBe('ready');
      const got: number[] = [];
      for (let n = 100; n < 110; n++) {
        await append(tenant.id, [feedEvent(n)]);
        got.push((await fast.sse.next())?.data.data.n);
      }
      expect(got).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
      const frames = await slow.sse.rest();
      expect(frames[0]?.event).toBe('ready');
      expect(frames.at(-1)).toMatchObject({ event: 'resync', data: { reason: 'overflow' } });
      expect(frames.length).toBeLessThan(10);
      expect(runtime.hub.connectionCount()).toBe(1);
      await fast.sse.cancel();
    } finally {
      await runtime.stop();
    }
  });
});

describe('over a real socket: SSE and GET /v1/realtime/ws', () => {
  let server: ReturnType<typeof serve>;
  let websocket: ReturnType<typeof createRealtimeWebSocketServer>;
  let base: string;
  beforeAll(async () => {
    const realtime = t.deps.realtime!;
    websocket = createRealtimeWebSocketServer(realtime);
    await new Promise<void>((resolve) => {
      server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1', websocket }, () => resolve());
    });
    base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const client of websocket.server.clients) client.terminate();
    (server as import('node:http').Server).closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** A WebSocket client with a queue of received JSON frames. */
  async function connect(key: string, topics: string) {
    const ws = new WebSocket(
      `ws://${base}/v1/realtime/ws?ticket=${encodeURIComponent(await ticket(key))}&topics=${topics}`,
    );
    // biome-ignore lint/suspicious/noExplicitAny: frames are asserted field by field
    const frames: any[] = [];
    let wake: (() => void) | undefined;
    ws.on('message', (data) => {
      frames.push(JSON.parse(String(data)));
      wake?.();
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return {
      ws,
      // biome-ignore lint/suspicious/noExplicitAny: see frames
      async next(): Promise<any> {
        while (frames.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        return frames.shift();
      },
      send: (frame: unknown) => ws.send(JSON.stringify(frame)),
    };
  }

  it('streams SSE over HTTP as events are appended', async () => {
    const res = await fetch(
      `http://${base}/v1/realtime?ticket=${encodeURIComponent(await ticket(alice.token))}&topics=feed`,
      { headers: { 'Accept-Encoding': 'gzip, br' } },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBeNull();
    const sse = sseReader(res.body!);
    expect((await sse.next())?.event).toBe('ready');
    await append(tenant.id, [feedEvent(200)]);
    expect((await sse.next())?.data.data.n).toBe(200);
    await sse.cancel();
  });

  it('opens a WebSocket: ready, events, pong, typing to the other participants, errors for bad frames', async () => {
    const ours = await conversationWith(tenant.id, [alice.id, bob.id]);
    const a = await connect(alice.token, `feed,conversation.${ours}`);
    const b = await connect(bob.token, `conversation.${ours}`);
    const ready = await a.next();
    expect(ready).toMatchObject({ type: 'ready', data: { topics: ['feed', `conversation.${ours}`] } });
    expect((await b.next()).type).toBe('ready');

    await append(tenant.id, [feedEvent(300)]);
    const event = await a.next();
    expect(event).toMatchObject({ type: 'feed.post_created', topic: 'feed', data: { n: 300 } });
    expect(event.id).toMatch(/^[0-9a-z]+-\d+$/);

    a.send({ type: 'ping' });
    expect(await a.next()).toEqual({ type: 'pong', data: {} });

    a.send({ type: 'typing', conversation_id: ours });
    const typing = await b.next();
    expect(typing).toMatchObject({
      type: 'typing',
      topic: `conversation.${ours}`,
      data: { conversation_id: ours, participant: { type: 'member', id: alice.id } },
    });
    expect(typing.id).toBeUndefined();
    // Not echoed to the typist: the next frame Alice gets answers her next message.

    a.send({ type: 'launch' });
    expect(await a.next()).toMatchObject({ type: 'error', data: { code: 'INVALID_FRAME' } });
    a.send('not json');
    expect(await a.next()).toMatchObject({ type: 'error', data: { code: 'INVALID_FRAME' } });

    a.ws.close();
    b.ws.close();
  });

  it('refuses the upgrade with a bad ticket or a refused topic', async () => {
    const status = (url: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
        ws.on('error', () => {});
      });
    expect(await status(`ws://${base}/v1/realtime/ws?ticket=rtt_forged.x&topics=feed`)).toBe(401);
    expect(
      await status(
        `ws://${base}/v1/realtime/ws?ticket=${encodeURIComponent(await ticket(alice.token))}&topics=member.${bob.id}`,
      ),
    ).toBe(403);
    const plain = await fetch(`http://${base}/v1/realtime/ws?ticket=x&topics=feed`);
    expect(plain.status).toBe(426);
  });
});
