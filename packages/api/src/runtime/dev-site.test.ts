import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../deps.js';
import { createManualClock } from '../lib/clock.js';
import { listAudit } from '../services/audit.js';
import { createTestContext, type TestContext, type TestTenant } from '../testing/index.js';
import { ensureDemoOwner } from './demo-owner.js';
import { createDevSite } from './dev-site.js';

let t: TestContext;
let tenant: TestTenant;
let dataDir: string;
beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant('Console Club');
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'memberkit-dev-site-'));
});
afterAll(async () => {
  await t.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The staff console as `npm start` serves it, on a clock the test moves. */
async function consoleSite() {
  const clock = createManualClock();
  const deps: AppDeps = { ...t.deps, clock };
  const owner = await ensureDemoOwner(deps, dataDir, tenant.id);
  const site = createDevSite({
    deps,
    logger: t.logger,
    demo: { tenantId: tenant.id, publishableKey: tenant.publishable_key },
    owner,
  });
  const load = async () => {
    const response = await site(new Request('http://127.0.0.1:8787/admin', { headers: { 'user-agent': 'test' } }));
    const page = await response!.text();
    return { token: /token="(eyJ[\w.-]+)"/.exec(page)?.[1], refresh: /refresh-token="([^"]+)"/.exec(page)?.[1] };
  };
  const minted = async () =>
    (await listAudit(t.deps, tenant.id, { action: 'staff.session_minted', actorId: 'npm-start' }, { limit: 100 }))
      .length;
  return { clock, load, minted };
}

describe('the staff console at /admin (npm start)', () => {
  it('mints one staff session for many page loads, and a new one when it is about to expire or was ended', async () => {
    const { clock, load, minted } = await consoleSite();
    const before = await minted();
    const first = await load();
    const second = await load();
    expect(first.token).toBeDefined();
    expect(second).toEqual(first);
    expect(await minted()).toBe(before + 1);

    // The token works for the console's requests.
    const me = await t.request('GET', '/v1/staff', { key: first.token! });
    expect(me.status).toBe(200);

    // Eight minutes on, the access token is two minutes from expiring: the page would renew it soon after loading.
    clock.advance(8 * 60 * 1000);
    const third = await load();
    expect(third.token).not.toBe(first.token);
    expect(third.refresh).not.toBe(first.refresh);
    expect(await minted()).toBe(before + 2);

    // Signed out from the console: the next load gets a live session, not the ended one.
    const logout = await t.request('POST', '/v1/auth/logout', {
      key: tenant.publishable_key,
      body: { refresh_token: third.refresh },
    });
    expect(logout.status).toBe(204);
    expect((await t.request('GET', '/v1/staff', { key: third.token! })).status).toBe(401);
    const fourth = await load();
    expect(fourth.token).not.toBe(third.token);
    expect(await minted()).toBe(before + 3);
  });
});
