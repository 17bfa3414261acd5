/**
 * Shared parts of the real-time benchmarks: an API process (the real app on the
 * embedded database, or `BENCH_DATABASE_URL`) serving SSE on a real socket, and
 * client processes that hold many SSE connections and report what they receive.
 * Not a timed test: run by hand (see sse-connections.ts and fanout.ts).
 */
import { fork } from 'node:child_process';
import type http from 'node:http';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createTestContext, type TestContext } from '@memberkit/api/testing';
import { sql } from 'drizzle-orm';

export interface BenchServer {
  t: TestContext;
  tenantId: string;
  port: number;
  /** `count` single-use tickets of one member's session (issued through the service, as the endpoint does). */
  tickets(count: number): Promise<string[]>;
  close(): Promise<void>;
}

export async function startBenchServer(): Promise<BenchServer> {
  const url = process.env.BENCH_DATABASE_URL;
  const t = await createTestContext({
    ...(url ? { serverUrl: url } : {}),
    config: { rateLimit: { limit: 1e9, windowSeconds: 10 } },
  });
  const tenant = await t.createTenant('Bench realtime');
  const member = await t.signUpMember(tenant);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    t,
    tenantId: tenant.id,
    port,
    async tickets(count) {
      const out: string[] = [];
      for (let i = 0; i < count; i += 50) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(50, count - i) }, () =>
            t.request('POST', '/v1/realtime/tickets', { key: member.access_token }),
          ),
        );
        for (const res of batch) {
          if (res.status !== 201) throw new Error(`ticket: ${res.status} ${res.text}`);
          out.push(res.body.ticket as string);
        }
      }
      // Opening tens of thousands of streams takes longer than a ticket's 60 s: the bench (only) extends them.
      await t.db.withTenant(tenant.id, (tx) =>
        tx.execute(
          sql`update realtime_tickets set expires_at = now() + interval '1 hour' where tenant_id = ${tenant.id}`,
        ),
      );
      return out;
    },
    async close() {
      t.deps.realtime?.hub.closeAll();
      (server as http.Server).closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await t.close();
    },
  };
}

/** Messages between the benchmark and its client processes. */
/** Messages between the benchmark and its client processes (sse-client.ts). */
export type ClientMessage =
  | { kind: 'ready'; count: number }
  | { kind: 'latencies'; values: number[] }
  | { kind: 'error'; message: string };

/**
 * Starts a client process holding one SSE connection per ticket on `topics`;
 * `onMessage` hears how many are ready and, for events carrying `sent_at`
 * (ms since the epoch, `performance.timeOrigin + performance.now()`), the latencies.
 */
export function startClients(
  port: number,
  tickets: string[],
  topics: string,
  onMessage: (message: ClientMessage) => void,
) {
  const child = fork(fileURLToPath(new URL('./sse-client.ts', import.meta.url)), [], {
    execArgv: ['--conditions=memberkit-source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.on('message', (m) => onMessage(m as ClientMessage));
  child.send({ port, tickets, topics });
  return child;
}

/** The `q` quantile of `values` (sorted copy). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
