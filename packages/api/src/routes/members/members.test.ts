import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRows } from '../../db/database.js';
import { auditLog, memberEvents, members } from '../../db/schema/index.js';
import { createTestContext, expectProblem, type TestContext, type TestResponse } from '../../testing/index.js';
import { defineFields, insertMembers, insertTier } from '../../../test/support/seed.js';

type Tenant = Awaited<ReturnType<TestContext['createTenant']>>;
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const create = (tenant: Tenant, body: Record<string, unknown>) =>
  t.request('POST', '/v1/members', { key: tenant.secret_key, body });
const ada = { email: 'Ada@Example.org', first_name: 'Ada', last_name: 'Lovelace' };

describe('POST /v1/members', () => {
  it('creates a member with defaults, an event and an audit entry', async () => {
    const tenant = await t.createTenant();
    const res = await create(tenant, { ...ada, tags: ['board', 'board', ' mentor '] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      object: 'member',
      email: 'Ada@Example.org',
      first_name: 'Ada',
      status: 'pending',
      tier_id: null,
      tags: ['board', 'mentor'],
      custom_fields: {},
      deleted_at: null,
    });
    expect(res.body.id).toMatch(/^mem_[0-9a-z]{26}$/);
    const events = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(memberEvents).where(eq(memberEvents.memberId, res.body.id)),
    );
    expect(events.map((e) => e.type)).toEqual(['created']);
    const audit = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.targetId, res.body.id)),
    );
    expect(audit.map((a) => a.action)).toEqual(['member.created']);
  });

  it('refuses a second member with the same email in any letter case, but allows it in another tenant', async () => {
    const tenant = await t.createTenant();
    expect((await create(tenant, ada)).status).toBe(201);
    expectProblem(await create(tenant, { ...ada, email: 'ADA@example.ORG' }), 409, 'MEMBER_EMAIL_TAKEN');
    const other = await t.createTenant();
    expect((await create(other, ada)).status).toBe(201);
  });

  it.each([
    [{ ...ada, email: 'not-an-email' }, 'email'],
    [{ email: 'x@example.org', first_name: 'X' }, 'last_name'],
    [{ ...ada, status: 'deleted' }, 'status'],
    [{ ...ada, tags: ['ok', '<script>'] }, 'tags.1'],
    [{ ...ada, id: 'mem_mine' }, 'id'],
    [{ ...ada, first_name: 7 }, 'first_name'],
  ])('rejects %j with 422 naming %s and writes nothing', async (body, field) => {
    const tenant = await t.createTenant();
    const problem = expectProblem(await create(tenant, body), 422, 'VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.field)).toContain(field);
    expect(
      (await t.request('GET', '/v1/members?include_total=true', { key: tenant.secret_key })).body.total_count,
    ).toBe(0);
  });

  it("validates custom fields against the tenant's definitions", async () => {
    const tenant = await t.createTenant();
    await defineFields(t, tenant.id, [
      { key: 'company', type: 'text', required: true },
      { key: 'employees', type: 'number' },
      { key: 'newsletter', type: 'boolean' },
      { key: 'joined', type: 'date' },
      {
        key: 'level',
        type: 'select',
        options: [
          { value: 'gold', label: { en: 'Gold' } },
          { value: 'silver', label: { en: 'Silver' } },
        ],
      },
      {
        key: 'topics',
        type: 'multi_select',
        options: [
          { value: 'ai', label: { en: 'AI' } },
          { value: 'web', label: { en: 'Web' } },
        ],
      },
    ]);
    const ok = await create(tenant, {
      ...ada,
      custom_fields: {
        company: 'Acme',
        employees: 12,
        newsletter: true,
        joined: '2024-02-29',
        level: 'gold',
        topics: ['ai', 'web'],
      },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.custom_fields).toEqual({
      company: 'Acme',
      employees: 12,
      newsletter: true,
      joined: '2024-02-29',
      level: 'gold',
      topics: ['ai', 'web'],
    });

    const bad = await create(tenant, {
      email: 'b@example.org',
      first_name: 'B',
      last_name: 'C',
      custom_fields: {
        employees: 'many',
        newsletter: 'yes',
        joined: '2023-02-30',
        level: 'bronze',
        topics: ['ai', 'ai'],
        shoe_size: 44,
      },
    });
    const problem = expectProblem(bad, 422, 'VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(
      ['company', 'employees', 'joined', 'level', 'newsletter', 'shoe_size', 'topics'].map((k) => `custom_fields.${k}`),
    );
  });

  it('needs member:create: viewers get 403 naming it', async () => {
    const tenant = await t.createTenant();
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    const problem = expectProblem(
      await t.request('POST', '/v1/members', { key: viewer.key, body: ada }),
      403,
      'PERMISSION_DENIED',
    );
    expect(problem.detail).toContain('member:create');
    const manager = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'manager' });
    expect((await t.request('POST', '/v1/members', { key: manager.key, body: ada })).status).toBe(201);
  });

  it('respects tier capacity and refuses archived tiers', async () => {
    const tenant = await t.createTenant();
    const small = await insertTier(t, tenant.id, { capacity: 1 });
    const archived = await insertTier(t, tenant.id, { archived: true });
    expect((await create(tenant, { ...ada, tier_id: small })).status).toBe(201);
    expectProblem(await create(tenant, { ...ada, email: 'two@example.org', tier_id: small }), 409, 'TIER_FULL');
    expectProblem(
      await create(tenant, { ...ada, email: 'three@example.org', tier_id: archived }),
      409,
      'TIER_ARCHIVED',
    );
    const other = await t.createTenant();
    const foreignTier = await insertTier(t, other.id);
    expectProblem(
      await create(tenant, { ...ada, email: 'four@example.org', tier_id: foreignTier }),
      404,
      'TIER_NOT_FOUND',
    );
  });
});

describe('GET, PATCH, DELETE /v1/members/{id} and restore', () => {
  it('walks a member through its lifecycle and records each status and tier change', async () => {
    const tenant = await t.createTenant();
    const tier = await insertTier(t, tenant.id);
    const { body: m } = await create(tenant, ada);
    const key = tenant.secret_key;
    expect((await t.request('GET', `/v1/members/${m.id}`, { key })).body).toEqual(m);

    const activated = await t.request('PATCH', `/v1/members/${m.id}`, {
      key,
      body: { status: 'active', tier_id: tier, first_name: 'Augusta Ada' },
    });
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({
      status: 'active',
      tier_id: tier,
      first_name: 'Augusta Ada',
      last_name: 'Lovelace',
    });

    const back = expectProblem(
      await t.request('PATCH', `/v1/members/${m.id}`, { key, body: { status: 'pending' } }),
      409,
      'MEMBER_INVALID_TRANSITION',
    );
    expect(back.detail).toMatch(/^An active member cannot become pending;/);
    expect((await t.request('PATCH', `/v1/members/${m.id}`, { key, body: { status: 'suspended' } })).body.status).toBe(
      'suspended',
    );

    const events = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(memberEvents).where(eq(memberEvents.memberId, m.id)),
    );
    // Events of one transaction share a timestamp; compare as a set.
    expect(events.map((e) => [e.type, e.fromValue, e.toValue]).sort()).toEqual(
      [
        ['created', null, 'pending'],
        ['status_changed', 'pending', 'active'],
        ['tier_changed', null, tier],
        ['status_changed', 'active', 'suspended'],
      ].sort(),
    );

    const deleted = await t.request('DELETE', `/v1/members/${m.id}`, { key });
    expect(deleted.body.deleted_at).not.toBeNull();
    const list = await t.request('GET', '/v1/members', { key });
    expect(list.body.data.map((x: { id: string }) => x.id)).not.toContain(m.id);
    expect((await t.request('GET', `/v1/members/${m.id}`, { key })).body.deleted_at).not.toBeNull();
    expectProblem(
      await t.request('PATCH', `/v1/members/${m.id}`, { key, body: { first_name: 'X' } }),
      404,
      'MEMBER_NOT_FOUND',
    );

    const restored = await t.request('POST', `/v1/members/${m.id}/restore`, { key });
    expect(restored.status).toBe(200);
    expect(restored.body.deleted_at).toBeNull();
    expectProblem(await t.request('POST', `/v1/members/${m.id}/restore`, { key }), 409, 'MEMBER_NOT_DELETED');
    const actions = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.targetId, m.id)).orderBy(auditLog.seq),
    );
    expect(actions.map((a) => a.action)).toEqual([
      'member.created',
      'member.updated',
      'member.updated',
      'member.deleted',
      'member.restored',
    ]);
    expect(actions[1]!.diff).toMatchObject({
      status: { from: 'pending', to: 'active' },
      first_name: { from: 'Ada', to: 'Augusta Ada' },
    });
  });

  it('refuses restoring after 30 days and when the email was taken again', async () => {
    const tenant = await t.createTenant();
    const key = tenant.secret_key;
    const { body: a } = await create(tenant, ada);
    await t.request('DELETE', `/v1/members/${a.id}`, { key });
    expect((await create(tenant, ada)).status).toBe(201);
    expectProblem(await t.request('POST', `/v1/members/${a.id}/restore`, { key }), 409, 'MEMBER_EMAIL_TAKEN');

    const { body: b } = await create(tenant, { ...ada, email: 'old@example.org' });
    await t.request('DELETE', `/v1/members/${b.id}`, { key });
    await t.db.withTenant(tenant.id, (tx) =>
      tx
        .update(members)
        .set({ deletedAt: new Date(Date.now() - 31 * 24 * 3600 * 1000) })
        .where(and(eq(members.tenantId, tenant.id), eq(members.id, b.id))),
    );
    expectProblem(await t.request('POST', `/v1/members/${b.id}/restore`, { key }), 410, 'MEMBER_RESTORE_EXPIRED');
  });

  it('merges custom fields on update, removes with null, refuses removing a required one', async () => {
    const tenant = await t.createTenant();
    await defineFields(t, tenant.id, [{ key: 'company', required: true }, { key: 'city' }]);
    const { body: m } = await create(tenant, { ...ada, custom_fields: { company: 'Acme', city: 'London' } });
    const key = tenant.secret_key;
    const res = await t.request('PATCH', `/v1/members/${m.id}`, { key, body: { custom_fields: { city: null } } });
    expect(res.body.custom_fields).toEqual({ company: 'Acme' });
    const problem = expectProblem(
      await t.request('PATCH', `/v1/members/${m.id}`, { key, body: { custom_fields: { company: null } } }),
      422,
    );
    expect(problem.errors?.[0]?.field).toBe('custom_fields.company');
  });

  it("answers 404 for malformed ids, unknown ids and other tenants' members, changing nothing", async () => {
    const tenant = await t.createTenant();
    const other = await t.createTenant();
    const { body: foreign } = await create(other, ada);
    for (const id of ['nope', 'mem_00000000000000000000000000', foreign.id]) {
      expectProblem(await t.request('GET', `/v1/members/${id}`, { key: tenant.secret_key }), 404, 'MEMBER_NOT_FOUND');
      expectProblem(
        await t.request('PATCH', `/v1/members/${id}`, { key: tenant.secret_key, body: { first_name: 'Hacked' } }),
        404,
      );
      expectProblem(await t.request('DELETE', `/v1/members/${id}`, { key: tenant.secret_key }), 404);
      expectProblem(await t.request('POST', `/v1/members/${id}/restore`, { key: tenant.secret_key }), 404);
    }
    expect((await t.request('GET', `/v1/members/${foreign.id}`, { key: other.secret_key })).body).toEqual(foreign);
  });
});

describe('GET /v1/members', () => {
  let tenant: Tenant;
  let tierA: string;
  beforeAll(async () => {
    tenant = await t.createTenant();
    tierA = await insertTier(t, tenant.id, { name: 'A' });
    await defineFields(t, tenant.id, [{ key: 'company' }, { key: 'vip', type: 'boolean' }]);
    await insertMembers(t, tenant.id, 240, (i) => ({
      status: (['active', 'active', 'pending', 'inactive'] as const)[i % 4],
      tierId: i % 3 === 0 ? tierA : null,
      tags: i % 5 === 0 ? ['volunteer'] : [],
      customFields: { company: i % 2 ? 'Acme' : 'Globex', vip: i % 10 === 0 },
      lastActiveAt: i % 7 === 0 ? null : new Date(Date.now() - i * 60_000),
      ...(i === 17 ? { firstName: 'Zoë', lastName: 'Müller-Lüdenscheidt', email: 'zoe.mueller@example.org' } : {}),
    }));
  });
  const list = (query: string): Promise<TestResponse> =>
    t.request('GET', `/v1/members?${query}`, { key: tenant.secret_key });

  async function pageAll(query: string) {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 100; n++) {
      const res = await list(`${query}&limit=37${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      ids.push(...res.body.data.map((m: { id: string }) => m.id));
      cursor = res.body.next_cursor;
      if (!cursor) break;
    }
    return ids;
  }

  it.each(['created_at', 'last_name', 'email', 'last_active_at'])(
    'pages through all members sorted by %s both ways, without gaps or repeats',
    async (sort) => {
      for (const order of ['asc', 'desc']) {
        const ids = await pageAll(`sort=${sort}&order=${order}`);
        expect(ids).toHaveLength(240);
        expect(new Set(ids).size).toBe(240);
      }
    },
  );

  it('sorts by last name', async () => {
    const res = await list('sort=last_name&order=asc&limit=3');
    expect(res.body.data.map((m: { last_name: string }) => m.last_name)).toEqual([
      'Last000000',
      'Last000001',
      'Last000002',
    ]);
  });

  it('searches names and email partially and case-insensitively', async () => {
    expect((await list('search=MÜLLER')).body.data.map((m: { first_name: string }) => m.first_name)).toEqual(['Zoë']);
    expect((await list('search=zoe.mue')).body.data).toHaveLength(1);
    expect((await list('search=l%C3%BCdens%20zo')).body.data).toHaveLength(1);
    // first1, first10–19 and first100–199, less first17 who was renamed Zoë.
    expect((await list('search=first1&include_total=true')).body.total_count).toBe(110);
    expect((await list('search=%25')).body.data).toHaveLength(0);
  });

  it('matches words of one or two characters at the start of a word only (the trigram index cannot serve them anywhere)', async () => {
    const total = async (q: string) =>
      (await list(`search=${q}&include_total=true&limit=1`)).body.total_count as number;
    expect(await total('zo')).toBe(1); // Zoë, zoe.mueller
    expect(await total('l%C3%BC')).toBe(1); // after the hyphen in Müller-Lüdenscheidt
    expect(await total('ex')).toBe(240); // @example.org
    expect(await total('me')).toBe(239); // member…@, not Zoë (zoe.mueller)
    expect(await total('ue')).toBe(0); // inside mueller, at no word start
    expect(await total('st')).toBe(0); // inside first and last
    expect(await total('zo%20l%C3%BC')).toBe(1); // every word must match
    expect(await total('_')).toBe(0);
  });

  it('filters by status, tier, tag, creation time and custom field, with totals', async () => {
    const total = async (q: string) => (await list(`${q}&include_total=true&limit=1`)).body.total_count as number;
    expect(await total('status=active')).toBe(120);
    expect(await total('status=pending,inactive')).toBe(120);
    expect(await total(`tier_id=${tierA}`)).toBe(80);
    expect(await total('tag=volunteer')).toBe(48);
    expect(await total('custom_field=company:Acme')).toBe(120);
    expect(await total('custom_field=company:Acme&custom_field=vip:true')).toBe(0);
    expect(await total('custom_field=vip:true')).toBe(24);
    const middle = (await list('sort=created_at&order=asc&limit=100')).body.data[99].created_at;
    expect(await total(`created_before=${encodeURIComponent(middle)}`)).toBe(99);
    expect(await total(`created_after=${encodeURIComponent(middle)}`)).toBe(141);
    expectProblem(await list('custom_field=nope:1'), 422);
    expectProblem(await list('custom_field=vip:maybe'), 422);
    expectProblem(await list('status=gone'), 422);
  });

  it('refuses a cursor used with another query or another tenant', async () => {
    const first = await list('status=active&limit=5');
    const cursor = encodeURIComponent(first.body.next_cursor);
    expect((await list(`status=active&limit=5&cursor=${cursor}`)).status).toBe(200);
    expectProblem(await list(`status=pending&limit=5&cursor=${cursor}`), 400, 'INVALID_CURSOR');
    expectProblem(await list(`status=active&sort=email&limit=5&cursor=${cursor}`), 400, 'INVALID_CURSOR');
    const other = await t.createTenant();
    expectProblem(
      await t.request('GET', `/v1/members?status=active&cursor=${cursor}`, { key: other.secret_key }),
      400,
      'INVALID_CURSOR',
    );
    expectProblem(await list('cursor=garbage'), 400, 'INVALID_CURSOR');
  });

  it('keeps pages stable while members are added between them', async () => {
    const local = await t.createTenant();
    await insertMembers(t, local.id, 60);
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const res: TestResponse = await t.request(
        'GET',
        `/v1/members?limit=10&sort=created_at&order=asc${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        {
          key: local.secret_key,
        },
      );
      seen.push(...res.body.data.map((m: { id: string }) => m.id));
      cursor = res.body.next_cursor;
      await t.request('POST', '/v1/members', {
        key: local.secret_key,
        body: { email: `new${round++}@example.org`, first_name: 'N', last_name: 'N' },
      });
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(60);
  });

  it('lets row-level security use indexes for search, tag and custom field filters', async () => {
    // Under RLS only LEAKPROOF operators become index conditions; migration 0006 marks these.
    const rows = await t.db.withTenant(tenant.id, (tx) =>
      executeRows<{ proname: string; proleakproof: boolean }>(
        tx.execute(
          sql`select proname, proleakproof from pg_proc where proname in ('textlike', 'jsonb_contains', 'arraycontains') order by proname`,
        ),
      ),
    );
    expect(rows).toEqual([
      { proname: 'arraycontains', proleakproof: true },
      { proname: 'jsonb_contains', proleakproof: true },
      { proname: 'textlike', proleakproof: true },
    ]);
  });

  it.each(['limit=0', 'limit=101', 'sort=age', 'order=up', 'include_total=yes', 'created_after=yesterday'])(
    'rejects %s with 422',
    async (q) => {
      expectProblem(await list(q), 422, 'VALIDATION_FAILED');
    },
  );
});
