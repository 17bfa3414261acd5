import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { createNodePostgresDatabase } from '../src/db/drivers/node-postgres.js';
import { silentLogger } from '../src/lib/logger.js';
import { createMemoryBus } from '../src/realtime/bus-memory.js';
import { createPostgresBus } from '../src/realtime/bus-postgres.js';
import { createRedisBus } from '../src/realtime/bus-redis.js';
import { appendEvents, readEventsSince, readLogPosition } from '../src/realtime/event-log.js';
import type { HubConnection } from '../src/realtime/hub.js';
import { createRealtimeRuntime, type NodeRealtimeRuntime } from '../src/realtime/runtime.js';
import type { EphemeralEvent, RealtimeBus, RealtimeEvent } from '../src/realtime/types.js';
import { createScratchDatabase } from '../src/testing/scratch-database.js';
import { createTestContext, type TestContext } from '../src/testing/harness.js';
import { REDIS_URL, SERVER_URL, uniqueChannel, waitFor } from './realtime-bus-support.js';

/** A live stream as the hub sees it, recording what it is pushed. */
function recorder(tenantId: string, topics: string[]) {
  const events: RealtimeEvent[] = [];
  const ephemeral: EphemeralEvent[] = [];
  const connection: HubConnection = {
    tenantId,
    topics: new Set(topics),
    push(event) {
      if ('seq' in event) events.push(event as RealtimeEvent);
      else ephemeral.push(event);
    },
    close() {},
  };
  return { connection, events, ephemeral };
}

/** Two API processes' worth of database handles on one server database. */
let scratch: { url: string; drop: () => Promise<void> };
let dbA: Database;
let dbB: Database;
let t: TestContext;

beforeAll(async () => {
  scratch = await createScratchDatabase(SERVER_URL);
  dbA = createNodePostgresDatabase({ connectionString: scratch.url, maxConnections: 6 });
  await dbA.migrate();
  dbB = createNodePostgresDatabase({ connectionString: scratch.url, maxConnections: 6 });
  t = await createTestContext({ db: dbA, realtime: false });
});

afterAll(async () => {
  await t?.close();
  await dbA?.close();
  await dbB?.close();
  await scratch?.drop();
});

/** Appends `count` events (data padded to `bytes`) through `db` in one transaction. */
function append(db: Database, tenantId: string, label: string, count: number, bytes = 0) {
  return db.withTenant(tenantId, (tx) =>
    appendEvents(
      { db },
      tx,
      tenantId,
      Array.from({ length: count }, (_, i) => ({
        topic: 'feed',
        type: 'feed.post_created',
        data: { id: `${label}-${i}`, body: 'x'.repeat(bytes) },
      })),
    ),
  );
}

/** Each process's own connection(s) to one bus. */
const buses: [string, () => [RealtimeBus, RealtimeBus]][] = [
  [
    'PostgreSQL',
    () => [
      createPostgresBus({ connectionString: scratch.url, logger: silentLogger }),
      createPostgresBus({ connectionString: scratch.url, logger: silentLogger }),
    ],
  ],
  [
    'Redis',
    () => {
      const channel = uniqueChannel('memberkit:test');
      return [
        createRedisBus({ url: REDIS_URL, logger: silentLogger, channel }),
        createRedisBus({ url: REDIS_URL, logger: silentLogger, channel }),
      ];
    },
  ],
];

describe.each(buses)('two API processes on the %s bus', (_name, makeBus) => {
  let a: NodeRealtimeRuntime;
  let b: NodeRealtimeRuntime;

  beforeAll(async () => {
    const [busA, busB] = makeBus();
    // No log polling here: what arrives, arrives through the bus.
    a = createRealtimeRuntime({ db: dbA, logger: silentLogger, bus: busA, pollMs: 3_600_000 });
    b = createRealtimeRuntime({ db: dbB, logger: silentLogger, bus: busB, pollMs: 3_600_000 });
    await a.start();
    await b.start();
  });

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
  });

  it('each deliver every event exactly once, in order, to subscribers of both, whichever process appended it', async () => {
    const tenant = await t.createTenant();
    const onA = recorder(tenant.id, ['feed']);
    const onB = recorder(tenant.id, ['feed']);
    const elsewhere = recorder(tenant.id, ['members']);
    a.hub.add(onA.connection);
    b.hub.add(onB.connection);
    b.hub.add(elsewhere.connection);

    // Concurrent appends from both processes: single events, batches, and events too large for NOTIFY.
    const writes: Promise<unknown>[] = [];
    let appended = 0;
    for (let i = 0; i < 25; i++) {
      writes.push(append(dbA, tenant.id, `a${i}`, 1 + (i % 3)));
      writes.push(append(dbB, tenant.id, `b${i}`, 1 + ((i + 1) % 3), i % 10 === 0 ? 9000 : 0));
      appended += 2 + (i % 3) + ((i + 1) % 3);
    }
    await Promise.all(writes);
    const total = await dbA.withTenant(tenant.id, async (tx) => (await readLogPosition(tx, tenant.id))?.lastSeq ?? 0);
    expect(total).toBe(appended);

    await waitFor(() => onA.events.length >= total && onB.events.length >= total, 'every event in both processes');
    const expected = Array.from({ length: total }, (_, i) => i + 1);
    expect(onA.events.map((e) => e.seq)).toEqual(expected);
    expect(onB.events.map((e) => e.seq)).toEqual(expected);
    // What they got is what the log holds, the large events included.
    const log = await dbB.withTenant(tenant.id, async (tx) => {
      const position = await readLogPosition(tx, tenant.id);
      return readEventsSince(tx, tenant.id, position?.epoch ?? '', 0, { limit: total });
    });
    const shape = (e: RealtimeEvent) => ({ seq: e.seq, epoch: e.epoch, type: e.type, topic: e.topic, data: e.data });
    expect(onA.events.map(shape)).toEqual(log.map(shape));
    expect(onB.events.map(shape)).toEqual(log.map(shape));
    expect(log.some((e) => String(e.data.body).length === 9000)).toBe(true);
    expect(elsewhere.events).toEqual([]);
    expect(a.dispatcher.deliveredThrough(tenant.id)).toBe(total);
    expect(b.dispatcher.deliveredThrough(tenant.id)).toBe(total);

    // And later events keep flowing, one at a time.
    await append(dbB, tenant.id, 'late', 1);
    await waitFor(() => onA.events.length === total + 1, 'the late event on A');
    expect(onA.events.at(-1)?.seq).toBe(total + 1);
  });

  it('sends ephemeral events to the other process, not logged', async () => {
    const tenant = await t.createTenant();
    const onA = recorder(tenant.id, ['conversation.cnv_1']);
    const onB = recorder(tenant.id, ['conversation.cnv_1']);
    a.hub.add(onA.connection);
    b.hub.add(onB.connection);
    const typing = { topic: 'conversation.cnv_1', type: 'typing', data: { conversation_id: 'cnv_1' } };
    b.dispatcher.publishEphemeral(tenant.id, [typing]);
    await waitFor(() => onA.ephemeral.length === 1 && onB.ephemeral.length === 1, 'typing on both');
    expect(onA.ephemeral).toEqual([typing]);
    const position = await dbA.withTenant(tenant.id, (tx) => readLogPosition(tx, tenant.id));
    expect(position).toBeNull();
  });
});

describe('a signal lost between processes', () => {
  it('is made up for by the poll of the log', async () => {
    // Two processes whose buses do not reach each other: as if every signal were lost in a crash.
    const a = createRealtimeRuntime({ db: dbA, logger: silentLogger, bus: createMemoryBus(), pollMs: 3_600_000 });
    const b = createRealtimeRuntime({ db: dbB, logger: silentLogger, bus: createMemoryBus(), pollMs: 50 });
    await a.start();
    await b.start();
    try {
      const tenant = await t.createTenant();
      const onB = recorder(tenant.id, ['feed']);
      b.hub.add(onB.connection);
      // B hears of the tenant once (its own commit), then only the log tells it more.
      await append(dbB, tenant.id, 'b', 1);
      await waitFor(() => onB.events.length === 1, 'B’s own event');
      await append(dbA, tenant.id, 'a', 3);
      await waitFor(() => onB.events.length === 4, 'A’s events through the poll');
      expect(onB.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
