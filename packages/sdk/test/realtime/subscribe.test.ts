import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  Memberkit,
  type MemberkitError,
  PermissionError,
  type RealtimeEvent,
  type RealtimeStatus,
  type RealtimeSubscription,
} from '../../src/index.js';

/** One stream request the fake API received, and its still-open response. */
interface StreamRequest {
  ticket: string | null;
  topics: string | null;
  lastEventId: string | undefined;
  res: ServerResponse;
  closed: boolean;
}

/**
 * A stand-in for the API's real-time endpoints speaking the wire format over real
 * sockets: tickets (single use), and `GET /v1/realtime` streams the test writes frames to.
 */
class FakeRealtimeApi {
  readonly server: Server;
  readonly tickets: { authorization: string | undefined }[] = [];
  readonly streams: StreamRequest[] = [];
  readonly used = new Set<string>();
  /** Answers for the next ticket requests (status), consumed in order; then 201. */
  ticketStatuses: number[] = [];
  /** Answers for the next stream requests (status), consumed in order; then the stream. */
  streamStatuses: number[] = [];
  url = '';

  constructor() {
    this.server = createServer((req, res) => this.#handle(req, res));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const stream of this.streams) if (!stream.closed) stream.res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #problem(res: ServerResponse, status: number, code: string): void {
    res.writeHead(status, { 'Content-Type': 'application/problem+json' });
    res.end(JSON.stringify({ type: 'about:blank', title: code, status, detail: `${code} (fake)`, code }));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'POST' && url.pathname === '/v1/realtime/tickets') {
      this.tickets.push({ authorization: req.headers.authorization });
      const status = this.ticketStatuses.shift();
      if (status !== undefined) {
        this.#problem(res, status, status === 401 ? 'UNAUTHORIZED' : 'UNAVAILABLE');
        return;
      }
      const ticket = `rtt_test.${this.tickets.length}`;
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ object: 'realtime_ticket', ticket, expires_at: '', stream_url: '', websocket_url: '' }));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/v1/realtime') {
      const ticket = url.searchParams.get('ticket');
      const status = this.streamStatuses.shift();
      if (status !== undefined) {
        this.#problem(res, status, status === 403 ? 'TOPIC_FORBIDDEN' : 'TICKET_INVALID');
        return;
      }
      if (!ticket || this.used.has(ticket)) {
        this.#problem(res, 401, 'TICKET_INVALID');
        return;
      }
      this.used.add(ticket);
      const lastEventId =
        (req.headers['last-event-id'] as string | undefined) ?? url.searchParams.get('last_event_id') ?? undefined;
      const stream: StreamRequest = { ticket, topics: url.searchParams.get('topics'), lastEventId, res, closed: false };
      res.on('close', () => {
        stream.closed = true;
      });
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      res.flushHeaders();
      this.streams.push(stream);
      return;
    }
    this.#problem(res, 404, 'NOT_FOUND');
  }

  /** Writes the `ready` frame. */
  ready(stream: StreamRequest, topics = ['feed']): void {
    stream.res.write(
      `event: ready\ndata: ${JSON.stringify({ topics, last_event_id: stream.lastEventId ?? null })}\n\n`,
    );
  }

  /** Writes a logged event (with `id:`), or an ephemeral one (`id` undefined). */
  event(stream: StreamRequest, id: string | undefined, type: string, topic: string, data: unknown): void {
    const payload = JSON.stringify({ id, type, topic, created_at: '2026-12-07T12:00:00.000Z', data });
    stream.res.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${type}\ndata: ${payload}\n\n`);
  }
}

/** Polls until `condition` holds (bounded), instead of sleeping for a guessed time. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

let api: FakeRealtimeApi;
let mk: Memberkit;
const subscriptions: RealtimeSubscription[] = [];
const fast = { retry: { initialDelay: 5, maxDelay: 40 } };

beforeEach(async () => {
  api = new FakeRealtimeApi();
  await api.start();
  mk = new Memberkit({ secretKey: 'sk_test_realtime', baseUrl: api.url, maxRetries: 0 });
});

afterEach(async () => {
  for (const s of subscriptions.splice(0)) s.close();
  await api.stop();
});

function subscribe(...args: Parameters<Memberkit['realtime']['subscribe']>): RealtimeSubscription {
  const subscription = mk.realtime.subscribe(...args);
  subscriptions.push(subscription);
  return subscription;
}

describe('mk.realtime.subscribe', () => {
  it('gets a ticket with the client credential, opens the stream and delivers typed events', async () => {
    const events: RealtimeEvent[] = [];
    const statuses: RealtimeStatus[] = [];
    const sub = subscribe(['feed', 'me'], (event) => events.push(event), { onStatus: (s) => statuses.push(s) });
    await until(() => api.streams.length === 1, 'the stream request');
    expect(api.tickets[0]!.authorization).toBe('Bearer sk_test_realtime');
    const [stream] = api.streams;
    expect(stream).toMatchObject({ ticket: 'rtt_test.1', topics: 'feed,me', lastEventId: undefined });

    api.ready(stream!);
    await sub.ready;
    expect(sub.status).toBe('open');
    stream!.res.write(': hb\n\n');
    api.event(stream!, 'ep1-1', 'feed.post_deleted', 'feed', { id: 'post_1' });
    api.event(stream!, undefined, 'typing', 'conversation.cnv_1', {
      conversation_id: 'cnv_1',
      participant: { type: 'member', id: 'mem_2', name: 'Grace' },
    });
    // One frame split across writes, with CRLF line ends, still parses.
    stream!.res.write('id: ep1-2\r\nevent: notification.created\r\n');
    stream!.res.write(
      `data: ${JSON.stringify({ id: 'ep1-2', type: 'notification.created', topic: 'member.mem_1', created_at: 'x', data: { id: 'ntf_1', title: 'Hi', unread_count: 3 } })}\r\n\r\n`,
    );
    await until(() => events.length === 3, 'three events');

    expect(events.map((e) => [e.id, e.type, e.topic])).toEqual([
      ['ep1-1', 'feed.post_deleted', 'feed'],
      [undefined, 'typing', 'conversation.cnv_1'],
      ['ep1-2', 'notification.created', 'member.mem_1'],
    ]);
    const notification = events[2]!;
    if (notification.type === 'notification.created') expect(notification.data.unread_count).toBe(3);
    // The ephemeral event did not move the resume position.
    expect(sub.lastEventId).toBe('ep1-2');
    expect(statuses).toEqual(['open']);
  });

  it('reconnects after a drop with a new ticket and Last-Event-ID, delivering nothing twice', async () => {
    const ids: (string | undefined)[] = [];
    const sub = subscribe(['feed'], (event) => ids.push(event.id), fast);
    await until(() => api.streams.length === 1, 'the first stream');
    const first = api.streams[0]!;
    api.ready(first);
    api.event(first, 'ep1-1', 'feed.post_deleted', 'feed', { id: 'post_1' });
    api.event(first, 'ep1-2', 'feed.post_deleted', 'feed', { id: 'post_2' });
    await until(() => ids.length === 2, 'two events');
    first.res.end(); // the server went away

    await until(() => api.streams.length === 2, 'the reconnect');
    const second = api.streams[1]!;
    expect(second.ticket).toBe('rtt_test.2');
    expect(second.lastEventId).toBe('ep1-2');
    expect(api.tickets).toHaveLength(2);
    api.ready(second);
    // A replay that overlaps what the client has seen must not deliver it again.
    api.event(second, 'ep1-2', 'feed.post_deleted', 'feed', { id: 'post_2' });
    api.event(second, 'ep1-3', 'feed.post_deleted', 'feed', { id: 'post_3' });
    await until(() => ids.length >= 3, 'the third event');
    await until(() => sub.lastEventId === 'ep1-3', 'the position');
    expect(ids).toEqual(['ep1-1', 'ep1-2', 'ep1-3']);
  });

  it('keeps retrying with backoff while the API cannot be reached, then resumes', async () => {
    const statuses: RealtimeStatus[] = [];
    api.ticketStatuses = [503, 503];
    api.streamStatuses = [502];
    const sub = subscribe(['feed'], () => undefined, {
      ...fast,
      lastEventId: 'ep1-7',
      onStatus: (s) => statuses.push(s),
    });
    await until(() => api.streams.length === 1, 'a stream after the failures');
    expect(api.tickets).toHaveLength(4);
    expect(api.streams[0]!.lastEventId).toBe('ep1-7');
    api.ready(api.streams[0]!);
    await sub.ready;
    expect(statuses.at(-1)).toBe('open');
  });

  it('on resync tells the app and reconnects fresh, without the old id', async () => {
    const resyncs: string[] = [];
    const sub = subscribe(['feed'], () => undefined, { ...fast, onResync: (r) => resyncs.push(r.reason) });
    await until(() => api.streams.length === 1, 'the first stream');
    const first = api.streams[0]!;
    api.ready(first);
    api.event(first, 'ep1-5', 'feed.post_deleted', 'feed', { id: 'post_5' });
    await until(() => sub.lastEventId === 'ep1-5', 'the event');
    first.res.write('event: resync\ndata: {"reason":"overflow"}\n\n');

    await until(() => api.streams.length === 2, 'the fresh stream');
    expect(resyncs).toEqual(['overflow']);
    expect(api.streams[1]!.lastEventId).toBeUndefined();
    expect(first.closed).toBe(true);
    // After a resync the new log position is taken as it comes (even "older" ids of a new epoch).
    api.ready(api.streams[1]!);
    api.event(api.streams[1]!, 'ep2-1', 'feed.post_deleted', 'feed', { id: 'post_6' });
    await until(() => sub.lastEventId === 'ep2-1', 'the new position');
  });

  it('takes a silent stream as dead after the heartbeat timeout and resumes on a new one', async () => {
    const sub = subscribe(['feed'], () => undefined, { ...fast, heartbeatTimeout: 150 });
    await until(() => api.streams.length === 1, 'the first stream');
    const first = api.streams[0]!;
    api.ready(first);
    api.event(first, 'ep1-9', 'feed.post_deleted', 'feed', { id: 'post_9' });
    await sub.ready;
    // Nothing more is written: no heartbeat. The client must give up on it by itself.
    await until(() => api.streams.length === 2, 'a reconnect after the silence');
    await until(() => first.closed, 'the dead stream to be closed');
    expect(api.streams[1]!.lastEventId).toBe('ep1-9');
  });

  it('stops for good on 403 and reports the typed problem', async () => {
    const errors: MemberkitError[] = [];
    api.streamStatuses = [403];
    const sub = subscribe(['members'], () => undefined, { ...fast, onError: (e) => errors.push(e) });
    await expect(sub.ready).rejects.toBeInstanceOf(PermissionError);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ status: 403, code: 'TOPIC_FORBIDDEN' });
    expect(sub.status).toBe('closed');
    expect(api.tickets).toHaveLength(1);
  });

  it('stops on 401 from the ticket endpoint (the credential is refused)', async () => {
    const errors: MemberkitError[] = [];
    api.ticketStatuses = [401];
    const sub = subscribe(['feed'], () => undefined, { ...fast, onError: (e) => errors.push(e) });
    await expect(sub.ready).rejects.toBeInstanceOf(AuthenticationError);
    expect(errors.map((e) => e.code)).toEqual(['UNAUTHORIZED']);
    expect(sub.status).toBe('closed');
  });

  it('retries once with a fresh ticket when the stream refuses one, then stops', async () => {
    const errors: MemberkitError[] = [];
    api.streamStatuses = [401, 401];
    const sub = subscribe(['feed'], () => undefined, { ...fast, onError: (e) => errors.push(e) });
    await expect(sub.ready).rejects.toBeInstanceOf(AuthenticationError);
    expect(api.tickets).toHaveLength(2);
    expect(errors.map((e) => e.code)).toEqual(['TICKET_INVALID']);
  });

  it('close() ends the stream and nothing reconnects', async () => {
    const sub = subscribe(['feed'], () => undefined, fast);
    await until(() => api.streams.length === 1, 'the stream');
    api.ready(api.streams[0]!);
    await sub.ready;
    sub.close();
    expect(sub.status).toBe('closed');
    await until(() => api.streams[0]!.closed, 'the server to see the close');
    expect(api.tickets).toHaveLength(1);
  });

  it('close() before the stream opens rejects ready with an AbortError', async () => {
    const sub = subscribe(['feed'], () => undefined, fast);
    sub.close();
    await expect(sub.ready).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a throwing handler does not end the stream', async () => {
    const seen: string[] = [];
    const originalError = console.error;
    console.error = () => undefined;
    try {
      const sub = subscribe(['feed'], (event) => {
        seen.push(event.id ?? '');
        if (event.id === 'ep1-1') throw new Error('boom');
      });
      await until(() => api.streams.length === 1, 'the stream');
      api.ready(api.streams[0]!);
      api.event(api.streams[0]!, 'ep1-1', 'feed.post_deleted', 'feed', { id: 'a' });
      api.event(api.streams[0]!, 'ep1-2', 'feed.post_deleted', 'feed', { id: 'b' });
      await until(() => seen.length === 2, 'both events');
      expect(sub.status).toBe('open');
    } finally {
      console.error = originalError;
    }
  });
});
