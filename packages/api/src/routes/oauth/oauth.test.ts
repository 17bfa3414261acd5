import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, expectProblem, tampered, type TestContext } from '../../../test/support/harness.js';

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
  it('issues a token carrying the key\'s role that stops working when the key is revoked', async () => {
    const tenant = await t.createTenant();
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    const res = await form({ grant_type: 'client_credentials', client_id: viewer.id, client_secret: viewer.key });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
    expect((await t.request('GET', '/v1/tenant', { key: body.access_token })).status).toBe(200);
    expectProblem(await t.request('PATCH', '/v1/tenant', { key: body.access_token, body: { name: 'x' } }), 403);

    const basic = await form({ grant_type: 'client_credentials' }, { Authorization: `Basic ${btoa(`${viewer.id}:${viewer.key}`)}` });
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
    const publishable = await form({ grant_type: 'client_credentials', client_id: 'x', client_secret: tenant.publishable_key });
    expect(publishable.status).toBe(401);
    const grant = await form({ grant_type: 'password', username: 'a', password: 'b' });
    expect(grant.status).toBe(400);
    expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });
});
