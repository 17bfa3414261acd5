import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditLog,
  memberCredentials,
  members,
  oidcIdentities,
  oidcProviders,
  oneTimeTokens,
  tenants,
} from '../../db/schema/index.js';
import { createOidcProvider } from '../../accounts/oidc.js';
import { createTestContext, expectProblem, type TestContext, type TestResponse } from '../../testing/index.js';
import { startTestOidcProvider, type TestAccount, type TestOidcProvider } from '../../testing/index.js';

type Tenant = Awaited<ReturnType<TestContext['createTenant']>>;

const CALLBACK = 'http://api.memberkit.test/v1/auth/oidc/callback';
const SITE = 'https://site.example';
const RETURN_TO = `${SITE}/members/callback`;

let t: TestContext;
let op: TestOidcProvider;
beforeAll(async () => {
  t = await createTestContext();
  // Until app.ts mounts the router, mount it here (before the first request, while routes can still be added).
  op = await startTestOidcProvider({ redirectUri: CALLBACK });
});
afterAll(async () => {
  await op?.close();
  await t?.close();
});

/** A person at the provider; returns their login name. */
function person(claims: Partial<TestAccount> = {}): { login: string; email: string } {
  const login = `user-${crypto.randomUUID()}`;
  const email = claims.email ?? `${login}@example.org`;
  op.accounts.set(login, { email, email_verified: true, given_name: 'Grace', family_name: 'Hopper', ...claims });
  return { login, email };
}

async function tenantWith(options: { autoCreate?: boolean; settings?: Record<string, boolean> } = {}) {
  const tenant = await t.createTenant();
  await t.db.withPlatform((tx) =>
    tx
      .update(tenants)
      .set({ allowedOrigins: [SITE], authSettings: options.settings ?? {} })
      .where(eq(tenants.id, tenant.id)),
  );
  const res = await t.request('POST', '/v1/tenant/oidc-providers', {
    key: tenant.secret_key,
    body: {
      name: 'Test IdP',
      issuer: op.issuer,
      client_id: op.clientId,
      client_secret: op.clientSecret,
      auto_create_members: options.autoCreate ?? true,
    },
  });
  expect(res.status, res.text).toBe(201);
  return { tenant, providerId: res.body.id as string };
}

function startUrl(tenant: Tenant, providerId: string, params: Record<string, string> = {}): string {
  const query = new URLSearchParams({ publishable_key: tenant.publishable_key, redirect_uri: RETURN_TO, ...params });
  return `/v1/auth/oidc/${providerId}/start?${query}`;
}

async function get(path: string): Promise<TestResponse> {
  const response = await t.app.request(path);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Redirects have no JSON body.
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** Starts a login, signs in at the provider and returns the provider's redirect to our callback. */
async function throughProvider(
  tenant: Tenant,
  providerId: string,
  login: string,
  options: { params?: Record<string, string>; abort?: boolean } = {},
) {
  const start = await get(startUrl(tenant, providerId, options.params));
  expect(start.status, start.text).toBe(302);
  const back = await op.signIn(start.headers.get('location')!, login, { abort: options.abort ?? false });
  expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
  return `${back.pathname}${back.search}`;
}

/** Finishes a login at our callback and returns where the browser is sent, with the fragment parsed. */
async function callback(path: string) {
  const res = await get(path);
  expect(res.status, res.text).toBe(302);
  const location = new URL(res.headers.get('location')!);
  return { res, location, result: new URLSearchParams(location.hash.slice(1)) };
}

async function signIn(
  tenant: Tenant,
  providerId: string,
  login: string,
  options: { params?: Record<string, string>; abort?: boolean } = {},
) {
  return callback(await throughProvider(tenant, providerId, login, options));
}

async function me(accessToken: string) {
  return t.request('GET', '/v1/me', { key: accessToken });
}

async function membersWithEmail(tenantId: string, email: string) {
  return t.db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(members)
      .where(and(eq(members.tenantId, tenantId), sql`lower(${members.email}) = ${email.toLowerCase()}`)),
  );
}

async function auditActions(tenantId: string) {
  const rows = await t.db.withTenant(tenantId, (tx) =>
    tx.select().from(auditLog).where(eq(auditLog.tenantId, tenantId)).orderBy(auditLog.seq),
  );
  return rows;
}

describe('GET /v1/auth/oidc/{provider_id}/start and GET /v1/auth/oidc/callback', () => {
  it('signs a new member in and returns the tokens in the fragment of a page on the allowed origin', async () => {
    const { tenant, providerId } = await tenantWith();
    const { login, email } = person();
    const start = await get(startUrl(tenant, providerId));
    expect(start.status).toBe(302);
    expect(start.headers.get('cache-control')).toBe('no-store');
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin).toBe(op.issuer);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: op.clientId,
      redirect_uri: CALLBACK,
      response_type: 'code',
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    });
    expect(authorize.searchParams.get('state')).toMatch(/^st_[0-9a-z]{26}[0-9A-Za-z]{40}$/);
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('code_challenge')).toBeTruthy();

    const back = await op.signIn(authorize.href, login);
    const { res, location, result } = await callback(`${back.pathname}${back.search}`);
    expect(`${location.origin}${location.pathname}`).toBe(RETURN_TO);
    expect(location.search).toBe('');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(result.get('token_type')).toBe('Bearer');
    expect(result.get('expires_in')).toBe('600');
    expect(result.get('refresh_token')).toMatch(/^rt_/);

    const profile = await me(result.get('access_token')!);
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ email, first_name: 'Grace', last_name: 'Hopper', status: 'active' });
    const [credentials] = await t.db.withTenant(tenant.id, (tx) =>
      tx
        .select()
        .from(memberCredentials)
        .where(and(eq(memberCredentials.tenantId, tenant.id), eq(memberCredentials.memberId, profile.body.id))),
    );
    expect(credentials?.emailVerifiedAt).toBeInstanceOf(Date);
    expect(credentials?.passwordHash).toBeNull();
    const refreshed = await t.request('POST', '/v1/auth/refresh', {
      key: tenant.publishable_key,
      body: { refresh_token: result.get('refresh_token') },
    });
    expect(refreshed.status).toBe(200);
    expect((await auditActions(tenant.id)).map((e) => e.action)).toContain('oidc_identity.linked');
  });

  it('accepts the tokens on the origins of the publishable key the login started with, when the tenant allows none', async () => {
    const { tenant, providerId } = await tenantWith();
    await t.db.withPlatform((tx) => tx.update(tenants).set({ allowedOrigins: [] }).where(eq(tenants.id, tenant.id)));
    const key = await t.request('POST', '/v1/api-keys', {
      key: tenant.secret_key,
      body: { kind: 'publishable', allowed_origins: [SITE] },
    });
    expect(key.status).toBe(201);
    const { result } = await signIn(tenant, providerId, person().login, { params: { publishable_key: key.body.key } });
    const profile = await t.request('GET', '/v1/me', { key: result.get('access_token')!, headers: { Origin: SITE } });
    expect(profile.status, profile.text).toBe(200);
    expect(profile.headers.get('access-control-allow-origin')).toBe(SITE);
  });

  it('signs the same person in as the same member the second time', async () => {
    const { tenant, providerId } = await tenantWith();
    const { login, email } = person();
    const first = await me((await signIn(tenant, providerId, login)).result.get('access_token')!);
    const second = await me((await signIn(tenant, providerId, login)).result.get('access_token')!);
    expect(second.body.id).toBe(first.body.id);
    expect(await membersWithEmail(tenant.id, email)).toHaveLength(1);
    const links = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(oidcIdentities).where(eq(oidcIdentities.tenantId, tenant.id)),
    );
    expect(links).toEqual([expect.objectContaining({ providerId, subject: login, memberId: first.body.id })]);
  });

  it('links an existing member with the same email instead of creating another, and activates a pending one', async () => {
    const { tenant, providerId } = await tenantWith();
    const email = `existing-${crypto.randomUUID()}@example.org`;
    const created = await t.request('POST', '/v1/members', {
      key: tenant.secret_key,
      body: { email, first_name: 'Existing', last_name: 'Member' },
    });
    expect(created.body.status).toBe('pending');
    const { login } = person({ email: email.toUpperCase() });
    const { result } = await signIn(tenant, providerId, login);
    // Never active before; the OIDC sign-in itself (before any request with its token) counts.
    expect(created.body.last_active_at).toBeNull();
    const seen = await t.request('GET', `/v1/members/${created.body.id}`, { key: tenant.secret_key });
    expect(seen.body.last_active_at).not.toBeNull();
    const profile = await me(result.get('access_token')!);
    expect(profile.body).toMatchObject({ id: created.body.id, first_name: 'Existing', status: 'active' });
    expect(await membersWithEmail(tenant.id, email)).toHaveLength(1);
  });

  it('takes over an account whose email was never verified: its password and sessions end', async () => {
    const { tenant, providerId } = await tenantWith({ settings: { require_email_verification: false } });
    const email = `squatted-${crypto.randomUUID()}@example.org`;
    const password = 'pre-registered-password-1';
    const squatter = await t.request('POST', '/v1/auth/signup', {
      key: tenant.publishable_key,
      body: { email, password, first_name: 'Not', last_name: 'Owner' },
    });
    expect(squatter.status).toBe(201);

    const { login } = person({ email });
    const { result } = await signIn(tenant, providerId, login);
    expect((await me(result.get('access_token')!)).body.id).toBe(squatter.body.member.id);
    expect(
      (
        await t.request('POST', '/v1/auth/refresh', {
          key: tenant.publishable_key,
          body: { refresh_token: squatter.body.refresh_token },
        })
      ).status,
    ).toBe(401);
    expect(
      (await t.request('POST', '/v1/auth/login', { key: tenant.publishable_key, body: { email, password } })).status,
    ).toBe(401);
  });

  it('gives two simultaneous first logins of one person the same member', async () => {
    const { tenant, providerId } = await tenantWith();
    const { login, email } = person();
    const paths = [await throughProvider(tenant, providerId, login), await throughProvider(tenant, providerId, login)];
    const results = await Promise.all(paths.map(callback));
    const ids = await Promise.all(results.map(async ({ result }) => (await me(result.get('access_token')!)).body.id));
    expect(ids[0]).toBe(ids[1]);
    expect(await membersWithEmail(tenant.id, email)).toHaveLength(1);
  });

  it('sends an unknown email back with account_not_found when the provider does not create members', async () => {
    const { tenant, providerId } = await tenantWith({ autoCreate: false });
    const { login, email } = person();
    const { location, result } = await signIn(tenant, providerId, login);
    expect(`${location.origin}${location.pathname}`).toBe(RETURN_TO);
    expect(result.get('error')).toBe('account_not_found');
    expect(result.get('error_description')).toBeTruthy();
    expect(result.has('access_token')).toBe(false);
    expect(await membersWithEmail(tenant.id, email)).toHaveLength(0);
  });

  it('creates no member when the tenant has turned sign-up off', async () => {
    const { tenant, providerId } = await tenantWith({ settings: { signup_enabled: false } });
    const { login, email } = person();
    expect((await signIn(tenant, providerId, login)).result.get('error')).toBe('account_not_found');
    expect(await membersWithEmail(tenant.id, email)).toHaveLength(0);
  });

  it('refuses an email the provider has not verified, and an account without email', async () => {
    const { tenant, providerId } = await tenantWith();
    const unverified = person({ email_verified: false });
    expect((await signIn(tenant, providerId, unverified.login)).result.get('error')).toBe('email_not_verified');
    expect(await membersWithEmail(tenant.id, unverified.email)).toHaveLength(0);
    const login = `no-email-${crypto.randomUUID()}`;
    op.accounts.set(login, { given_name: 'No', family_name: 'Email' });
    expect((await signIn(tenant, providerId, login)).result.get('error')).toBe('email_not_verified');
  });

  it('refuses a suspended member', async () => {
    const { tenant, providerId } = await tenantWith();
    const { login, email } = person();
    await signIn(tenant, providerId, login);
    await t.db.withTenant(tenant.id, (tx) =>
      tx
        .update(members)
        .set({ status: 'suspended' })
        .where(and(eq(members.tenantId, tenant.id), eq(members.email, email))),
    );
    expect((await signIn(tenant, providerId, login)).result.get('error')).toBe('member_suspended');
  });

  it("sends access_denied back when the person cancels at the provider, and echoes the page's state", async () => {
    const { tenant, providerId } = await tenantWith();
    const { login } = person();
    const { result } = await signIn(tenant, providerId, login, { abort: true, params: { state: 'page-state-1' } });
    expect(result.get('error')).toBe('access_denied');
    expect(result.get('state')).toBe('page-state-1');
    expect((await signIn(tenant, providerId, login, { params: { state: 'page-state-2' } })).result.get('state')).toBe(
      'page-state-2',
    );
  });

  it('answers 400 for a replayed, unknown or missing state', async () => {
    const { tenant, providerId } = await tenantWith();
    const { login } = person();
    const path = await throughProvider(tenant, providerId, login);
    expect((await callback(path)).result.get('access_token')).toBeTruthy();
    expectProblem(await get(path), 400, 'OIDC_INVALID_STATE');
    const forged = new URL(path, 'http://x');
    forged.searchParams.set('state', `st_${tenant.id.slice(4)}${'A'.repeat(40)}`);
    expectProblem(await get(`${forged.pathname}${forged.search}`), 400, 'OIDC_INVALID_STATE');
    expectProblem(await get('/v1/auth/oidc/callback?code=abc'), 400, 'OIDC_INVALID_STATE');
    expectProblem(await get('/v1/auth/oidc/callback?state=st_nonsense&code=abc'), 400, 'OIDC_INVALID_STATE');
  });

  it('refuses a code that belongs to another login: PKCE binds the code to its start', async () => {
    const { tenant, providerId } = await tenantWith();
    const { login } = person();
    const a = new URL(await throughProvider(tenant, providerId, login), 'http://x');
    const b = new URL(await throughProvider(tenant, providerId, login), 'http://x');
    a.searchParams.set('code', b.searchParams.get('code')!);
    const { result } = await callback(`${a.pathname}${a.search}`);
    expect(result.get('error')).toBe('provider_error');
    expect(result.has('access_token')).toBe(false);
  });

  it('refuses a redirect_uri off the allowed origins before leaving for the provider', async () => {
    const { tenant, providerId } = await tenantWith();
    const states = async () =>
      (
        await t.db.withTenant(tenant.id, (tx) =>
          tx
            .select()
            .from(oneTimeTokens)
            .where(and(eq(oneTimeTokens.tenantId, tenant.id), eq(oneTimeTokens.purpose, 'oidc_state'))),
        )
      ).length;
    for (const redirect of [
      'https://evil.example/callback',
      'https://site.example@evil.example/x',
      'http://site.example/callback',
      `${RETURN_TO}#x`,
      'javascript:alert(1)',
    ]) {
      const res = await get(startUrl(tenant, providerId, { redirect_uri: redirect }));
      expectProblem(res, 403, 'OIDC_REDIRECT_URI_NOT_ALLOWED');
    }
    expect(await states()).toBe(0);
  });

  it('answers 404 for a provider of another tenant, an unknown or disabled one', async () => {
    const mine = await tenantWith();
    const other = await tenantWith();
    expectProblem(await get(startUrl(mine.tenant, other.providerId)), 404, 'OIDC_PROVIDER_NOT_FOUND');
    expectProblem(await get(startUrl(mine.tenant, 'oidc_00000000000000000000000000')), 404, 'OIDC_PROVIDER_NOT_FOUND');
    expectProblem(await get(startUrl(mine.tenant, 'nonsense')), 404, 'OIDC_PROVIDER_NOT_FOUND');
    await t.request('PATCH', `/v1/tenant/oidc-providers/${mine.providerId}`, {
      key: mine.tenant.secret_key,
      body: { enabled: false },
    });
    expectProblem(await get(startUrl(mine.tenant, mine.providerId)), 404, 'OIDC_PROVIDER_NOT_FOUND');
  });

  it('takes only a valid publishable key', async () => {
    const { tenant, providerId } = await tenantWith();
    const withKey = (key: string) =>
      `/v1/auth/oidc/${providerId}/start?${new URLSearchParams({ publishable_key: key, redirect_uri: RETURN_TO })}`;
    expectProblem(await get(withKey(tenant.secret_key)), 403, 'PERMISSION_DENIED');
    expectProblem(await get(withKey(`${tenant.publishable_key.slice(0, -4)}AAAA`)), 401, 'UNAUTHENTICATED');
    expectProblem(
      await get(`/v1/auth/oidc/${providerId}/start?redirect_uri=${encodeURIComponent(RETURN_TO)}`),
      422,
      'VALIDATION_FAILED',
    );
  });

  it('limits sign-in starts per client IP', async () => {
    const { tenant, providerId } = await tenantWith();
    const from = (ip: string) => t.app.request(startUrl(tenant, providerId), { headers: { 'x-test-client-ip': ip } });
    for (let i = 0; i < 30; i++) expect((await from('203.0.113.7')).status).toBe(302);
    const limited = await from('203.0.113.7');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await from('203.0.113.8')).status).toBe(302);
  });

  it('answers 502 when the provider cannot be reached', async () => {
    const tenant = await t.createTenant();
    await t.db.withPlatform((tx) =>
      tx
        .update(tenants)
        .set({ allowedOrigins: [SITE] })
        .where(eq(tenants.id, tenant.id)),
    );
    const created = await t.request('POST', '/v1/tenant/oidc-providers', {
      key: tenant.secret_key,
      body: { name: 'Gone', issuer: 'http://127.0.0.1:1', client_id: 'x' },
    });
    expectProblem(await get(startUrl(tenant, created.body.id)), 502, 'OIDC_PROVIDER_UNAVAILABLE');
  });
});

describe('/v1/tenant/oidc-providers', () => {
  it('creates a provider with its secret sealed, never returned, and audited', async () => {
    const tenant = await t.createTenant();
    const res = await t.request('POST', '/v1/tenant/oidc-providers', {
      key: tenant.secret_key,
      body: {
        name: 'Corporate SSO',
        issuer: 'https://sso.example.org',
        client_id: 'memberkit',
        client_secret: 'plain-secret-value-123',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      object: 'oidc_provider',
      name: 'Corporate SSO',
      issuer: 'https://sso.example.org',
      client_id: 'memberkit',
      has_client_secret: true,
      scopes: ['openid', 'email', 'profile'],
      auto_create_members: true,
      enabled: true,
      redirect_uri: CALLBACK,
      start_url: `http://api.memberkit.test/v1/auth/oidc/${res.body.id}/start`,
    });
    expect(res.body.id).toMatch(/^oidc_[0-9a-z]{26}$/);
    expect(res.text).not.toContain('plain-secret-value-123');

    const [row] = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(oidcProviders).where(eq(oidcProviders.id, res.body.id)),
    );
    expect(row!.clientSecretSealed).toMatch(/^v1\./);
    expect(row!.clientSecretSealed).not.toContain('plain-secret-value-123');
    expect(await t.deps.secretBox.open(row!.clientSecretSealed!, `oidc_client_secret:${tenant.id}:${row!.id}`)).toBe(
      'plain-secret-value-123',
    );

    const list = await t.request('GET', '/v1/tenant/oidc-providers', { key: tenant.secret_key });
    expect(list.body).toMatchObject({ object: 'list', has_more: false, data: [{ id: res.body.id }] });
    expect(list.text).not.toContain('plain-secret-value-123');
    expect(
      (await t.request('GET', `/v1/tenant/oidc-providers/${res.body.id}`, { key: tenant.secret_key })).body.id,
    ).toBe(res.body.id);

    const [entry] = (await auditActions(tenant.id)).filter((e) => e.action === 'oidc_provider.created');
    expect(entry).toMatchObject({ targetType: 'oidc_provider', targetId: res.body.id, actorType: 'api_key' });
    expect(JSON.stringify(entry!.diff)).not.toContain('plain-secret-value-123');
  });

  it('rotates the secret, changes settings and deletes, each audited', async () => {
    const tenant = await t.createTenant();
    const created = await t.request('POST', '/v1/tenant/oidc-providers', {
      key: tenant.secret_key,
      body: {
        name: 'IdP',
        issuer: 'https://idp.example.org',
        client_id: 'c',
        client_secret: 'first-secret',
        scopes: ['openid', 'email'],
      },
    });
    const id = created.body.id as string;
    const patched = await t.request('PATCH', `/v1/tenant/oidc-providers/${id}`, {
      key: tenant.secret_key,
      body: { client_secret: 'second-secret', auto_create_members: false },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      has_client_secret: true,
      auto_create_members: false,
      scopes: ['openid', 'email'],
    });
    const [row] = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(oidcProviders).where(eq(oidcProviders.id, id)),
    );
    expect(await t.deps.secretBox.open(row!.clientSecretSealed!, `oidc_client_secret:${tenant.id}:${id}`)).toBe(
      'second-secret',
    );
    const publicClient = await t.request('PATCH', `/v1/tenant/oidc-providers/${id}`, {
      key: tenant.secret_key,
      body: { client_secret: null },
    });
    expect(publicClient.body.has_client_secret).toBe(false);

    expect((await t.request('DELETE', `/v1/tenant/oidc-providers/${id}`, { key: tenant.secret_key })).status).toBe(204);
    expectProblem(
      await t.request('GET', `/v1/tenant/oidc-providers/${id}`, { key: tenant.secret_key }),
      404,
      'OIDC_PROVIDER_NOT_FOUND',
    );
    expectProblem(
      await t.request('DELETE', `/v1/tenant/oidc-providers/${id}`, { key: tenant.secret_key }),
      404,
      'OIDC_PROVIDER_NOT_FOUND',
    );

    const entries = (await auditActions(tenant.id)).filter((e) => e.targetId === id);
    expect(entries.map((e) => e.action)).toEqual([
      'oidc_provider.created',
      'oidc_provider.updated',
      'oidc_provider.updated',
      'oidc_provider.deleted',
    ]);
    expect(entries[1]!.diff).toEqual({
      auto_create_members: { from: true, to: false },
      client_credentials_rotated: true,
    });
    expect(entries[2]!.diff).toEqual({ client_type: { from: 'confidential', to: 'public' } });
    expect(JSON.stringify(entries)).not.toMatch(/first-secret|second-secret/);
  });

  it('keeps the member when the provider is deleted, and drops the link', async () => {
    const { tenant, providerId } = await tenantWith();
    const { login, email } = person();
    await signIn(tenant, providerId, login);
    await t.request('DELETE', `/v1/tenant/oidc-providers/${providerId}`, { key: tenant.secret_key });
    expect(await membersWithEmail(tenant.id, email)).toHaveLength(1);
    expect(
      await t.db.withTenant(tenant.id, (tx) =>
        tx.select().from(oidcIdentities).where(eq(oidcIdentities.tenantId, tenant.id)),
      ),
    ).toHaveLength(0);
  });

  it('lets viewers read but only admins change providers; no key is 401', async () => {
    const tenant = await t.createTenant();
    const body = { name: 'IdP', issuer: 'https://idp.example.org', client_id: 'c' };
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    const manager = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'manager' });
    expectProblem(
      await t.request('POST', '/v1/tenant/oidc-providers', { key: viewer.key, body }),
      403,
      'PERMISSION_DENIED',
    );
    expectProblem(
      await t.request('POST', '/v1/tenant/oidc-providers', { key: manager.key, body }),
      403,
      'PERMISSION_DENIED',
    );
    expectProblem(await t.request('POST', '/v1/tenant/oidc-providers', { body }), 401, 'UNAUTHENTICATED');
    expectProblem(
      await t.request('POST', '/v1/tenant/oidc-providers', { key: tenant.publishable_key, body }),
      403,
      'PERMISSION_DENIED',
    );
    const created = await t.request('POST', '/v1/tenant/oidc-providers', { key: tenant.secret_key, body });
    expect((await t.request('GET', '/v1/tenant/oidc-providers', { key: viewer.key })).status).toBe(200);
    expect((await t.request('GET', `/v1/tenant/oidc-providers/${created.body.id}`, { key: viewer.key })).status).toBe(
      200,
    );
    expectProblem(
      await t.request('PATCH', `/v1/tenant/oidc-providers/${created.body.id}`, {
        key: viewer.key,
        body: { name: 'x' },
      }),
      403,
    );
    expectProblem(await t.request('DELETE', `/v1/tenant/oidc-providers/${created.body.id}`, { key: viewer.key }), 403);
  });

  it("answers 404 for another tenant's provider and changes nothing", async () => {
    const a = await t.createTenant();
    const b = await t.createTenant();
    const theirs = await t.request('POST', '/v1/tenant/oidc-providers', {
      key: b.secret_key,
      body: { name: 'B', issuer: 'https://b.example.org', client_id: 'b' },
    });
    const path = `/v1/tenant/oidc-providers/${theirs.body.id}`;
    expectProblem(await t.request('GET', path, { key: a.secret_key }), 404);
    expectProblem(await t.request('PATCH', path, { key: a.secret_key, body: { name: 'Hijacked' } }), 404);
    expectProblem(await t.request('DELETE', path, { key: a.secret_key }), 404);
    expect((await t.request('GET', path, { key: b.secret_key })).body.name).toBe('B');
    expect((await t.request('GET', '/v1/tenant/oidc-providers', { key: a.secret_key })).body.data).toEqual([]);
  });

  it('validates the issuer, scopes and fields', async () => {
    const tenant = await t.createTenant();
    const post = (body: Record<string, unknown>) =>
      t.request('POST', '/v1/tenant/oidc-providers', {
        key: tenant.secret_key,
        body: { name: 'IdP', client_id: 'c', ...body },
      });
    const fieldOf = (res: TestResponse) => expectProblem(res, 422, 'VALIDATION_FAILED').errors?.map((e) => e.field);
    expect(fieldOf(await post({ issuer: 'http://idp.example.org' }))).toEqual(['issuer']);
    expect(fieldOf(await post({ issuer: 'https://idp.example.org?tenant=1' }))).toEqual(['issuer']);
    expect(fieldOf(await post({ issuer: 'https://idp.example.org', scopes: ['email'] }))).toEqual(['scopes']);
    expect(fieldOf(await post({ issuer: 'https://idp.example.org', scopes: ['openid', 'has space'] }))).toEqual([
      'scopes.1',
    ]);
    expect(fieldOf(await post({ issuer: 'https://idp.example.org', client_secret: '' }))).toEqual(['client_secret']);
    expect(fieldOf(await post({ issuer: 'https://idp.example.org', extra: true }))).toEqual(['extra']);
  });

  it('accepts plain-http issuers only on a deployment that itself runs on plain http', async () => {
    const tenant = await t.createTenant();
    const https = { ...t.deps, config: { ...t.deps.config, issuerBaseUrl: 'https://api.memberkit.dev' } };
    const input = {
      name: 'Local',
      issuer: 'http://127.0.0.1:9999',
      clientId: 'c',
      clientSecret: null,
      scopes: ['openid'],
      autoCreateMembers: true,
      enabled: true,
    };
    const ctx = { actorType: 'system' as const, actorId: 'test', requestId: null, ip: null };
    await expect(createOidcProvider(https, tenant.id, ctx, input)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      status: 422,
    });
    await expect(createOidcProvider(t.deps, tenant.id, ctx, input)).resolves.toMatchObject({
      issuer: 'http://127.0.0.1:9999',
    });
  });
});
