import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, invites, members } from '../../db/schema/index.js';
import { ApiError } from '../../lib/errors.js';
import { lockTierForAssignment } from '../../services/tiers.js';
import { createTestContext, expectProblem, type TestContext, type TestResponse } from '../../testing/index.js';

type Tenant = Awaited<ReturnType<TestContext['createTenant']>>;

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const SUPPORTER = { name: 'Supporter', interval: 'year', price: { amount: 6000 } };

async function createTier(tenant: Tenant, body: Record<string, unknown> = SUPPORTER) {
  const res = await t.request('POST', '/v1/tiers', { key: tenant.secret_key, body });
  if (res.status !== 201) throw new Error(`tier creation failed: ${res.status} ${res.text}`);
  return res.body as { id: string; sort_order: number; updated_at: string; archived_at: string | null };
}

/** Members are written directly: the members API is not this suite's subject. */
async function addMember(
  tenantId: string,
  tierId: string | null,
  options: { deleted?: boolean } = {},
): Promise<string> {
  const id = t.deps.ids.generate('mem');
  await t.db.withTenant(tenantId, (tx) =>
    tx.insert(members).values({
      tenantId,
      id,
      email: `${id}@example.org`,
      firstName: 'Ada',
      lastName: 'Lovelace',
      status: 'active',
      tierId,
      deletedAt: options.deleted ? new Date() : null,
    }),
  );
  return id;
}

async function addInvite(
  tenantId: string,
  tierId: string,
  status: 'pending' | 'accepted' | 'revoked',
): Promise<string> {
  const id = t.deps.ids.generate('inv');
  await t.db.withTenant(tenantId, (tx) =>
    tx.insert(invites).values({
      tenantId,
      id,
      email: `${id}@example.org`,
      tierId,
      tokenHash: id,
      status,
      expiresAt: new Date(Date.now() + 86_400_000),
      lastSentAt: new Date(),
      createdBy: 'key_test',
    }),
  );
  return id;
}

function auditEntries(tenantId: string, action?: string) {
  return t.db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenantId), action ? eq(auditLog.action, action) : undefined))
      .orderBy(asc(auditLog.seq)),
  );
}

async function listAll(tenant: Tenant, query = '') {
  return (await t.request('GET', `/v1/tiers?limit=100${query}`, { key: tenant.secret_key })).body.data as {
    id: string;
    name: string;
  }[];
}

describe('POST /v1/tiers', () => {
  it('creates a paid tier with defaults and returns it as GET does', async () => {
    const tenant = await t.createTenant();
    const res = await t.request('POST', '/v1/tiers', { key: tenant.secret_key, body: SUPPORTER });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      object: 'tier',
      name: 'Supporter',
      description: null,
      features: [],
      price: { amount: 6000, currency: 'eur' },
      interval: 'year',
      capacity: null,
      active: true,
      sort_order: 0,
      archived: false,
      archived_at: null,
      member_count: 0,
    });
    expect(res.body.id).toMatch(/^tier_[0-9a-z]{26}$/);
    expect(res.body.created_at).toBe(res.body.updated_at);
    expect((await t.request('GET', `/v1/tiers/${res.body.id}`, { key: tenant.secret_key })).body).toEqual(res.body);
  });

  it('creates a free tier without a price and stores every field sent', async () => {
    const tenant = await t.createTenant();
    const body = {
      name: '  Friends  ',
      description: 'Stay in touch.',
      features: ['Newsletter', ' Events '],
      interval: 'free',
      capacity: 500,
      active: false,
      sort_order: -5,
    };
    const res = await t.request('POST', '/v1/tiers', { key: tenant.secret_key, body });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Friends',
      description: 'Stay in touch.',
      features: ['Newsletter', 'Events'],
      price: { amount: 0, currency: 'eur' },
      interval: 'free',
      capacity: 500,
      active: false,
      sort_order: -5,
    });
  });

  it('places a tier without sort_order after the last one', async () => {
    const tenant = await t.createTenant();
    await createTier(tenant, { ...SUPPORTER, sort_order: 7 });
    expect((await createTier(tenant)).sort_order).toBe(8);
    expect((await createTier(tenant, { name: 'Free', interval: 'free' })).sort_order).toBe(9);
  });

  it('writes a tier.created audit entry with the created fields, in the same request', async () => {
    const tenant = await t.createTenant();
    const res = await t.request('POST', '/v1/tiers', {
      key: tenant.secret_key,
      body: { ...SUPPORTER, capacity: 10, price: { amount: 6000, currency: 'chf' } },
    });
    const [entry] = await auditEntries(tenant.id, 'tier.created');
    expect(entry).toMatchObject({
      actorType: 'api_key',
      targetType: 'tier',
      targetId: res.body.id,
      requestId: res.headers.get('x-request-id'),
    });
    expect(entry!.diff).toEqual({
      name: 'Supporter',
      description: null,
      description_translations: {},
      features: [],
      price: { amount: 6000, currency: 'chf' },
      prices: [{ interval: 'year', amount: 6000, currency: 'chf' }],
      trial_days: 0,
      interval: 'year',
      capacity: 10,
      active: true,
      sort_order: 0,
      archived: false,
    });
  });

  it('replays the response for a repeated Idempotency-Key and creates one tier', async () => {
    const tenant = await t.createTenant();
    const headers = { 'Idempotency-Key': 'tier-create-1' };
    const first = await t.request('POST', '/v1/tiers', { key: tenant.secret_key, body: SUPPORTER, headers });
    const again = await t.request('POST', '/v1/tiers', { key: tenant.secret_key, body: SUPPORTER, headers });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(await listAll(tenant)).toHaveLength(1);
  });

  it.each([
    [{ name: 'Gold', interval: 'month' }, 'price'],
    [{ name: 'Gold', interval: 'month', price: { amount: 0 } }, 'price.amount'],
    [{ name: 'Free', interval: 'free', price: { amount: 100 } }, 'price.amount'],
    [{ name: 'Gold', interval: 'month', price: { amount: 12.5 } }, 'price.amount'],
    [{ name: 'Gold', interval: 'month', price: { amount: -1 } }, 'price.amount'],
    [{ name: 'Gold', interval: 'month', price: { amount: 100_000_000 } }, 'price.amount'],
    [{ name: 'Gold', interval: 'month', price: { amount: 100, currency: 'EUR' } }, 'price.currency'],
    [{ name: 'Gold', interval: 'month', price: { amount: 100, currency: 'xyz' } }, 'price.currency'],
    [{ name: 'Gold', interval: 'month', price: { amount: 100, tax: 0 } }, 'price.tax'],
    [{ name: 'Gold', interval: 'weekly', price: { amount: 100 } }, 'interval'],
    [{ name: 'Gold' }, 'interval'],
    [{ name: '   ', interval: 'free' }, 'name'],
    [{ name: 'x'.repeat(101), interval: 'free' }, 'name'],
    [{ interval: 'free' }, 'name'],
    [{ name: 'Gold', interval: 'free', description: 'x'.repeat(1001) }, 'description'],
    [{ name: 'Gold', interval: 'free', features: Array.from({ length: 51 }, (_, i) => `f${i}`) }, 'features'],
    [{ name: 'Gold', interval: 'free', features: ['ok', 'x'.repeat(201)] }, 'features.1'],
    [{ name: 'Gold', interval: 'free', capacity: 0 }, 'capacity'],
    [{ name: 'Gold', interval: 'free', capacity: 2.5 }, 'capacity'],
    [{ name: 'Gold', interval: 'free', sort_order: 1.5 }, 'sort_order'],
    [{ name: 'Gold', interval: 'free', active: 'yes' }, 'active'],
    [{ name: 'Gold', interval: 'free', color: 'gold' }, 'color'],
    [{ name: 'Gold', interval: 'free', id: 'tier_mine' }, 'id'],
    [{ name: 'Gold', interval: 'free', member_count: 3 }, 'member_count'],
    [{ name: 'Gold', interval: 'free', archived: true }, 'archived'],
  ])('rejects %j with 422 naming %s and writes nothing', async (body, field) => {
    const tenant = await t.createTenant();
    const problem = expectProblem(
      await t.request('POST', '/v1/tiers', { key: tenant.secret_key, body }),
      422,
      'VALIDATION_FAILED',
    );
    expect(problem.errors?.map((e) => e.field)).toContain(field);
    expect(await listAll(tenant, '&include_archived=true')).toHaveLength(0);
    expect(await auditEntries(tenant.id)).toHaveLength(0);
  });

  it('lets managers create but not viewers, whose 403 names tier:create', async () => {
    const tenant = await t.createTenant();
    const manager = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'manager' });
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    expect((await t.request('POST', '/v1/tiers', { key: manager.key, body: SUPPORTER })).status).toBe(201);
    const problem = expectProblem(
      await t.request('POST', '/v1/tiers', { key: viewer.key, body: SUPPORTER }),
      403,
      'PERMISSION_DENIED',
    );
    expect(problem.detail).toContain('tier:create');
    expect(await listAll(tenant)).toHaveLength(1);
  });
});

describe('GET /v1/tiers', () => {
  it('lists tiers by sort_order then id, counting only members that are not deleted', async () => {
    const tenant = await t.createTenant();
    const c = await createTier(tenant, { name: 'C', interval: 'free', sort_order: 2 });
    const a = await createTier(tenant, { name: 'A', interval: 'free', sort_order: 1 });
    const b = await createTier(tenant, { name: 'B', interval: 'free', sort_order: 1 });
    await addMember(tenant.id, a.id);
    await addMember(tenant.id, a.id);
    await addMember(tenant.id, a.id, { deleted: true });
    await addMember(tenant.id, c.id);
    await addMember(tenant.id, null);
    const res = await t.request('GET', '/v1/tiers', { key: tenant.secret_key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'list', has_more: false, next_cursor: null });
    expect(res.body.data.map((x: { id: string; member_count: number }) => [x.id, x.member_count])).toEqual([
      [a.id, 2],
      [b.id, 0],
      [c.id, 1],
    ]);
  });

  it('pages through more than one page with cursors bound to the query', async () => {
    const tenant = await t.createTenant();
    const created: string[] = [];
    for (const sortOrder of [3, 1, 2, 1, 5])
      created.push((await createTier(tenant, { name: `T${sortOrder}`, interval: 'free', sort_order: sortOrder })).id);
    const expected = (await listAll(tenant)).map((x) => x.id);
    expect(expected).toHaveLength(5);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: TestResponse<{ data: { id: string }[]; has_more: boolean; next_cursor: string | null }> =
        await t.request('GET', `/v1/tiers?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { key: tenant.secret_key });
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.map((x) => x.id));
      expect(res.body.has_more).toBe(res.body.next_cursor !== null);
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(expected);

    const first = await t.request('GET', '/v1/tiers?limit=2', { key: tenant.secret_key });
    const next = first.body.next_cursor as string;
    expectProblem(
      await t.request('GET', `/v1/tiers?limit=2&include_archived=true&cursor=${next}`, { key: tenant.secret_key }),
      400,
      'INVALID_CURSOR',
    );
    expectProblem(
      await t.request('GET', `/v1/tiers?limit=2&active=true&cursor=${next}`, { key: tenant.secret_key }),
      400,
      'INVALID_CURSOR',
    );
    expectProblem(await t.request('GET', '/v1/tiers?cursor=bm9wZQ', { key: tenant.secret_key }), 400, 'INVALID_CURSOR');
    const other = await t.createTenant();
    expectProblem(
      await t.request('GET', `/v1/tiers?limit=2&cursor=${next}`, { key: other.secret_key }),
      400,
      'INVALID_CURSOR',
    );
  });

  it('filters by active and leaves archived tiers out unless include_archived=true', async () => {
    const tenant = await t.createTenant();
    const open = await createTier(tenant, { name: 'Open', interval: 'free' });
    const hidden = await createTier(tenant, { name: 'Hidden', interval: 'free', active: false });
    const old = await createTier(tenant, { name: 'Old', interval: 'free' });
    expect(
      (await t.request('PATCH', `/v1/tiers/${old.id}`, { key: tenant.secret_key, body: { archived: true } })).status,
    ).toBe(200);

    const ids = async (query: string) => (await listAll(tenant, query)).map((x) => x.id);
    expect(await ids('')).toEqual([open.id, hidden.id]);
    expect(await ids('&include_archived=false')).toEqual([open.id, hidden.id]);
    expect(await ids('&include_archived=true')).toEqual([open.id, hidden.id, old.id]);
    expect(await ids('&active=true')).toEqual([open.id]);
    expect(await ids('&active=false')).toEqual([hidden.id]);
    expect(await ids('&active=true&include_archived=true')).toEqual([open.id, old.id]);
    const archived = (await t.request('GET', `/v1/tiers/${old.id}`, { key: tenant.secret_key })).body;
    expect(archived).toMatchObject({ archived: true });
  });

  it.each([
    ['include_archived=yes', 'query.include_archived'],
    ['active=1', 'query.active'],
    ['limit=0', 'query.limit'],
    ['limit=101', 'query.limit'],
  ])('rejects ?%s with 422 naming %s', async (query, field) => {
    const tenant = await t.createTenant();
    const problem = expectProblem(
      await t.request('GET', `/v1/tiers?${query}`, { key: tenant.secret_key }),
      422,
      'VALIDATION_FAILED',
    );
    expect(problem.errors?.map((e) => e.field)).toContain(field);
  });

  it("lets a viewer read and never shows another tenant's tiers", async () => {
    const tenant = await t.createTenant();
    const other = await t.createTenant();
    const mine = await createTier(tenant);
    await createTier(other);
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    const res = await t.request('GET', '/v1/tiers', { key: viewer.key });
    expect(res.status).toBe(200);
    expect(res.body.data.map((x: { id: string }) => x.id)).toEqual([mine.id]);
  });
});

describe('GET /v1/tiers/{id}', () => {
  it('returns a tier with its member count', async () => {
    const tenant = await t.createTenant();
    const tier = await createTier(tenant);
    await addMember(tenant.id, tier.id);
    const res = await t.request('GET', `/v1/tiers/${tier.id}`, { key: tenant.secret_key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: tier.id, member_count: 1 });
  });

  it.each(['tier_01m8e4azsy6k9135cxwt01wqka', 'tier_nope', 'mem_01m8e4azsy6k9135cxwt01wqka', 'x'])(
    'answers 404 TIER_NOT_FOUND for %s',
    async (id) => {
      const tenant = await t.createTenant();
      expectProblem(await t.request('GET', `/v1/tiers/${id}`, { key: tenant.secret_key }), 404, 'TIER_NOT_FOUND');
    },
  );

  it("answers 404 for another tenant's tier", async () => {
    const tenant = await t.createTenant();
    const other = await t.createTenant('Other Org');
    const theirs = await createTier(other);
    const res = await t.request('GET', `/v1/tiers/${theirs.id}`, { key: tenant.secret_key });
    expectProblem(res, 404, 'TIER_NOT_FOUND');
    expect(res.text).not.toContain('Supporter');
  });
});

describe('PATCH /v1/tiers/{id}', () => {
  it('changes only the fields sent and audits a diff of them', async () => {
    const tenant = await t.createTenant();
    const tier = await createTier(tenant, { ...SUPPORTER, description: 'Old text', features: ['A'] });
    const res = await t.request('PATCH', `/v1/tiers/${tier.id}`, {
      key: tenant.secret_key,
      body: { name: 'Patron', description: null, price: { amount: 9000 }, capacity: 20, sort_order: 3 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Patron',
      description: null,
      features: ['A'],
      price: { amount: 9000, currency: 'eur' },
      interval: 'year',
      capacity: 20,
      sort_order: 3,
    });
    expect(new Date(res.body.updated_at).getTime()).toBeGreaterThanOrEqual(new Date(tier.updated_at).getTime());
    expect((await t.request('GET', `/v1/tiers/${tier.id}`, { key: tenant.secret_key })).body).toEqual(res.body);

    const [entry] = await auditEntries(tenant.id, 'tier.updated');
    expect(entry).toMatchObject({ targetType: 'tier', targetId: tier.id, requestId: res.headers.get('x-request-id') });
    expect(entry!.diff).toEqual({
      name: { from: 'Supporter', to: 'Patron' },
      description: { from: 'Old text', to: null },
      price: { from: { amount: 6000, currency: 'eur' }, to: { amount: 9000, currency: 'eur' } },
      prices: {
        from: [{ interval: 'year', amount: 6000, currency: 'eur' }],
        to: [{ interval: 'year', amount: 9000, currency: 'eur' }],
      },
      capacity: { from: null, to: 20 },
      sort_order: { from: 0, to: 3 },
    });
  });

  it('writes nothing when nothing changes', async () => {
    const tenant = await t.createTenant();
    const tier = await createTier(tenant);
    const res = await t.request('PATCH', `/v1/tiers/${tier.id}`, {
      key: tenant.secret_key,
      body: { name: 'Supporter', archived: false },
    });
    expect(res.status).toBe(200);
    expect(res.body.updated_at).toBe(tier.updated_at);
    expect((await t.request('PATCH', `/v1/tiers/${tier.id}`, { key: tenant.secret_key, body: {} })).status).toBe(200);
    expect(await auditEntries(tenant.id, 'tier.updated')).toHaveLength(0);
  });

  it('archives and restores a tier, keeping the first archived_at when archived twice', async () => {
    const tenant = await t.createTenant();
    const tier = await createTier(tenant);
    const archived = await t.request('PATCH', `/v1/tiers/${tier.id}`, {
      key: tenant.secret_key,
      body: { archived: true },
    });
    expect(archived.body).toMatchObject({ archived: true });
    expect(archived.body.archived_at).not.toBeNull();
    const again = await t.request('PATCH', `/v1/tiers/${tier.id}`, {
      key: tenant.secret_key,
      body: { archived: true },
    });
    expect(again.body.archived_at).toBe(archived.body.archived_at);
    expect(await listAll(tenant)).toHaveLength(0);

    const restored = await t.request('PATCH', `/v1/tiers/${tier.id}`, {
      key: tenant.secret_key,
      body: { archived: false },
    });
    expect(restored.body).toMatchObject({ archived: false, archived_at: null });
    expect(await listAll(tenant)).toHaveLength(1);
    const diffs = (await auditEntries(tenant.id, 'tier.updated')).map((e) => e.diff);
    expect(diffs).toEqual([{ archived: { from: false, to: true } }, { archived: { from: true, to: false } }]);
  });

  it('checks the price rule on the tier as it would be after the change', async () => {
    const tenant = await t.createTenant();
    const tier = await createTier(tenant);
    const problem = expectProblem(
      await t.request('PATCH', `/v1/tiers/${tier.id}`, { key: tenant.secret_key, body: { interval: 'free' } }),
      422,
    );
    expect(problem.errors?.map((e) => e.field)).toEqual(['price.amount']);
    expectProblem(
      await t.request('PATCH', `/v1/tiers/${tier.id}`, { key: tenant.secret_key, body: { price: { amount: 0 } } }),
      422,
    );
    const free = await t.request('PATCH', `/v1/tiers/${tier.id}`, {
      key: tenant.secret_key,
      body: { interval: 'free', price: { amount: 0 } },
    });
    expect(free.body).toMatchObject({ interval: 'free', price: { amount: 0, currency: 'eur' } });
    const monthly = await t.request('PATCH', `/v1/tiers/${tier.id}`, {
      key: tenant.secret_key,
      body: { interval: 'month', price: { amount: 500, currency: 'usd' } },
    });
    expect(monthly.body).toMatchObject({ interval: 'month', price: { amount: 500, currency: 'usd' } });
  });

  it('refuses to lower capacity below the member count with 409 TIER_CAPACITY_BELOW_MEMBERS', async () => {
    const tenant = await t.createTenant();
    const tier = await createTier(tenant, { ...SUPPORTER, capacity: 10 });
    for (let i = 0; i < 3; i++) await addMember(tenant.id, tier.id);
    await addMember(tenant.id, tier.id, { deleted: true });
    const problem = expectProblem(
      await t.request('PATCH', `/v1/tiers/${tier.id}`, { key: tenant.secret_key, body: { capacity: 2 } }),
      409,
      'TIER_CAPACITY_BELOW_MEMBERS',
    );
    expect(problem.detail).toContain('3 members');
    expect((await t.request('GET', `/v1/tiers/${tier.id}`, { key: tenant.secret_key })).body.capacity).toBe(10);
    expect(
      (await t.request('PATCH', `/v1/tiers/${tier.id}`, { key: tenant.secret_key, body: { capacity: 3 } })).body
        .capacity,
    ).toBe(3);
    expect(
      (await t.request('PATCH', `/v1/tiers/${tier.id}`, { key: tenant.secret_key, body: { capacity: null } })).body
        .capacity,
    ).toBeNull();
    expectProblem(
      await t.request('PATCH', `/v1/tiers/${tier.id}`, { key: tenant.secret_key, body: { capacity: 1 } }),
      409,
      'TIER_CAPACITY_BELOW_MEMBERS',
    );
  });

  it.each([
    [{ capacity: 0 }, 'capacity'],
    [{ name: '' }, 'name'],
    [{ archived: 'yes' }, 'archived'],
    [{ price: { amount: 100, currency: 'euro' } }, 'price.currency'],
    [{ price: { amount: 100, interval: 'month' } }, 'price.interval'],
    [{ member_count: 0 }, 'member_count'],
    [{ archived_at: null }, 'archived_at'],
  ])('rejects %j with 422 naming %s and changes nothing', async (body, field) => {
    const tenant = await t.createTenant();
    const tier = await createTier(tenant);
    const before = await t.request('GET', `/v1/tiers/${tier.id}`, { key: tenant.secret_key });
    const problem = expectProblem(
      await t.request('PATCH', `/v1/tiers/${tier.id}`, { key: tenant.secret_key, body }),
      422,
    );
    expect(problem.errors?.map((e) => e.field)).toContain(field);
    expect((await t.request('GET', `/v1/tiers/${tier.id}`, { key: tenant.secret_key })).body).toEqual(before.body);
    expect(await auditEntries(tenant.id, 'tier.updated')).toHaveLength(0);
  });

  it("answers 404 for another tenant's tier and leaves it unchanged", async () => {
    const tenant = await t.createTenant();
    const other = await t.createTenant();
    const theirs = await createTier(other);
    expectProblem(
      await t.request('PATCH', `/v1/tiers/${theirs.id}`, {
        key: tenant.secret_key,
        body: { name: 'Hijacked', archived: true },
      }),
      404,
      'TIER_NOT_FOUND',
    );
    expect((await t.request('GET', `/v1/tiers/${theirs.id}`, { key: other.secret_key })).body).toMatchObject({
      name: 'Supporter',
      archived: false,
    });
    expect(await auditEntries(other.id, 'tier.updated')).toHaveLength(0);
    expect(await auditEntries(tenant.id)).toHaveLength(0);
  });

  it('lets managers update but not viewers, whose 403 names tier:update', async () => {
    const tenant = await t.createTenant();
    const tier = await createTier(tenant);
    const manager = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'manager' });
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    const problem = expectProblem(
      await t.request('PATCH', `/v1/tiers/${tier.id}`, { key: viewer.key, body: { name: 'Nope' } }),
      403,
      'PERMISSION_DENIED',
    );
    expect(problem.detail).toContain('tier:update');
    expect(
      (await t.request('PATCH', `/v1/tiers/${tier.id}`, { key: manager.key, body: { name: 'Yes' } })).body.name,
    ).toBe('Yes');
    const [entry] = await auditEntries(tenant.id, 'tier.updated');
    expect(entry!.actorId).toBe(manager.id);
  });
});

describe('DELETE /v1/tiers/{id}', () => {
  it('deletes an unused tier and audits it', async () => {
    const tenant = await t.createTenant();
    const tier = await createTier(tenant);
    const res = await t.request('DELETE', `/v1/tiers/${tier.id}`, { key: tenant.secret_key });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: tier.id, object: 'tier', deleted: true });
    expectProblem(await t.request('GET', `/v1/tiers/${tier.id}`, { key: tenant.secret_key }), 404, 'TIER_NOT_FOUND');
    expectProblem(await t.request('DELETE', `/v1/tiers/${tier.id}`, { key: tenant.secret_key }), 404, 'TIER_NOT_FOUND');
    const [entry] = await auditEntries(tenant.id, 'tier.deleted');
    expect(entry).toMatchObject({ targetType: 'tier', targetId: tier.id, requestId: res.headers.get('x-request-id') });
    expect(entry!.diff).toMatchObject({ name: 'Supporter', price: { amount: 6000, currency: 'eur' } });
  });

  it('refuses a tier a member holds with 409 TIER_IN_USE pointing to archiving', async () => {
    const tenant = await t.createTenant();
    const tier = await createTier(tenant);
    await addMember(tenant.id, tier.id);
    const problem = expectProblem(
      await t.request('DELETE', `/v1/tiers/${tier.id}`, { key: tenant.secret_key }),
      409,
      'TIER_IN_USE',
    );
    expect(problem.detail).toContain('1 member holds it');
    expect(problem.detail).toContain('PATCH');
    expect(problem.detail).toContain('{"archived": true}');
    expect((await t.request('GET', `/v1/tiers/${tier.id}`, { key: tenant.secret_key })).status).toBe(200);
    expect(await auditEntries(tenant.id, 'tier.deleted')).toHaveLength(0);

    expect(
      (await t.request('PATCH', `/v1/tiers/${tier.id}`, { key: tenant.secret_key, body: { archived: true } })).status,
    ).toBe(200);
  });

  it('refuses a tier a pending invite offers', async () => {
    const tenant = await t.createTenant();
    const tier = await createTier(tenant);
    await addInvite(tenant.id, tier.id, 'pending');
    const problem = expectProblem(
      await t.request('DELETE', `/v1/tiers/${tier.id}`, { key: tenant.secret_key }),
      409,
      'TIER_IN_USE',
    );
    expect(problem.detail).toContain('1 pending invite offers it');
  });

  it('deletes a tier named only by deleted members and closed invites, detaching them', async () => {
    const tenant = await t.createTenant();
    const tier = await createTier(tenant);
    const gone = await addMember(tenant.id, tier.id, { deleted: true });
    const accepted = await addInvite(tenant.id, tier.id, 'accepted');
    await addInvite(tenant.id, tier.id, 'revoked');
    expect((await t.request('DELETE', `/v1/tiers/${tier.id}`, { key: tenant.secret_key })).status).toBe(200);
    const [member] = await t.db.withTenant(tenant.id, (tx) => tx.select().from(members).where(eq(members.id, gone)));
    expect(member!.tierId).toBeNull();
    const [invite] = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(invites).where(eq(invites.id, accepted)),
    );
    expect(invite!.tierId).toBeNull();
    const [entry] = await auditEntries(tenant.id, 'tier.deleted');
    expect(entry!.diff).toMatchObject({ detached_deleted_members: 1, detached_closed_invites: 2 });
  });

  it("answers 404 for another tenant's tier, which survives", async () => {
    const tenant = await t.createTenant();
    const other = await t.createTenant();
    const theirs = await createTier(other);
    expectProblem(
      await t.request('DELETE', `/v1/tiers/${theirs.id}`, { key: tenant.secret_key }),
      404,
      'TIER_NOT_FOUND',
    );
    expect((await t.request('GET', `/v1/tiers/${theirs.id}`, { key: other.secret_key })).status).toBe(200);
  });

  it('lets managers delete but not viewers, whose 403 names tier:delete', async () => {
    const tenant = await t.createTenant();
    const tier = await createTier(tenant);
    const manager = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'manager' });
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    const problem = expectProblem(
      await t.request('DELETE', `/v1/tiers/${tier.id}`, { key: viewer.key }),
      403,
      'PERMISSION_DENIED',
    );
    expect(problem.detail).toContain('tier:delete');
    expect((await t.request('DELETE', `/v1/tiers/${tier.id}`, { key: manager.key })).status).toBe(200);
  });
});

describe('lockTierForAssignment', () => {
  async function lockError(tenantId: string, tierId: string): Promise<ApiError | null> {
    try {
      await t.db.withTenant(tenantId, (tx) => lockTierForAssignment(tx, tenantId, tierId));
      return null;
    } catch (error) {
      if (error instanceof ApiError) return error;
      throw error;
    }
  }

  it('returns the tier while it has room, then 409 TIER_FULL at capacity (deleted members not counted)', async () => {
    const tenant = await t.createTenant();
    const tier = await createTier(tenant, { ...SUPPORTER, capacity: 2 });
    const locked = await t.db.withTenant(tenant.id, (tx) => lockTierForAssignment(tx, tenant.id, tier.id));
    expect(locked).toMatchObject({ id: tier.id, capacity: 2 });
    await addMember(tenant.id, tier.id);
    await addMember(tenant.id, tier.id, { deleted: true });
    expect(await lockError(tenant.id, tier.id)).toBeNull();
    await addMember(tenant.id, tier.id);
    const full = await lockError(tenant.id, tier.id);
    expect(full).toMatchObject({ status: 409, code: 'TIER_FULL' });
    expect(full!.detail).toContain('2 of 2');
  });

  it('lets exactly one of several concurrent assignments take the last place', async () => {
    const tenant = await t.createTenant();
    const tier = await createTier(tenant, { ...SUPPORTER, capacity: 1 });
    const attempts = await Promise.allSettled(
      Array.from({ length: 4 }, (_, i) =>
        t.db.withTenant(tenant.id, async (tx) => {
          await lockTierForAssignment(tx, tenant.id, tier.id);
          await tx.insert(members).values({
            tenantId: tenant.id,
            id: t.deps.ids.generate('mem'),
            email: `racer${i}@example.org`,
            firstName: 'R',
            lastName: `${i}`,
            tierId: tier.id,
          });
        }),
      ),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    for (const a of attempts) if (a.status === 'rejected') expect(a.reason).toMatchObject({ code: 'TIER_FULL' });
    expect((await t.request('GET', `/v1/tiers/${tier.id}`, { key: tenant.secret_key })).body.member_count).toBe(1);
  });

  it('has no limit for a tier without capacity', async () => {
    const tenant = await t.createTenant();
    const tier = await createTier(tenant);
    for (let i = 0; i < 3; i++) await addMember(tenant.id, tier.id);
    expect(await lockError(tenant.id, tier.id)).toBeNull();
  });

  it('refuses an archived tier with 409 TIER_ARCHIVED', async () => {
    const tenant = await t.createTenant();
    const tier = await createTier(tenant);
    await t.request('PATCH', `/v1/tiers/${tier.id}`, { key: tenant.secret_key, body: { archived: true } });
    expect(await lockError(tenant.id, tier.id)).toMatchObject({ status: 409, code: 'TIER_ARCHIVED' });
  });

  it("answers 404 TIER_NOT_FOUND for an unknown tier or another tenant's", async () => {
    const tenant = await t.createTenant();
    const other = await t.createTenant();
    const theirs = await createTier(other);
    expect(await lockError(tenant.id, theirs.id)).toMatchObject({ status: 404, code: 'TIER_NOT_FOUND' });
    expect(await lockError(tenant.id, 'tier_01m8e4azsy6k9135cxwt01wqka')).toMatchObject({
      status: 404,
      code: 'TIER_NOT_FOUND',
    });
  });
});

describe('tier description translations', () => {
  it('stores them on create, replaces them on PATCH and offers them in the public config', async () => {
    const tenant = await t.createTenant();
    const created = await t.request('POST', '/v1/tiers', {
      key: tenant.secret_key,
      body: {
        name: 'Friend',
        interval: 'free',
        description: 'For everyone.',
        description_translations: { de: 'Für alle.', 'de-AT': 'Für alle in Österreich.' },
      },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.description_translations).toEqual({ de: 'Für alle.', 'de-AT': 'Für alle in Österreich.' });

    const patched = await t.request('PATCH', `/v1/tiers/${created.body.id}`, {
      key: tenant.secret_key,
      body: { description_translations: { fr: 'Pour tous.' } },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.description_translations).toEqual({ fr: 'Pour tous.' });
    expect(patched.body.description).toBe('For everyone.');

    const config = await t.request('GET', '/v1/public/config', { key: tenant.publishable_key });
    expect(config.status, config.text).toBe(200);
    expect(config.body.tiers).toMatchObject([
      { id: created.body.id, description: 'For everyone.', description_translations: { fr: 'Pour tous.' } },
    ]);
  });

  it('starts empty, and refuses a translation under a tag that is not a locale or an empty text with 422', async () => {
    const tenant = await t.createTenant();
    const plain = await createTier(tenant);
    expect(
      (await t.request('GET', `/v1/tiers/${plain.id}`, { key: tenant.secret_key })).body.description_translations,
    ).toEqual({});
    for (const [translations, field] of [
      [{ german: 'Für alle.' }, 'description_translations.german'],
      [{ de: '' }, 'description_translations.de'],
    ] as const) {
      const res = await t.request('PATCH', `/v1/tiers/${plain.id}`, {
        key: tenant.secret_key,
        body: { description_translations: translations },
      });
      const problem = expectProblem(res, 422, 'VALIDATION_FAILED');
      expect(
        problem.errors?.map((e) => e.field),
        JSON.stringify(problem.errors),
      ).toContain(field);
    }
  });
});
