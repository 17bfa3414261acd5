import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, expectProblem, tampered, type TestContext } from '../../testing/index.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  t.app.request('/v1/oauth/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });

describe('POST /v1/oauth/token (client credentials)', () => {
  it("issues a token carrying the key's role that stops working when the key is revoked", async () => {
    const tenant = await t.createTenant();
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    const res = await form({ grant_type: 'client_credentials', client_id: viewer.id, client_secret: viewer.key });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
    expect((await t.request('GET', '/v1/tenant', { key: body.access_token })).status).toBe(200);
    expectProblem(await t.request('PATCH', '/v1/tenant', { key: body.access_token, body: { name: 'x' } }), 403);

    const basic = await form(
      { grant_type: 'client_credentials' },
      { Authorization: `Basic ${btoa(`${viewer.id}:${viewer.key}`)}` },
    );
    expect(basic.status).toBe(200);

    await t.request('DELETE', `/v1/api-keys/${viewer.id}`, { key: tenant.secret_key });
    expectProblem(await t.request('GET', '/v1/tenant', { key: body.access_token }), 401);
  });

  it('answers RFC 6749 errors for wrong clients and grants', async () => {
    const tenant = await t.createTenant();
    const key = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'admin' });
    const wrong = await form({ grant_type: 'client_credentials', client_id: key.id, client_secret: tampered(key.key) });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
    const mismatch = await form({ grant_type: 'client_credentials', client_id: 'key_other', client_secret: key.key });
    expect(mismatch.status).toBe(401);
    const publishable = await form({
      grant_type: 'client_credentials',
      client_id: 'x',
      client_secret: tenant.publishable_key,
    });
    expect(publishable.status).toBe(401);
    const grant = await form({ grant_type: 'password', username: 'a', password: 'b' });
    expect(grant.status).toBe(400);
    expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  /** An RFC 6749 §5.2 error: application/json (what OAuth clients require) with `error`, plus the problem fields. */
  async function expectOAuthError(res: Response, status: number, error: string) {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      error,
      error_description: expect.any(String),
      status,
      code: expect.any(String),
      request_id: res.headers.get('x-request-id'),
    });
    expect(body.detail).toBe(body.error_description);
    return body;
  }

  it('answers invalid_client, never a 500, for malformed client credentials', async () => {
    const tenant = await t.createTenant();
    const key = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    const basic = (value: string) => form({ grant_type: 'client_credentials' }, { Authorization: value });
    for (const header of [
      'Basic a', // not base64
      'Basic JTpi', // "%:b": a broken percent-escape
      `Basic ${btoa('\xff\xfe:secret')}`, // not UTF-8
      `Basic ${btoa(`${key.id}${key.key}`)}`, // no colon
      'Basic',
      `Bearer ${key.key}`, // another scheme
      `Basic ${btoa(`${key.id}:${key.key}`)}=`, // bad padding
    ]) {
      const res = await basic(header);
      await expectOAuthError(res, 401, 'invalid_client');
      expect(res.headers.get('www-authenticate'), header).toMatch(/^Basic realm="memberkit"/);
    }
    // Each half is form-urlencoded before the Basic encoding (RFC 6749 §2.3.1).
    const encoded = await basic(`Basic ${btoa(`${encodeURIComponent(key.id)}:${encodeURIComponent(key.key)}`)}`);
    expect(encoded.status).toBe(200);
    await expectOAuthError(await basic(`Basic ${btoa(`${key.id}:${key.key}%zz`)}`), 401, 'invalid_client');
  });

  it('takes form bodies only, and says so in the RFC shape for anything else', async () => {
    const tenant = await t.createTenant();
    const key = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    const fields = { grant_type: 'client_credentials', client_id: key.id, client_secret: key.key };
    const send = (contentType: string | null, body: string) =>
      t.app.request('/v1/oauth/token', {
        method: 'POST',
        headers: contentType ? { 'Content-Type': contentType } : {},
        body,
      });
    for (const [type, body] of [
      ['application/json', JSON.stringify(fields)],
      ['text/plain', new URLSearchParams(fields).toString()],
      ['multipart/form-data; boundary=x', '--x--'],
      [null, new URLSearchParams(fields).toString()],
    ] as const) {
      const problem = await expectOAuthError(await send(type, body), 415, 'invalid_request');
      expect(problem.error_description).toContain('application/x-www-form-urlencoded');
      expect(problem.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    expect(
      (await send('application/x-www-form-urlencoded; charset=UTF-8', new URLSearchParams(fields).toString())).status,
    ).toBe(200);
  });

  it('answers invalid_request for missing, repeated or unstorable parameters and for two ways of authenticating', async () => {
    const tenant = await t.createTenant();
    const key = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    const raw = (body: string, headers: Record<string, string> = {}) =>
      t.app.request('/v1/oauth/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        body,
      });
    await expectOAuthError(await raw(''), 400, 'invalid_request');
    await expectOAuthError(await raw(`client_id=${key.id}&client_secret=${key.key}`), 400, 'invalid_request');
    await expectOAuthError(
      await raw('grant_type=client_credentials&grant_type=client_credentials'),
      400,
      'invalid_request',
    );
    await expectOAuthError(
      await raw(`grant_type=client_credentials&client_id=${key.id}%00&client_secret=${key.key}`),
      400,
      'invalid_request',
    );
    await expectOAuthError(
      await raw(`grant_type=client_credentials&client_id=${'k'.repeat(100)}&client_secret=x`),
      400,
      'invalid_request',
    );
    const both = await raw(`grant_type=client_credentials&client_id=${key.id}&client_secret=${key.key}`, {
      Authorization: `Basic ${btoa(`${key.id}:${key.key}`)}`,
    });
    await expectOAuthError(both, 400, 'invalid_request');
    await expectOAuthError(await raw('grant_type=password&username=a&password=b'), 400, 'unsupported_grant_type');
  });

  it('works with a standard OAuth client, which reads its errors', async () => {
    const tenant = await t.createTenant();
    const key = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    const issuer = 'http://api.memberkit.test';
    const configure = (id: string, secret: string) => {
      const config = new client.Configuration(
        { issuer, token_endpoint: `${issuer}/v1/oauth/token` },
        id,
        secret,
        client.ClientSecretBasic(secret),
      );
      client.allowInsecureRequests(config);
      config[client.customFetch] = async (url, options) => t.app.request(url, options as RequestInit);
      return config;
    };
    const tokens = await client.clientCredentialsGrant(configure(key.id, key.key));
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 600 });
    const refused = await client
      .clientCredentialsGrant(configure(key.id, tampered(key.key)))
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'OAUTH_WWW_AUTHENTICATE_CHALLENGE', status: 401 });
  });
});
