import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createTestContext, type TestContext, type TestTenant } from '@memberkit/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Memberkit,
  type MemberkitError,
  PermissionError,
  type RealtimeEvent,
  type RealtimeReady,
} from '../../src/index.js';

// The real API over a real socket (the stream is a long-lived HTTP response), on PGlite,
// with its in-process real-time runtime.
let t: TestContext;
let server: ReturnType<typeof serve>;
let baseUrl: string;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestContext();
  const app = t.app;
  server = serve({ fetch: (request) => app.fetch(request), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tenant = await t.createTenant('SDK realtime');
});

afterAll(async () => {
  t.deps.realtime?.hub.closeAll();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

describe('mk.realtime against the real API', () => {
  it('delivers member events live and resumes after the server drops the stream, nothing lost or doubled', async () => {
    const mk = new Memberkit({ secretKey: tenant.secret_key, baseUrl });
    const events: RealtimeEvent[] = [];
    const readies: RealtimeReady[] = [];
    const sub = mk.realtime.subscribe(['members'], (event) => events.push(event), {
      onReady: (ready) => readies.push(ready),
      retry: { initialDelay: 20, maxDelay: 100 },
    });
    try {
      await sub.ready;
      expect(readies[0]!.topics).toEqual(['members']);
      const ada = await mk.members.create({ email: 'ada-rt@example.org', first_name: 'Ada', last_name: 'Lovelace' });
      await until(() => events.some((e) => e.type === 'member.created' && e.data.id === ada.id), 'ada created');
      const adaEvent = events.find((e) => e.type === 'member.created')!;
      expect(adaEvent.topic).toBe('members');
      expect(adaEvent.id).toMatch(/^.+-\d+$/);
      expect(sub.lastEventId).toBe(adaEvent.id);

      // The server ends every stream (a restart); a change made meanwhile must still arrive, once.
      t.deps.realtime!.hub.closeAll();
      const grace = await mk.members.create({
        email: 'grace-rt@example.org',
        first_name: 'Grace',
        last_name: 'Hopper',
      });
      await mk.members.update(grace.id, { first_name: 'Grace B.' });
      await until(() => events.some((e) => e.type === 'member.updated' && e.data.id === grace.id), 'grace updated');
      await until(() => readies.length >= 2, 'the resumed stream');
      expect(readies[1]!.last_event_id).not.toBeNull();

      const ids = events.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      const mine = events.filter((e) => 'id' in e.data && [ada.id, grace.id].includes(e.data.id as string));
      expect(mine.map((e) => [e.type, (e.data as { id: string }).id])).toEqual([
        ['member.created', ada.id],
        ['member.created', grace.id],
        ['member.updated', grace.id],
      ]);
    } finally {
      sub.close();
    }
  });

  it('refuses a topic the credential may not see with a typed 403 and stops', async () => {
    const member = await t.signUpMember(tenant);
    const mk = new Memberkit({ accessToken: member.access_token, baseUrl });
    const errors: MemberkitError[] = [];
    const sub = mk.realtime.subscribe(['members'], () => undefined, { onError: (e) => errors.push(e) });
    await expect(sub.ready).rejects.toBeInstanceOf(PermissionError);
    expect(errors[0]).toMatchObject({ status: 403, code: 'TOPIC_NOT_ALLOWED' });
    expect(sub.status).toBe('closed');
  });

  it('creates single-use tickets and a WebSocket URL', async () => {
    const mk = new Memberkit({ secretKey: tenant.secret_key, baseUrl });
    const ticket = await mk.realtime.createTicket();
    expect(ticket).toMatchObject({ object: 'realtime_ticket', ticket: expect.stringMatching(/^rtt_/) });
    const url = new URL(await mk.realtime.webSocketUrl(['members'], { lastEventId: 'x-1' }));
    expect(url.protocol).toBe('ws:');
    expect(url.pathname).toBe('/v1/realtime/ws');
    expect(url.searchParams.get('topics')).toBe('members');
    expect(url.searchParams.get('last_event_id')).toBe('x-1');
  });
});
