/**
 * Benchmark data generator: 50 tenants and 1,000,000 members, skewed as real
 * membership platforms are (one tenant of 200,000, six of 50,000–100,000, a long
 * tail down to a few hundred), in a PostgreSQL database of its own.
 *
 *   node --conditions=memberkit-source --import tsx bench/generate.ts [--reset] [--scale=0.01]
 *
 * Tenants and their keys come from the API's own createTenant service (keys in
 * bench/.data/tenants.json, git-ignored); tiers and members are bulk-loaded as
 * the session user (a superuser, so row-level security does not apply) with
 * 10,000-row INSERT … SELECT FROM unnest(arrays) statements, in creation-time
 * order across tenants (as a real table fills up), with the secondary indexes
 * and foreign keys dropped during the load and re-created from their own
 * definitions afterwards (as pg_restore does), all in one transaction.
 * Running it again on a loaded database does nothing; --reset starts over.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { fakerDE, fakerEN_GB, fakerEN_US, fakerES, fakerFR, type Faker } from '@faker-js/faker';
import pg from 'pg';
import { createNodePostgresDatabase, createUlidGenerator, systemClock } from '@memberkit/api';
import { createTenant, ulidBody } from '@memberkit/api/testing/bench';
import {
  benchDatabaseUrl,
  databaseNameOf,
  DATA_DIR,
  readTenantsFile,
  TENANTS_FILE,
  type BenchTenant,
  type BenchTier,
  type TenantsFile,
} from './lib/config.js';

const SEED = 20261127;
const TENANT_COUNT = 50;
const FULL_TOTAL = 1_000_000;
const BATCH_ROWS = 10_000;
const DAY_MS = 86_400_000;
const TWO_YEARS_MS = 730 * DAY_MS;
const SLUG_PREFIX = 'bench-';

// ---------------------------------------------------------------------------
// Arguments

const USAGE = `Usage: npm run bench:generate -- [--reset] [--scale=<0..1>]

  --reset          drop the bench database (its name must contain "bench") and start over
  --scale=<0..1>   generate this share of the 1,000,000 members (default 1); the largest
                   tenant has 200,000 × scale members, so the benchmark's deep page (after
                   row 100,000) needs --scale=0.51 or more, or a lower BENCH_DEEP_ROW

Database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/memberkit_bench, 127.0.0.1 only).
Keys of the generated tenants: bench/.data/tenants.json.
`;

function parseArgs(argv: string[]): { reset: boolean; scale: number } {
  let reset = false;
  let scale = 1;
  for (const arg of argv) {
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else if (arg === '--reset') reset = true;
    else if (arg.startsWith('--scale=')) {
      scale = Number(arg.slice('--scale='.length));
      if (!Number.isFinite(scale) || scale <= 0 || scale > 1) throw new Error('--scale must be in (0, 1].');
    } else throw new Error(`Unknown argument ${arg}.\n${USAGE}`);
  }
  return { reset, scale };
}

// ---------------------------------------------------------------------------
// Timing

const started = performance.now();
function elapsed(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
function log(message: string): void {
  process.stdout.write(`[generate ${elapsed(started).padStart(8)}] ${message}\n`);
}
async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const result = await fn();
  log(`${label}: ${elapsed(t)}`);
  return result;
}

// ---------------------------------------------------------------------------
// Deterministic randomness: faker for names and emails, a fast seeded PRNG for the rest.

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T>(rand: () => number, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = rand() * total;
  for (const [value, w] of items) {
    x -= w;
    if (x < 0) return value;
  }
  return items[items.length - 1]![0];
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

// ---------------------------------------------------------------------------
// The shape of the data

/**
 * Members per tenant: 200,000; then 100k, 90k, 80k, 70k, 60k, 50k; then a
 * geometric long tail of 43 tenants from ~40,000 down to ~240. Sums to 1,000,000.
 */
function tenantSizes(scale: number): number[] {
  const head = [200_000, 100_000, 90_000, 80_000, 70_000, 60_000, 50_000];
  const tailCount = TENANT_COUNT - head.length;
  const tailTotal = FULL_TOTAL - head.reduce((s, n) => s + n, 0);
  const ratio = 0.885;
  const first = (tailTotal * (1 - ratio)) / (1 - ratio ** tailCount);
  const tail = Array.from({ length: tailCount }, (_, i) => Math.round(first * ratio ** i));
  tail[0]! += tailTotal - tail.reduce((s, n) => s + n, 0);
  return [...head, ...tail].map((n) => (scale === 1 ? n : Math.max(20, Math.round(n * scale))));
}

const LOCALES: readonly (readonly [string, number])[] = [
  ['en_US', 45],
  ['en_GB', 10],
  ['de', 25],
  ['fr', 10],
  ['es', 10],
];
const FAKERS: Record<string, Faker> = { en_US: fakerEN_US, en_GB: fakerEN_GB, de: fakerDE, fr: fakerFR, es: fakerES };

const TIER_SETS = [
  ['Free', 'Basic', 'Plus', 'Premium', 'Patron'],
  ['Community', 'Supporter', 'Member', 'Fellow', 'Lifetime'],
  ['Student', 'Regular', 'Family', 'Corporate', 'Honorary'],
  ['Explorer', 'Insider', 'Pro', 'Team', 'Founder'],
] as const;
/** Lower tiers hold most members. */
const TIER_WEIGHTS = [45, 27, 16, 8, 4];

const TAG_POOL = [
  'volunteer',
  'board',
  'newsletter',
  'speaker',
  'mentor',
  'donor',
  'student',
  'alumni',
  'early-bird',
  'committee',
  'sponsor',
  'press',
  'vip',
  'founding member',
  'local chapter',
  'event-2024',
  'event-2025',
  'referral',
  'partner',
  'at-risk',
];

const STATUSES: readonly (readonly [string, number])[] = [
  ['active', 75],
  ['pending', 10],
  ['inactive', 12],
  ['suspended', 3],
];

interface TenantPlan {
  index: number;
  slug: string;
  name: string;
  locale: string;
  members: number;
  tierNames: string[];
  tags: string[];
}

function planTenants(scale: number, rand: () => number): TenantPlan[] {
  const sizes = tenantSizes(scale);
  const namer = fakerEN_US;
  return sizes.map((members, index) => {
    const locale = index === 0 ? 'en_US' : weighted(rand, LOCALES);
    const tierCount = 3 + Math.floor(rand() * 3);
    const tierSet = pick(rand, TIER_SETS);
    const tags = [...TAG_POOL].sort(() => rand() - 0.5).slice(0, 6 + Math.floor(rand() * 7));
    return {
      index,
      slug: `${SLUG_PREFIX}${String(index + 1).padStart(2, '0')}`,
      name: `${namer.company.name()} ${pick(rand, ['Association', 'Club', 'Society', 'Community', 'Network', 'Guild'])}`,
      locale,
      members,
      tierNames: tierSet.slice(0, tierCount),
      tags,
    };
  });
}

/** Column arrays of all members, in generation order. */
interface MemberColumns {
  tenantId: string[];
  id: string[];
  email: string[];
  firstName: string[];
  lastName: string[];
  status: string[];
  tierId: (string | null)[];
  /** Comma-joined (tags have no commas); '' for none. */
  tags: string[];
  lastActiveAt: (number | null)[];
  createdAt: number[];
  updatedAt: number[];
}

function emptyColumns(): MemberColumns {
  return {
    tenantId: [],
    id: [],
    email: [],
    firstName: [],
    lastName: [],
    status: [],
    tierId: [],
    tags: [],
    lastActiveAt: [],
    createdAt: [],
    updatedAt: [],
  };
}

function generateMembers(
  plan: TenantPlan,
  tenant: BenchTenant,
  now: number,
  rand: () => number,
  out: MemberColumns,
): void {
  const faker = FAKERS[plan.locale]!;
  const emails = new Set<string>();
  const tierItems = tenant.tiers.map((t) => [t.id, t.weight] as const);
  for (let i = 0; i < plan.members; i++) {
    const sex = rand() < 0.5 ? 'female' : 'male';
    const firstName = faker.person.firstName(sex);
    const lastName = faker.person.lastName(sex);
    let email = faker.internet.email({ firstName, lastName }).toLowerCase();
    if (emails.has(email)) {
      const at = email.lastIndexOf('@');
      let n = 2;
      while (emails.has(`${email.slice(0, at)}${n}${email.slice(at)}`)) n++;
      email = `${email.slice(0, at)}${n}${email.slice(at)}`;
    }
    emails.add(email);

    // Age skewed towards recent sign-ups (growth): age = u^1.5 × two years.
    const createdAt = Math.floor(now - rand() ** 1.5 * TWO_YEARS_MS);
    const status = weighted(rand, STATUSES);
    const tierId = (status === 'pending' ? rand() < 0.6 : rand() < 0.05) ? null : weighted(rand, tierItems);
    const tagCount = rand() < 0.55 ? 0 : 1 + Math.floor(rand() * 3);
    const tags = new Set<string>();
    for (let t = 0; t < tagCount; t++) tags.add(pick(rand, plan.tags));
    const span = now - createdAt;
    let lastActiveAt: number | null = null;
    if (status === 'active' && rand() < 0.92) lastActiveAt = Math.floor(now - rand() ** 2 * span);
    else if ((status === 'inactive' && rand() < 0.6) || (status === 'suspended' && rand() < 0.5))
      lastActiveAt = Math.floor(createdAt + rand() * 0.6 * span);
    const updatedAt = rand() < 0.4 ? Math.floor(createdAt + rand() * span) : createdAt;

    out.tenantId.push(tenant.id);
    out.id.push(`mem_${ulidBody(createdAt)}`);
    out.email.push(email);
    out.firstName.push(firstName);
    out.lastName.push(lastName);
    out.status.push(status);
    out.tierId.push(tierId);
    out.tags.push([...tags].join(','));
    out.lastActiveAt.push(lastActiveAt);
    out.createdAt.push(createdAt);
    out.updatedAt.push(updatedAt);
  }
}

// ---------------------------------------------------------------------------
// Database

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  return withClient(
    adminUrl,
    async (c) => (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1,
  );
}

const INSERT_MEMBERS = `
insert into members (tenant_id, id, email, first_name, last_name, status, tier_id, tags, last_active_at, created_at, updated_at)
select t, i, e, f, l, s, ti, case when tg = '' then '{}'::text[] else string_to_array(tg, ',') end, la, c, u
from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
            $9::timestamptz[], $10::timestamptz[], $11::timestamptz[]) as x(t, i, e, f, l, s, ti, tg, la, c, u)`;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

async function main(): Promise<void> {
  const { reset, scale } = parseArgs(process.argv.slice(2));
  const url = benchDatabaseUrl();
  const { name: dbName, adminUrl } = databaseNameOf(url);
  const sizes = tenantSizes(scale);
  const total = sizes.reduce((s, n) => s + n, 0);
  log(`database ${dbName}, ${sizes.length} tenants, ${total.toLocaleString('en-US')} members (scale ${scale})`);

  // 1. The database: reuse, or drop and recreate with --reset.
  if (reset) {
    if (!dbName.includes('bench'))
      throw new Error(`Refusing to drop "${dbName}": --reset only drops databases whose name contains "bench".`);
    await timed(`drop database ${dbName}`, () =>
      withClient(adminUrl, (c) => c.query(`drop database if exists "${dbName}" with (force)`)),
    );
    await rm(TENANTS_FILE, { force: true });
  }
  if (!(await databaseExists(adminUrl, dbName))) {
    await timed(`create database ${dbName}`, () => withClient(adminUrl, (c) => c.query(`create database "${dbName}"`)));
  }

  const db = createNodePostgresDatabase({ connectionString: url, maxConnections: 4 });
  try {
    await timed('migrate', () => db.migrate());

    // 2. Already loaded? Then there is nothing to do.
    const state = await withClient(url, async (c) => {
      const tenants = Number(
        (await c.query(`select count(*) from tenants where slug like '${SLUG_PREFIX}%'`)).rows[0].count,
      );
      const members = Number(
        (
          await c.query(
            `select count(*) from members m join tenants t on t.id = m.tenant_id where t.slug like '${SLUG_PREFIX}%'`,
          )
        ).rows[0].count,
      );
      return { tenants, members };
    });
    const file = await readTenantsFile();
    if (state.tenants > 0) {
      if (
        file?.complete &&
        file.databaseUrl === url &&
        file.tenants.length === state.tenants &&
        file.totalMembers === state.members
      ) {
        log(
          `already loaded: ${state.tenants} tenants, ${state.members.toLocaleString('en-US')} members (keys in ${TENANTS_FILE}). Use --reset to start over.`,
        );
        return;
      }
      throw new Error(
        `The database has ${state.tenants} bench tenants and ${state.members} members, but ${TENANTS_FILE} ${file ? 'does not match' : 'is missing'} ` +
          '(keys are stored hashed and cannot be recovered). Run again with --reset.',
      );
    }

    // 3. Tenants and keys, through the API's service (the same code the platform endpoint runs).
    const rand = mulberry32(SEED);
    for (const f of Object.values(FAKERS)) f.seed(SEED);
    const plans = planTenants(scale, rand);
    const deps = { db, clock: systemClock, ids: createUlidGenerator(systemClock) };
    const tenants: BenchTenant[] = await timed(`create ${plans.length} tenants (createTenant)`, async () => {
      const out: BenchTenant[] = [];
      for (const plan of plans) {
        const created = await createTenant(deps, { name: plan.name, slug: plan.slug });
        const weights = TIER_WEIGHTS.slice(0, plan.tierNames.length);
        const tiers: BenchTier[] = plan.tierNames.map((name, i) => ({
          id: `tier_${ulidBody(Date.now())}`,
          name,
          weight: weights[i]!,
        }));
        out.push({
          id: created.tenant.id,
          slug: plan.slug,
          name: plan.name,
          secretKey: created.secretKey,
          publishableKey: created.publishableKey,
          locale: plan.locale,
          members: plan.members,
          tiers,
        });
      }
      return out;
    });
    const fileContent: TenantsFile = {
      version: 1,
      databaseUrl: url,
      seed: SEED,
      generatedAt: new Date().toISOString(),
      totalMembers: total,
      complete: false,
      tenants,
    };
    await mkdir(DATA_DIR, { recursive: true });
    await writeFile(TENANTS_FILE, `${JSON.stringify(fileContent, null, 2)}\n`, { mode: 0o600 });
    log(`keys written to ${TENANTS_FILE}`);

    // 4. Members, generated in memory, then ordered by creation time across tenants.
    const now = Date.now();
    const cols = emptyColumns();
    await timed(`generate ${total.toLocaleString('en-US')} members (faker, seed ${SEED})`, async () => {
      for (const [i, plan] of plans.entries()) generateMembers(plan, tenants[i]!, now, rand, cols);
    });
    const order = await timed('order by created_at', async () => {
      const idx = new Uint32Array(cols.id.length);
      for (let i = 0; i < idx.length; i++) idx[i] = i;
      return idx.sort((a, b) => cols.createdAt[a]! - cols.createdAt[b]!);
    });

    // 5. Load in one transaction: drop secondary indexes, insert, rebuild them, commit.
    await withClient(url, async (c) => {
      await c.query("set maintenance_work_mem = '1GB'");
      await c.query('set synchronous_commit = off');
      await c.query('begin');
      try {
        await timed('insert tiers', async () => {
          const t: string[] = [],
            id: string[] = [],
            name: string[] = [],
            interval: string[] = [],
            price: number[] = [],
            sort: number[] = [];
          for (const tenant of tenants) {
            tenant.tiers.forEach((tier, i) => {
              t.push(tenant.id);
              id.push(tier.id);
              name.push(tier.name);
              interval.push(i === 0 ? 'free' : i === tenant.tiers.length - 1 ? 'year' : pick(rand, ['month', 'year']));
              price.push(i === 0 ? 0 : interval.at(-1) === 'year' ? 6000 * i : 600 * i);
              sort.push(i);
            });
          }
          const created = iso(now - TWO_YEARS_MS - DAY_MS);
          await c.query(
            `insert into tiers (tenant_id, id, name, interval, price_amount, sort_order, created_at, updated_at)
             select t, i, n, iv, p, s, $7::timestamptz, $7::timestamptz from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[]) as x(t, i, n, iv, p, s)`,
            [t, id, name, interval, price, sort, created],
          );
        });
        const indexes = (
          await c.query<{ indexname: string; indexdef: string }>(
            `select i.indexname, i.indexdef from pg_indexes i
             where i.schemaname = 'public' and i.tablename = 'members'
               and not exists (select 1 from pg_constraint k where k.conname = i.indexname)
             order by i.indexname`,
          )
        ).rows;
        // Foreign keys are checked per row by triggers; re-adding them checks all rows in one join.
        const foreignKeys = (
          await c.query<{ conname: string; def: string }>(
            `select conname, pg_get_constraintdef(oid) as def from pg_constraint
             where conrelid = 'public.members'::regclass and contype = 'f' order by conname`,
          )
        ).rows;
        await timed(`drop ${indexes.length} secondary indexes and ${foreignKeys.length} foreign keys`, async () => {
          for (const ix of indexes) await c.query(`drop index "${ix.indexname}"`);
          for (const fk of foreignKeys) await c.query(`alter table members drop constraint "${fk.conname}"`);
        });

        const loadStart = performance.now();
        let pending: Promise<unknown> | null = null;
        for (let start = 0; start < order.length; start += BATCH_ROWS) {
          const slice = order.subarray(start, Math.min(start + BATCH_ROWS, order.length));
          const params = [
            Array.from(slice, (i) => cols.tenantId[i]!),
            Array.from(slice, (i) => cols.id[i]!),
            Array.from(slice, (i) => cols.email[i]!),
            Array.from(slice, (i) => cols.firstName[i]!),
            Array.from(slice, (i) => cols.lastName[i]!),
            Array.from(slice, (i) => cols.status[i]!),
            Array.from(slice, (i) => cols.tierId[i] ?? null),
            Array.from(slice, (i) => cols.tags[i]!),
            Array.from(slice, (i) => (cols.lastActiveAt[i] == null ? null : iso(cols.lastActiveAt[i]!))),
            Array.from(slice, (i) => iso(cols.createdAt[i]!)),
            Array.from(slice, (i) => iso(cols.updatedAt[i]!)),
          ];
          // Build the next batch while the previous one runs (one statement in flight at a time).
          if (pending) await pending;
          pending = c.query(INSERT_MEMBERS, params);
          const done = start + slice.length;
          if (done % 100_000 < BATCH_ROWS || done === order.length) {
            const rate = Math.round(done / ((performance.now() - loadStart) / 1000));
            log(
              `  queued ${done.toLocaleString('en-US')} / ${order.length.toLocaleString('en-US')} rows (${rate.toLocaleString('en-US')} rows/s)`,
            );
          }
        }
        if (pending) await pending;
        log(`insert members: ${elapsed(loadStart)}`);

        for (const ix of indexes) await timed(`create index ${ix.indexname}`, () => c.query(ix.indexdef));
        for (const fk of foreignKeys)
          await timed(`add foreign key ${fk.conname}`, () =>
            c.query(`alter table members add constraint "${fk.conname}" ${fk.def}`),
          );
        await timed('commit', () => c.query('commit'));
      } catch (error) {
        await c.query('rollback').catch(() => undefined);
        throw error;
      }
      await timed('vacuum (analyze) members, tiers', async () => {
        await c.query('vacuum (analyze) members');
        await c.query('vacuum (analyze) tiers');
        await c.query('analyze tenants');
        await c.query('analyze api_keys');
      });
      const size = (
        await c.query(
          `select pg_size_pretty(pg_total_relation_size('members')) as total, pg_size_pretty(pg_relation_size('members')) as heap`,
        )
      ).rows[0] as {
        total: string;
        heap: string;
      };
      log(`members table: heap ${size.heap}, with indexes ${size.total}`);
    });

    fileContent.complete = true;
    await writeFile(TENANTS_FILE, `${JSON.stringify(fileContent, null, 2)}\n`, { mode: 0o600 });
    const top = tenants.slice(0, 8).map((t) => `${t.slug}=${t.members.toLocaleString('en-US')}`);
    log(`done in ${elapsed(started)}. Largest tenants: ${top.join(', ')}; smallest: ${tenants.at(-1)!.members}.`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/generate: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
