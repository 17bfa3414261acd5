import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailOutbox, members, tenants } from '../db/schema/index.js';
import { createTestContext, expectProblem, type TestContext } from '../testing/index.js';

type Tenant = Awaited<ReturnType<TestContext['createTenant']>>;
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const SHOP = 'https://shop.example';
const CLUB = 'https://club.example.org';
const ELSEWHERE = 'https://elsewhere.example';

const person = () => ({
  email: `ada-${crypto.randomUUID()}@example.org`,
  password: 'analytical-engine-1843',
  first_name: 'Ada',
  last_name: 'Lovelace',
});

/** A tenant that signs members in at once, with `origins` of its own. */
async function tenantWith(origins: string[]): Promise<Tenant> {
  const tenant = await t.createTenant();
  await t.db.withPlatform((tx) =>
    tx
      .update(tenants)
      .set({ authSettings: { require_email_verification: false }, allowedOrigins: origins })
      .where(eq(tenants.id, tenant.id)),
  );
  return tenant;
}

/** A publishable key of the tenant bound to `origins`. */
async function publishableKey(tenant: Tenant, origins: string[]) {
  const res = await t.request('POST', '/v1/api-keys', {
    key: tenant.secret_key,
    body: { kind: 'publishable', allowed_origins: origins },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; key: string };
}

/** Signs a new member up through `key` from the page at `origin`. */
async function signUpFrom(origin: string, key: string, body = person()) {
  const res = await t.request('POST', '/v1/auth/signup', { key, body, headers: { Origin: origin } });
  expect(res.status).toBe(201);
  expect(res.headers.get('access-control-allow-origin')).toBe(origin);
  return res.body as { access_token: string; refresh_token: string; member: { id: string; email: string } };
}

const meFrom = (origin: string, accessToken: string) =>
  t.request('GET', '/v1/me', { key: accessToken, headers: { Origin: origin } });

describe('member tokens from the origins of the publishable key they signed in through', () => {
  it('accepts the token on a site only the key allows (the tenant has no origins), after refresh and after a password login too', async () => {
    const tenant = await tenantWith([]);
    const shopKey = await publishableKey(tenant, [SHOP]);
    const body = person();
    const session = await signUpFrom(SHOP, shopKey.key, body);

    const me = await meFrom(SHOP, session.access_token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: session.member.id });
    expect(me.headers.get('access-control-allow-origin')).toBe(SHOP);

    const refreshed = await t.request('POST', '/v1/auth/refresh', {
      key: shopKey.key,
      body: { refresh_token: session.refresh_token },
      headers: { Origin: SHOP },
    });
    expect(refreshed.status).toBe(200);
    expect((await meFrom(SHOP, refreshed.body.access_token)).status).toBe(200);

    const login = await t.request('POST', '/v1/auth/login', {
      key: shopKey.key,
      body: { email: body.email, password: body.password },
      headers: { Origin: SHOP },
    });
    expect(login.status).toBe(200);
    expect((await meFrom(SHOP, login.body.access_token)).status).toBe(200);
  });

  it("accepts the token on the tenant's origins and the key's, not on another key's", async () => {
    const tenant = await tenantWith([CLUB]);
    const shopKey = await publishableKey(tenant, [SHOP]);
    const otherKey = await publishableKey(tenant, [ELSEWHERE]);
    const session = await signUpFrom(SHOP, shopKey.key);

    expect((await meFrom(SHOP, session.access_token)).status).toBe(200);
    expect((await meFrom(CLUB, session.access_token)).status).toBe(200);
    // Signed in through the shop's key: the other key's site is not one this session was opened for.
    expectProblem(await meFrom(ELSEWHERE, session.access_token), 403, 'ORIGIN_NOT_ALLOWED');
    const elsewhere = await signUpFrom(ELSEWHERE, otherKey.key);
    expect((await meFrom(ELSEWHERE, elsewhere.access_token)).status).toBe(200);
    expectProblem(await meFrom(SHOP, elsewhere.access_token), 403, 'ORIGIN_NOT_ALLOWED');
  });

  it("stops accepting the key's origins once the key is revoked; the tenant's still apply", async () => {
    const tenant = await tenantWith([CLUB]);
    const shopKey = await publishableKey(tenant, [SHOP]);
    const session = await signUpFrom(SHOP, shopKey.key);
    expect((await meFrom(SHOP, session.access_token)).status).toBe(200);

    expect((await t.request('DELETE', `/v1/api-keys/${shopKey.id}`, { key: tenant.secret_key })).status).toBe(200);
    expectProblem(await meFrom(SHOP, session.access_token), 403, 'ORIGIN_NOT_ALLOWED');
    expect((await meFrom(CLUB, session.access_token)).status).toBe(200);
    // Server-side use (no Origin) is unaffected: the origin check is for browsers.
    expect((await t.request('GET', '/v1/me', { key: session.access_token })).status).toBe(200);
  });
});

describe('staff tokens from the origins of the publishable key they signed in through', () => {
  it('accepts a staff session opened through a key bound to a site on that site, and not elsewhere', async () => {
    const tenant = await tenantWith([]);
    const consoleKey = await publishableKey(tenant, [SHOP]);
    const email = `staff-${crypto.randomUUID()}@example.org`;
    expect(
      (
        await t.request('POST', '/v1/staff', {
          key: tenant.secret_key,
          body: { email, name: 'Grace Hopper', role: 'manager' },
        })
      ).status,
    ).toBe(201);
    const [mail] = await t.db.withTenant(tenant.id, (tx) =>
      tx.select({ data: mailOutbox.data }).from(mailOutbox).where(eq(mailOutbox.toAddress, email)),
    );
    const token = (mail!.data as { token: string }).token;
    const accepted = await t.request('POST', '/v1/auth/staff/accept-invite', {
      key: consoleKey.key,
      body: { token, password: 'staff-password-2026' },
      headers: { Origin: SHOP },
    });
    expect(accepted.status).toBe(200);

    const fromShop = await t.request('GET', '/v1/members', {
      key: accepted.body.access_token,
      headers: { Origin: SHOP },
    });
    expect(fromShop.status).toBe(200);
    expect(fromShop.headers.get('access-control-allow-origin')).toBe(SHOP);
    expectProblem(
      await t.request('GET', '/v1/members', { key: accepted.body.access_token, headers: { Origin: ELSEWHERE } }),
      403,
      'ORIGIN_NOT_ALLOWED',
    );
  });
});

describe('a refused origin', () => {
  it('answers 403 ORIGIN_NOT_ALLOWED that the page can read, carrying no data, and runs nothing', async () => {
    const tenant = await tenantWith([CLUB]);
    const body = person();
    const res = await t.request('POST', '/v1/auth/signup', {
      key: tenant.publishable_key,
      body,
      headers: { Origin: ELSEWHERE },
    });
    const problem = expectProblem(res, 403, 'ORIGIN_NOT_ALLOWED');
    expect(problem.detail).toContain(ELSEWHERE);
    expect(res.headers.get('access-control-allow-origin')).toBe(ELSEWHERE);
    expect(res.headers.get('vary')).toContain('Origin');
    expect(Object.keys(problem).sort()).toEqual(['code', 'detail', 'request_id', 'status', 'title', 'type']);
    const created = await t.db.withTenant(tenant.id, (tx) =>
      tx.select({ id: members.id }).from(members).where(eq(members.email, body.email)),
    );
    expect(created).toEqual([]);

    // The same for the public config a widget loads first, and for a member token.
    const config = await t.request('GET', '/v1/public/config', {
      key: tenant.publishable_key,
      headers: { Origin: ELSEWHERE },
    });
    expectProblem(config, 403, 'ORIGIN_NOT_ALLOWED');
    expect(config.headers.get('access-control-allow-origin')).toBe(ELSEWHERE);
  });

  it('gives secret keys no CORS grant, allowed or refused', async () => {
    const tenant = await tenantWith([CLUB]);
    for (const origin of [CLUB, ELSEWHERE]) {
      const res = await t.request('GET', '/v1/tenant', { key: tenant.secret_key, headers: { Origin: origin } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});
