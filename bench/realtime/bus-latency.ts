/**
 * Cross-process delivery latency of the real-time buses: an event appended through
 * "process" A (its own database pool, dispatcher and bus connections) until process
 * B's hub has it, p50/p99, for the PostgreSQL and the Redis bus; and the same event's
 * local delivery on A, for what the bus adds.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/realtime/bus-latency.ts [events=500]
 */
import { performance } from 'node:perf_hooks';
import {
  appendEvents,
  createNodePostgresDatabase,
  createPostgresBus,
  createRealtimeRuntime,
  createRedisBus,
  createScratchDatabase,
  createTestContext,
  type RealtimeBus,
  silentLogger,
} from '@memberkit/api/testing';

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.MEMBERKIT_REDIS_URL ?? 'redis://127.0.0.1:6379';
const count = Number(process.argv[2] ?? 500);

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const scratch = await createScratchDatabase(serverUrl);
const dbA = createNodePostgresDatabase({ connectionString: scratch.url, maxConnections: 4 });
await dbA.migrate();
const dbB = createNodePostgresDatabase({ connectionString: scratch.url, maxConnections: 4 });
const t = await createTestContext({ db: dbA, realtime: false });
try {
  const pairs: [string, () => [RealtimeBus, RealtimeBus]][] = [
    [
      'postgres',
      () =>
        [1, 2].map(() => createPostgresBus({ connectionString: scratch.url, logger: silentLogger })) as [
          RealtimeBus,
          RealtimeBus,
        ],
    ],
    [
      'redis',
      () => {
        const channel = `memberkit:bench:${process.pid}`;
        return [1, 2].map(() => createRedisBus({ url: redisUrl, logger: silentLogger, channel })) as [
          RealtimeBus,
          RealtimeBus,
        ];
      },
    ],
  ];
  for (const [name, make] of pairs) {
    const [busA, busB] = make();
    const a = createRealtimeRuntime({ db: dbA, logger: silentLogger, bus: busA, pollMs: 3_600_000 });
    const b = createRealtimeRuntime({ db: dbB, logger: silentLogger, bus: busB, pollMs: 3_600_000 });
    await a.start();
    await b.start();
    const tenant = await t.createTenant();
    const startedAt = new Map<number, number>();
    const local: number[] = [];
    const remote: number[] = [];
    let waiting: (() => void) | undefined;
    let remoteSeen = 0;
    a.hub.add({
      tenantId: tenant.id,
      topics: new Set(['feed']),
      push: (e) => {
        if ('seq' in e) local.push(performance.now() - (startedAt.get(e.seq as number) ?? 0));
      },
      close() {},
    });
    b.hub.add({
      tenantId: tenant.id,
      topics: new Set(['feed']),
      push: (e) => {
        if ('seq' in e) {
          remote.push(performance.now() - (startedAt.get(e.seq as number) ?? 0));
          remoteSeen++;
          waiting?.();
        }
      },
      close() {},
    });
    for (let i = 0; i < count + 20; i++) {
      const seen = remoteSeen;
      const arrived = new Promise<void>((resolve) => {
        waiting = () => {
          if (remoteSeen > seen) resolve();
        };
      });
      const t0 = performance.now();
      await dbA.withTenant(tenant.id, async (tx) => {
        const [event] = await appendEvents({ db: dbA }, tx, tenant.id, [{ topic: 'feed', type: 'bench', data: { i } }]);
        if (event) startedAt.set(event.seq, t0);
      });
      await arrived;
    }
    // The first 20 warm the connections up.
    const l = local.slice(20);
    const r = remote.slice(20);
    console.log(
      `${name}: ${r.length} events, append→local delivery p50 ${pct(l, 50).toFixed(2)} ms p99 ${pct(l, 99).toFixed(2)} ms; append→other process p50 ${pct(r, 50).toFixed(2)} ms p99 ${pct(r, 99).toFixed(2)} ms; added by the bus p50 ${(pct(r, 50) - pct(l, 50)).toFixed(2)} ms p99 ${(pct(r, 99) - pct(l, 99)).toFixed(2)} ms`,
    );
    await a.stop();
    await b.stop();
  }
} finally {
  await t.close();
  await dbA.close();
  await dbB.close();
  await scratch.drop();
}
