/**
 * Memory of the members import under large uploads: starts the real API process,
 * streams CSV files generated on the fly (never stored, never held whole) into
 * `POST /v1/members/import` over HTTP as chunked uploads, and samples the API
 * process's RSS (/proc/<pid>/status, every 100 ms) and GET /health latency.
 *
 *   node --import tsx bench/import-memory.ts
 *
 * Scenarios, one after the other, each after a small warm-up import:
 *   valid-100mb     100 MB of valid rows (about 1.4 million members), written
 *   rejected-100mb  the same with a bad first row: every row read and validated, none written
 *   one-line-60mb   a header and one 60 MB line: one row error, nothing held
 *   two-50mb        two 50 MB uploads of valid rows at once, to two tenants
 *
 * Environment (all optional): BENCH_DATABASE_URL (a PostgreSQL 15 server database
 * on 127.0.0.1 whose name contains "bench_import": dropped and created anew;
 * without it the API runs on PGlite in bench/.data/import-memory-pglite), BENCH_PORT
 * (8798), BENCH_IMPORT_MB (100), BENCH_ONE_LINE_MB (60), BENCH_CONCURRENT_MB (50),
 * BENCH_ONLY (comma-separated scenario names). Not a test: nothing here runs in CI.
 * Writes bench/.data/import-memory-<time>.json; results go in bench/RESULTS.md.
 */
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { databaseNameOf, DATA_DIR, intEnv } from './lib/config.js';
import { startServer, type RunningServer } from './lib/server.js';

const MB = 1_000_000;
const PLATFORM_KEY = `mk_platform_bench_import_${Date.now().toString(36)}`;
const started = performance.now();
const log = (message: string) =>
  process.stdout.write(
    `[import-memory ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}\n`,
  );

interface ImportOutcome {
  status: number;
  seconds: number;
  totals?: Record<string, number>;
  applied?: boolean;
  errors?: unknown[];
}

interface ScenarioResult {
  name: string;
  uploadedMb: number;
  imports: ImportOutcome[];
  rssBeforeMb: number;
  rssPeakMb: number;
  rssGrowthMb: number;
  rssAfterMb: number;
  healthMaxMs: number;
  healthFailures: number;
  seconds: number;
}

const encoder = new TextEncoder();
const HEADER = 'email,first_name,last_name,status,tags\n';

/** Valid member rows up to `bytes`, made as the upload reads them (pull: backpressure from the socket). */
function validCsv(bytes: number, prefix: string, firstRow = ''): ReadableStream<Uint8Array> {
  let sent = 0;
  let n = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      let chunk = sent === 0 ? HEADER + firstRow : '';
      while (chunk.length < 64 * 1024 && sent + chunk.length < bytes) {
        chunk += `${prefix}${n}@import.example.org,First${n},Last${n},active,imported;batch${n % 7}\n`;
        n += 1;
      }
      sent += chunk.length;
      if (chunk) controller.enqueue(encoder.encode(chunk));
      if (sent >= bytes) controller.close();
    },
  });
}

/** A header and one row whose first name is `bytes` long: a single line, no line break until the end. */
function oneLineCsv(bytes: number): ReadableStream<Uint8Array> {
  const block = encoder.encode('x'.repeat(64 * 1024));
  let sent = -1;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent < 0) {
        controller.enqueue(encoder.encode(`${HEADER}long@import.example.org,`));
        sent = 0;
      } else if (sent < bytes) {
        controller.enqueue(block);
        sent += block.length;
      } else {
        controller.enqueue(encoder.encode(',Line,active,\n'));
        controller.close();
      }
    },
  });
}

async function postImport(
  server: RunningServer,
  key: string,
  body: ReadableStream<Uint8Array>,
): Promise<ImportOutcome> {
  const t0 = performance.now();
  const res = await fetch(`${server.baseUrl}/v1/members/import`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'text/csv' },
    body,
    duplex: 'half',
  } as RequestInit);
  const text = await res.text();
  const seconds = Math.round((performance.now() - t0) / 100) / 10;
  try {
    const json = JSON.parse(text) as { totals?: Record<string, number>; applied?: boolean; errors?: unknown[] };
    return {
      status: res.status,
      seconds,
      totals: json.totals,
      applied: json.applied,
      errors: json.errors?.slice(0, 3),
    };
  } catch {
    return { status: res.status, seconds, errors: [text.slice(0, 200)] };
  }
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return Math.round((kb * 1024) / MB);
}

/** Samples RSS and /health latency while `work` runs. */
async function measure(server: RunningServer, work: () => Promise<ImportOutcome[]>) {
  const before = rssMb(server.pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server.pid))), 100);
  let running = true;
  let healthMax = 0;
  let healthFailures = 0;
  const health = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        const res = await fetch(`${server.baseUrl}/health`, { signal: AbortSignal.timeout(5_000) });
        await res.arrayBuffer();
        if (!res.ok) healthFailures += 1;
      } catch {
        healthFailures += 1;
      }
      healthMax = Math.max(healthMax, performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  })();
  const t0 = performance.now();
  const imports = await work();
  const seconds = Math.round((performance.now() - t0) / 100) / 10;
  running = false;
  await health;
  clearInterval(sampler);
  peak = Math.max(peak, rssMb(server.pid));
  return {
    imports,
    rssBeforeMb: before,
    rssPeakMb: peak,
    rssGrowthMb: peak - before,
    rssAfterMb: rssMb(server.pid),
    healthMaxMs: Math.round(healthMax),
    healthFailures,
    seconds,
  };
}

async function createTenant(server: RunningServer, name: string): Promise<string> {
  const res = await fetch(`${server.baseUrl}/v1/platform/tenants`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${PLATFORM_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, slug: `${name}-${Date.now().toString(36)}` }),
  });
  if (res.status !== 201) throw new Error(`Creating tenant ${name}: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { secret_key: string }).secret_key;
}

/** A fresh server database, or '' for PGlite in a fresh folder. */
async function prepareDatabase(dataDir: string): Promise<string> {
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) return '';
  const { name, adminUrl } = databaseNameOf(url);
  if (!['127.0.0.1', 'localhost'].includes(new URL(url).hostname))
    throw new Error('BENCH_DATABASE_URL must point at 127.0.0.1.');
  if (!name.includes('bench_import'))
    throw new Error(
      `BENCH_DATABASE_URL's database must be named *bench_import* (it is dropped and created anew), got ${name}.`,
    );
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return url;
}

async function main() {
  const importMb = intEnv('BENCH_IMPORT_MB', 100);
  const oneLineMb = intEnv('BENCH_ONE_LINE_MB', 60);
  const concurrentMb = intEnv('BENCH_CONCURRENT_MB', 50);
  const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : null;
  const dataDir = path.join(DATA_DIR, process.env.BENCH_DATABASE_URL ? 'import-memory-server' : 'import-memory-pglite');
  const databaseUrl = await prepareDatabase(dataDir);
  const server = await startServer({
    databaseUrl,
    port: intEnv('BENCH_PORT', 8798, 1024, 65535),
    poolSize: 10,
    logFile: path.join(dataDir, 'server.log'),
    extraEnv: {
      MEMBERKIT_DATA_DIR: dataDir,
      MEMBERKIT_PLATFORM_KEY: PLATFORM_KEY,
      MEMBERKIT_MAIL_WORKER: '0',
      MEMBERKIT_RETENTION_WORKER: '0',
      MEMBERKIT_SITE: '0',
    },
  });
  log(`API pid ${server.pid} on ${databaseUrl ? databaseNameOf(databaseUrl).name : 'PGlite'}: ${server.command}`);
  const results: ScenarioResult[] = [];
  try {
    const warmKey = await createTenant(server, 'warmup');
    const warm = await postImport(server, warmKey, validCsv(1 * MB, 'w'));
    log(`warm-up import of 1 MB: ${JSON.stringify(warm)}`);

    const scenarios: { name: string; uploadedMb: number; run: () => Promise<ImportOutcome[]> }[] = [
      {
        name: 'valid-100mb',
        uploadedMb: importMb,
        run: async () => [await postImport(server, await createTenant(server, 'big'), validCsv(importMb * MB, 'b'))],
      },
      {
        // Every row is read and validated but, as the first one fails, none is written: the parser alone.
        name: 'rejected-100mb',
        uploadedMb: importMb,
        run: async () => [
          await postImport(
            server,
            await createTenant(server, 'rejected'),
            validCsv(importMb * MB, 'r', 'not-an-email,Bad,Row,active,\n'),
          ),
        ],
      },
      {
        name: 'one-line-60mb',
        uploadedMb: oneLineMb,
        run: async () => [await postImport(server, await createTenant(server, 'oneline'), oneLineCsv(oneLineMb * MB))],
      },
      {
        name: 'two-50mb',
        uploadedMb: 2 * concurrentMb,
        run: async () => {
          const [a, b] = [await createTenant(server, 'pair-a'), await createTenant(server, 'pair-b')];
          return Promise.all([
            postImport(server, a, validCsv(concurrentMb * MB, 'a')),
            postImport(server, b, validCsv(concurrentMb * MB, 'b')),
          ]);
        },
      },
    ];
    for (const scenario of scenarios) {
      if (only && !only.has(scenario.name)) continue;
      log(`${scenario.name}: uploading ${scenario.uploadedMb} MB…`);
      const measured = await measure(server, scenario.run);
      const result = { name: scenario.name, uploadedMb: scenario.uploadedMb, ...measured };
      results.push(result);
      log(`${scenario.name}: ${JSON.stringify(result)}`);
    }
  } finally {
    await server.stop();
  }

  const file = path.join(DATA_DIR, `import-memory-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(
    file,
    JSON.stringify({ database: databaseUrl ? 'postgresql' : 'pglite', command: server.command, results }, null, 2),
  );
  process.stdout.write(
    '\n| scenario | uploaded | seconds | RSS before | peak | growth | after | /health max | /health failures | outcome |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n',
  );
  for (const r of results) {
    const outcome = r.imports
      .map(
        (i) =>
          `${i.status} ${i.applied ? 'applied' : 'not applied'}, ${i.totals ? `rows ${i.totals.rows}, created ${i.totals.created}, failed ${i.totals.failed}` : JSON.stringify(i.errors)}`,
      )
      .join('; ');
    process.stdout.write(
      `| ${r.name} | ${r.uploadedMb} MB | ${r.seconds} | ${r.rssBeforeMb} MB | ${r.rssPeakMb} MB | **${r.rssGrowthMb} MB** | ${r.rssAfterMb} MB | ${r.healthMaxMs} ms | ${r.healthFailures} | ${outcome} |\n`,
    );
  }
  log(`wrote ${path.relative(process.cwd(), file)}`);
}

await main();
