/** At most `limit` requests per `windowMs`, counted over a sliding window. */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

/** Where one key stands after {@link RateLimitStore.consume}. */
export interface RateLimitDecision {
  /** The key had no room for this request. */
  exceeded: boolean;
  /** Whole requests still available now (this one counted, when it was). */
  remaining: number;
  /**
   * Milliseconds until one more request is available than `remaining` says,
   * given no other requests meanwhile. When `exceeded`, the wait after which
   * the same request succeeds.
   */
  resetMs: number;
}

/**
 * Counts requests per key over a trailing window. The in-memory store serves one
 * process; a shared store (Redis, Postgres) implements the same interface for
 * several API instances (`consume` as one atomic script or transaction).
 */
export interface RateLimitStore {
  /**
   * Takes one request from every key's budget, all or none: when any key is
   * over its limit, nothing is counted (a refused request does not push the
   * client's wait further out), and each key says where it stands.
   */
  consume(requests: readonly { key: string; rule: RateLimitRule }[], nowMs: number): Promise<RateLimitDecision[]>;
}

interface Counters {
  /** Start of the current fixed window (a multiple of the window length). */
  start: number;
  current: number;
  previous: number;
}

/**
 * The counters of `c` rolled forward to the window holding `nowMs` (a pure view:
 * `c` is not changed).
 */
function rolled(c: Counters | undefined, windowMs: number, nowMs: number): Counters {
  const start = Math.floor(nowMs / windowMs) * windowMs;
  if (!c) return { start, current: 0, previous: 0 };
  if (c.start === start) return c;
  // One window on: this becomes the previous one; more than one: both are old.
  return { start, current: 0, previous: c.start + windowMs === start ? c.current : 0 };
}

/**
 * The sliding count of `c` at `nowMs`, times `windowMs`: this window's requests
 * plus the previous window's weighted by how much of it still lies within the
 * trailing window. Kept as an integer (milliseconds × requests) so limits are
 * compared exactly, with no rounding at the edges.
 */
function scaledCount(c: Counters, windowMs: number, nowMs: number): number {
  return c.current * windowMs + c.previous * (windowMs - (nowMs - c.start));
}

/**
 * Milliseconds from `nowMs` until the sliding count of `c` (already rolled to
 * `nowMs`) falls to at most `units` requests, given no new requests. The count
 * only falls as time passes (the previous window fades, then this one becomes
 * the previous and fades), so the first such moment is the answer; it is found
 * in this window or the next, and two windows on, nothing is counted.
 */
function msUntilAtMost(c: Counters, windowMs: number, nowMs: number, units: number): number {
  const target = units * windowMs;
  if (scaledCount(c, windowMs, nowMs) <= target) return 0;
  // In this window: current·W + previous·(W − e) ≤ target, for the offset e into the window.
  if (c.previous > 0 && c.current * windowMs <= target) {
    const offset = windowMs - Math.floor((target - c.current * windowMs) / c.previous);
    if (offset < windowMs) return c.start + offset - nowMs;
  }
  // In the next: this window's requests are the previous ones, current·(W − e) ≤ target.
  const offset = c.current === 0 ? 0 : Math.max(0, windowMs - Math.floor(target / c.current));
  return c.start + windowMs + offset - nowMs;
}

/** Where a key stands at `nowMs` under `rule`. */
function standing(c: Counters, rule: RateLimitRule, nowMs: number, exceeded: boolean): RateLimitDecision {
  const { limit, windowMs } = rule;
  const remaining = Math.max(0, Math.floor((limit * windowMs - scaledCount(c, windowMs, nowMs)) / windowMs));
  return {
    exceeded,
    remaining,
    resetMs: remaining >= limit ? 0 : msUntilAtMost(c, windowMs, nowMs, limit - remaining - 1),
  };
}

/**
 * A process-local store with sliding-window counters: the count is this window's
 * requests plus the previous window's, weighted by how much of it still lies within
 * the trailing window. Plain fixed windows let a client send the limit at the end
 * of one window and again at the start of the next (twice the limit within
 * milliseconds); two counters per key smooth that out at constant memory. Expired
 * keys are swept as windows pass, so memory stays bounded by active keys.
 */
export function createMemoryRateLimitStore(): RateLimitStore {
  const counters = new Map<string, Counters>();
  let nextSweep = 0;
  let longestWindow = 0;
  function sweep(windowMs: number, nowMs: number): void {
    longestWindow = Math.max(longestWindow, windowMs);
    if (nowMs < nextSweep) return;
    for (const [k, c] of counters) if (c.start + 2 * longestWindow <= nowMs) counters.delete(k);
    nextSweep = nowMs + windowMs;
  }
  return {
    async consume(requests, nowMs) {
      for (const { rule } of requests) sweep(rule.windowMs, nowMs);
      const now = requests.map(({ key, rule }) => rolled(counters.get(key), rule.windowMs, nowMs));
      const exceeded = requests.map(
        ({ rule }, i) => scaledCount(now[i]!, rule.windowMs, nowMs) + rule.windowMs > rule.limit * rule.windowMs,
      );
      if (exceeded.includes(true)) return requests.map(({ rule }, i) => standing(now[i]!, rule, nowMs, exceeded[i]!));
      return requests.map(({ key, rule }, i) => {
        const c = { ...now[i]!, current: now[i]!.current + 1 };
        counters.set(key, c);
        return standing(c, rule, nowMs, false);
      });
    },
  };
}
