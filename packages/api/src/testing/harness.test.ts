import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, expectProblem, type TestContext } from './index.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('@memberkit/api/testing', () => {
  it('signs a member up through the mailed verification code of a tenant that requires it', async () => {
    const tenant = await t.createTenant();
    const member = await t.signUpMember(tenant);
    const me = await t.request('GET', '/v1/me', { key: member.access_token });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(member.email);
    const [mail] = await t.mails(tenant.id, member.email);
    expect(mail).toMatchObject({ template: 'verify_email', to: member.email, token: expect.any(String) });
  });

  it('signs staff in with the role asked for, which the API then enforces', async () => {
    const tenant = await t.createTenant();
    const viewer = await t.signInStaff(tenant, 'viewer');
    expect((await t.request('GET', '/v1/members', { key: viewer.access_token })).status).toBe(200);
    const refused = await t.request('POST', '/v1/members', {
      key: viewer.access_token,
      body: { email: 'ada@example.org', first_name: 'Ada', last_name: 'Lovelace' },
    });
    expectProblem(refused, 403);
    const owner = await t.signInStaff(tenant, 'owner');
    const staff = await t.request('GET', '/v1/staff', { key: owner.access_token });
    expect(staff.body.data.map((s: { email: string; role: string }) => [s.email, s.role]).sort()).toEqual(
      [
        [owner.email, 'owner'],
        [viewer.email, 'viewer'],
      ].sort(),
    );
  });

  it('says which mail is missing instead of returning no token', async () => {
    const tenant = await t.createTenant();
    await expect(t.mailToken(tenant.id, 'magic_link', 'nobody@example.org')).rejects.toThrow(
      'no magic_link mail with a token to nobody@example.org',
    );
  });

  it('runs outside vitest too: a plain Node script gets the app on a fresh, migrated PGlite', async () => {
    // The package by name, from its source (the workspace's condition, through tsx), as a dependent's script would.
    const script = `
      import { createTestContext } from '@memberkit/api/testing';
      const t = await createTestContext();
      const tenant = await t.createTenant('Script Club');
      const member = await t.signUpMember(tenant);
      const me = await t.request('GET', '/v1/me', { key: member.access_token });
      console.log(JSON.stringify({ tenant: tenant.name, me: me.status, driver: t.db.driver }));
      await t.close();`;
    const env = { ...process.env };
    for (const name of ['VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'DATABASE_URL']) delete env[name];
    const child = spawn(
      process.execPath,
      ['--conditions=memberkit-source', '--import', 'tsx', '--input-type=module', '--eval', script],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)), env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ tenant: 'Script Club', me: 200, driver: 'pglite' });
    // A fresh PGlite is migrated from scratch (3 s alone, much more on a busy two-core machine).
  }, 120_000);
});
