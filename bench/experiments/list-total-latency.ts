/**
 * Latency of the admin table's first request, `GET /v1/members?limit=50&include_total=true`,
 * one request at a time (a staff user opening the table), on the largest bench tenant.
 *
 *   node --import tsx bench/experiments/list-total-latency.ts
 *
 * Prints p50/p95/max over BENCH_SAMPLES (200) requests after 20 warm-up requests, for
 * the list with and without the total, so the total's cost can be read off.
 */
import { benchDatabaseUrl, DATA_DIR, intEnv, readTenantsFile } from '../lib/config.js';
import { startServer } from '../lib/server.js';
import path from 'node:path';

const SAMPLES = intEnv('BENCH_SAMPLES', 200);
const tenants = await readTenantsFile();
if (!tenants?.complete) throw new Error('Run bench/generate.ts first.');
const tenant = [...tenants.tenants].sort((a, b) => b.members - a.members)[0]!;
const server = await startServer({
  databaseUrl: benchDatabaseUrl(),
  port: intEnv('BENCH_PORT', 8797),
  poolSize: 10,
  logFile: path.join(DATA_DIR, 'list-total-server.log'),
});

async function measure(route: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < 20 + SAMPLES; i++) {
    const start = performance.now();
    const res = await fetch(`${server.baseUrl}${route}`, { headers: { authorization: `Bearer ${tenant.secretKey}` } });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${route}: ${res.status}`);
    if (i >= 20) times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}
const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
try {
  for (const route of ['/v1/members?limit=50', '/v1/members?limit=50&include_total=true']) {
    const t = await measure(route);
    console.log(
      `${route.padEnd(42)} p50 ${pct(t, 0.5).toFixed(1)} ms  p95 ${pct(t, 0.95).toFixed(1)} ms  max ${t.at(-1)!.toFixed(1)} ms  (${SAMPLES} requests, ${tenant.members} members)`,
    );
  }
} finally {
  await server.stop();
}
