import { and, eq } from 'drizzle-orm';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT, base64url } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, mailOutbox, memberCredentials, memberEvents, tenants } from '../../db/schema/index.js';
import { AUDIENCES, issuerFor, verifyAccessToken } from '../../access/access-tokens.js';
import { currentSigningKey } from '../../access/signing-keys.js';
import { createTestContext, expectProblem, type TestContext, type TestResponse } from '../../testing/index.js';

type Tenant = Awaited<ReturnType<TestContext['createTenant']>>;
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const ISSUER_BASE = 'http://api.memberkit.test';
const pk = (tenant: Tenant) => tenant.publishable_key;
const post = (tenant: Tenant, path: string, body: unknown, headers: Record<string, string> = {}) =>
  t.request('POST', path, { key: pk(tenant), body, headers });
const person = (email = `ada-${Math.random().toString(36).slice(2)}@example.org`) => ({
  email,
  password: 'analytical-engine-1843',
  first_name: 'Ada',
  last_name: 'Lovelace',
});

async function tenantWith(settings: Record<string, boolean> = {}, origins: string[] = []): Promise<Tenant> {
  const tenant = await t.createTenant();
  await t.db.withPlatform((tx) =>
    tx.update(tenants).set({ authSettings: settings, allowedOrigins: origins }).where(eq(tenants.id, tenant.id)),
  );
  return tenant;
}

async function signedIn(tenant: Tenant) {
  const res = await post(tenant, '/v1/auth/signup', person());
  expect(res.status).toBe(201);
  return res.body as { access_token: string; refresh_token: string; session_id: string; member: { id: string } };
}

describe('sign-up', () => {
  it('signs up and in at once when the tenant does not require verification, with a verifiable small token', async () => {
    const tenant = await tenantWith({ require_email_verification: false });
    const res = await post(tenant, '/v1/auth/signup', person());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      object: 'session',
      token_type: 'Bearer',
      expires_in: 600,
      member: { status: 'active', first_name: 'Ada' },
    });
    expect(res.body.access_token.length).toBeLessThan(1024);
    expect(res.body.refresh_token).toMatch(/^rt_/);

    const jwks = await t.request('GET', `/v1/tenants/${tenant.id}/.well-known/jwks.json`);
    expect(jwks.headers.get('cache-control')).toContain('max-age');
    const { payload, protectedHeader } = await jwtVerify(res.body.access_token, createLocalJWKSet(jwks.body), {
      issuer: issuerFor(ISSUER_BASE, tenant.id),
      audience: AUDIENCES.member,
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({
      sub: res.body.member.id,
      tid: tenant.id,
      sid: res.body.session_id,
      status: 'active',
      tier: null,
    });
    expect((await t.request('GET', '/v1/.well-known/jwks.json', { key: pk(tenant) })).body).toEqual(jwks.body);
    const meta = await t.request('GET', `/v1/tenants/${tenant.id}/.well-known/openid-configuration`);
    expect(meta.body).toMatchObject({
      issuer: issuerFor(ISSUER_BASE, tenant.id),
      jwks_uri: `${issuerFor(ISSUER_BASE, tenant.id)}/.well-known/jwks.json`,
    });
  });

  it('requires verification by default, answering alike for new and taken emails, and verifies with the mailed code once', async () => {
    const tenant = await tenantWith();
    const body = person();
    const first = await post(tenant, '/v1/auth/signup', body);
    const again = await post(tenant, '/v1/auth/signup', { ...body, password: 'another-long-password' });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);

    expectProblem(
      await post(tenant, '/v1/auth/login', { email: body.email, password: body.password }),
      403,
      'EMAIL_NOT_VERIFIED',
    );
    const mails = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(mailOutbox).where(eq(mailOutbox.template, 'verify_email')),
    );
    expect(mails).toHaveLength(1);
    const token = mails[0]!.data.token as string;
    const verified = await post(tenant, '/v1/auth/verify-email', { token });
    expect(verified.status).toBe(200);
    expect(verified.body.member.status).toBe('active');
    expectProblem(await post(tenant, '/v1/auth/verify-email', { token }), 400, 'INVALID_CODE');
    expect(
      (await post(tenant, '/v1/auth/login', { email: body.email.toUpperCase(), password: body.password })).status,
    ).toBe(200);
  });

  it.each([
    ['short', 'password'],
    ['password1', 'password'],
    ['Password123', 'password'],
  ])('refuses the password %s', async (password, field) => {
    const tenant = await tenantWith({ require_email_verification: false });
    const problem = expectProblem(
      await post(tenant, '/v1/auth/signup', { ...person(), password }),
      422,
      'VALIDATION_FAILED',
    );
    expect(problem.errors?.[0]?.field).toBe(field);
  });

  it('stores only a versioned password hash', async () => {
    const tenant = await tenantWith({ require_email_verification: false });
    const { member } = await signedIn(tenant);
    const [row] = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(memberCredentials).where(eq(memberCredentials.memberId, member.id)),
    );
    expect(row!.passwordHash).toMatch(/^pbkdf2-sha256\$v=1\$/);
    expect(row!.passwordHash).not.toContain('analytical');
  });

  it('needs a publishable key: secret keys and no key are refused', async () => {
    const tenant = await tenantWith();
    expectProblem(await t.request('POST', '/v1/auth/signup', { key: tenant.secret_key, body: person() }), 403);
    expectProblem(await t.request('POST', '/v1/auth/signup', { body: person() }), 401);
    const viaHeader = await t.request('POST', '/v1/auth/signup', {
      body: person(),
      headers: { 'X-Memberkit-Publishable-Key': pk(tenant) },
    });
    expect(viaHeader.status).toBe(202);
  });
});

describe('sign-in', () => {
  it('answers an unknown email and a wrong password the same way', async () => {
    const tenant = await tenantWith({ require_email_verification: false });
    const body = person();
    await post(tenant, '/v1/auth/signup', body);
    const wrong = await post(tenant, '/v1/auth/login', { email: body.email, password: 'not-the-password' });
    const unknown = await post(tenant, '/v1/auth/login', { email: 'nobody@example.org', password: 'not-the-password' });
    const strip = (r: TestResponse) => ({ ...r.body, request_id: undefined });
    expect(wrong.status).toBe(401);
    expect(strip(wrong)).toEqual(strip(unknown));
  });

  it('limits attempts to 5 per 10 seconds per email and per IP', async () => {
    const tenant = await tenantWith({ require_email_verification: false });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await post(tenant, '/v1/auth/login', { email: 'x@example.org', password: 'whatever-123' })).status,
      );
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const fromOneIp: number[] = [];
    for (let i = 0; i < 6; i++) {
      fromOneIp.push(
        (
          await post(
            tenant,
            '/v1/auth/login',
            { email: `y${i}@example.org`, password: 'whatever-123' },
            { 'X-Test-Client-Ip': '192.0.2.7' },
          )
        ).status,
      );
    }
    expect(fromOneIp).toEqual([401, 401, 401, 401, 401, 429]);
  });
});

describe('sessions', () => {
  it('rotates refresh tokens and ends the session when one is reused', async () => {
    const tenant = await tenantWith({ require_email_verification: false });
    const first = await signedIn(tenant);
    const second = await post(tenant, '/v1/auth/refresh', { refresh_token: first.refresh_token });
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(second.body.session_id).toBe(first.session_id);

    expectProblem(
      await post(tenant, '/v1/auth/refresh', { refresh_token: first.refresh_token }),
      401,
      'REFRESH_TOKEN_REUSED',
    );
    expectProblem(
      await post(tenant, '/v1/auth/refresh', { refresh_token: second.body.refresh_token }),
      401,
      'INVALID_REFRESH_TOKEN',
    );
    expectProblem(await t.request('GET', '/v1/me', { key: second.body.access_token }), 401);
    const audit = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.action, 'session.refresh_token_reused')),
    );
    expect(audit.map((a) => a.targetId)).toEqual([first.session_id]);
  });

  it("refuses another tenant's refresh token and signs out", async () => {
    const tenant = await tenantWith({ require_email_verification: false });
    const other = await tenantWith({ require_email_verification: false });
    const s = await signedIn(tenant);
    expectProblem(await post(other, '/v1/auth/refresh', { refresh_token: s.refresh_token }), 401);
    expect((await post(tenant, '/v1/auth/logout', { refresh_token: s.refresh_token })).status).toBe(204);
    expectProblem(await post(tenant, '/v1/auth/refresh', { refresh_token: s.refresh_token }), 401);
  });

  it("lists the member's sessions and signs out another one", async () => {
    const tenant = await tenantWith({ require_email_verification: false });
    const body = person();
    await post(tenant, '/v1/auth/signup', body);
    const laptop = (
      await post(tenant, '/v1/auth/login', { email: body.email, password: body.password }, { 'User-Agent': 'Laptop' })
    ).body;
    const phone = (
      await post(tenant, '/v1/auth/login', { email: body.email, password: body.password }, { 'User-Agent': 'Phone' })
    ).body;
    const list = await t.request('GET', '/v1/me/sessions', { key: laptop.access_token });
    expect(list.body.data).toHaveLength(3);
    expect(list.body.data.find((s: { current: boolean }) => s.current).id).toBe(laptop.session_id);
    expect(
      (await t.request('DELETE', `/v1/me/sessions/${phone.session_id}`, { key: laptop.access_token })).status,
    ).toBe(204);
    expectProblem(await t.request('GET', '/v1/me', { key: phone.access_token }), 401);
    expect((await t.request('GET', '/v1/me', { key: laptop.access_token })).status).toBe(200);
  });

  it("signs out every other session at once, and no other member's", async () => {
    const tenant = await tenantWith({ require_email_verification: false });
    const body = person();
    const signup = (await post(tenant, '/v1/auth/signup', body)).body;
    const login = () =>
      post(tenant, '/v1/auth/login', { email: body.email, password: body.password }).then((r) => r.body);
    const [laptop, phone, tablet] = [await login(), await login(), await login()];
    const neighbour = await signedIn(tenant);

    const res = await t.request('DELETE', '/v1/me/sessions', { key: laptop.access_token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ object: 'session_revocation', revoked_count: 3 });
    // The other three (the signup's included) are over: tokens refused, refresh tokens dead.
    for (const ended of [signup, phone, tablet]) {
      expectProblem(await t.request('GET', '/v1/me', { key: ended.access_token }), 401);
      expectProblem(await post(tenant, '/v1/auth/refresh', { refresh_token: ended.refresh_token }), 401);
    }
    // This one, and the other member's, go on.
    const left = await t.request('GET', '/v1/me/sessions', { key: laptop.access_token });
    expect(left.body.data.map((s: { id: string }) => s.id)).toEqual([laptop.session_id]);
    expect((await t.request('GET', '/v1/me', { key: neighbour.access_token })).status).toBe(200);
    // Nothing left to end.
    expect((await t.request('DELETE', '/v1/me/sessions', { key: laptop.access_token })).body.revoked_count).toBe(0);
    // A secret key has no "other sessions": the endpoint is for members.
    expectProblem(await t.request('DELETE', '/v1/me/sessions', { key: tenant.secret_key }), 403);
  });
});

describe('access tokens', () => {
  it('gives /v1/me to members only; member tokens are refused on staff endpoints', async () => {
    const tenant = await tenantWith({ require_email_verification: false });
    const s = await signedIn(tenant);
    const me = await t.request('GET', '/v1/me', { key: s.access_token });
    expect(me.body).toMatchObject({
      id: s.member.id,
      object: 'member',
      email: expect.stringContaining('@example.org'),
    });
    expect(me.body).not.toHaveProperty('tags');
    expectProblem(await t.request('GET', '/v1/members', { key: s.access_token }), 403);
    expectProblem(await t.request('GET', '/v1/tenant', { key: s.access_token }), 403);
    expectProblem(await t.request('GET', '/v1/me', { key: tenant.secret_key }), 403);
  });

  it('rejects alg none, HS256 confusion, unknown kid, wrong audience or issuer, expired, future and foreign tokens', async () => {
    const tenant = await tenantWith({ require_email_verification: false });
    const other = await tenantWith({ require_email_verification: false });
    const s = await signedIn(tenant);
    await signedIn(other);
    const now = new Date();
    const verify = (token: string) => verifyAccessToken(t.db, ISSUER_BASE, token, now);
    expect(await verify(s.access_token)).toMatchObject({ tenantId: tenant.id, subject: 'member' });

    const header = decodeProtectedHeader(s.access_token);
    const claims = decodeJwt(s.access_token);
    const unsigned = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url.encode(JSON.stringify(claims))}.`;
    expect(await verify(unsigned)).toBeNull();

    const jwks = (await t.request('GET', `/v1/tenants/${tenant.id}/.well-known/jwks.json`)).body as {
      keys: Record<string, string>[];
    };
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: header.kid! })
      .sign(new TextEncoder().encode(JSON.stringify(jwks.keys[0])));
    expect(await verify(hs)).toBeNull();

    const { privateKey, kid } = await t.db.withTenant(tenant.id, (tx) =>
      currentSigningKey(tx, t.deps.secretBox, tenant.id, now),
    );
    const sign = (payload: Record<string, unknown>, h: Record<string, string> = {}) =>
      new SignJWT({ ...claims, ...payload }).setProtectedHeader({ alg: 'ES256', kid, ...h }).sign(privateKey);
    expect(await verify(await sign({}))).not.toBeNull();
    expect(await verify(await sign({}, { kid: 'unknown-kid' }))).toBeNull();
    expect(await verify(await sign({ aud: AUDIENCES.staff }))).toMatchObject({ subject: 'staff' });
    expect(
      await verifyAccessToken(t.db, ISSUER_BASE, await sign({ aud: AUDIENCES.staff }), now, ['member']),
    ).toBeNull();
    expect(await verify(await sign({ aud: 'someone-else' }))).toBeNull();
    expect(await verify(await sign({ iss: `https://evil.example/v1/tenants/${tenant.id}` }))).toBeNull();
    expect(await verify(await sign({ exp: Math.floor(now.getTime() / 1000) - 60 }))).toBeNull();
    expect(await verify(await sign({ nbf: Math.floor(now.getTime() / 1000) + 600 }))).toBeNull();
    expect(await verify(await sign({ iss: issuerFor(ISSUER_BASE, other.id), tid: other.id }))).toBeNull();
    expect(await verify(await sign({ tid: other.id }))).toBeNull();
  });

  it('keeps old tokens valid across a key rotation and publishes both keys', async () => {
    const tenant = await tenantWith({ require_email_verification: false });
    const before = await signedIn(tenant);
    const rotated = await t.request('POST', '/v1/tenant/signing-keys/rotate', { key: tenant.secret_key });
    expect(rotated.status).toBe(200);
    const after = await signedIn(tenant);
    expect(decodeProtectedHeader(after.access_token).kid).toBe(rotated.body.kid);
    expect(decodeProtectedHeader(before.access_token).kid).not.toBe(rotated.body.kid);
    const jwks = await t.request('GET', `/v1/tenants/${tenant.id}/.well-known/jwks.json`);
    expect(jwks.body.keys).toHaveLength(2);
    expect((await t.request('GET', '/v1/me', { key: before.access_token })).status).toBe(200);
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    expectProblem(await t.request('POST', '/v1/tenant/signing-keys/rotate', { key: viewer.key }), 403);
  });

  it('answers 404 for the JWKS of an unknown tenant', async () => {
    expectProblem(await t.request('GET', '/v1/tenants/tnt_00000000000000000000000000/.well-known/jwks.json'), 404);
    expectProblem(await t.request('GET', '/v1/tenants/nope/.well-known/jwks.json'), 404);
  });
});

describe('browser origins (CORS)', () => {
  it('grants CORS to allowed origins only and refuses others with 403', async () => {
    const tenant = await tenantWith({ require_email_verification: false }, ['https://club.example.org']);
    const preflight = await t.app.request('/v1/auth/login', {
      method: 'OPTIONS',
      headers: { Origin: 'https://club.example.org', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');

    const ok = await post(tenant, '/v1/auth/signup', person(), { Origin: 'https://club.example.org' });
    expect(ok.status).toBe(201);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://club.example.org');
    const me = await t.request('GET', '/v1/me', {
      key: ok.body.access_token,
      headers: { Origin: 'https://club.example.org' },
    });
    expect(me.headers.get('access-control-allow-origin')).toBe('https://club.example.org');

    const foreign = await post(tenant, '/v1/auth/signup', person(), { Origin: 'https://evil.example' });
    expectProblem(foreign, 403, 'ORIGIN_NOT_ALLOWED');
    // The refusal alone is readable by that page (see middleware/browser-origin.test.ts).
    expect(foreign.headers.get('access-control-allow-origin')).toBe('https://evil.example');
    const secret = await t.request('GET', '/v1/tenant', {
      key: tenant.secret_key,
      headers: { Origin: 'https://club.example.org' },
    });
    expect(secret.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('member credentials table', () => {
  it('is keyed by tenant and member', async () => {
    const tenant = await tenantWith({ require_email_verification: false });
    const { member } = await signedIn(tenant);
    const rows = await t.db.withTenant(tenant.id, (tx) =>
      tx
        .select()
        .from(memberCredentials)
        .where(and(eq(memberCredentials.tenantId, tenant.id), eq(memberCredentials.memberId, member.id))),
    );
    expect(rows).toHaveLength(1);
  });
});

describe('magic links, password reset and profile', () => {
  const lastMail = async (tenant: Tenant, template: string) => {
    const rows = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(mailOutbox).where(eq(mailOutbox.template, template)),
    );
    return rows.at(-1);
  };

  it('mails a magic link only to members, answers alike, and signs in once with it', async () => {
    const tenant = await tenantWith({ require_email_verification: false });
    const body = person();
    await post(tenant, '/v1/auth/signup', body);
    const known = await post(tenant, '/v1/auth/magic-link', { email: body.email });
    const unknown = await post(tenant, '/v1/auth/magic-link', { email: 'stranger@example.org' });
    expect(known.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    const mail = await lastMail(tenant, 'magic_link');
    expect(mail?.toAddress).toBe(body.email);
    const token = mail!.data.token as string;
    const session = await post(tenant, '/v1/auth/magic-link/verify', { token });
    expect(session.status).toBe(200);
    expectProblem(await post(tenant, '/v1/auth/magic-link/verify', { token }), 400, 'INVALID_CODE');
    const other = await tenantWith();
    expectProblem(await post(other, '/v1/auth/magic-link/verify', { token }), 400, 'INVALID_CODE');
  });

  it('resets a password with the mailed code, ending every session', async () => {
    const tenant = await tenantWith({ require_email_verification: false });
    const body = person();
    const signup = (await post(tenant, '/v1/auth/signup', body)).body;
    expect((await post(tenant, '/v1/auth/password-reset', { email: body.email })).status).toBe(202);
    const token = (await lastMail(tenant, 'password_reset'))!.data.token as string;
    expectProblem(await post(tenant, '/v1/auth/password-reset/confirm', { token, password: 'password' }), 422);
    expect(
      (await post(tenant, '/v1/auth/password-reset/confirm', { token, password: 'a-brand-new-secret' })).status,
    ).toBe(204);
    expectProblem(await t.request('GET', '/v1/me', { key: signup.access_token }), 401);
    expectProblem(await post(tenant, '/v1/auth/login', { email: body.email, password: body.password }), 401);
    expect((await post(tenant, '/v1/auth/login', { email: body.email, password: 'a-brand-new-secret' })).status).toBe(
      200,
    );
    expectProblem(
      await post(tenant, '/v1/auth/password-reset/confirm', { token, password: 'yet-another-secret' }),
      400,
      'INVALID_CODE',
    );
  });

  it('lets members edit their names and member-editable fields only, and change their password', async () => {
    const tenant = await tenantWith({ require_email_verification: false });
    const { defineFields } = await import('../../../test/support/seed.js');
    await defineFields(t, tenant.id, [
      { key: 'bio', visibility: 'members', memberEditable: true },
      { key: 'rating', visibility: 'members', memberEditable: false },
      { key: 'notes', visibility: 'staff' },
    ]);
    const body = person();
    const s = (await post(tenant, '/v1/auth/signup', body)).body;
    const updated = await t.request('PATCH', '/v1/me', {
      key: s.access_token,
      body: { first_name: 'Augusta', custom_fields: { bio: 'Poetical science' }, locale: 'de' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ first_name: 'Augusta', custom_fields: { bio: 'Poetical science' } });
    for (const key of ['rating', 'notes']) {
      const problem = expectProblem(
        await t.request('PATCH', '/v1/me', { key: s.access_token, body: { custom_fields: { [key]: 'x' } } }),
        422,
      );
      expect(problem.errors?.[0]?.field).toBe(`custom_fields.${key}`);
    }
    expectProblem(await t.request('PATCH', '/v1/me', { key: s.access_token, body: { email: 'new@example.org' } }), 422);

    const other = (await post(tenant, '/v1/auth/login', { email: body.email, password: body.password })).body;
    expectProblem(
      await t.request('POST', '/v1/me/password', {
        key: s.access_token,
        body: { current_password: 'wrong-one-here', new_password: 'changed-secret-9' },
      }),
      422,
    );
    expect(
      (
        await t.request('POST', '/v1/me/password', {
          key: s.access_token,
          body: { current_password: body.password, new_password: 'changed-secret-9' },
        })
      ).status,
    ).toBe(204);
    expect((await t.request('GET', '/v1/me', { key: s.access_token })).status).toBe(200);
    expectProblem(await t.request('GET', '/v1/me', { key: other.access_token }), 401);
  });
});

describe('POST /v1/invites/accept', () => {
  it('creates the invited member with the tier, signs them in, and works once', async () => {
    const tenant = await tenantWith();
    const { insertTier } = await import('../../../test/support/seed.js');
    const tier = await insertTier(t, tenant.id, { name: 'Gold' });
    const email = `invited-${Math.random().toString(36).slice(2)}@example.org`;
    const invite = await t.request('POST', '/v1/invites', { key: tenant.secret_key, body: { email, tier_id: tier } });
    expect(invite.status).toBe(201);
    const mail = (
      await t.db.withTenant(tenant.id, (tx) => tx.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email)))
    )[0]!;
    const token = mail.data.token as string;
    const other = await tenantWith();
    expectProblem(
      await post(other, '/v1/invites/accept', {
        token,
        password: 'joining-password-1',
        first_name: 'In',
        last_name: 'Vited',
      }),
      400,
      'INVALID_CODE',
    );

    const accepted = await post(tenant, '/v1/invites/accept', {
      token,
      password: 'joining-password-1',
      first_name: 'In',
      last_name: 'Vited',
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body.member).toMatchObject({ email, status: 'active', tier_id: tier });
    expect((await t.request('GET', `/v1/invites/${invite.body.id}`, { key: tenant.secret_key })).body.status).toBe(
      'accepted',
    );
    expectProblem(
      await post(tenant, '/v1/invites/accept', {
        token,
        password: 'joining-password-1',
        first_name: 'In',
        last_name: 'Vited',
      }),
      400,
      'INVALID_CODE',
    );
    expect((await post(tenant, '/v1/auth/login', { email, password: 'joining-password-1' })).status).toBe(200);
  });
});

describe('new-device notice', () => {
  it('mails the member when they sign in from a browser none of their sessions used', async () => {
    const tenant = await tenantWith({ require_email_verification: false });
    const body = person();
    await post(tenant, '/v1/auth/signup', body, { 'User-Agent': 'Firefox' });
    await post(tenant, '/v1/auth/login', { email: body.email, password: body.password }, { 'User-Agent': 'Firefox' });
    const notices = () =>
      t.db.withTenant(tenant.id, (tx) => tx.select().from(mailOutbox).where(eq(mailOutbox.template, 'new_device')));
    expect(await notices()).toHaveLength(0);
    await post(
      tenant,
      '/v1/auth/login',
      { email: body.email, password: body.password },
      { 'User-Agent': 'Unknown Browser 9' },
    );
    const sent = await notices();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.data).toMatchObject({ device: 'Unknown Browser 9', first_name: 'Ada' });
  });
});

describe('tenant sign-up settings', () => {
  it('requires consent when the tenant asks for it, and records when and to which terms it was given', async () => {
    const tenant = await tenantWith({ require_email_verification: false });
    await t.db.withPlatform((tx) =>
      tx
        .update(tenants)
        .set({ siteSettings: { consent: { required: true, terms_url: 'https://club.example/terms-2026' } } })
        .where(eq(tenants.id, tenant.id)),
    );
    const refused = await post(tenant, '/v1/auth/signup', person());
    expectProblem(refused, 422);
    expect(refused.body.errors).toEqual([{ field: 'consent', message: 'Accept the terms to sign up.' }]);
    const ok = await post(tenant, '/v1/auth/signup', { ...person(), consent: true });
    expect(ok.status).toBe(201);
    const events = await t.db.withTenant(tenant.id, (tx) =>
      tx
        .select()
        .from(memberEvents)
        .where(and(eq(memberEvents.tenantId, tenant.id), eq(memberEvents.memberId, ok.body.member.id))),
    );
    expect(events.map((e) => [e.type, e.toValue])).toEqual(
      expect.arrayContaining([['consent_accepted', 'https://club.example/terms-2026']]),
    );
  });

  it('refuses sign-in links when the tenant turned them off', async () => {
    const tenant = await tenantWith({ magic_link_enabled: false });
    expectProblem(
      await post(tenant, '/v1/auth/magic-link', { email: 'someone@example.org' }),
      403,
      'MAGIC_LINK_DISABLED',
    );
    expectProblem(
      await post(tenant, '/v1/auth/magic-link/verify', { token: 'x'.repeat(40) }),
      403,
      'MAGIC_LINK_DISABLED',
    );
  });
});
