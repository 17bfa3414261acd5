import { describe, expect, it } from 'vitest';
import { createMemoryRateLimitStore } from './rate-limit-store.js';

const W = 10_000;

describe('the in-memory rate-limit store (sliding window)', () => {
  it('counts within a window and keeps keys apart', async () => {
    const store = createMemoryRateLimitStore();
    for (let i = 1; i <= 3; i++) expect((await store.hit('a', W, 1_000 + i)).count).toBe(i);
    expect((await store.hit('b', W, 1_005)).count).toBe(1);
    expect((await store.hit('a', W, 1_006)).resetAt).toBe(W);
  });

  it('does not give a fresh budget at a window boundary: the limit sent just before and just after still counts', async () => {
    const store = createMemoryRateLimitStore();
    for (let i = 0; i < 5; i++) await store.hit('k', W, 9_990 + i);
    // 20 ms later, in the next window: 5 of the previous window's requests are still within the last 10 s.
    expect((await store.hit('k', W, 10_010)).count).toBe(6);
  });

  it('lets the previous window fade as it leaves the trailing window, and forgets it after two', async () => {
    const store = createMemoryRateLimitStore();
    for (let i = 0; i < 10; i++) await store.hit('k', W, 1_000 + i);
    expect((await store.hit('k', W, 15_000)).count).toBe(6); // 1 + 10 × 0.5
    expect((await store.hit('k', W, 19_000)).count).toBe(3); // 2 + 10 × 0.1
    expect((await store.hit('k', W, 25_000)).count).toBe(2); // 1 + 2 × 0.5 (the window before had 2)
    expect((await store.hit('k', W, 45_000)).count).toBe(1); // two windows on: nothing carried over
  });
});
