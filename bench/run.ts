/**
 * Members API benchmark: starts the real API process on the bench database,
 * verifies every scenario's request, then drives each with autocannon.
 *
 *   node --conditions=memberkit-source --import tsx bench/run.ts
 *
 * Environment (all optional): BENCH_DATABASE_URL, BENCH_PORT (8799),
 * BENCH_POOL_SIZE (10, MEMBERKIT_DB_POOL_SIZE of the server), BENCH_CONNECTIONS
 * (50), BENCH_DURATION (12 s), BENCH_WARMUP (3 s), BENCH_LIGHT_DURATION (5 s,
 * 0 skips the light-load pass), BENCH_BULK_CONNECTIONS (4), BENCH_BULK_DURATION
 * (20 s), BENCH_QUIET_WAIT (10 s: how long to wait, before each measurement,
 * for other programs to leave the cores idle), BENCH_ONLY (comma-separated
 * scenario keys), BENCH_DEEP_ROW (100,000: the row the deep page starts after;
 * lower it for a smoke run on a small data set). Needs `npm run bench:generate` first.
 *
 * Writes bench/.data/report-<time>.md and .json; leaves the data as it found
 * it (members it created are deleted, bulk-changed statuses restored).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AutocannonRequest } from 'autocannon';
import pg from 'pg';
import { createDatabaseKeyStore, systemClock } from '@memberkit/api';
import {
  createSecretBox,
  type CursorBinding,
  encodeCursor,
  generateMasterKey,
  getMember,
  listMembers,
  type MemberListQuery,
  type SecretBox,
  type ServiceDeps,
} from '@memberkit/api/testing/bench';
import {
  benchDatabaseUrl,
  databaseNameOf,
  DATA_DIR,
  intEnv,
  readTenantsFile,
  REPO_ROOT,
  type BenchTenant,
} from './lib/config.js';
import { waitForQuiet } from './lib/cpu.js';
import { type BenchServices, captureQueries, explainAsApp, openServices, type CapturedQuery } from './lib/explain.js';
import { runLoad, type LoadResult, type LoadSpec } from './lib/load.js';
import { createProbe } from './lib/probe.js';
import { renderReport, type RunReport, type ScenarioInfo } from './lib/report.js';
import { startServer, type RunningServer } from './lib/server.js';

const BUDGET_MS = 14 * 60 * 1000;
const LOAD_EMAIL_DOMAIN = 'load.bench.example';
const BULK_GROUPS = 8;
const BULK_SIZE = 1000;
const BULK_RESTORE_FILE = path.join(DATA_DIR, 'bulk-restore.json');

const runStarted = performance.now();
function log(message: string): void {
  process.stdout.write(`[bench ${((performance.now() - runStarted) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
}

interface Config {
  databaseUrl: string;
  dbName: string;
  port: number;
  poolSize: number;
  connections: number;
  duration: number;
  warmup: number;
  lightDuration: number;
  bulkConnections: number;
  bulkDuration: number;
  quietWait: number;
  deepRow: number;
  only: Set<string> | null;
}

function readConfig(): Config {
  const databaseUrl = benchDatabaseUrl();
  const only = process.env.BENCH_ONLY
    ? new Set(
        process.env.BENCH_ONLY.split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
    : null;
  return {
    databaseUrl,
    dbName: databaseNameOf(databaseUrl).name,
    port: intEnv('BENCH_PORT', 8799, 1024, 65535),
    poolSize: intEnv('BENCH_POOL_SIZE', 10, 1, 90),
    connections: intEnv('BENCH_CONNECTIONS', 50, 1, 500),
    duration: intEnv('BENCH_DURATION', 12, 1, 120),
    warmup: intEnv('BENCH_WARMUP', 3, 0, 60),
    lightDuration: intEnv('BENCH_LIGHT_DURATION', 5, 0, 60),
    bulkConnections: intEnv('BENCH_BULK_CONNECTIONS', 4, 1, 50),
    bulkDuration: intEnv('BENCH_BULK_DURATION', 20, 1, 120),
    quietWait: intEnv('BENCH_QUIET_WAIT', 10, 0, 120),
    deepRow: intEnv('BENCH_DEEP_ROW', 100_000, 20),
    only,
  };
}

// ---------------------------------------------------------------------------
// Preparation (as the superuser session, no RLS)

interface SearchTerm {
  key: string;
  term: string;
  matches: number;
  why: string;
}

/** A cursor the bench signed itself, and the id of the first row of the page it should open. */
interface BenchCursor {
  cursor: string;
  afterKey: string;
  afterId: string;
  firstExpectedId: string;
}

interface Prepared {
  liveMembers: number;
  rare2: SearchTerm;
  /** After row 20: what page 1's next_cursor must be, byte for byte. */
  page2: BenchCursor;
  deep: BenchCursor;
  searches: SearchTerm[];
  filter: { status: string; tierId: string; tierName: string; matches: number };
  idPool: string[];
  bulkGroups: { ids: string[]; next: 'inactive' | 'active' }[];
}

/** How many members `?search=<term>` finds, asked of the API's own list service (its word rules, its escaping). */
async function countSearch(services: BenchServices, tenantId: string, term: string): Promise<number> {
  const page = await listMembers(services.deps, tenantId, {
    filter: { search: term },
    sort: 'created_at',
    order: 'desc',
    limit: 1,
    includeTotal: true,
  });
  if (page.total === null) throw new Error('listMembers gave no total with includeTotal.');
  return page.total;
}

/**
 * The binding the members list handler (packages/api/src/routes/members/members.handlers.ts)
 * gives its cursors: the tenant's list as scope, and the parsed filters with sort and order
 * as query. The default list (no filter, `created_at desc`) is `{ sort, order }` only.
 */
function membersListBinding(tenantId: string, query: Record<string, unknown>): CursorBinding {
  return { scope: `members:${tenantId}`, query };
}

/** The default sort's binding, the one list-first's next_cursor and the deep page use. */
const defaultListQuery = { sort: 'created_at', order: 'desc' } as const;

/**
 * The cursor after row `row` (1-based) of the tenant's default sort (created_at desc, id desc),
 * with the sort key as the service reads it (`created_at::text`), signed as the handler signs it.
 */
async function cursorAfterRow(
  admin: pg.Client,
  box: Pick<SecretBox, 'digest'>,
  tenantId: string,
  row: number,
): Promise<BenchCursor> {
  const rows = (
    await admin.query<{ key: string; id: string }>(
      'select created_at::text as key, id from members where tenant_id = $1 and deleted_at is null order by created_at desc, id desc offset $2 limit 2',
      [tenantId, row - 1],
    )
  ).rows;
  if (rows.length < 2)
    throw new Error(
      `The tenant has fewer than ${(row + 1).toLocaleString('en-US')} members (set BENCH_DEEP_ROW lower for a small data set).`,
    );
  const [after, next] = [rows[0]!, rows[1]!];
  const cursor = await encodeCursor(box, membersListBinding(tenantId, defaultListQuery), [after.key, after.id]);
  return { cursor, afterKey: after.key, afterId: after.id, firstExpectedId: next.id };
}

async function prepare(
  admin: pg.Client,
  services: BenchServices,
  box: Pick<SecretBox, 'digest'>,
  tenant: BenchTenant,
  deepRow: number,
): Promise<Prepared> {
  const t = tenant.id;
  const liveMembers = (
    await admin.query<{ n: number }>(
      'select count(*)::int as n from members where tenant_id = $1 and deleted_at is null',
      [t],
    )
  ).rows[0]!.n;

  // (b) The cursor after row 100,000 (BENCH_DEEP_ROW) of the default sort; and after row 20, to check the bench's
  // cursors against the one the server hands out.
  const deep = await cursorAfterRow(admin, box, t, deepRow);
  const page2 = await cursorAfterRow(admin, box, t, 20);

  // (c) Search terms: a 2-letter fragment, a common 3-letter one, the most common first name, a rare fragment.
  const searches: SearchTerm[] = [];
  searches.push({
    key: 'search-an',
    term: 'an',
    matches: await countSearch(services, t, 'an'),
    why: '2 letters: no trigram, the index cannot narrow it',
  });
  searches.push({
    key: 'search-mar',
    term: 'mar',
    matches: await countSearch(services, t, 'mar'),
    why: 'common 3-letter fragment (one trigram)',
  });
  const commonName = (
    await admin.query<{ name: string }>(
      `select lower(first_name) as name from members where tenant_id = $1 and first_name ~ '^[A-Za-z]{4,}$'
       group by 1 order by count(*) desc, 1 limit 1`,
      [t],
    )
  ).rows[0]!.name;
  searches.push({
    key: 'search-name',
    term: commonName,
    matches: await countSearch(services, t, commonName),
    why: 'the most common first name',
  });
  // Rare: the email local part of sampled members without trailing digits (e.g. "ada.lovelace"); first with 2–20 matches.
  const sample = (
    await admin.query<{ email: string }>(
      'select email from members where tenant_id = $1 and deleted_at is null order by md5(id) limit 60',
      [t],
    )
  ).rows;
  let rare: SearchTerm | null = null;
  let fallback: SearchTerm | null = null;
  for (const { email } of sample) {
    const local = email.slice(0, email.indexOf('@')).replace(/\d+$/, '');
    if (local.length < 6 || /\s/.test(local)) continue;
    const matches = await countSearch(services, t, local);
    const candidate = { key: 'search-rare', term: local, matches, why: 'rare fragment (an email local part)' };
    if (matches >= 2 && matches <= 20) {
      rare = candidate;
      break;
    }
    if (matches >= 1 && (!fallback || Math.abs(matches - 5) < Math.abs(fallback.matches - 5))) fallback = candidate;
  }
  searches.push(rare ?? fallback ?? { key: 'search-rare', term: 'zzqx', matches: 0, why: 'rare fragment (no match)' });

  // Not load-tested, EXPLAIN only: the rarest 2-letter fragment of a few (no trigram, the worst case of search).
  let rare2: SearchTerm = { key: 'search-2-rare', term: 'qx', matches: -1, why: '' };
  for (const term of ['qx', 'xq', 'zq', 'qz', 'jq', 'qj', 'vq', 'wq', 'qk', 'zx']) {
    const matches = await countSearch(services, t, term);
    if (rare2.matches < 0 || matches < rare2.matches)
      rare2 = { key: 'search-2-rare', term, matches, why: 'rarest 2-letter fragment tried (no trigram)' };
  }

  // (d) status + tier: active members of the tenant's most popular tier.
  const tier = (
    await admin.query<{ id: string; name: string }>(
      `select t.id, t.name from tiers t join members m on m.tenant_id = t.tenant_id and m.tier_id = t.id
       where t.tenant_id = $1 group by t.id, t.name order by count(*) desc limit 1`,
      [t],
    )
  ).rows[0]!;
  const filterMatches = (
    await admin.query<{ n: number }>(
      "select count(*)::int as n from members where tenant_id = $1 and deleted_at is null and status = 'active' and tier_id = $2",
      [t, tier.id],
    )
  ).rows[0]!.n;

  // (e) A pool of random ids.
  const idPool = (
    await admin.query<{ id: string }>(
      'select id from members where tenant_id = $1 and deleted_at is null order by random() limit 5000',
      [t],
    )
  ).rows.map((r) => r.id);

  // (g) Disjoint groups of 1,000 active members; each request flips a whole group active ⇄ inactive.
  const bulkIds = (
    await admin.query<{ id: string }>(
      `select id from members where tenant_id = $1 and deleted_at is null and status = 'active' order by random() limit ${BULK_GROUPS * BULK_SIZE}`,
      [t],
    )
  ).rows.map((r) => r.id);
  const bulkGroups = Array.from({ length: BULK_GROUPS }, (_, g) => ({
    ids: bulkIds.slice(g * BULK_SIZE, (g + 1) * BULK_SIZE),
    next: 'inactive' as const,
  }));

  return {
    liveMembers,
    rare2,
    page2,
    deep,
    searches,
    filter: { status: 'active', tierId: tier.id, tierName: tier.name, matches: filterMatches },
    idPool,
    bulkGroups,
  };
}

// ---------------------------------------------------------------------------
// Leaving the data as found

interface BulkRestore {
  tenantId: string;
  since: string;
  rows: { id: string; status: string; updated_at: string }[];
}

async function saveBulkRestore(admin: pg.Client, tenantId: string, ids: string[], since: Date): Promise<void> {
  const rows = (
    await admin.query<{ id: string; status: string; updated_at: string }>(
      'select id, status, updated_at::text as updated_at from members where tenant_id = $1 and id = any($2::text[])',
      [tenantId, ids],
    )
  ).rows;
  await writeFile(
    BULK_RESTORE_FILE,
    JSON.stringify({ tenantId, since: since.toISOString(), rows } satisfies BulkRestore),
  );
}

/** Deletes members the load created, restores bulk-changed statuses and drops the events both wrote. */
async function cleanUp(admin: pg.Client, tenantId: string): Promise<void> {
  const created = await admin.query('delete from members where tenant_id = $1 and email like $2', [
    tenantId,
    `%@${LOAD_EMAIL_DOMAIN}`,
  ]);
  let restored = 0;
  let events = 0;
  if (existsSync(BULK_RESTORE_FILE)) {
    const saved = JSON.parse(await readFile(BULK_RESTORE_FILE, 'utf8')) as BulkRestore;
    const res = await admin.query(
      `update members m set status = v.status, updated_at = v.updated_at::timestamptz
       from unnest($2::text[], $3::text[], $4::text[]) as v(id, status, updated_at)
       where m.tenant_id = $1 and m.id = v.id`,
      [
        saved.tenantId,
        saved.rows.map((r) => r.id),
        saved.rows.map((r) => r.status),
        saved.rows.map((r) => r.updated_at),
      ],
    );
    restored = res.rowCount ?? 0;
    const ev = await admin.query(
      'delete from member_events where tenant_id = $1 and occurred_at >= $2 and member_id = any($3::text[])',
      [saved.tenantId, saved.since, saved.rows.map((r) => r.id)],
    );
    events = ev.rowCount ?? 0;
    await rm(BULK_RESTORE_FILE);
  }
  // member.created events went with their members (ON DELETE CASCADE); audit entries stay: the log is append-only.
  log(
    `cleanup: deleted ${created.rowCount ?? 0} members created by the load, restored ${restored} bulk-changed members, deleted ${events} of their events`,
  );
}

// ---------------------------------------------------------------------------
// Verification before load

async function getJson(
  server: RunningServer,
  key: string,
  pathAndQuery: string,
  init: RequestInit = {},
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${server.baseUrl}${pathAndQuery}`, {
    ...init,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) },
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, body: await res.json() };
}

interface ListBody {
  data: { id: string; status: string; tier_id: string | null }[];
  has_more: boolean;
  next_cursor: string | null;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`verification failed: ${message}`);
}

/** Checks that a cursor opens the page it should: 200, 20 rows, the expected first row. */
async function checkCursorPage(
  server: RunningServer,
  key: string,
  cursor: string,
  expectedFirstId: string,
  label: string,
): Promise<void> {
  const res = await getJson(server, key, `/v1/members?limit=20&cursor=${encodeURIComponent(cursor)}`);
  const body = res.body as ListBody;
  check(res.status === 200, `${label}: status ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  check(body.data.length === 20, `${label}: ${body.data.length} rows`);
  check(body.data[0]!.id === expectedFirstId, `${label}: first row ${body.data[0]!.id}, expected ${expectedFirstId}`);
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const config = readConfig();
  const file = await readTenantsFile();
  if (!file?.complete) throw new Error('No complete dataset: run `npm run bench:generate` first.');
  if (file.databaseUrl !== config.databaseUrl)
    throw new Error(`bench/.data/tenants.json belongs to ${file.databaseUrl}, not ${config.databaseUrl}.`);
  const tenant = [...file.tenants].sort((a, b) => b.members - a.members)[0]!;
  const auth = { Authorization: `Bearer ${tenant.secretKey}` };
  const deepRow = config.deepRow;
  // Cursors are MACed under a key derived from the server's master key: the bench gives the server a fresh one
  // and signs its own cursors (the deep page's) with the same.
  const masterKey = generateMasterKey();
  const box = await createSecretBox(masterKey);
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: over the ${BUDGET_MS / 60000}-minute budget, stopping.\n`);
    process.exit(2);
  }, BUDGET_MS);
  watchdog.unref();

  const admin = new pg.Client({ connectionString: config.databaseUrl });
  await admin.connect();
  let server: RunningServer | null = null;
  let cleaned = false;
  const stopServer = async () => {
    if (server) {
      const s = server;
      server = null;
      await s.stop();
      log(`server ${s.pid} stopped`);
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping`);
    void stopServer().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    // Leftovers of an interrupted run first.
    await cleanUp(admin, tenant.id);

    const prepStart = performance.now();
    const services = openServices(config.databaseUrl);
    const prep = await prepare(admin, services, box, tenant, deepRow).finally(() => services.close());
    log(
      `prepared in ${((performance.now() - prepStart) / 1000).toFixed(1)} s: ${tenant.slug} has ${prep.liveMembers.toLocaleString('en-US')} members; ` +
        `searches ${prep.searches.map((s) => `"${s.term}"=${s.matches}`).join(', ')}; filter active+${prep.filter.tierName}=${prep.filter.matches}`,
    );

    // EXPLAIN of the read queries, captured from the API's own service code, before any load.
    const listQuery = (over: Partial<MemberListQuery>): MemberListQuery => ({
      filter: {},
      sort: 'created_at',
      order: 'desc',
      limit: 20,
      includeTotal: false,
      ...over,
    });
    const explainTargets: {
      key: string;
      title: string;
      run: (deps: ServiceDeps) => Promise<unknown>;
      table?: string;
    }[] = [
      { key: 'list-first', title: 'List, first page', run: (d) => listMembers(d, tenant.id, listQuery({})) },
      {
        key: 'list-deep',
        title: `List, after row ${deepRow.toLocaleString('en-US')} (cursor)`,
        run: (d) => listMembers(d, tenant.id, listQuery({ after: [prep.deep.afterKey, prep.deep.afterId] })),
      },
      ...prep.searches.map((s) => ({
        key: s.key,
        title: `Search "${s.term}" (${s.matches} matches)`,
        run: (d: ServiceDeps) => listMembers(d, tenant.id, listQuery({ filter: { search: s.term } })),
      })),
      {
        key: 'filter-status-tier',
        title: `Filter status=active, tier=${prep.filter.tierName} (${prep.filter.matches} matches)`,
        run: (d) =>
          listMembers(d, tenant.id, listQuery({ filter: { status: ['active'], tierId: prep.filter.tierId } })),
      },
      { key: 'get-by-id', title: 'Get by id', run: (d) => getMember(d, tenant.id, prep.idPool[0]!) },
      {
        key: 'search-2-rare',
        title: `Search "${prep.rare2.term}" (${prep.rare2.matches} matches; EXPLAIN only, not load-tested: worst case, 2 letters and rare)`,
        run: (d) => listMembers(d, tenant.id, listQuery({ filter: { search: prep.rare2.term } })),
      },
      {
        key: 'auth-key',
        title: 'API key resolution (every request, its own transaction)',
        run: (d) => createDatabaseKeyStore(d.db, systemClock).resolve(tenant.secretKey),
        table: 'api_keys',
      },
    ];
    const explains: RunReport['explains'] = [];
    for (const target of explainTargets) {
      const captured = await captureQueries(config.databaseUrl, target.run);
      const table = target.table ?? 'members';
      const query = captured
        .filter((q: CapturedQuery) => q.sql.startsWith('select') && q.sql.includes(`from "${table}"`))
        .at(-1);
      if (!query) throw new Error(`No ${table} query captured for ${target.key}.`);
      const explained = await explainAsApp(config.databaseUrl, tenant.id, query);
      explains.push({ key: target.key, title: target.title, explained });
      log(`explain ${target.key}: ${explained.executionMs ?? '?'} ms`);
    }

    // The server.
    const logFile = path.join(DATA_DIR, 'server.log');
    server = await startServer({
      databaseUrl: config.databaseUrl,
      port: config.port,
      poolSize: config.poolSize,
      logFile,
      masterKey,
    });
    const srv: RunningServer = server;
    log(
      `server ${srv.pid} healthy at ${srv.baseUrl} (pool ${config.poolSize}); log in ${path.relative(REPO_ROOT, logFile)}`,
    );
    const probe = createProbe(admin, config.dbName, srv.pid);

    // Waits (at most 60 s) until no statement of the bench database is running or open in a transaction.
    const drain = async () => {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const { rows } = await admin.query<{ n: number }>(
          "select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and state in ('active', 'idle in transaction')",
          [config.dbName],
        );
        if (rows[0]!.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    };

    // Verify each scenario's request before measuring it.
    const first = await getJson(srv, tenant.secretKey, '/v1/members?limit=20');
    const firstBody = first.body as ListBody;
    check(
      first.status === 200 && firstBody.data.length === 20 && firstBody.has_more && firstBody.next_cursor !== null,
      `first page: ${first.status}`,
    );
    // Same key, same binding, same sort key text: the bench's cursor after row 20 is the server's next_cursor.
    check(
      firstBody.next_cursor === prep.page2.cursor,
      `page 1's next_cursor (${firstBody.next_cursor}) is the cursor the bench signs after row 20 (${prep.page2.cursor})`,
    );
    await checkCursorPage(srv, tenant.secretKey, firstBody.next_cursor!, prep.page2.firstExpectedId, 'page 2');
    await checkCursorPage(
      srv,
      tenant.secretKey,
      prep.deep.cursor,
      prep.deep.firstExpectedId,
      `deep page (after row ${deepRow})`,
    );
    // The signature binds the query: the same cursor with another sort order is refused, not served.
    const rebound = await getJson(
      srv,
      tenant.secretKey,
      `/v1/members?limit=20&order=asc&cursor=${encodeURIComponent(prep.deep.cursor)}`,
    );
    check(
      rebound.status === 400 && (rebound.body as { code?: string }).code === 'INVALID_CURSOR',
      `the deep cursor with order=asc: ${rebound.status} ${JSON.stringify(rebound.body).slice(0, 300)}`,
    );
    log(
      `verified: page 1's next_cursor = the bench's, opens row 21; deep cursor → 200, 20 rows, first row = row ${deepRow + 1} (${prep.deep.firstExpectedId}); refused with order=asc`,
    );
    for (const s of prep.searches) {
      const res = await getJson(srv, tenant.secretKey, `/v1/members?limit=20&search=${encodeURIComponent(s.term)}`);
      const rows = (res.body as ListBody).data.length;
      check(
        res.status === 200 && rows === Math.min(20, s.matches),
        `search "${s.term}": ${res.status}, ${rows} rows, expected ${Math.min(20, s.matches)}`,
      );
    }
    const filterPath = `/v1/members?limit=20&status=active&tier_id=${prep.filter.tierId}`;
    const filtered = await getJson(srv, tenant.secretKey, filterPath);
    check(
      filtered.status === 200 &&
        (filtered.body as ListBody).data.every((m) => m.status === 'active' && m.tier_id === prep.filter.tierId),
      `filter: ${filtered.status}`,
    );
    const one = await getJson(srv, tenant.secretKey, `/v1/members/${prep.idPool[0]}`);
    check(one.status === 200, `get by id: ${one.status}`);
    log('verified: list, searches, filter, get by id');

    // Scenario definitions.
    const runTag = Date.now().toString(36);
    let createSeq = 0;
    let bulkSeq = 0;
    const pickId = () => prep.idPool[Math.floor(Math.random() * prep.idPool.length)]!;
    const get = (p: string): AutocannonRequest[] => [{ method: 'GET', path: p, headers: auth }];
    const firstNames = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken'];
    const lastNames = [
      'Lovelace',
      'Hopper',
      'Turing',
      'Torvalds',
      'Hamilton',
      'Dijkstra',
      'Liskov',
      'Knuth',
      'Allen',
      'Thompson',
    ];
    const createBody = () => {
      const n = createSeq++;
      return JSON.stringify({
        email: `load.${runTag}.${n}@${LOAD_EMAIL_DOMAIN}`,
        first_name: firstNames[n % 10],
        last_name: lastNames[Math.floor(n / 10) % 10],
      });
    };
    const bulkBody = () => {
      const group = prep.bulkGroups[bulkSeq++ % prep.bulkGroups.length]!;
      const status = group.next;
      group.next = status === 'inactive' ? 'active' : 'inactive';
      return JSON.stringify({ action: 'update_status', member_ids: group.ids, params: { status } });
    };
    const jsonHeaders = { ...auth, 'Content-Type': 'application/json' };

    const scenarios: (ScenarioInfo & {
      title: string;
      requests: () => AutocannonRequest[];
      connections: number;
      light: boolean;
    })[] = [
      {
        key: 'list-first',
        title: '(a) list, first page',
        request: 'GET /v1/members?limit=20',
        detail: 'default sort created_at desc',
        read: true,
        light: true,
        connections: config.connections,
        requests: () => get('/v1/members?limit=20'),
      },
      {
        key: 'list-deep',
        title: `(b) list, after row ${deepRow.toLocaleString('en-US')}`,
        request: `GET /v1/members?limit=20&cursor=<after row ${deepRow.toLocaleString('en-US')}>`,
        detail: `cursor of row ${deepRow.toLocaleString('en-US')} (${prep.deep.afterKey}, ${prep.deep.afterId}), signed with encodeCursor under the server's master key and the handler's binding; verified to return rows ${deepRow + 1}–${deepRow + 20}`,
        read: true,
        light: true,
        connections: config.connections,
        requests: () => get(`/v1/members?limit=20&cursor=${encodeURIComponent(prep.deep.cursor)}`),
      },
      ...prep.searches.map((s) => ({
        key: s.key,
        title: `(c) search "${s.term}"`,
        request: `GET /v1/members?limit=20&search=${encodeURIComponent(s.term)}`,
        detail: `${s.why}; ${s.matches.toLocaleString('en-US')} of ${prep.liveMembers.toLocaleString('en-US')} members match`,
        read: true,
        light: true,
        connections: config.connections,
        requests: () => get(`/v1/members?limit=20&search=${encodeURIComponent(s.term)}`),
      })),
      {
        key: 'filter-status-tier',
        title: '(d) filter status + tier',
        request: 'GET /v1/members?limit=20&status=active&tier_id=<tier>',
        detail: `tier "${prep.filter.tierName}" (${prep.filter.tierId}), the most popular; ${prep.filter.matches.toLocaleString('en-US')} matches`,
        read: true,
        light: true,
        connections: config.connections,
        requests: () => get(filterPath),
      },
      {
        key: 'get-by-id',
        title: '(e) get by id',
        request: 'GET /v1/members/{id}',
        detail: `random id per request from a pool of ${prep.idPool.length.toLocaleString('en-US')}`,
        read: true,
        light: true,
        connections: config.connections,
        requests: () => [
          {
            method: 'GET',
            path: '/v1/members/x',
            headers: auth,
            setupRequest: (r) => ({ ...r, path: `/v1/members/${pickId()}` }),
          },
        ],
      },
      {
        key: 'create',
        title: '(f) create member',
        request: 'POST /v1/members',
        detail: `unique email per request (load.<run>.<n>@${LOAD_EMAIL_DOMAIN}); deleted after the run`,
        read: false,
        light: false,
        connections: config.connections,
        requests: () => [
          {
            method: 'POST',
            path: '/v1/members',
            headers: jsonHeaders,
            body: '{}',
            setupRequest: (r) => ({ ...r, body: createBody() }),
          },
        ],
      },
      {
        key: 'bulk-status',
        title: `(g) bulk update_status ×${BULK_SIZE}`,
        request: 'POST /v1/members/bulk {action: update_status, member_ids: [1,000]}',
        detail: `${BULK_GROUPS} disjoint groups of ${BULK_SIZE} active members, round robin, each request flips its group active ⇄ inactive (legal both ways); ${config.bulkConnections} connections for ${config.bulkDuration} s (lower: one request changes 1,000 members and the tenant's audit chain serializes them anyway); req/s × 1,000 = members changed per second; restored after the run`,
        read: false,
        light: false,
        connections: config.bulkConnections,
        requests: () => [
          {
            method: 'POST',
            path: '/v1/members/bulk',
            headers: jsonHeaders,
            body: '{}',
            setupRequest: (r) => ({ ...r, body: bulkBody() }),
          },
        ],
      },
    ];
    const selected = scenarios.filter((s) => !config.only || config.only.has(s.key));

    // Verify the writes too (one request each).
    if (selected.some((s) => s.key === 'create')) {
      const res = await getJson(srv, tenant.secretKey, '/v1/members', { method: 'POST', body: createBody() });
      check(res.status === 201, `create: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    }
    const loadStarted = new Date();
    if (selected.some((s) => s.key === 'bulk-status')) {
      await saveBulkRestore(
        admin,
        tenant.id,
        prep.bulkGroups.flatMap((g) => g.ids),
        loadStarted,
      );
      const res = await getJson(srv, tenant.secretKey, '/v1/members/bulk', { method: 'POST', body: bulkBody() });
      const body = res.body as { applied?: boolean; totals?: { succeeded: number } };
      check(
        res.status === 200 && body.applied === true && body.totals?.succeeded === BULK_SIZE,
        `bulk: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`,
      );
    }
    log('verified: create, bulk');

    // Load: reads at full concurrency, the light pass, then the writes.
    const results: LoadResult[] = [];
    const light: LoadResult[] = [];
    const quietNotes: string[] = [];
    const measure = async (spec: LoadSpec, label: string): Promise<LoadResult> => {
      if (config.quietWait > 0) {
        const quiet = await waitForQuiet(config.quietWait);
        if (quiet.busy > 0.3)
          quietNotes.push(
            `${label}: the machine was still ${quiet.busy.toFixed(2)} cores busy with other programs after waiting ${quiet.waited} s`,
          );
      }
      return runLoad(srv.baseUrl, spec, probe, drain);
    };
    const toSpec = (
      s: (typeof scenarios)[number],
      connections: number,
      duration: number,
      warmup: number,
    ): LoadSpec => ({
      key: s.key,
      title: s.title,
      connections,
      duration,
      warmup,
      requests: s.requests(),
    });
    const describe = (r: LoadResult) =>
      `${r.title}: ${r.rps} req/s, p50 ${r.p50} / p95 ${r.p95} / p99 ${r.p99} ms, ${r.responses} responses, ${r.errors + r.timeouts} errors, ${r.non2xx} non-2xx` +
      (r.transactionsPerRequest !== null ? `; ${r.transactionsPerRequest} db transactions/request` : '') +
      (r.cpu
        ? `; cores api ${r.cpu.api.toFixed(2)} pg ${r.cpu.postgres.toFixed(2)} gen ${r.cpu.loadGenerator.toFixed(2)} other ${r.cpu.other.toFixed(2)}`
        : '');
    for (const s of selected.filter((x) => x.read)) {
      const r = await measure(toSpec(s, s.connections, config.duration, config.warmup), s.title);
      results.push(r);
      log(describe(r));
    }
    if (config.lightDuration > 0) {
      for (const s of selected.filter((x) => x.light)) {
        const r = await measure(toSpec(s, 1, config.lightDuration, 1), `light ${s.title}`);
        light.push(r);
        log(`light ${describe(r)}`);
      }
    }
    for (const s of selected.filter((x) => !x.read)) {
      const r = await measure(
        toSpec(
          s,
          s.connections,
          s.key === 'bulk-status' ? config.bulkDuration : config.duration,
          Math.min(config.warmup, 2),
        ),
        s.title,
      );
      results.push(r);
      log(describe(r));
    }

    await stopServer();
    await cleanUp(admin, tenant.id);
    cleaned = true;
    if (selected.some((s) => !s.read)) {
      const vacuumStart = performance.now();
      await admin.query('vacuum (analyze) members');
      log(`vacuum (analyze) members: ${((performance.now() - vacuumStart) / 1000).toFixed(1)} s`);
    }

    // Report.
    const git = (args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const pgVersion = (await admin.query<{ v: string }>('select version() as v')).rows[0]!.v.split(' on ')[0]!;
    const settings = (
      await admin.query<{ name: string; setting: string; unit: string | null }>(
        "select name, setting, unit from pg_settings where name in ('shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'max_connections', 'synchronous_commit', 'jit') order by name",
      )
    ).rows;
    const report: RunReport = {
      info: {
        date: new Date().toISOString(),
        commit: git(['rev-parse', '--short', 'HEAD']),
        dirty: git(['status', '--porcelain', '--', 'packages']).length > 0,
        packagesFingerprint: packagesFingerprint(git),
        machine: {
          cpus: os.cpus().length,
          model: os.cpus()[0]?.model ?? 'unknown',
          memoryGb: Math.round(os.totalmem() / 2 ** 30),
          node: process.version,
          postgres: pgVersion,
          pgSettings: Object.fromEntries(
            settings.map((s) => [
              s.name,
              s.unit === '8kB' ? `${(Number(s.setting) * 8) / 1024} MB` : `${s.setting}${s.unit ?? ''}`,
            ]),
          ),
          loadAverageBefore: loadBefore,
        },
        server: { command: srv.command, poolSize: config.poolSize },
        bench: {
          command: `${Object.entries(process.env)
            .filter(([k]) => k.startsWith('BENCH_'))
            .map(([k, v]) => `${k}=${v} `)
            .join('')}node --conditions=memberkit-source --import tsx bench/run.ts`,
          connections: config.connections,
          duration: config.duration,
          warmup: config.warmup,
          lightConnections: 1,
          lightDuration: config.lightDuration,
          bulkConnections: config.bulkConnections,
          bulkDuration: config.bulkDuration,
        },
        tenant: { id: tenant.id, slug: tenant.slug, members: tenant.members, liveMembers: prep.liveMembers },
        dataset: { tenants: file.tenants.length, members: file.totalMembers },
        notes: quietNotes,
      },
      scenarios: selected.map(({ key, request, detail, read }) => ({ key, request, detail, read })),
      results,
      light,
      explains,
      durationSeconds: (performance.now() - runStarted) / 1000,
    };
    await mkdir(DATA_DIR, { recursive: true });
    const stamp = report.info.date.replace(/[:.]/g, '-');
    const mdFile = path.join(DATA_DIR, `report-${stamp}.md`);
    await writeFile(mdFile, renderReport(report));
    await writeFile(path.join(DATA_DIR, `report-${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
    log(`report: ${path.relative(REPO_ROOT, mdFile)} (and .json)`);
  } finally {
    await stopServer();
    if (!cleaned) await cleanUp(admin, tenant.id).catch((error: unknown) => log(`cleanup failed: ${String(error)}`));
    await admin.end();
  }
}

/** Identifies the working tree of packages/ (uncommitted edits included), since the API is benchmarked from source. */
function packagesFingerprint(git: (args: string[]) => string): string {
  const hash = createHash('sha256');
  hash.update(git(['diff', 'HEAD', '--', 'packages']));
  for (const file of git(['ls-files', '--others', '--exclude-standard', '--', 'packages'])
    .split('\n')
    .filter(Boolean)) {
    hash.update(file);
    try {
      hash.update(readFileSync(path.join(REPO_ROOT, file)));
    } catch {
      // deleted meanwhile
    }
  }
  return hash.digest('hex').slice(0, 12);
}

const loadBefore = os.loadavg();
main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
