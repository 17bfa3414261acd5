import { describe, expect, it } from 'vitest';
import { createMemoryRateLimitStore } from './rate-limit-store.js';

const W = 10_000;

describe('the in-memory rate-limit store (sliding window)', () => {
  const roomy = { limit: 100, windowMs: W };
  const used = async (store: ReturnType<typeof createMemoryRateLimitStore>, key: string, at: number) =>
    roomy.limit - (await store.consume([{ key, rule: roomy }], at))[0]!.remaining;

  it('counts within a window and keeps keys apart', async () => {
    const store = createMemoryRateLimitStore();
    for (let i = 1; i <= 3; i++) expect(await used(store, 'a', 1_000 + i)).toBe(i);
    expect(await used(store, 'b', 1_005)).toBe(1);
  });

  it('does not give a fresh budget at a window boundary: the limit sent just before and just after still counts', async () => {
    const store = createMemoryRateLimitStore();
    const rule = { limit: 5, windowMs: W };
    for (let i = 0; i < 5; i++) await store.consume([{ key: 'k', rule }], 9_990 + i);
    // 20 ms later, in the next window: the previous window's five are still within the last 10 s.
    expect((await store.consume([{ key: 'k', rule }], 10_010))[0]!.exceeded).toBe(true);
  });

  it('lets the previous window fade as it leaves the trailing window, and forgets it after two', async () => {
    const store = createMemoryRateLimitStore();
    for (let i = 0; i < 10; i++) await used(store, 'k', 1_000 + i);
    expect(await used(store, 'k', 15_000)).toBe(6); // 1 + 10 × 0.5
    expect(await used(store, 'k', 19_000)).toBe(3); // 2 + 10 × 0.1
    expect(await used(store, 'k', 25_000)).toBe(2); // 1 + 2 × 0.5 (the window before had 2)
    expect(await used(store, 'k', 45_000)).toBe(1); // two windows on: nothing carried over
  });

  it('keeps a key of a long window while sweeping after a short one', async () => {
    const store = createMemoryRateLimitStore();
    const hour = { limit: 1, windowMs: 3_600_000 };
    await store.consume([{ key: 'slow', rule: hour }], 1_000);
    // Short-window traffic a minute later sweeps expired keys: the hour's key is not one of them.
    await store.consume([{ key: 'fast', rule: { limit: 5, windowMs: W } }], 61_000);
    expect((await store.consume([{ key: 'slow', rule: hour }], 62_000))[0]!.exceeded).toBe(true);
  });
});

describe('consume: a request taken from the budget only when there is room', () => {
  const rule = { limit: 5, windowMs: W };

  it('counts down what remains and refuses past the limit without counting the refusal', async () => {
    const store = createMemoryRateLimitStore();
    const remaining: number[] = [];
    for (let i = 0; i < 5; i++) remaining.push((await store.consume([{ key: 'k', rule }], 1_000 + i))[0]!.remaining);
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    const refused = (await store.consume([{ key: 'k', rule }], 1_010))[0]!;
    expect(refused).toMatchObject({ exceeded: true, remaining: 0 });
    // The refusals did not count: the wait is the same after ten more of them.
    for (let i = 0; i < 10; i++) await store.consume([{ key: 'k', rule }], 1_010);
    expect((await store.consume([{ key: 'k', rule }], 1_010))[0]!.resetMs).toBe(refused.resetMs);
  });

  it('says exactly when a refused request goes through, wherever in the window the limit was reached', async () => {
    for (const offset of [0, 1, 2_500, 5_000, 9_000, 9_999]) {
      for (const spread of [0, 3_000, 12_000]) {
        const store = createMemoryRateLimitStore();
        const base = 100 * W + offset;
        for (let i = 0; i < 5; i++)
          expect((await store.consume([{ key: 'k', rule }], base + (i * spread) / 5))[0]!.exceeded).toBe(false);
        const at = base + spread;
        const refused = (await store.consume([{ key: 'k', rule }], at))[0]!;
        if (!refused.exceeded) continue; // the spread outlasted the window: nothing to wait for
        expect(refused.resetMs, `offset ${offset}, spread ${spread}`).toBeGreaterThan(0);
        expect(
          (await store.consume([{ key: 'k', rule }], at + refused.resetMs - 1))[0]!.exceeded,
          `offset ${offset}, spread ${spread}: a ms early`,
        ).toBe(true);
        expect(
          (await store.consume([{ key: 'k', rule }], at + refused.resetMs))[0]!.exceeded,
          `offset ${offset}, spread ${spread}: on time`,
        ).toBe(false);
      }
    }
  });

  it('waits into the next window when the previous one still weighs: five at 9 s of a 10 s window go through again at 12 s', async () => {
    const store = createMemoryRateLimitStore();
    for (let i = 0; i < 5; i++) await store.consume([{ key: 'k', rule }], 9_000);
    // 5 × (1 − 2/10) = 4 left in the trailing window at 12 s: room for one.
    expect((await store.consume([{ key: 'k', rule }], 9_000))[0]!.resetMs).toBe(3_000);
  });

  it('tells a key with room when one more request becomes available', async () => {
    const store = createMemoryRateLimitStore();
    for (let i = 0; i < 5; i++) await store.consume([{ key: 'k', rule }], 10_000);
    // 2 s into the next window the five weigh 5 × 0.8 = 4: room for one, then none.
    const [taken] = await store.consume([{ key: 'k', rule }], 22_000);
    expect(taken).toMatchObject({ exceeded: false, remaining: 0 });
    // 1 + 5 × (1 − e/10) ≤ 4 from e = 4 s: two seconds on.
    expect(taken!.resetMs).toBe(2_000);
    expect((await store.consume([{ key: 'k', rule }], 23_999))[0]!.exceeded).toBe(true);
    expect((await store.consume([{ key: 'k', rule }], 24_000))[0]!.exceeded).toBe(false);
  });

  it('counts a request against several keys all or none', async () => {
    const store = createMemoryRateLimitStore();
    const small = { limit: 1, windowMs: W };
    await store.consume([{ key: 'email', rule: small }], 1_000);
    const both = await store.consume(
      [
        { key: 'ip', rule },
        { key: 'email', rule: small },
      ],
      1_001,
    );
    expect(both.map((d) => d.exceeded)).toEqual([false, true]);
    // The IP's budget was not touched by the refused request.
    expect((await store.consume([{ key: 'ip', rule }], 1_002))[0]!.remaining).toBe(4);
  });
});
