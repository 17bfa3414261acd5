import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { createTestContext, expectProblem, PLATFORM_KEY, type TestContext } from '../src/testing/index.js';

let t: TestContext;
let tenant: Awaited<ReturnType<TestContext['createTenant']>>;
beforeAll(async () => {
  t = await createTestContext({ config: { bodyLimitBytes: 4096 } });
  tenant = await t.createTenant();
});
afterAll(() => t.close());

describe('problem+json for every failure', () => {
  it('answers malformed JSON with 400 INVALID_JSON', async () => {
    const res = await t.request('PATCH', '/v1/tenant', {
      key: tenant.secret_key,
      rawBody: '{"name": ',
      headers: { 'Content-Type': 'application/json' },
    });
    expectProblem(res, 400, 'INVALID_JSON');
  });

  it('answers a wrong content type with 415', async () => {
    const res = await t.request('PATCH', '/v1/tenant', {
      key: tenant.secret_key,
      rawBody: 'name=x',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const text = await t.request('POST', '/v1/platform/tenants', {
      key: PLATFORM_KEY,
      rawBody: 'hello',
      headers: { 'Content-Type': 'text/plain' },
    });
    expectProblem(text, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a missing body with 422', async () => {
    expectProblem(await t.request('POST', '/v1/api-keys', { key: tenant.secret_key }), 422, 'VALIDATION_FAILED');
  });

  it('answers a body over the limit with 413 and writes nothing', async () => {
    const res = await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { name: 'x'.repeat(10_000) } });
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    expect((await t.request('GET', '/v1/tenant', { key: tenant.secret_key })).body.name).toBe('Test Tenant');
  });

  it('answers an unknown route with 404 and a known path with another method with 405 and Allow', async () => {
    const missing = expectProblem(
      await t.request('GET', '/v1/nothing-here', { key: tenant.secret_key }),
      404,
      'NOT_FOUND',
    );
    expect(missing.detail).toContain('/v1/nothing-here');
    const res = await t.request('PUT', '/v1/tenant', { key: tenant.secret_key, body: {} });
    expectProblem(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers.get('allow')).toBe('GET, PATCH');
    expect((await t.request('POST', '/v1/api-keys/key_x', { key: tenant.secret_key })).headers.get('allow')).toBe(
      'DELETE',
    );
  });

  it.each(['Bearer', 'Basic dXNlcjpwYXNz', 'Bearer sk_short', `Bearer pk_${'a'.repeat(84)}`, 'Bearer a b'])(
    'answers the Authorization header "%s" with 401 and WWW-Authenticate',
    async (header) => {
      const res = await t.request('GET', '/v1/tenant', { headers: { Authorization: header } });
      expectProblem(res, 401, 'UNAUTHENTICATED');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    },
  );

  it('refuses a key whose embedded tenant was altered', async () => {
    const other = await t.createTenant();
    const forged = `sk_${other.id.slice(4)}${tenant.secret_key.slice(3 + 26)}`;
    expectProblem(await t.request('GET', '/v1/tenant', { key: forged }), 401, 'UNAUTHENTICATED');
  });

  it('answers an unexpected failure with a bare 500 carrying the request id and no internals', async () => {
    const failing: Database = {
      ...t.db,
      withTenant: () => Promise.reject(new Error('connection to 10.0.0.7 lost; password=hunter2')),
    };
    const broken = await createTestContext({ db: failing });
    const res = await broken.request('GET', '/v1/tenant', { key: tenant.secret_key });
    const problem = expectProblem(res, 500, 'INTERNAL_ERROR');
    expect(res.text).not.toMatch(/10\.0\.0\.7|hunter2|at |Error:/);
    expect(problem.request_id).toMatch(/^req_/);
    expect(broken.logger.lines.some((l) => l.includes(problem.request_id) && l.includes('unhandled error'))).toBe(true);
  });

  it('answers an invalid Idempotency-Key with 400', async () => {
    const res = await t.request('POST', '/v1/api-keys', {
      key: tenant.secret_key,
      body: { kind: 'secret', role: 'viewer' },
      headers: { 'Idempotency-Key': 'x'.repeat(300) },
    });
    expectProblem(res, 400, 'INVALID_IDEMPOTENCY_KEY');
  });
});

describe('request ids', () => {
  it('puts X-Request-Id on every response, success or error', async () => {
    for (const res of [
      await t.request('GET', '/health'),
      await t.request('GET', '/v1/tenant', { key: tenant.secret_key }),
      await t.request('GET', '/v1/tenant'),
      await t.request('GET', '/nope'),
    ]) {
      expect(res.headers.get('x-request-id')).toMatch(/^req_[0-9a-z]{26}$/);
    }
  });

  it("keeps a caller's safe request id and replaces an unsafe one", async () => {
    const kept = await t.request('GET', '/health', { headers: { 'X-Request-Id': 'trace-1234abcd' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-1234abcd');
    const replaced = await t.request('GET', '/health', { headers: { 'X-Request-Id': 'bad id with spaces <script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^req_/);
  });
});

describe('Idempotency-Key on tenant POSTs', () => {
  it('creates one key for two identical requests and refuses another body under the same key', async () => {
    const headers = { 'Idempotency-Key': `k-${Math.random()}` };
    const body = { kind: 'secret', role: 'viewer', name: 'Idempotent' };
    const first = await t.request('POST', '/v1/api-keys', { key: tenant.secret_key, body, headers });
    const second = await t.request('POST', '/v1/api-keys', { key: tenant.secret_key, body, headers });
    expect(first.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const list = await t.request('GET', '/v1/api-keys?limit=100', { key: tenant.secret_key });
    expect(list.body.data.filter((k: { name: string }) => k.name === 'Idempotent')).toHaveLength(1);
    expectProblem(
      await t.request('POST', '/v1/api-keys', { key: tenant.secret_key, body: { ...body, role: 'admin' }, headers }),
      409,
      'IDEMPOTENCY_KEY_REUSED',
    );
  });

  it("keeps each tenant's idempotency keys apart", async () => {
    const other = await t.createTenant();
    const headers = { 'Idempotency-Key': 'shared-key-between-tenants' };
    const body = { kind: 'secret', role: 'viewer' };
    const a = await t.request('POST', '/v1/api-keys', { key: tenant.secret_key, body, headers });
    const b = await t.request('POST', '/v1/api-keys', { key: other.secret_key, body, headers });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
  });

  it('does not store failed validation as a success, and replays it consistently', async () => {
    const headers = { 'Idempotency-Key': `bad-${Math.random()}` };
    const first = await t.request('POST', '/v1/api-keys', {
      key: tenant.secret_key,
      body: { kind: 'secret' },
      headers,
    });
    const second = await t.request('POST', '/v1/api-keys', {
      key: tenant.secret_key,
      body: { kind: 'secret' },
      headers,
    });
    expect(first.status).toBe(422);
    expect(second.status).toBe(422);
  });
});
