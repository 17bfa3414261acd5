/**
 * Imports 100,000 members in one request, streamed, and reports time and memory:
 * `node --conditions=memberkit-source --import tsx bench/import/import-100k.ts [rows]`. Runs on an in-memory
 * PGlite (or DATABASE_URL), through the real app and its HTTP interface.
 */
import {
  connectDatabase,
  createApp,
  createDatabaseKeyStore,
  createMemoryRateLimitStore,
  createUlidGenerator,
  defaultConfig,
  silentLogger,
  systemClock,
} from '@memberkit/api';
import { createPbkdf2Hasher, createSecretBox, createTenant, generateMasterKey } from '@memberkit/api/testing/bench';

const rows = Number(process.argv[2] ?? 100_000);
const url = process.env.DATABASE_URL;
const db = await connectDatabase(url ? { driver: 'pg', url } : { driver: 'pglite' });
await db.migrate();
const deps = {
  db,
  clock: systemClock,
  ids: createUlidGenerator(systemClock),
  keys: createDatabaseKeyStore(db, systemClock),
  logger: silentLogger,
  rateLimits: createMemoryRateLimitStore(),
  secretBox: await createSecretBox(generateMasterKey()),
  passwordHasher: createPbkdf2Hasher(),
  config: defaultConfig,
};
const app = createApp(deps);
const tenant = await createTenant(deps, { name: 'Import bench', slug: `import-${Date.now().toString(36)}` });

// The CSV is produced chunk by chunk as the server reads it: neither side ever holds the whole file.
let produced = 0;
const encoder = new TextEncoder();
const body = new ReadableStream<Uint8Array>({
  pull(controller) {
    if (produced === 0) controller.enqueue(encoder.encode('email,first_name,last_name,status,tags\n'));
    let chunk = '';
    for (let i = 0; i < 1000 && produced < rows; i++, produced++) {
      chunk += `member${produced}@import.example.org,First${produced},Last${produced},active,imported;batch${produced % 7}\n`;
    }
    controller.enqueue(encoder.encode(chunk));
    if (produced >= rows) controller.close();
  },
});

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
const started = performance.now();
// Node's fetch needs `duplex` for a streamed request body; the DOM's RequestInit type (when lib.dom is in the
// program) lacks it, Node's has it: spelled out so the file type-checks either way.
const init: RequestInit & { duplex: 'half' } = {
  method: 'POST',
  headers: { Authorization: `Bearer ${tenant.secretKey}`, 'Content-Type': 'text/csv' },
  body,
  duplex: 'half',
};
const response = await app.request('/v1/members/import', init);
const result = (await response.json()) as { totals: Record<string, number>; applied: boolean };
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
console.log(
  JSON.stringify({
    driver: db.driver,
    rows,
    status: response.status,
    applied: result.applied,
    totals: result.totals,
    seconds: Math.round(seconds * 10) / 10,
    rows_per_second: Math.round(rows / seconds),
    peak_rss_mb: Math.round(peakRss / 1e6),
  }),
);
await db.close();
process.exit(0);
