import { expect, it } from 'vitest';
import type { BusSignal, RealtimeBus, RealtimeEvent } from '../src/realtime/types.js';

/** The PostgreSQL server of the run (CI and this machine have one). */
export const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** The Redis of the run (`MEMBERKIT_REDIS_URL`, else the local one). */
export const REDIS_URL = process.env.MEMBERKIT_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Polls `check` every 10 ms until it holds; fails after `capMs` (generous: this waits for a condition, it times nothing). */
export async function waitFor(check: () => Promise<boolean> | boolean, what: string, capMs = 20_000): Promise<void> {
  const deadline = Date.now() + capMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A unique channel name per test run, so parallel runs on one server do not hear each other. */
export function uniqueChannel(prefix: string): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

/** An event as the log would hold it, with `bytes` of padding in its data. */
export function fakeEvent(tenantId: string, seq: number, bytes = 10): RealtimeEvent {
  return {
    tenantId,
    seq,
    epoch: 'testepoch0000001',
    topic: 'feed',
    type: 'feed.post_created',
    data: { id: `post_${seq}`, body: 'x'.repeat(bytes) },
    createdAt: new Date().toISOString(),
  };
}

/**
 * What every bus promises, for two buses standing in for two processes (`make` is called
 * twice; for the memory bus it returns one shared bus).
 */
export function busContract(make: () => RealtimeBus, options: { carriesLargeEvents: boolean }): void {
  it('delivers every signal to every subscriber, the publisher included, in publication order', async () => {
    const a = make();
    const b = make();
    try {
      const heardA: BusSignal[] = [];
      const heardB: BusSignal[] = [];
      await a.subscribe((s) => heardA.push(s));
      await b.subscribe((s) => heardB.push(s));
      for (let seq = 1; seq <= 40; seq++)
        await a.publish({ tenantId: 'tnt_a', seq, events: [fakeEvent('tnt_a', seq)], origin: 'a' });
      await waitFor(() => heardA.length === 40 && heardB.length === 40, 'forty signals on both');
      expect(heardB.map((s) => s.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(heardA.map((s) => s.seq)).toEqual(heardB.map((s) => s.seq));
      expect(heardB[0]).toMatchObject({
        tenantId: 'tnt_a',
        origin: 'a',
        events: [{ seq: 1, type: 'feed.post_created' }],
      });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('carries ephemeral events, and stops delivering to an unsubscribed handler', async () => {
    const a = make();
    const b = make();
    try {
      const heard: BusSignal[] = [];
      const stop = await b.subscribe((s) => heard.push(s));
      const typing = { topic: 'conversation.cnv_1', type: 'typing', data: { conversation_id: 'cnv_1' } };
      await a.publish({ tenantId: 'tnt_a', ephemeral: [typing], origin: 'a' });
      await waitFor(() => heard.length === 1, 'the typing signal');
      expect(heard[0]?.ephemeral).toEqual([typing]);
      await stop();
      const control: BusSignal[] = [];
      await b.subscribe((s) => control.push(s));
      await a.publish({ tenantId: 'tnt_a', seq: 9, origin: 'a' });
      await waitFor(() => control.length === 1, 'the control signal');
      expect(heard).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it(
    options.carriesLargeEvents
      ? 'carries events of any size'
      : 'sends a signal too large for the transport without its events (receivers read the log)',
    async () => {
      const a = make();
      const b = make();
      try {
        const heard: BusSignal[] = [];
        await b.subscribe((s) => heard.push(s));
        const big = fakeEvent('tnt_a', 7, 20_000);
        await a.publish({ tenantId: 'tnt_a', seq: 7, events: [big], origin: 'a' });
        await waitFor(() => heard.length === 1, 'the large signal');
        expect(heard[0]).toMatchObject({ tenantId: 'tnt_a', seq: 7, origin: 'a' });
        if (options.carriesLargeEvents) expect(heard[0]?.events).toEqual([big]);
        else expect(heard[0]?.events).toBeUndefined();
      } finally {
        await a.close();
        await b.close();
      }
    },
  );
}
