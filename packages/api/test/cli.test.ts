import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { childEnv, runToEnd } from './support/spawn.js';

let dataDir: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'memberkit-cli-'));
  env = childEnv({ MEMBERKIT_DATA_DIR: dataDir, DATABASE_URL: inject('databaseUrl') ?? undefined });
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const cli = (...args: string[]) => runToEnd(['bin/memberkit.mjs', ...args], env);

describe('npx memberkit tenant', () => {
  it('creates a tenant and prints it with its keys as JSON, then lists it', async () => {
    const slug = `cli-${Date.now().toString(36)}`;
    const created = await cli('tenant', 'create', '--name', 'CLI Club', '--slug', slug);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const tenant = JSON.parse(created.stdout) as Record<string, string>;
    expect(tenant).toMatchObject({ object: 'tenant', name: 'CLI Club', slug });
    expect(tenant.id).toMatch(/^tnt_/);
    expect(tenant.secret_key).toMatch(/^sk_/);
    expect(tenant.publishable_key).toMatch(/^pk_/);

    const listed = await cli('tenant', 'list');
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { data: { id: string }[] }).data.map((d) => d.id)).toContain(tenant.id);

    const again = await cli('tenant', 'create', '--name', 'Other', '--slug', slug);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('TENANT_SLUG_TAKEN');
  }, 120_000);

  it('explains bad arguments and exits 64', async () => {
    const bad = await cli('tenant', 'create', '--name', 'X', '--slug', 'Not A Slug');
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('--slug');
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('Usage');
  }, 60_000);
});
