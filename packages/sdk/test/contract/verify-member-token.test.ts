import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchLike } from '../../src/index.js';
import { InvalidTokenError, verifyMemberToken } from '../../src/server.js';
import { BASE_URL, email, PASSWORD, startApi, type Api, type Tenant } from '../support/api.js';

let api: Api;
let tenant: Tenant;
let other: Tenant;
let jwksRequests = 0;
let countingFetch: FetchLike;
beforeAll(async () => {
  api = await startApi();
  tenant = await api.tenant({ require_email_verification: false });
  other = await api.tenant({ require_email_verification: false });
  countingFetch = (url, init) => {
    if (url.endsWith('/jwks.json')) jwksRequests++;
    return api.fetch(url, init);
  };
});
afterAll(() => api.close());

async function memberToken(of: Tenant) {
  const tokens = await api
    .client({ publishableKey: of.publishable_key })
    .auth.signup({ email: email(), password: PASSWORD, first_name: 'Ada', last_name: 'Lovelace' });
  if (tokens.object !== 'session') throw new Error('expected a session');
  return tokens;
}

const verify = (token: string, extra: Partial<Parameters<typeof verifyMemberToken>[1]> = {}) =>
  verifyMemberToken(token, { tenant: tenant.id, baseUrl: BASE_URL, fetch: countingFetch, ...extra });

describe('verifyMemberToken', () => {
  it('accepts a real member token with typed claims, fetching the JWKS once for many verifications', async () => {
    const tokens = await memberToken(tenant);
    const claims = await verify(tokens.access_token);
    expect(claims).toMatchObject({
      sub: tokens.member.id,
      tid: tenant.id,
      sid: tokens.session_id,
      iss: `${BASE_URL}/v1/tenants/${tenant.id}`,
      aud: 'memberkit:member',
      status: 'active',
    });
    expect(claims.exp - claims.iat).toBe(600);
    const second = await memberToken(tenant);
    await verify(second.access_token);
    await verify(tokens.access_token);
    expect(jwksRequests).toBe(1);
  });

  it('refuses a tampered token', async () => {
    const { access_token } = await memberToken(tenant);
    const [header, payload, signature] = access_token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'mem_someone_else' })).toString('base64url');
    const error = await verify(`${header}.${forged}.${signature}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect(error).toMatchObject({ status: 401, code: 'TOKEN_INVALID' });
    const flipped = signature.slice(0, -2) + (signature.endsWith('AA') ? 'BB' : 'AA');
    await expect(verify(`${header}.${payload}.${flipped}`)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    await expect(verify('not-a-jwt')).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('refuses an expired token', async () => {
    const { access_token } = await memberToken(tenant);
    const elevenMinutesOn = new Date(Date.now() + 11 * 60_000);
    await expect(verify(access_token, { currentDate: elevenMinutesOn })).rejects.toMatchObject({
      name: 'InvalidTokenError',
      code: 'TOKEN_EXPIRED',
    });
  });

  it('refuses a token of another tenant, even when checked against that tenant’s keys', async () => {
    const { access_token } = await memberToken(other);
    await expect(verify(access_token)).rejects.toMatchObject({ code: 'TOKEN_WRONG_TENANT' });
    await expect(
      verify(access_token, { jwksUrl: `${BASE_URL}/v1/tenants/${other.id}/.well-known/jwks.json` }),
    ).rejects.toMatchObject({ code: 'TOKEN_WRONG_TENANT' });
  });

  it('refuses a staff token where a member token is expected', async () => {
    const admin = api.client({ secretKey: tenant.secret_key });
    const address = email('staff');
    const staff = await admin.staff.create({ email: address, name: 'Staff', role: 'viewer' });
    const token = await api.mailToken(tenant.id, 'staff_invite', address);
    const session = await api
      .client({ publishableKey: tenant.publishable_key })
      .auth.staff.acceptInvite({ token, password: PASSWORD });
    await expect(verify(session.access_token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    await expect(verify(session.access_token, { audience: 'memberkit:staff' })).resolves.toMatchObject({
      sub: staff.id,
    });
  });
});
