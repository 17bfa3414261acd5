import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../lib/clock.js';
import { LAST_ACTIVE_THROTTLE_MS, touchLastActive } from '../../services/member-activity.js';
import { createTestContext, type TestContext, type TestTenant } from '../../testing/index.js';

let t: TestContext;
const clock = createManualClock(new Date('2026-12-07T09:00:00.000Z'));
const MINUTE = 60_000;

beforeAll(async () => {
  t = await createTestContext({ config: { authRateLimit: { limit: 100_000, windowSeconds: 10 } } });
  t.deps.clock = clock;
});
afterAll(() => t.close());

/** One browser, so password sign-ins come from a client the account knows. */
const BROWSER = { 'User-Agent': 'Firefox/140', 'X-Test-Client-Ip': '192.0.2.20' };

/** `last_active_at` as staff see it (`GET /v1/members/{id}`), which reading it must not change. */
async function lastActive(tenant: TestTenant, memberId: string): Promise<string | null> {
  const res = await t.request('GET', `/v1/members/${memberId}`, { key: tenant.secret_key });
  expect(res.status).toBe(200);
  return res.body.last_active_at;
}

async function signIn(tenant: TestTenant, email: string) {
  const res = await t.request('POST', '/v1/auth/login', {
    key: tenant.publishable_key,
    body: { email, password: 'correct-horse-battery-staple-1' },
    headers: BROWSER,
  });
  expect(res.status).toBe(200);
  return res.body as { access_token: string; refresh_token: string; member: { id: string } };
}

async function memberOf(tenant: TestTenant) {
  const { email } = await t.signUpMember(tenant, { password: 'correct-horse-battery-staple-1' });
  const session = await signIn(tenant, email);
  return { email, id: session.member.id, session };
}

describe('last_active_at', () => {
  it('is set by a password sign-in, kept for 5 minutes, then moved by the next one', async () => {
    const tenant = await t.createTenant();
    const { email, id } = await memberOf(tenant);

    clock.advance(10 * MINUTE);
    const signedInAt = clock.now().toISOString();
    await signIn(tenant, email);
    expect(await lastActive(tenant, id)).toBe(signedInAt);

    clock.advance(4 * MINUTE);
    await signIn(tenant, email);
    expect(await lastActive(tenant, id)).toBe(signedInAt);

    clock.advance(2 * MINUTE);
    await signIn(tenant, email);
    expect(await lastActive(tenant, id)).toBe(clock.now().toISOString());
  });

  it('is moved by a token refresh and by the member using the API, not by staff reading the member', async () => {
    const tenant = await t.createTenant();
    const { id, session } = await memberOf(tenant);
    const signedInAt = clock.now().toISOString();

    clock.advance(6 * MINUTE);
    expect(await lastActive(tenant, id)).toBe(signedInAt);
    const refreshed = await t.request('POST', '/v1/auth/refresh', {
      key: tenant.publishable_key,
      body: { refresh_token: session.refresh_token },
      headers: BROWSER,
    });
    expect(refreshed.status).toBe(200);
    const refreshedAt = clock.now().toISOString();
    expect(await lastActive(tenant, id)).toBe(refreshedAt);

    clock.advance(3 * MINUTE);
    expect((await t.request('GET', '/v1/me', { key: refreshed.body.access_token })).status).toBe(200);
    expect(await lastActive(tenant, id)).toBe(refreshedAt);

    clock.advance(3 * MINUTE);
    expect((await t.request('GET', '/v1/me', { key: refreshed.body.access_token })).status).toBe(200);
    expect(await lastActive(tenant, id)).toBe(clock.now().toISOString());
  });

  it('is set by a magic-link sign-in of a member staff added, who was never active before', async () => {
    const tenant = await t.createTenant();
    const email = `grace-${Math.random().toString(36).slice(2)}@example.org`;
    const created = await t.request('POST', '/v1/members', {
      key: tenant.secret_key,
      body: { email, first_name: 'Grace', last_name: 'Hopper', status: 'active' },
    });
    expect(created.status).toBe(201);
    expect(created.body.last_active_at).toBeNull();

    const sent = await t.request('POST', '/v1/auth/magic-link', { key: tenant.publishable_key, body: { email } });
    expect(sent.status).toBe(202);
    const token = await t.mailToken(tenant.id, 'magic_link', email);
    const verified = await t.request('POST', '/v1/auth/magic-link/verify', {
      key: tenant.publishable_key,
      body: { token },
    });
    expect(verified.status).toBe(200);
    expect(await lastActive(tenant, created.body.id)).toBe(clock.now().toISOString());
  });

  it('costs one write for a burst of concurrent signs of life, and never moves backwards', async () => {
    const tenant = await t.createTenant();
    const { id } = await memberOf(tenant);
    clock.advance(LAST_ACTIVE_THROTTLE_MS + MINUTE);
    const at = clock.now();
    const writes = await Promise.all(
      Array.from({ length: 8 }, () => t.db.withTenant(tenant.id, (tx) => touchLastActive(tx, tenant.id, id, at))),
    );
    expect(writes.filter(Boolean)).toHaveLength(1);

    const late = new Date(at.getTime() - 60 * MINUTE);
    expect(await t.db.withTenant(tenant.id, (tx) => touchLastActive(tx, tenant.id, id, late))).toBe(false);
    expect(await lastActive(tenant, id)).toBe(at.toISOString());
  });
});
