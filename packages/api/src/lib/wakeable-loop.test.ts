import { describe, expect, it } from 'vitest';
import { createWakeableLoop } from './wakeable-loop.js';

/** A run function that records each call and lets the test wait for the n-th. */
function recorder(moreFor: number) {
  const calls: number[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  return {
    calls,
    run: async () => {
      calls.push(calls.length + 1);
      for (const w of waiters.filter((x) => x.n <= calls.length)) w.resolve();
      return calls.length <= moreFor;
    },
    reached: (n: number) =>
      new Promise<void>((resolve) => (calls.length >= n ? resolve() : waiters.push({ n, resolve }))),
  };
}

describe('createWakeableLoop', () => {
  it('runs at once on start, again at once while a run reports more work, and when woken', async () => {
    const r = recorder(2);
    // An hour's interval: only "more" and wake() can cause the runs this test waits for.
    const loop = createWakeableLoop(r.run, () => {}, 1);
    loop.start(60 * 60 * 1000);
    await r.reached(3);
    expect(r.calls).toEqual([1, 2, 3]);
    loop.wake();
    await r.reached(4);
    await loop.stop();
    loop.wake();
    expect(r.calls).toHaveLength(4);
  });

  it('hands a failed run to onError and goes on', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    let second: () => void = () => {};
    const done = new Promise<void>((resolve) => (second = resolve));
    const loop = createWakeableLoop(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('database blinked');
        second();
        return false;
      },
      (error) => errors.push(error),
      1,
    );
    loop.start(60 * 60 * 1000);
    // The failure is reported; a wake then runs again.
    while (errors.length === 0) await new Promise((resolve) => setImmediate(resolve));
    loop.wake();
    await done;
    await loop.stop();
    expect((errors[0] as Error).message).toBe('database blinked');
    expect(calls).toBe(2);
  });

  it('refuses an interval that is not a positive integer', () => {
    const loop = createWakeableLoop(
      async () => false,
      () => {},
      1,
    );
    expect(() => loop.start(0)).toThrow(/positive integer/);
  });
});
