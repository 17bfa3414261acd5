import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, tenants } from '../../db/schema/index.js';
import { REFRESH_REUSE_GRACE_MS } from '../../accounts/sessions.js';
import { createStaffWithPassword } from '../../accounts/staff.js';
import { createManualClock } from '../../lib/clock.js';
import { createTestContext, expectProblem, type TestContext } from '../../testing/index.js';

type Tenant = Awaited<ReturnType<TestContext['createTenant']>>;
let t: TestContext;
const clock = createManualClock(new Date());

beforeAll(async () => {
  t = await createTestContext({ config: { authRateLimit: { limit: 100_000, windowSeconds: 10 } } });
  t.deps.clock = clock;
});
afterAll(() => t.close());

const PASSWORD = 'analytical-engine-1843';
/** One browser: both of its tabs send the same user agent from the same address. */
const BROWSER = { 'User-Agent': 'Firefox/140', 'X-Test-Client-Ip': '192.0.2.10' };

async function tenantWithMember() {
  const tenant = await t.createTenant();
  await t.db.withPlatform((tx) =>
    tx
      .update(tenants)
      .set({ authSettings: { require_email_verification: false } })
      .where(eq(tenants.id, tenant.id)),
  );
  const email = `ada-${Math.random().toString(36).slice(2)}@example.org`;
  const res = await t.request('POST', '/v1/auth/signup', {
    key: tenant.publishable_key,
    body: { email, password: PASSWORD, first_name: 'Ada', last_name: 'Lovelace' },
    headers: BROWSER,
  });
  expect(res.status).toBe(201);
  return { tenant, session: res.body as { access_token: string; refresh_token: string; session_id: string } };
}

const refresh = (tenant: Tenant, token: string, headers: Record<string, string> = BROWSER, path = '/v1/auth/refresh') =>
  t.request('POST', path, { key: tenant.publishable_key, body: { refresh_token: token }, headers });

describe('refresh token rotation', () => {
  it('gives two tabs refreshing one token at once the same new pair, and the session lives on', async () => {
    const { tenant, session } = await tenantWithMember();
    const answers = await Promise.all([1, 2, 3, 4].map(() => refresh(tenant, session.refresh_token)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const successors = new Set(answers.map((a) => a.body.refresh_token));
    expect(successors.size).toBe(1);
    const [successor] = successors;
    expect(successor).not.toBe(session.refresh_token);
    expect(new Set(answers.map((a) => a.body.session_id))).toEqual(new Set([session.session_id]));
    for (const answer of answers)
      expect((await t.request('GET', '/v1/me', { key: answer.body.access_token })).status).toBe(200);

    // The successor is the live token: it renews, and the session was never ended.
    clock.advance(REFRESH_REUSE_GRACE_MS);
    const next = await refresh(tenant, successor);
    expect(next.status).toBe(200);
    expect((await t.request('GET', '/v1/me', { key: next.body.access_token })).status).toBe(200);
    const audit = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.action, 'session.refresh_token_reused')),
    );
    expect(audit).toHaveLength(0);
  });

  it('reaches the current token when the successor was rotated again within the window', async () => {
    const { tenant, session } = await tenantWithMember();
    const first = await refresh(tenant, session.refresh_token);
    clock.advance(1000);
    const second = await refresh(tenant, first.body.refresh_token);
    clock.advance(1000);
    const late = await refresh(tenant, session.refresh_token);
    expect(late.status).toBe(200);
    expect(late.body.refresh_token).toBe(second.body.refresh_token);
  });

  it('ends the session when a used token comes back after the window', async () => {
    const { tenant, session } = await tenantWithMember();
    const next = await refresh(tenant, session.refresh_token);
    expect(next.status).toBe(200);
    clock.advance(REFRESH_REUSE_GRACE_MS);
    expectProblem(await refresh(tenant, session.refresh_token), 401, 'REFRESH_TOKEN_REUSED');
    expectProblem(await refresh(tenant, next.body.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    expectProblem(await t.request('GET', '/v1/me', { key: next.body.access_token }), 401);
  });

  it('ends the session when another client replays a used token, even within the window', async () => {
    const { tenant, session } = await tenantWithMember();
    const next = await refresh(tenant, session.refresh_token);
    expectProblem(
      await refresh(tenant, session.refresh_token, { 'User-Agent': 'curl/8', 'X-Test-Client-Ip': '203.0.113.5' }),
      401,
      'REFRESH_TOKEN_REUSED',
    );
    expectProblem(await refresh(tenant, next.body.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
  });

  it("refuses another tenant's token without spending it", async () => {
    const { tenant, session } = await tenantWithMember();
    const other = await t.createTenant();
    expectProblem(await refresh(other, session.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    clock.advance(REFRESH_REUSE_GRACE_MS);
    // Still the live token of its own tenant: not rotated, so no reuse and no lost session.
    const own = await refresh(tenant, session.refresh_token);
    expect(own.status).toBe(200);
    expect((await t.request('GET', '/v1/me', { key: own.body.access_token })).status).toBe(200);
  });

  it('refuses a member token at the staff endpoint and a staff token at the member one, without spending either', async () => {
    const { tenant, session } = await tenantWithMember();
    const email = `grace-${Math.random().toString(36).slice(2)}@example.org`;
    await createStaffWithPassword(
      t.deps,
      tenant.id,
      { actorType: 'system', actorId: 'test', requestId: null, ip: null },
      { email, name: 'Grace Hopper', role: 'admin', password: PASSWORD },
    );
    const staff = await t.request('POST', '/v1/auth/staff/login', {
      key: tenant.publishable_key,
      body: { email, password: PASSWORD },
      headers: BROWSER,
    });
    expect(staff.status).toBe(200);

    expectProblem(
      await refresh(tenant, session.refresh_token, BROWSER, '/v1/auth/staff/refresh'),
      401,
      'INVALID_REFRESH_TOKEN',
    );
    expectProblem(
      await refresh(tenant, staff.body.refresh_token, BROWSER, '/v1/auth/refresh'),
      401,
      'INVALID_REFRESH_TOKEN',
    );
    clock.advance(REFRESH_REUSE_GRACE_MS);
    expect((await refresh(tenant, session.refresh_token)).status).toBe(200);
    expect((await refresh(tenant, staff.body.refresh_token, BROWSER, '/v1/auth/staff/refresh')).status).toBe(200);
  });
});
