/**
 * A/B of server variants (see variant-server.ts) on one read scenario,
 * alternating variants for several rounds so background noise hits all alike.
 *
 *   node --import tsx bench/experiments/compare.ts
 *
 * BENCH_COMPARE_PATH (default /v1/members?limit=20), BENCH_COMPARE_ROUNDS (2),
 * BENCH_DURATION (8 s), BENCH_CONNECTIONS (50), BENCH_POOL_SIZE (10).
 */
import path from 'node:path';
import pg from 'pg';
import { benchDatabaseUrl, databaseNameOf, DATA_DIR, intEnv, readTenantsFile } from '../lib/config.js';
import { runLoad, type LoadResult } from '../lib/load.js';
import { createProbe } from '../lib/probe.js';
import { startServer } from '../lib/server.js';

const VARIANTS: { name: string; env: Record<string, string> }[] = [
  { name: 'as shipped', env: {} },
  { name: 'key cache 60 s', env: { VARIANT_KEY_CACHE_MS: '60000' } },
  { name: 'key cache + no request log', env: { VARIANT_KEY_CACHE_MS: '60000', VARIANT_NO_REQUEST_LOG: '1' } },
];

const file = await readTenantsFile();
if (!file?.complete) throw new Error('Run npm run bench:generate first.');
const tenant = [...file.tenants].sort((a, b) => b.members - a.members)[0]!;
const requestPath = process.env.BENCH_COMPARE_PATH ?? '/v1/members?limit=20';
const rounds = intEnv('BENCH_COMPARE_ROUNDS', 2, 1, 5);
const duration = intEnv('BENCH_DURATION', 8, 1, 60);
const connections = intEnv('BENCH_CONNECTIONS', 50, 1, 500);
const poolSize = intEnv('BENCH_POOL_SIZE', 10, 1, 90);
const results = new Map<string, LoadResult[]>();
const idle = () => new Promise<void>((resolve) => setTimeout(resolve, 500));
const admin = new pg.Client({ connectionString: benchDatabaseUrl() });
await admin.connect();

/** CPU milliseconds one request costs a process: robust to other load on the machine, unlike req/s. */
const cpuMs = (r: LoadResult, who: 'api' | 'postgres') => (r.cpu ? ((r.cpu[who] * 1000) / r.rps).toFixed(2) : '–');

for (let round = 0; round < rounds; round++) {
  for (const variant of VARIANTS) {
    const server = await startServer({
      databaseUrl: benchDatabaseUrl(),
      port: intEnv('BENCH_PORT', 8799, 1024, 65535),
      poolSize,
      logFile: path.join(DATA_DIR, 'variant-server.log'),
      entry: 'bench/experiments/variant-server.ts',
      extraEnv: variant.env,
    });
    try {
      const r = await runLoad(
        server.baseUrl,
        {
          key: variant.name,
          title: variant.name,
          connections,
          duration,
          warmup: 2,
          requests: [{ method: 'GET', path: requestPath, headers: { Authorization: `Bearer ${tenant.secretKey}` } }],
        },
        createProbe(admin, databaseNameOf(benchDatabaseUrl()).name, server.pid),
        idle,
      );
      results.set(variant.name, [...(results.get(variant.name) ?? []), r]);
      process.stdout.write(
        `round ${round + 1} ${variant.name}: ${r.rps} req/s, p50 ${r.p50} p95 ${r.p95} p99 ${r.p99} ms, non-2xx ${r.non2xx}, ` +
          `CPU ms/request api ${cpuMs(r, 'api')} pg ${cpuMs(r, 'postgres')}, other load ${r.cpu?.other.toFixed(2)} cores\n`,
      );
    } finally {
      await server.stop();
    }
  }
}
await admin.end();
process.stdout.write(
  `\n${requestPath}, ${connections} connections, pool ${poolSize}, ${rounds} × ${duration} s each (means over rounds)\n\n` +
    '| variant | req/s | p50 ms | p95 ms | p99 ms | API CPU ms/req | PG CPU ms/req | db tx/req | other load (cores) |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n',
);
for (const [name, rs] of results) {
  const avg = (f: (r: LoadResult) => number, digits = 1) =>
    (rs.reduce((s, r) => s + f(r), 0) / rs.length).toFixed(digits);
  process.stdout.write(
    `| ${name} | ${avg((r) => r.rps)} | ${avg((r) => r.p50)} | ${avg((r) => r.p95)} | ${avg((r) => r.p99)} | ` +
      `${avg((r) => ((r.cpu?.api ?? 0) * 1000) / r.rps, 2)} | ${avg((r) => ((r.cpu?.postgres ?? 0) * 1000) / r.rps, 2)} | ` +
      `${avg((r) => r.transactionsPerRequest ?? 0, 2)} | ${avg((r) => r.cpu?.other ?? 0, 2)} |\n`,
  );
}
