import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRows } from '../../db/database.js';
import { createTestContext, expectProblem, type TestContext } from '../../testing/index.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('POST /v1/api-keys', () => {
  it('creates a secret key with a role that works at once and is shown only once', async () => {
    const tenant = await t.createTenant();
    const res = await t.request('POST', '/v1/api-keys', {
      key: tenant.secret_key,
      body: { kind: 'secret', role: 'viewer', name: 'Reporting' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      object: 'api_key',
      kind: 'secret',
      role: 'viewer',
      name: 'Reporting',
      revoked_at: null,
      last_used_at: null,
    });
    expect(res.body.key).toMatch(/^sk_[0-9A-Za-z]+$/);
    expect(res.body.redacted_key).toBe(`sk_…${res.body.key.slice(-4)}`);

    expect((await t.request('GET', '/v1/tenant', { key: res.body.key })).status).toBe(200);
    const list = await t.request('GET', '/v1/api-keys', { key: tenant.secret_key });
    expect(list.text).not.toContain(res.body.key);
    expect(list.body.data.find((k: { id: string }) => k.id === res.body.id)).not.toHaveProperty('key');
  });

  it('creates a publishable key bound to origins', async () => {
    const tenant = await t.createTenant();
    const res = await t.request('POST', '/v1/api-keys', {
      key: tenant.secret_key,
      body: { kind: 'publishable', allowed_origins: ['https://club.example.org'] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'publishable', role: null, allowed_origins: ['https://club.example.org'] });
    expect(res.body.key).toMatch(/^pk_/);
  });

  it('stores only a hash of each key', async () => {
    const tenant = await t.createTenant();
    const created = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'manager' });
    const rows = await t.db.withTenant(tenant.id, (tx) =>
      executeRows<{ secret_hash: string; dump: string }>(
        tx.execute(sql`select secret_hash, row_to_json(api_keys)::text as dump from api_keys`),
      ),
    );
    expect(rows.length).toBe(3);
    for (const row of rows) {
      expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.dump).not.toContain(created.key);
      expect(row.dump).not.toContain(tenant.secret_key);
    }
  });

  it.each([
    [{ kind: 'secret' }, 'role'],
    [{ kind: 'secret', role: 'owner' }, 'role'],
    [{ kind: 'secret', role: 'admin', allowed_origins: ['https://x.org'] }, 'allowed_origins'],
    [{ kind: 'publishable', role: 'admin' }, 'role'],
    [{ kind: 'publishable', allowed_origins: ['not an origin'] }, 'allowed_origins.0'],
    [{ kind: 'master' }, 'kind'],
  ])('rejects %j with 422 naming %s', async (body, field) => {
    const tenant = await t.createTenant();
    const problem = expectProblem(await t.request('POST', '/v1/api-keys', { key: tenant.secret_key, body }), 422);
    expect(problem.errors?.map((e) => e.field)).toContain(field);
    expect((await t.request('GET', '/v1/api-keys', { key: tenant.secret_key })).body.data).toHaveLength(2);
  });

  it('is admin only', async () => {
    const tenant = await t.createTenant();
    const manager = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'manager' });
    const problem = expectProblem(
      await t.request('POST', '/v1/api-keys', { key: manager.key, body: { kind: 'secret', role: 'admin' } }),
      403,
      'PERMISSION_DENIED',
    );
    expect(problem.detail).toContain('api_key:create');
  });
});

describe('GET /v1/api-keys', () => {
  it("lists the tenant's keys newest first with last_used_at tracked", async () => {
    const tenant = await t.createTenant();
    const res = await t.request('GET', '/v1/api-keys', { key: tenant.secret_key });
    expect(res.status).toBe(200);
    expect(res.body.data.map((k: { kind: string }) => k.kind).sort()).toEqual(['publishable', 'secret']);
    const secret = res.body.data.find((k: { kind: string }) => k.kind === 'secret');
    expect(secret.last_used_at).not.toBeNull();
    expect(new Date(secret.last_used_at).getTime()).toBeGreaterThan(Date.now() - 60_000);
    const publishable = res.body.data.find((k: { kind: string }) => k.kind === 'publishable');
    expect(publishable.last_used_at).toBeNull();
  });

  it('lets viewers read the list but not create', async () => {
    const tenant = await t.createTenant();
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    expect((await t.request('GET', '/v1/api-keys', { key: viewer.key })).status).toBe(200);
  });
});

describe('DELETE /v1/api-keys/{id}', () => {
  it('revokes a key: the next request with it gets 401', async () => {
    const tenant = await t.createTenant();
    const extra = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'admin' });
    expect((await t.request('GET', '/v1/tenant', { key: extra.key })).status).toBe(200);
    const res = await t.request('DELETE', `/v1/api-keys/${extra.id}`, { key: tenant.secret_key });
    expect(res.status).toBe(200);
    expect(res.body.revoked_at).not.toBeNull();
    expectProblem(await t.request('GET', '/v1/tenant', { key: extra.key }), 401, 'UNAUTHENTICATED');
    const again = await t.request('DELETE', `/v1/api-keys/${extra.id}`, { key: tenant.secret_key });
    expect(again.status).toBe(200);
    expect(again.body.revoked_at).toBe(res.body.revoked_at);
  });

  it('refuses to revoke the last admin secret key', async () => {
    const tenant = await t.createTenant();
    const list = await t.request('GET', '/v1/api-keys', { key: tenant.secret_key });
    const admin = list.body.data.find((k: { role: string }) => k.role === 'admin');
    expectProblem(
      await t.request('DELETE', `/v1/api-keys/${admin.id}`, { key: tenant.secret_key }),
      409,
      'API_KEY_LAST_ADMIN',
    );
    expect((await t.request('GET', '/v1/tenant', { key: tenant.secret_key })).status).toBe(200);
  });

  it.each(['key_doesnotexist', 'nonsense', 'key_01m8e4azsy6k9135cxwt01wqka'])('answers 404 for %s', async (id) => {
    const tenant = await t.createTenant();
    expectProblem(
      await t.request('DELETE', `/v1/api-keys/${id}`, { key: tenant.secret_key }),
      404,
      'API_KEY_NOT_FOUND',
    );
  });
});

describe('audit of key changes', () => {
  it('records key creation and revocation under the acting key, without the secret', async () => {
    const tenant = await t.createTenant();
    const created = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer', name: 'Audited' });
    await t.request('DELETE', `/v1/api-keys/${created.id}`, { key: tenant.secret_key });
    const rows = await t.db.withTenant(tenant.id, (tx) =>
      executeRows<{ action: string; target_id: string; diff: string }>(
        tx.execute(sql`select action, target_id, diff::text as diff from audit_log order by seq`),
      ),
    );
    expect(rows.map((r) => [r.action, r.target_id])).toEqual([
      ['api_key.created', created.id],
      ['api_key.revoked', created.id],
    ]);
    expect(rows.map((r) => r.diff).join()).not.toContain(created.key);
  });
});

describe('revocation with a key cache', () => {
  it('refuses a revoked key at once even when the process caches keys', async () => {
    const { createCachingKeyStore } = await import('../../access/caching-key-store.js');
    const { createDatabaseKeyStore } = await import('../../access/key-store.js');
    const cached = await createTestContext({ db: t.db });
    cached.deps.keys = createCachingKeyStore(createDatabaseKeyStore(t.db, cached.deps.clock), {
      ttlMs: 60_000,
      clock: cached.deps.clock,
    });
    const tenant = await cached.createTenant();
    const extra = await cached.createKey(tenant.secret_key, { kind: 'secret', role: 'admin' });
    expect((await cached.request('GET', '/v1/tenant', { key: extra.key })).status).toBe(200);
    await cached.request('DELETE', `/v1/api-keys/${extra.id}`, { key: tenant.secret_key });
    expectProblem(await cached.request('GET', '/v1/tenant', { key: extra.key }), 401, 'UNAUTHENTICATED');
  });
});
