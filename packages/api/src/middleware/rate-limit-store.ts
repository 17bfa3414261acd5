/** The counter of one rate-limit window. */
export interface RateLimitWindow {
  /** Requests counted in the trailing window, this one included (see the store for how). */
  count: number;
  /** When the current counting window ends, in epoch milliseconds. */
  resetAt: number;
}

/**
 * Counts requests per key over a trailing window. The in-memory store serves one
 * process; a shared store (Redis, Postgres) implements the same interface for
 * several API instances.
 */
export interface RateLimitStore {
  hit(key: string, windowMs: number, nowMs: number): Promise<RateLimitWindow>;
}

interface Counters {
  /** Start of the current fixed window (a multiple of the window length). */
  start: number;
  current: number;
  previous: number;
}

/**
 * A process-local store with sliding-window counters: the count is this window's
 * requests plus the previous window's, weighted by how much of it still lies within
 * the trailing window, rounded. Plain fixed windows let a client send the limit at
 * the end of one window and again at the start of the next (twice the limit within
 * milliseconds); two counters per key smooth that out at constant memory. Expired
 * keys are swept as windows pass, so memory stays bounded by active keys.
 */
export function createMemoryRateLimitStore(): RateLimitStore {
  const counters = new Map<string, Counters>();
  let nextSweep = 0;
  return {
    async hit(key, windowMs, nowMs) {
      if (nowMs >= nextSweep) {
        for (const [k, c] of counters) if (c.start + 2 * windowMs <= nowMs) counters.delete(k);
        nextSweep = nowMs + windowMs;
      }
      const start = Math.floor(nowMs / windowMs) * windowMs;
      let c = counters.get(key);
      if (!c) {
        c = { start, current: 0, previous: 0 };
        counters.set(key, c);
      } else if (c.start !== start) {
        // One window on: this becomes the previous one; more than one: both are old.
        c.previous = c.start + windowMs === start ? c.current : 0;
        c.current = 0;
        c.start = start;
      }
      c.current += 1;
      const overlap = 1 - (nowMs - start) / windowMs;
      return { count: Math.round(c.current + c.previous * overlap), resetAt: start + windowMs };
    },
  };
}
