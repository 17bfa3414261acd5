/** The counter of one rate-limit window. */
export interface RateLimitWindow {
  /** Requests counted in the window so far, this one included. */
  count: number;
  /** When the window ends, in epoch milliseconds. */
  resetAt: number;
}

/**
 * Counts requests per key in fixed windows. The in-memory store serves one
 * process; a shared store (Redis, Postgres) implements the same interface for
 * several API instances.
 */
export interface RateLimitStore {
  hit(key: string, windowMs: number, nowMs: number): Promise<RateLimitWindow>;
}

/** A process-local store. Expired windows are swept as new ones open, so memory stays bounded by active keys. */
export function createMemoryRateLimitStore(): RateLimitStore {
  const windows = new Map<string, RateLimitWindow>();
  let nextSweep = 0;
  return {
    async hit(key, windowMs, nowMs) {
      if (nowMs >= nextSweep) {
        for (const [k, w] of windows) if (w.resetAt <= nowMs) windows.delete(k);
        nextSweep = nowMs + windowMs;
      }
      let window = windows.get(key);
      if (!window || window.resetAt <= nowMs) {
        window = { count: 0, resetAt: Math.floor(nowMs / windowMs) * windowMs + windowMs };
        windows.set(key, window);
      }
      window.count += 1;
      return { ...window };
    },
  };
}
