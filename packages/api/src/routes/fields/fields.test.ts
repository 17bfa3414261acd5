import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, members } from '../../db/schema/index.js';
import { createTestContext, expectProblem, type TestContext } from '../../testing/index.js';

type Tenant = Awaited<ReturnType<TestContext['createTenant']>>;
type Field = Record<string, unknown>;

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const COMPANY: Field = {
  key: 'company',
  label: { en: 'Company', de: 'Firma' },
  type: 'text',
  visibility: 'members',
  member_editable: true,
};
const SIZE: Field = {
  key: 'company_size',
  label: { en: 'Company size' },
  type: 'select',
  options: [
    { value: 'small', label: { en: 'Small' } },
    { value: 'large', label: { en: 'Large' } },
  ],
  required: true,
};
const TOPICS: Field = {
  key: 'topics',
  label: { en: 'Topics' },
  type: 'multi_select',
  options: ['chess', 'go', 'bridge'].map((value) => ({ value, label: { en: value } })),
};
const SINCE: Field = { key: 'member_since', label: { en: 'Member since' }, type: 'date', visibility: 'public' };

async function put(tenant: Tenant, fields: Field[], key = tenant.secret_key) {
  return t.request('PUT', '/v1/tenant/fields', { key, body: { fields } });
}

async function fieldsOf(tenant: Tenant) {
  return (await t.request('GET', '/v1/tenant/fields', { key: tenant.secret_key })).body.data as Record<
    string,
    unknown
  >[];
}

function auditEntries(tenantId: string) {
  return t.db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.action, 'custom_fields.updated')))
      .orderBy(asc(auditLog.seq)),
  );
}

/** Members are written directly: the members API is not this suite's subject. */
async function addMember(tenantId: string, customFields: Record<string, unknown>, options: { deleted?: boolean } = {}) {
  const id = t.deps.ids.generate('mem');
  await t.db.withTenant(tenantId, (tx) =>
    tx.insert(members).values({
      tenantId,
      id,
      email: `${id}@example.org`,
      firstName: 'Ada',
      lastName: 'Lovelace',
      customFields,
      deletedAt: options.deleted ? new Date() : null,
    }),
  );
  return id;
}

async function valuesOf(tenantId: string, memberId: string) {
  const [row] = await t.db.withTenant(tenantId, (tx) => tx.select().from(members).where(eq(members.id, memberId)));
  return row!.customFields;
}

describe('GET /v1/tenant/fields', () => {
  it('answers an empty list for a new tenant', async () => {
    const tenant = await t.createTenant();
    const res = await t.request('GET', '/v1/tenant/fields', { key: tenant.secret_key });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ object: 'list', data: [] });
  });

  it('lets viewers and managers read', async () => {
    const tenant = await t.createTenant();
    await put(tenant, [COMPANY]);
    for (const role of ['viewer', 'manager']) {
      const key = await t.createKey(tenant.secret_key, { kind: 'secret', role });
      const res = await t.request('GET', '/v1/tenant/fields', { key: key.key });
      expect(res.status, role).toBe(200);
      expect(res.body.data.map((f: { key: string }) => f.key)).toEqual(['company']);
    }
  });
});

describe('PUT /v1/tenant/fields', () => {
  it('sets the whole set, with defaults and sort_order from the position', async () => {
    const tenant = await t.createTenant();
    const res = await put(tenant, [COMPANY, SIZE, { key: 'newsletter', label: { en: 'Newsletter' }, type: 'boolean' }]);
    expect(res.status).toBe(200);
    expect(res.body.object).toBe('list');
    expect(res.body.data).toMatchObject([
      {
        object: 'custom_field',
        key: 'company',
        label: { en: 'Company', de: 'Firma' },
        type: 'text',
        options: [],
        required: false,
        visibility: 'members',
        member_editable: true,
        sort_order: 0,
      },
      {
        key: 'company_size',
        type: 'select',
        options: SIZE.options,
        required: true,
        visibility: 'staff',
        member_editable: false,
        sort_order: 1,
      },
      {
        key: 'newsletter',
        type: 'boolean',
        options: [],
        required: false,
        visibility: 'staff',
        member_editable: false,
        sort_order: 2,
      },
    ]);
    expect(res.body.data[0].created_at).toBeTruthy();
    expect(await fieldsOf(tenant)).toEqual(res.body.data);
  });

  it('replaces the set: adds, removes, changes and reorders, keeping unchanged fields as they were', async () => {
    const tenant = await t.createTenant();
    const first = (await put(tenant, [COMPANY, SIZE, SINCE])).body.data as {
      key: string;
      updated_at: string;
      created_at: string;
    }[];
    await new Promise((resolve) => setTimeout(resolve, 5));
    const res = await put(tenant, [SINCE, { ...COMPANY, label: { en: 'Employer' } }, TOPICS]);
    expect(res.status).toBe(200);
    expect(res.body.data.map((f: { key: string; sort_order: number }) => [f.key, f.sort_order])).toEqual([
      ['member_since', 0],
      ['company', 1],
      ['topics', 2],
    ]);
    const company = res.body.data[1];
    expect(company.label).toEqual({ en: 'Employer' });
    expect(company.created_at).toBe(first[0]!.created_at);
    expect(company.updated_at).not.toBe(first[0]!.updated_at);

    const entries = await auditEntries(tenant.id);
    expect(entries).toHaveLength(2);
    expect(entries[1]!.diff).toEqual({
      added: ['topics'],
      removed: ['company_size'],
      changed: [
        { field: 'company', changes: { label: { from: { en: 'Company', de: 'Firma' }, to: { en: 'Employer' } } } },
      ],
      reordered: { from: ['company', 'member_since'], to: ['member_since', 'company'] },
      member_values_updated: 0,
    });
    expect(entries[0]!.diff).toMatchObject({
      added: ['company', 'company_size', 'member_since'],
      removed: [],
      changed: [],
    });
    expect(entries[1]).toMatchObject({
      targetType: 'tenant',
      targetId: tenant.id,
      actorType: 'api_key',
      requestId: res.headers.get('x-request-id'),
    });
  });

  it('writes nothing when the set does not change', async () => {
    const tenant = await t.createTenant();
    const first = await put(tenant, [COMPANY, SIZE]);
    const again = await put(tenant, [COMPANY, SIZE]);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await auditEntries(tenant.id)).toHaveLength(1);
  });

  it('accepts what GET answers, unchanged: the same definitions come back and nothing is written', async () => {
    const tenant = await t.createTenant();
    await put(tenant, [COMPANY, SIZE, TOPICS, SINCE]);
    const listed = await t.request('GET', '/v1/tenant/fields', { key: tenant.secret_key });
    const written = await t.request('PUT', '/v1/tenant/fields', { key: tenant.secret_key, body: listed.body });
    expect(written.status, written.text).toBe(200);
    expect(written.body).toEqual(listed.body);
    expect(await fieldsOf(tenant)).toEqual(listed.body.data);
    expect(await auditEntries(tenant.id)).toHaveLength(1);
  });

  it('takes an edited GET body: read-only properties are ignored, the list order is the sort order', async () => {
    const tenant = await t.createTenant();
    await put(tenant, [COMPANY, SIZE]);
    const listed = (await t.request('GET', '/v1/tenant/fields', { key: tenant.secret_key })).body;
    const [company, size] = listed.data;
    const res = await t.request('PUT', '/v1/tenant/fields', {
      key: tenant.secret_key,
      body: { ...listed, data: [size, { ...company, label: { en: 'Employer' }, sort_order: 7 }] },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.data.map((f: Field) => [f.key, f.sort_order, f.label])).toEqual([
      ['company_size', 0, { en: 'Company size' }],
      ['company', 1, { en: 'Employer' }],
    ]);
  });

  it('answers 422 to a body with both fields and data, or neither', async () => {
    const tenant = await t.createTenant();
    expectProblem(
      await t.request('PUT', '/v1/tenant/fields', { key: tenant.secret_key, body: { fields: [], data: [] } }),
      422,
      'VALIDATION_FAILED',
    );
    const neither = expectProblem(
      await t.request('PUT', '/v1/tenant/fields', { key: tenant.secret_key, body: { object: 'list' } }),
      422,
      'VALIDATION_FAILED',
    );
    expect(neither.errors?.[0]?.field).toBe('fields');
  });

  it('clears the set with an empty list', async () => {
    const tenant = await t.createTenant();
    await put(tenant, [COMPANY, SIZE]);
    const res = await put(tenant, []);
    expect(res.body).toEqual({ object: 'list', data: [] });
    expect((await auditEntries(tenant.id)).at(-1)!.diff).toMatchObject({ removed: ['company', 'company_size'] });
  });

  it("removes a removed key's values from every member of the tenant, deleted ones included, and no one else's", async () => {
    const tenant = await t.createTenant();
    const other = await t.createTenant();
    await put(tenant, [COMPANY, SINCE]);
    await put(other, [COMPANY]);
    const ada = await addMember(tenant.id, { company: 'ACME', member_since: '2020-01-01' });
    const gone = await addMember(tenant.id, { company: 'Initech' }, { deleted: true });
    const untouched = await addMember(tenant.id, { member_since: '2021-02-03' });
    const theirs = await addMember(other.id, { company: 'Globex' });

    const res = await put(tenant, [SINCE]);
    expect(res.status).toBe(200);
    expect(await valuesOf(tenant.id, ada)).toEqual({ member_since: '2020-01-01' });
    expect(await valuesOf(tenant.id, gone)).toEqual({});
    expect(await valuesOf(tenant.id, untouched)).toEqual({ member_since: '2021-02-03' });
    expect(await valuesOf(other.id, theirs)).toEqual({ company: 'Globex' });
    expect((await auditEntries(tenant.id)).at(-1)!.diff).toMatchObject({
      removed: ['company'],
      member_values_updated: 2,
    });
  });

  it('removes the values of a retyped field and of removed select and multi_select options', async () => {
    const tenant = await t.createTenant();
    await put(tenant, [COMPANY, SIZE, TOPICS]);
    const a = await addMember(tenant.id, { company: 'ACME', company_size: 'small', topics: ['chess', 'go', 'bridge'] });
    const b = await addMember(tenant.id, { company_size: 'large', topics: ['go'] });

    const res = await put(tenant, [
      { ...COMPANY, type: 'number' },
      {
        ...SIZE,
        options: [
          { value: 'large', label: { en: 'Large' } },
          { value: 'huge', label: { en: 'Huge' } },
        ],
      },
      {
        ...TOPICS,
        options: [
          { value: 'chess', label: { en: 'Chess' } },
          { value: 'bridge', label: { en: 'Bridge' } },
        ],
      },
    ]);
    expect(res.status).toBe(200);
    expect(await valuesOf(tenant.id, a)).toEqual({ topics: ['chess', 'bridge'] });
    expect(await valuesOf(tenant.id, b)).toEqual({ company_size: 'large', topics: [] });
  });

  it("only relabelling options or adding new ones keeps members' values", async () => {
    const tenant = await t.createTenant();
    await put(tenant, [SIZE]);
    const a = await addMember(tenant.id, { company_size: 'small' });
    await put(tenant, [
      {
        ...SIZE,
        options: [
          { value: 'small', label: { en: 'Tiny' } },
          { value: 'large', label: { en: 'Large' } },
          { value: 'xl', label: { en: 'XL' } },
        ],
      },
    ]);
    expect(await valuesOf(tenant.id, a)).toEqual({ company_size: 'small' });
  });

  const select = (options: unknown): Field => ({ key: 'pick', label: { en: 'Pick' }, type: 'select', options });
  it.each([
    [[{ ...COMPANY, key: 'Company' }], 'fields.0.key'],
    [[{ ...COMPANY, key: '1st' }], 'fields.0.key'],
    [[{ ...COMPANY, key: 'a'.repeat(41) }], 'fields.0.key'],
    [[COMPANY, { ...SINCE, key: 'company' }], 'fields.1.key'],
    [[{ ...COMPANY, label: {} }], 'fields.0.label'],
    [[{ ...COMPANY, label: { english: 'Company' } }], 'fields.0.label.english'],
    [[{ ...COMPANY, label: { en: '' } }], 'fields.0.label.en'],
    [[{ ...COMPANY, label: 'Company' }], 'fields.0.label'],
    [[{ ...COMPANY, type: 'color' }], 'fields.0.type'],
    [[COMPANY, SINCE, { key: 'pick', label: { en: 'Pick' }, type: 'select' }], 'fields.2.options'],
    [[select([])], 'fields.0.options'],
    [[{ ...TOPICS, options: [] }], 'fields.0.options'],
    [[{ ...COMPANY, options: [{ value: 'x', label: { en: 'X' } }] }], 'fields.0.options'],
    [
      [
        select([
          { value: 'a', label: { en: 'A' } },
          { value: 'a', label: { en: 'A again' } },
        ]),
      ],
      'fields.0.options.1.value',
    ],
    [[select([{ value: '', label: { en: 'Empty' } }])], 'fields.0.options.0.value'],
    [[select([{ value: 'x'.repeat(101), label: { en: 'Long' } }])], 'fields.0.options.0.value'],
    [[select([{ value: 'a', label: {} }])], 'fields.0.options.0.label'],
    [[select([{ value: 'a', label: { en: 'A' }, color: 'red' }])], 'fields.0.options.0.color'],
    [[{ ...COMPANY, visibility: 'everyone' }], 'fields.0.visibility'],
    [[{ ...COMPANY, visibility: 'staff' }], 'fields.0.member_editable'],
    [[{ key: 'x', label: { en: 'X' }, type: 'text', member_editable: true }], 'fields.0.member_editable'],
    [[{ ...COMPANY, required: 'yes' }], 'fields.0.required'],
    [[{ ...COMPANY, sort_order: -1 }], 'fields.0.sort_order'],
    [[{ ...COMPANY, object: 'member' }], 'fields.0.object'],
    [[{ ...COMPANY, id: 'fld_1' }], 'fields.0.id'],
    [Array.from({ length: 101 }, (_, i) => ({ key: `f${i}`, label: { en: `F${i}` }, type: 'text' })), 'fields'],
  ])('rejects fields %j with 422 naming %s and changes nothing', async (fields, path) => {
    const tenant = await t.createTenant();
    await put(tenant, [SINCE]);
    const member = await addMember(tenant.id, { member_since: '2020-01-01' });
    const problem = expectProblem(await put(tenant, fields as Field[]), 422, 'VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.field)).toContain(path);
    expect((await fieldsOf(tenant)).map((f) => f.key)).toEqual(['member_since']);
    expect(await valuesOf(tenant.id, member)).toEqual({ member_since: '2020-01-01' });
    expect(await auditEntries(tenant.id)).toHaveLength(1);
  });

  it.each([
    [{}, 'fields'],
    [{ fields: COMPANY }, 'fields'],
    [{ fields: [], mode: 'merge' }, 'mode'],
  ])('rejects the body %j with 422 naming %s', async (body, path) => {
    const tenant = await t.createTenant();
    const problem = expectProblem(
      await t.request('PUT', '/v1/tenant/fields', { key: tenant.secret_key, body }),
      422,
      'VALIDATION_FAILED',
    );
    expect(problem.errors?.map((e) => e.field)).toContain(path);
  });

  it('accepts exactly 100 fields', async () => {
    const tenant = await t.createTenant();
    const fields = Array.from({ length: 100 }, (_, i) => ({ key: `f${i}`, label: { en: `F${i}` }, type: 'text' }));
    const res = await put(tenant, fields);
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(100);
    expect(res.body.data[99]).toMatchObject({ key: 'f99', sort_order: 99 });
  });

  it('is refused to managers and viewers with 403 naming field:update; admins may', async () => {
    const tenant = await t.createTenant();
    for (const role of ['manager', 'viewer']) {
      const key = await t.createKey(tenant.secret_key, { kind: 'secret', role });
      const problem = expectProblem(await put(tenant, [COMPANY], key.key), 403, 'PERMISSION_DENIED');
      expect(problem.detail).toContain('field:update');
    }
    expect(await fieldsOf(tenant)).toEqual([]);
    const admin = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'admin' });
    expect((await put(tenant, [COMPANY], admin.key)).status).toBe(200);
    expect((await auditEntries(tenant.id))[0]!.actorId).toBe(admin.id);
  });

  it("changes only the calling tenant's set", async () => {
    const tenant = await t.createTenant();
    const other = await t.createTenant();
    await put(other, [COMPANY, SIZE]);
    await put(tenant, [SINCE]);
    await put(tenant, []);
    expect((await fieldsOf(other)).map((f) => f.key)).toEqual(['company', 'company_size']);
    expect(await auditEntries(other.id)).toHaveLength(1);
  });

  it('serializes concurrent replacements: each succeeds and the result is one of the sets', async () => {
    const tenant = await t.createTenant();
    const sets = [[COMPANY], [SIZE, SINCE], [TOPICS], [COMPANY, TOPICS]];
    const results = await Promise.all(sets.map((fields) => put(tenant, fields)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const keys = (await fieldsOf(tenant)).map((f) => f.key);
    expect(sets.map((s) => s.map((f) => f.key)).map((k) => k.join())).toContain(keys.join());
  });
});
