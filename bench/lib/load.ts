import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';
import { cpuBetween, sampleCpu, type CpuUsage } from './cpu.js';

export interface LoadSpec {
  /** Stable key, e.g. `list-first`. */
  key: string;
  title: string;
  connections: number;
  /** Measured seconds. */
  duration: number;
  /** Unmeasured seconds before, at the same concurrency (JIT, pool, caches). 0 for none. */
  warmup: number;
  requests: AutocannonRequest[];
}

export interface LoadResult {
  key: string;
  title: string;
  connections: number;
  durationSeconds: number;
  responses: number;
  /** Completed responses per second over the measured window. */
  rps: number;
  /** Latency percentiles in ms, nearest-rank over every response's own time (see README). */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  /** Autocannon's own percentiles (HDR histogram, whole ms), for comparison. */
  autocannon: { p50: number; p90: number; p97_5: number; p99: number; rpsAverage: number };
  cpu: CpuUsage | null;
  /** Database transactions per response (pg_stat_database delta; the stats are flushed about once a second, so ±1 s of traffic). */
  transactionsPerRequest: number | null;
  /** First few non-2xx bodies, for diagnosis. */
  sampleErrors: string[];
  /**
   * Share of sampled busy backends (every 250 ms) per wait event, `CPU` when not
   * waiting, `ClientRead (idle in tx)` when waiting for the API inside a transaction.
   */
  dbActivity: Record<string, number>;
}

export interface CpuProbe {
  apiPid: number;
  postgresPids(): Promise<number[]>;
  /** Committed + rolled-back transactions of the bench database so far (pg_stat_database). */
  transactions(): Promise<number>;
  /** What the bench database's busy backends are doing now: wait event (or `CPU`), one entry per backend. */
  activity(): Promise<string[]>;
}

function run(
  options: Parameters<typeof autocannon>[0],
  onLatency?: (ms: number, status: number) => void,
): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    if (onLatency) instance.on('response', (_client, status, _bytes, ms) => onLatency(ms, status));
  });
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Runs one scenario: a warm-up, then the measured run. Every response's latency
 * (autocannon's `response` event: hrtime from writing the request to the end of
 * the response, sub-millisecond) is kept, so p50/p95/p99 are exact nearest-rank
 * percentiles rather than histogram buckets.
 */
export async function runLoad(
  baseUrl: string,
  spec: LoadSpec,
  probe: CpuProbe | null,
  drain: () => Promise<void>,
): Promise<LoadResult> {
  const common = { url: baseUrl, connections: spec.connections, pipelining: 1, timeout: 30 } as const;
  if (spec.warmup > 0) {
    await run({ ...common, duration: spec.warmup, requests: spec.requests });
    // Requests still in flight when autocannon stops keep the server busy: let them finish first.
    await drain();
  }

  const sampleErrors: string[] = [];
  const requests = spec.requests.map<AutocannonRequest>((r) => ({
    ...r,
    onResponse: (status, body, context, headers) => {
      if ((status < 200 || status > 299) && sampleErrors.length < 3)
        sampleErrors.push(`${status} ${body.slice(0, 300)}`);
      r.onResponse?.(status, body, context, headers);
    },
  }));
  const latencies: number[] = [];
  const before = probe ? sampleCpu(probe.apiPid, await probe.postgresPids()) : null;
  const txBefore = probe ? await probe.transactions() : null;
  const activity = new Map<string, number>();
  let activitySamples = 0;
  let sampling = false;
  const sampler = probe
    ? setInterval(() => {
        if (sampling) return;
        sampling = true;
        probe
          .activity()
          .then((events) => {
            activitySamples += events.length;
            for (const e of events) activity.set(e, (activity.get(e) ?? 0) + 1);
          })
          .catch(() => undefined)
          .finally(() => (sampling = false));
      }, 250)
    : null;
  const result = await run({ ...common, duration: spec.duration, requests }, (ms) => latencies.push(ms)).finally(
    () => sampler && clearInterval(sampler),
  );
  const after = probe ? sampleCpu(probe.apiPid, await probe.postgresPids()) : null;
  await drain();
  // pg_stat_database is updated when backends report (PGSTAT_MIN_INTERVAL, 1 s): wait for it.
  const txAfter = probe
    ? await new Promise((resolve) => setTimeout(resolve, 1100)).then(() => probe.transactions())
    : null;

  const sorted = Float64Array.from(latencies).sort();
  const sum = latencies.reduce((s, v) => s + v, 0);
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) statusCodes[code] = count;
  return {
    key: spec.key,
    title: spec.title,
    connections: spec.connections,
    durationSeconds: result.duration,
    responses: latencies.length,
    rps: round(latencies.length / result.duration, 1),
    p50: round(percentile(sorted, 0.5)),
    p95: round(percentile(sorted, 0.95)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted.at(-1) ?? Number.NaN),
    mean: round(latencies.length ? sum / latencies.length : Number.NaN),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    autocannon: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p97_5: result.latency.p97_5,
      p99: result.latency.p99,
      rpsAverage: result.requests.average,
    },
    cpu: before && after ? cpuBetween(before, after) : null,
    transactionsPerRequest:
      txBefore !== null && txAfter !== null && latencies.length
        ? round((txAfter - txBefore) / latencies.length, 2)
        : null,
    sampleErrors,
    dbActivity: Object.fromEntries(
      [...activity]
        .sort((a, b) => b[1] - a[1])
        .map(([event, n]) => [event, round(n / Math.max(1, activitySamples), 3)]),
    ),
  };
}
