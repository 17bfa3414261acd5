import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestContext,
  expectProblem,
  PLATFORM_KEY,
  type TestContext,
  type TestResponse,
} from '../../testing/index.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const slug = () => `acme-${Math.random().toString(36).slice(2, 10)}`;

describe('POST /v1/platform/tenants', () => {
  it('creates a tenant and returns its keys once', async () => {
    const res = await t.request('POST', '/v1/platform/tenants', {
      key: PLATFORM_KEY,
      body: { name: 'Acme Club', slug: slug() },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ object: 'tenant', name: 'Acme Club' });
    expect(res.body.id).toMatch(/^tnt_[0-9a-z]{26}$/);
    expect(res.body.secret_key).toMatch(/^sk_/);
    expect(res.body.publishable_key).toMatch(/^pk_/);
    expect(new Date(res.body.created_at).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const own = await t.request('GET', '/v1/tenant', { key: res.body.secret_key });
    expect(own.status).toBe(200);
    expect(own.body.id).toBe(res.body.id);
    expect(own.body.time_zone).toBe('UTC');
  });

  it('creates a tenant in the time zone given, in its canonical spelling', async () => {
    const res = await t.request('POST', '/v1/platform/tenants', {
      key: PLATFORM_KEY,
      body: { name: 'Kiwi Club', slug: slug(), time_zone: 'pacific/auckland' },
    });
    expect(res.status).toBe(201);
    expect(res.body.time_zone).toBe('Pacific/Auckland');
    expect((await t.request('GET', '/v1/tenant', { key: res.body.secret_key })).body.time_zone).toBe(
      'Pacific/Auckland',
    );
  });

  it('refuses a slug that is taken with 409 TENANT_SLUG_TAKEN', async () => {
    const s = slug();
    expect(
      (await t.request('POST', '/v1/platform/tenants', { key: PLATFORM_KEY, body: { name: 'One', slug: s } })).status,
    ).toBe(201);
    const again = await t.request('POST', '/v1/platform/tenants', {
      key: PLATFORM_KEY,
      body: { name: 'Two', slug: s },
    });
    expectProblem(again, 409, 'TENANT_SLUG_TAKEN');
  });

  it.each([
    [{ name: 'X', slug: 'Has Spaces' }, 'slug'],
    [{ name: 'X', slug: '-leading' }, 'slug'],
    [{ name: '', slug: slug() }, 'name'],
    [{ slug: slug() }, 'name'],
    [{ name: 'X', slug: slug(), id: 'tnt_chosen_by_client' }, 'id'],
    [{ name: 42, slug: slug() }, 'name'],
    [{ name: 'X', slug: slug(), time_zone: 'Nowhere/Special' }, 'time_zone'],
  ])('rejects %j with 422 naming %s', async (body, field) => {
    const before = await t.request('GET', '/v1/platform/tenants?limit=100', { key: PLATFORM_KEY });
    const res = await t.request('POST', '/v1/platform/tenants', { key: PLATFORM_KEY, body });
    const problem = expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.field)).toContain(field);
    // Other test files create tenants meanwhile (one database on a server run): look for this one, not at the count.
    const after = await t.request('GET', '/v1/platform/tenants?limit=100', { key: PLATFORM_KEY });
    const known = new Set((before.body.data as { id: string }[]).map((tenant) => tenant.id));
    const added = (after.body.data as { id: string; slug: string }[]).filter((tenant) => !known.has(tenant.id));
    expect(added.filter((tenant) => tenant.slug === body.slug)).toEqual([]);
  });

  it('needs the platform key: none → 401, a tenant secret key → 403, a wrong key → 401', async () => {
    const tenant = await t.createTenant();
    expectProblem(
      await t.request('POST', '/v1/platform/tenants', { body: { name: 'X', slug: slug() } }),
      401,
      'UNAUTHENTICATED',
    );
    expectProblem(
      await t.request('POST', '/v1/platform/tenants', { key: tenant.secret_key, body: { name: 'X', slug: slug() } }),
      403,
      'PERMISSION_DENIED',
    );
    expectProblem(
      await t.request('POST', '/v1/platform/tenants', { key: `${PLATFORM_KEY}x`, body: { name: 'X', slug: slug() } }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('replays the stored response for a repeated Idempotency-Key and creates nothing twice', async () => {
    const body = { name: 'Idem', slug: slug() };
    const headers = { 'Idempotency-Key': `idem-${Math.random()}` };
    const first = await t.request('POST', '/v1/platform/tenants', { key: PLATFORM_KEY, body, headers });
    const second = await t.request('POST', '/v1/platform/tenants', { key: PLATFORM_KEY, body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');

    const other = await t.request('POST', '/v1/platform/tenants', {
      key: PLATFORM_KEY,
      body: { ...body, name: 'Other' },
      headers,
    });
    expectProblem(other, 409, 'IDEMPOTENCY_KEY_REUSED');
  });
});

describe('GET /v1/platform/tenants', () => {
  it('pages through every tenant with cursors, newest first, without repeats', async () => {
    for (let i = 0; i < 5; i++) await t.createTenant(`Paged ${i}`);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: TestResponse = await t.request(
        'GET',
        `/v1/platform/tenants?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { key: PLATFORM_KEY },
      );
      expect(res.status).toBe(200);
      expect(res.body.object).toBe('list');
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.map((d: { id: string }) => d.id));
      cursor = res.body.next_cursor;
      expect(res.body.has_more).toBe(cursor !== null);
      pages++;
    } while (cursor && pages < 200);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort().reverse()).toEqual(seen);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(seen.every((id) => id.startsWith('tnt_'))).toBe(true);
  });

  it('never shows keys in the list', async () => {
    await t.createTenant();
    const res = await t.request('GET', '/v1/platform/tenants', { key: PLATFORM_KEY });
    expect(res.text).not.toMatch(/sk_|pk_/);
  });

  it.each(['not-a-cursor', 'eyJxIjoiMSIsImEiOlsiYSJdfQ', '%%%'])(
    'rejects the cursor %s with 400 INVALID_CURSOR',
    async (cursor) => {
      expectProblem(
        await t.request('GET', `/v1/platform/tenants?cursor=${cursor}`, { key: PLATFORM_KEY }),
        400,
        'INVALID_CURSOR',
      );
    },
  );

  it('rejects a cursor from another list with 400', async () => {
    const tenant = await t.createTenant();
    await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    const keys = await t.request('GET', '/v1/api-keys?limit=1', { key: tenant.secret_key });
    expect(keys.body.next_cursor).toBeTruthy();
    expectProblem(
      await t.request('GET', `/v1/platform/tenants?cursor=${keys.body.next_cursor}`, { key: PLATFORM_KEY }),
      400,
      'INVALID_CURSOR',
    );
  });

  it.each(['0', '101', 'abc', '-1'])('rejects limit=%s with 422', async (limit) => {
    expectProblem(
      await t.request('GET', `/v1/platform/tenants?limit=${limit}`, { key: PLATFORM_KEY }),
      422,
      'VALIDATION_FAILED',
    );
  });
});
