import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createScratchDatabase } from '../src/testing/index.js';
import { childEnv, runToEnd, startUntil, stop } from './support/spawn.js';

let dataDir: string;
// On a server, the started process gets a database of its own: its mail worker
// would otherwise deliver (and so take away) other test files' outbox mail.
let database: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'memberkit-start-'));
  const serverUrl = inject('databaseUrl');
  if (serverUrl) database = await createScratchDatabase(serverUrl);
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await database?.drop();
});

const field = (banner: string, label: string) => new RegExp(`${label}\\s+(\\S+)`).exec(banner)?.[1];

describe('npm start (the Node entry point)', () => {
  it('starts on a fresh database with the demo tenant, prints its keys, and reuses everything on restart', async () => {
    const env = childEnv({ PORT: '0', MEMBERKIT_DATA_DIR: dataDir, DATABASE_URL: database?.url });
    const first = startUntil(['--import', 'tsx', 'src/runtime/node-start.ts'], env, 'Try:');
    const banner = await first.output;
    const url = field(banner, 'API')!;
    const secretKey = field(banner, 'Secret key')!;
    const platformKey = field(banner, 'Platform key')!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(banner).toContain('just created');
    expect(field(banner, 'Publishable')).toMatch(/^pk_/);
    expect(platformKey).toMatch(/^mk_platform_/);
    expect(banner).toContain(`${url}/docs`);

    expect((await fetch(`${url}/health`)).status).toBe(200);
    const tenant = (await (
      await fetch(`${url}/v1/tenant`, { headers: { Authorization: `Bearer ${secretKey}` } })
    ).json()) as { name: string; time_zone: string };
    expect(tenant.name).toBe('Demo Association');
    expect(tenant.time_zone).toBe('Europe/Berlin');
    const docs = await fetch(`${url}/docs/assets/swagger-ui-bundle.js`);
    expect(docs.status).toBe(200);
    if (!database) expect((await stat(path.join(dataDir, 'pgdata'))).isDirectory()).toBe(true);
    expect((await stat(path.join(dataDir, 'dev-credentials.json'))).mode & 0o777).toBe(0o600);

    // Beside the API: the example member site with the demo key, and the staff console signed in as the owner.
    const site = await (await fetch(`${url}/`)).text();
    expect(site).toContain(`publishable-key="${field(banner, 'Publishable')}"`);
    expect(site).toContain(`src="${url}/widgets/v1/memberkit-widgets.js"`);
    expect(banner).toMatch(/Staff console\s+\S+\/admin\s+\(signed in as owner@demo\.example, password demo-\w+\)/);
    const consolePage = await (await fetch(`${url}/admin`)).text();
    const staffToken = /token="(eyJ[\w.-]+)"/.exec(consolePage)?.[1];
    expect(staffToken).toBeDefined();
    const staff = await fetch(`${url}/v1/staff`, { headers: { Authorization: `Bearer ${staffToken}` } });
    expect(staff.status).toBe(200);
    expect(((await staff.json()) as { data: { email: string; role: string }[] }).data).toEqual([
      expect.objectContaining({ email: 'owner@demo.example', role: 'owner' }),
    ]);

    // Sign-up mails go through the outbox and the delivery worker to the dev mailbox.
    const publishable = field(banner, 'Publishable')!;
    const signup = await fetch(`${url}/v1/auth/signup`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${publishable}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        email: 'new.member@example.org',
        password: 'a-long-enough-password',
        first_name: 'New',
        last_name: 'Member',
      }),
    });
    expect(signup.status).toBe(202);
    let mails: { to: string; subject: string; links: string[] }[] = [];
    for (let i = 0; i < 50 && mails.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      mails = ((await (await fetch(`${url}/dev/mail`)).json()) as { data: typeof mails }).data;
    }
    expect(mails[0]?.to).toContain('new.member@example.org');
    expect(mails[0]?.links.some((l) => l.includes('token='))).toBe(true);

    // The CLI reaches the running server instead of opening the embedded database twice.
    const cli = await runToEnd(
      [
        'bin/memberkit.mjs',
        'tenant',
        'create',
        '--name',
        'While Running',
        '--slug',
        `running-${Date.now().toString(36)}`,
      ],
      env,
    );
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout).secret_key).toMatch(/^sk_/);

    expect(await stop(first.child)).toBe(0);

    const second = startUntil(['--import', 'tsx', 'src/runtime/node-start.ts'], env, 'Try:');
    const again = await second.output;
    try {
      expect(again).not.toContain('just created');
      expect(field(again, 'Secret key')).toBe(secretKey);
      expect(field(again, 'Platform key')).toBe(platformKey);
      expect(again).toContain('signed in as owner@demo.example');
      const url2 = field(again, 'API')!;
      const list = (await (
        await fetch(`${url2}/v1/platform/tenants`, { headers: { Authorization: `Bearer ${platformKey}` } })
      ).json()) as {
        data: { slug: string }[];
      };
      expect(list.data.filter((t) => t.slug === 'demo')).toHaveLength(1);
      expect(list.data.some((t) => t.slug.startsWith('running-'))).toBe(true);
    } finally {
      await stop(second.child);
    }
  }, 180_000);
});
