/**
 * Message send to receive, member to member: P sender/receiver pairs in direct
 * conversations, each receiver on an SSE stream (`GET /v1/realtime`, topic
 * `conversation.<id>`), senders POSTing `/v1/conversations/{id}/messages` at a
 * combined RATE messages per second for SECONDS. Latency = from just before the
 * POST is written to when the receiver's stream yields the `message.created` event
 * (one process, one clock). The real app on a real socket (embedded database, or
 * BENCH_DATABASE_URL). Not a timed test: run by hand.
 *
 *   node --conditions=memberkit-source --import tsx bench/realtime/messaging-latency.ts [RATE=500] [SECONDS=10] [PAIRS=100]
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createTestContext } from '@memberkit/api/testing';

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function request(
  port: number,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** Opens an SSE stream and calls `onEvent(type, data)` per event; resolves once the `ready` frame arrived. */
function openStream(
  port: number,
  path: string,
  onEvent: (type: string, data: { data?: { body?: string } }) => void,
): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { Accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`stream ${res.statusCode}`));
        return;
      }
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let type = 'message';
          let data = '';
          for (const line of frame.split('\n')) {
            if (line.startsWith('event: ')) type = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (type === 'ready') resolve(req);
          else if (data) onEvent(type, JSON.parse(data));
          end = buffer.indexOf('\n\n');
        }
      });
    });
    req.on('error', reject);
  });
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function main() {
  const rate = Number(process.argv[2] ?? 500);
  const seconds = Number(process.argv[3] ?? 10);
  const pairs = Number(process.argv[4] ?? 100);
  const url = process.env.BENCH_DATABASE_URL;
  const t = await createTestContext({
    ...(url ? { serverUrl: url } : {}),
    config: { rateLimit: { limit: 1e9, windowSeconds: 10 } },
  });
  const tenant = await t.createTenant('Bench messaging');
  const patched = await t.request('PATCH', '/v1/community/settings', {
    key: tenant.secret_key,
    body: { member_messaging: true, message_rate_per_minute: 600 },
  });
  if (patched.status !== 200) throw new Error(`settings: ${patched.text}`);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;

  console.log(`setting up ${pairs} pairs…`);
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  const streams: http.ClientRequest[] = [];
  const senders: { token: string; conversationId: string }[] = [];
  for (let i = 0; i < pairs; i++) {
    const a = await t.signUpMember(tenant);
    const b = await t.signUpMember(tenant);
    const bId = (b.member as { id: string }).id;
    const created = await t.request('POST', '/v1/conversations', {
      key: a.access_token,
      body: { kind: 'direct', member_id: bId },
    });
    if (created.status !== 201) throw new Error(`conversation: ${created.text}`);
    const conversationId = created.body.id as string;
    const ticket = await t.request('POST', '/v1/realtime/tickets', { key: b.access_token, body: {} });
    if (ticket.status !== 201) throw new Error(`ticket: ${ticket.text}`);
    streams.push(
      await openStream(
        port,
        `/v1/realtime?ticket=${encodeURIComponent(ticket.body.ticket)}&topics=conversation.${conversationId}`,
        (type, event) => {
          if (type !== 'message.created') return;
          const started = sent.get(event.data?.body ?? '');
          if (started !== undefined) latencies.push(performance.now() - started);
        },
      ),
    );
    senders.push({ token: a.access_token, conversationId });
  }

  const total = rate * seconds;
  console.log(`sending ${total} messages at ${rate}/s over ${pairs} conversations…`);
  const statuses = new Map<number, number>();
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  for (let n = 0; n < total; n++) {
    const due = start + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const sender = senders[n % senders.length]!;
    const body = `bench ${n}`;
    sent.set(body, performance.now());
    inflight.push(
      request(port, 'POST', `/v1/conversations/${sender.conversationId}/messages`, sender.token, { body }).then(
        (res) => {
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        },
      ),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - start) / 1000;
  const deadline = performance.now() + 10_000;
  while (latencies.length < (statuses.get(201) ?? 0) && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  const sorted = [...latencies].sort((x, y) => x - y);
  console.log(
    JSON.stringify(
      {
        database: url ? 'postgres' : 'pglite',
        target_rate: rate,
        achieved_rate: Math.round(total / elapsed),
        statuses: Object.fromEntries(statuses),
        received: latencies.length,
        p50_ms: +quantile(sorted, 0.5).toFixed(1),
        p90_ms: +quantile(sorted, 0.9).toFixed(1),
        p99_ms: +quantile(sorted, 0.99).toFixed(1),
        max_ms: +(sorted.at(-1) ?? Number.NaN).toFixed(1),
      },
      null,
      2,
    ),
  );
  for (const s of streams) s.destroy();
  t.deps.realtime?.hub.closeAll();
  server.close();
  await t.close();
  process.exit(0);
}

await main();
