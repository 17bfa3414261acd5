import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createScratchDatabase } from '../src/testing/scratch-database.js';
import { childEnv, runToEnd, startUntil, stop } from './support/spawn.js';

// A repository of its own: `npm start` run at its root, the CLI from one of its packages,
// neither told where the data folder is.
let root: string;
let serverDatabase: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'memberkit-cli-'));
  await writeFile(path.join(root, 'package.json'), JSON.stringify({ private: true, workspaces: ['packages/*'] }));
  await mkdir(path.join(root, 'packages', 'site'), { recursive: true });
  const serverUrl = inject('databaseUrl');
  if (serverUrl) serverDatabase = await createScratchDatabase(serverUrl);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await serverDatabase?.drop();
});

const cli = (env: NodeJS.ProcessEnv, ...args: string[]) => runToEnd(['bin/memberkit.mjs', ...args], env);
const inPackage = (extra: Record<string, string | undefined> = {}) =>
  childEnv({ INIT_CWD: path.join(root, 'packages', 'site'), ...extra });
const slugOf = (prefix: string) => `${prefix}-${Date.now().toString(36)}`;

describe('npx memberkit tenant (through the running server)', () => {
  it('finds the server npm start runs from the repository root, says so, and creates the tenant in its database', async () => {
    const server = startUntil(
      ['--import', 'tsx', 'src/runtime/node-start.ts'],
      childEnv({
        INIT_CWD: root,
        PORT: '0',
        MEMBERKIT_DEMO: '0',
        MEMBERKIT_SITE: '0',
        MEMBERKIT_MAIL_WORKER: '0',
        DATABASE_URL: serverDatabase?.url,
      }),
      'Memberkit is running',
    );
    const banner = await server.output;
    const url = /API\s+(\S+)/.exec(banner)![1]!;
    const platformKey = /Platform key\s+(\S+)/.exec(banner)![1]!;
    try {
      const env = inPackage();
      const slug = slugOf('cli');
      const created = await cli(env, 'tenant', 'create', '--name', 'CLI Club', '--slug', slug);
      expect(created.code).toBe(0);
      expect(created.stderr).toContain(`server ${url}`);
      expect(created.stderr).toContain(path.join(root, '.memberkit', 'dev-credentials.json'));
      expect(created.stderr).toContain(
        serverDatabase ? 'database PostgreSQL' : `database PGlite in ${path.join(root, '.memberkit', 'pgdata')}`,
      );
      const tenant = JSON.parse(created.stdout) as Record<string, string>;
      expect(tenant).toMatchObject({ object: 'tenant', name: 'CLI Club', slug });
      expect(tenant.secret_key).toMatch(/^sk_/);
      expect(tenant.publishable_key).toMatch(/^pk_/);

      // The server itself knows the tenant: it was not written to a database of the CLI's own.
      const known = await fetch(`${url}/v1/platform/tenants?limit=100`, {
        headers: { Authorization: `Bearer ${platformKey}` },
      });
      expect(((await known.json()) as { data: { id: string }[] }).data.map((t) => t.id)).toContain(tenant.id);

      const listed = await cli(env, 'tenant', 'list');
      expect(listed.code).toBe(0);
      expect((JSON.parse(listed.stdout) as { data: { id: string }[] }).data.map((d) => d.id)).toContain(tenant.id);

      const again = await cli(env, 'tenant', 'create', '--name', 'Other', '--slug', slug);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('TENANT_SLUG_TAKEN');

      const wrongKey = await cli(env, 'tenant', 'list', '--platform-key', 'mk_platform_wrong');
      expect(wrongKey.code).toBe(1);
      expect(wrongKey.stderr).toMatch(/[A-Z_]+: /);

      // PGlite allows one process per folder: opening it beside the server is refused, not attempted.
      if (!serverDatabase) {
        const direct = await cli(env, 'tenant', 'list', '--direct');
        expect(direct.code).toBe(1);
        expect(direct.stderr).toContain(`The server at ${url}`);
      }
    } finally {
      await stop(server.child);
    }

    // Stopped: the server is forgotten, and its address no longer answers.
    const credentials = JSON.parse(await readFile(path.join(root, '.memberkit', 'dev-credentials.json'), 'utf8'));
    expect(credentials.server).toBeUndefined();
    const down = await cli(inPackage({ MEMBERKIT_URL: url }), 'tenant', 'list', '--platform-key', platformKey);
    expect(down.code).toBe(69);
    expect(down.stderr).toContain(`No Memberkit server answers at ${url} (MEMBERKIT_URL)`);
    expect(down.stderr).toContain('npm start');
    expect(down.stderr).toContain('--direct');
  }, 180_000);

  it('does not send the dev platform key to another server, and says how to pass one', async () => {
    const result = await cli(inPackage({ MEMBERKIT_URL: 'http://127.0.0.1:9' }), 'tenant', 'list');
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('No platform key for http://127.0.0.1:9');
    expect(result.stderr).toContain('--platform-key');
  }, 60_000);

  it('explains bad arguments and exits 64 before any request', async () => {
    const env = inPackage({ MEMBERKIT_URL: 'http://127.0.0.1:9', MEMBERKIT_PLATFORM_KEY: 'unused' });
    const bad = await cli(env, 'tenant', 'create', '--name', 'X', '--slug', 'Not A Slug');
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('--slug');
    const blankZone = await cli(env, 'tenant', 'create', '--name', 'X', '--slug', 'x', '--time-zone', ' ');
    expect(blankZone.code).toBe(64);
    expect(blankZone.stderr).toContain('--time-zone');
    const unknown = await cli(env, 'frobnicate');
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('Usage');
    const help = await cli(env, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--direct');
  }, 60_000);
});

describe('npx memberkit tenant --direct', () => {
  it('opens the database itself only when asked, and says which', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'memberkit-cli-direct-'));
    try {
      const env = childEnv({ MEMBERKIT_DATA_DIR: dataDir, DATABASE_URL: inject('databaseUrl') ?? undefined });
      const slug = slugOf('direct');
      const created = await cli(
        env,
        'tenant',
        'create',
        '--name',
        'Direct Club',
        '--slug',
        slug,
        '--time-zone',
        'europe/berlin',
        '--direct',
      );
      expect(created.code).toBe(0);
      expect(created.stderr).toContain(inject('databaseUrl') ? 'database PostgreSQL' : `database PGlite in ${dataDir}`);
      expect(created.stderr).toContain('direct, no server');
      expect(JSON.parse(created.stdout)).toMatchObject({ object: 'tenant', slug, time_zone: 'Europe/Berlin' });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
