import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { createTestContext, expectProblem, type TestContext } from '../../testing/index.js';
import { defineFields, insertMembers, insertTier } from '../../../test/support/seed.js';

type Tenant = Awaited<ReturnType<TestContext['createTenant']>>;
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const importCsv = (tenant: Tenant, csv: string, query = '') =>
  t.request('POST', `/v1/members/import?${query}`, {
    key: tenant.secret_key,
    rawBody: csv,
    headers: { 'Content-Type': 'text/csv' },
  });
const total = async (tenant: Tenant) =>
  (await t.request('GET', '/v1/members?include_total=true&limit=1', { key: tenant.secret_key })).body
    .total_count as number;

describe('POST /v1/members/import', () => {
  it('imports CSV with a column mapping, typed custom fields and tags', async () => {
    const tenant = await t.createTenant();
    await defineFields(t, tenant.id, [
      { key: 'company' },
      { key: 'employees', type: 'number' },
      { key: 'vip', type: 'boolean' },
    ]);
    const tier = await insertTier(t, tenant.id);
    const csv = [
      'E-Mail,Vorname,Nachname,Firma,Mitarbeiter,VIP,tags,tier_id,Notiz',
      `ada@example.org,Ada,Lovelace,"Analytical Engines, Ltd.",12,yes,board;mentor,${tier},ignored`,
      'grace@example.org,Grace,Hopper,Navy,,no,,,',
    ].join('\r\n');
    const mapping = JSON.stringify({
      'E-Mail': 'email',
      Vorname: 'first_name',
      Nachname: 'last_name',
      Firma: 'custom_fields.company',
      Mitarbeiter: 'custom_fields.employees',
      VIP: 'custom_fields.vip',
      Notiz: '',
    });
    const res = await importCsv(tenant, csv, `mapping=${encodeURIComponent(mapping)}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      object: 'import_result',
      applied: true,
      dry_run: false,
      totals: { rows: 2, created: 2, updated: 0, skipped: 0, failed: 0 },
      errors: [],
    });
    const list = await t.request('GET', '/v1/members?search=ada', { key: tenant.secret_key });
    expect(list.body.data[0]).toMatchObject({
      first_name: 'Ada',
      tier_id: tier,
      tags: ['board', 'mentor'],
      custom_fields: { company: 'Analytical Engines, Ltd.', employees: 12, vip: true },
    });
  });

  it('reports every bad row with its line and writes nothing; a dry run writes nothing either', async () => {
    const tenant = await t.createTenant();
    await defineFields(t, tenant.id, [{ key: 'employees', type: 'number' }]);
    const csv = [
      'email,first_name,last_name,status,custom_fields.employees',
      'ok@example.org,Ok,Row,active,3',
      'not-an-email,Bad,Email,,',
      'dup@example.org,Dup,One,,',
      'dup@example.org,Dup,Two,,',
      'x@example.org,,NoFirst,,',
      'y@example.org,Y,Z,deleted,',
      'z@example.org,Z,Z,,many',
    ].join('\n');
    const res = await importCsv(tenant, csv);
    expect(res.body.applied).toBe(false);
    expect(res.body.totals).toMatchObject({ rows: 7, failed: 5 });
    expect(res.body.errors.map((e: { line: number; field: string }) => [e.line, e.field])).toEqual([
      [3, 'email'],
      [5, 'email'],
      [6, 'first_name'],
      [7, 'status'],
      [8, 'custom_fields.employees'],
    ]);
    expect(await total(tenant)).toBe(0);

    const dry = await importCsv(
      tenant,
      'email,first_name,last_name\na@example.org,A,A\nb@example.org,B,B\n',
      'dry_run=true',
    );
    expect(dry.body).toMatchObject({ dry_run: true, applied: false, totals: { rows: 2, created: 2, failed: 0 } });
    expect(await total(tenant)).toBe(0);
  });

  it('says in a dry run what the good rows would create, update and skip, beside the bad rows, and writes nothing', async () => {
    const tenant = await t.createTenant();
    await insertMembers(t, tenant.id, 1);
    const existing = (await t.request('GET', '/v1/members?limit=1', { key: tenant.secret_key })).body.data[0];
    const csv = [
      'email,first_name,last_name',
      'new1@example.org,New,One',
      'not-an-email,Bad,Row',
      `${existing.email},Renamed,Member`,
      'new2@example.org,New,Two',
    ].join('\n');

    const skip = await importCsv(tenant, csv, 'dry_run=true');
    expect(skip.status).toBe(200);
    expect(skip.body).toMatchObject({
      dry_run: true,
      applied: false,
      totals: { rows: 4, created: 2, updated: 0, skipped: 1, failed: 1 },
      errors: [{ line: 3, field: 'email' }],
    });

    const update = await importCsv(tenant, csv, 'dry_run=true&on_duplicate=update');
    expect(update.body.totals).toEqual({ rows: 4, created: 2, updated: 1, skipped: 0, failed: 1 });

    expect(await total(tenant)).toBe(1);
    const after = await t.request('GET', `/v1/members/${existing.id}`, { key: tenant.secret_key });
    expect(after.body.first_name).toBe(existing.first_name);
  });

  it('skips or updates members whose email exists, as asked', async () => {
    const tenant = await t.createTenant();
    await insertMembers(t, tenant.id, 2);
    const csv =
      'email,first_name,last_name,status\nMEMBER0@example.org,Renamed,Person,inactive\nfresh@example.org,Fresh,Person,active\n';
    const skipped = await importCsv(tenant, csv);
    expect(skipped.body.totals).toMatchObject({ created: 1, skipped: 1, updated: 0 });
    const updated = await importCsv(tenant, csv, 'on_duplicate=update');
    expect(updated.body.totals).toMatchObject({ created: 0, updated: 2, skipped: 0 });
    const renamed = await t.request('GET', '/v1/members?search=member0%40', { key: tenant.secret_key });
    expect(renamed.body.data[0]).toMatchObject({ first_name: 'Renamed', status: 'inactive' });
    const back = await importCsv(
      tenant,
      'email,first_name,last_name,status\nmember0@example.org,R,P,pending\n',
      'on_duplicate=update',
    );
    expect(back.body.errors[0]).toMatchObject({ line: 2, field: 'status' });
  });

  it('imports NDJSON and reports lines that are not objects', async () => {
    const tenant = await t.createTenant();
    const body =
      '{"email":"a@example.org","first_name":"A","last_name":"A","tags":["x"]}\n\n{"email":"b@example.org","first_name":"B","last_name":"B"}\n';
    const res = await t.request('POST', '/v1/members/import', {
      key: tenant.secret_key,
      rawBody: body,
      headers: { 'Content-Type': 'application/x-ndjson' },
    });
    expect(res.body.totals).toMatchObject({ rows: 2, created: 2 });
    const bad = await t.request('POST', '/v1/members/import', {
      key: tenant.secret_key,
      rawBody: '{"email":\n[1]\n',
      headers: { 'Content-Type': 'application/x-ndjson' },
    });
    expect(bad.body.errors.map((e: { line: number }) => e.line)).toEqual([1, 2]);
  });

  it('refuses unknown columns, missing required columns, other media types and viewer keys', async () => {
    const tenant = await t.createTenant();
    const unknown = expectProblem(await importCsv(tenant, 'email,first_name,last_name,shoe\n'), 422);
    expect(unknown.errors?.map((e) => e.field)).toContain('columns.shoe');
    expect(expectProblem(await importCsv(tenant, 'email,first_name\n'), 422).errors?.map((e) => e.field)).toContain(
      'columns.last_name',
    );
    expectProblem(
      await t.request('POST', '/v1/members/import', { key: tenant.secret_key, body: [{ email: 'a@b.c' }] }),
      415,
    );
    expectProblem(await importCsv(tenant, 'email,first_name,last_name\n', 'mapping=nope'), 422);
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    expectProblem(
      await t.request('POST', '/v1/members/import', {
        key: viewer.key,
        rawBody: 'email\n',
        headers: { 'Content-Type': 'text/csv' },
      }),
      403,
    );
  });
});

describe('POST /v1/members/import limits (field 64 KiB, row 1 MiB, streamed body)', () => {
  const KiB = 1024;
  const ndjson = (tenant: Tenant, body: string) =>
    t.request('POST', '/v1/members/import', {
      key: tenant.secret_key,
      rawBody: body,
      headers: { 'Content-Type': 'application/x-ndjson' },
    });

  it('reports a field over 64 KiB and a row over 1 MiB as row errors with their row numbers, and reads every other row', async () => {
    const tenant = await t.createTenant();
    const csv = [
      'email,first_name,last_name',
      'a@example.org,A,A',
      `b@example.org,${'x'.repeat(70 * KiB)},B`,
      'c@example.org,C,C',
      `d@example.org,D,"${'y'.repeat(1100 * KiB)}"`,
      'e@example.org,E,E',
      'not-an-email,F,F',
    ].join('\n');
    const res = await importCsv(tenant, csv, 'dry_run=true');
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({ rows: 6, failed: 3 });
    expect(res.body.errors).toEqual([
      { line: 3, field: 'first_name', message: 'This field is larger than 64 KiB.' },
      { line: 5, field: null, message: 'This row is larger than 1 MiB: it was skipped.' },
      { line: 7, field: 'email', message: expect.any(String) },
    ]);
    // Without the three bad rows the same file imports.
    const good = csv
      .split('\n')
      .filter((_, i) => [0, 1, 3, 5].includes(i))
      .join('\n');
    expect((await importCsv(tenant, good)).body).toMatchObject({
      applied: true,
      totals: { rows: 3, created: 3, failed: 0 },
    });
  });

  it('ends with a row error, not a hang, when the file ends inside a quoted field', async () => {
    const tenant = await t.createTenant();
    const res = await importCsv(
      tenant,
      'email,first_name,last_name\na@example.org,A,A\nb@example.org,"B,B\nc@example.org,C,C\n',
    );
    expect(res.body).toMatchObject({ applied: false, totals: { rows: 2, failed: 1 } });
    expect(res.body.errors).toEqual([
      { line: 3, field: null, message: expect.stringMatching(/closing quote \("\) is missing/) },
    ]);
  });

  it('reports an NDJSON line over 1 MiB with its line number and reads the lines after it', async () => {
    const tenant = await t.createTenant();
    const body = [
      '{"email":"a@example.org","first_name":"A","last_name":"A"}',
      `{"email":"b@example.org","first_name":"${'x'.repeat(1100 * KiB)}","last_name":"B"}`,
      '{"email":"c@example.org","first_name":"C"}',
    ].join('\n');
    const res = await ndjson(tenant, body);
    expect(res.body.totals).toMatchObject({ rows: 3, failed: 2 });
    expect(res.body.errors.map((e: { line: number; field: string | null }) => [e.line, e.field])).toEqual([
      [2, null],
      [3, 'last_name'],
    ]);
  });

  it('reads the body as a stream: a bad header is refused while the client is still sending', async () => {
    const tenant = await t.createTenant();
    // An upload that never ends: buffering the body before reading it would wait forever.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(
          new TextEncoder().encode('email,first_name,last_name,shoe\nada@example.org,Ada,Lovelace,42\n'),
        );
      },
    });
    const res = await t.app.request('/v1/members/import', {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { Authorization: `Bearer ${tenant.secret_key}`, 'Content-Type': 'text/csv' },
    } as RequestInit);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
      'columns.shoe',
    ]);
  });

  it('refuses an Idempotency-Key (400) instead of reading the whole body to fingerprint it', async () => {
    const tenant = await t.createTenant();
    const res = await t.request('POST', '/v1/members/import', {
      key: tenant.secret_key,
      rawBody: 'email,first_name,last_name\na@example.org,A,A\n',
      headers: { 'Content-Type': 'text/csv', 'Idempotency-Key': 'import-1' },
    });
    expectProblem(res, 400, 'INVALID_IDEMPOTENCY_KEY');
    expect(await total(tenant)).toBe(0);
  });

  it('refuses a streamed body past the import size limit with 413, and writes nothing', async () => {
    const small = await createTestContext({ config: { importBodyLimitBytes: 16 * KiB }, db: t.db });
    const tenant = await small.createTenant();
    const rows = Array.from({ length: 1000 }, (_, i) => `m${i}@example.org,M,${i}`);
    const chunks = ['email,first_name,last_name\n', ...rows.map((r) => `${r}\n`)];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const res = await small.app.request('/v1/members/import', {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { Authorization: `Bearer ${tenant.secret_key}`, 'Content-Type': 'text/csv' },
    } as RequestInit);
    expectProblem({ status: res.status, headers: res.headers, body: await res.json(), text: '' }, 413);
    expect(await total(tenant)).toBe(0);
  });
});

describe('GET /v1/members/export', () => {
  it("streams CSV and NDJSON of the filtered members, and only the tenant's own", async () => {
    const tenant = await t.createTenant();
    const other = await t.createTenant();
    await insertMembers(t, tenant.id, 5, (i) => ({
      status: i < 3 ? 'active' : 'inactive',
      firstName: i === 0 ? '=cmd|calc' : `F${i}`,
    }));
    await insertMembers(t, other.id, 4);
    const csv = await t.request('GET', '/v1/members/export?format=csv&status=active', { key: tenant.secret_key });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="members-\d{4}-\d{2}-\d{2}\.csv"/);
    const rows = parse(csv.text) as string[][];
    expect(rows[0]!.slice(0, 5)).toEqual(['id', 'email', 'first_name', 'last_name', 'status']);
    expect(rows).toHaveLength(4);
    expect(rows[1]![2]).toBe("'=cmd|calc");

    const nd = await t.request('GET', '/v1/members/export?format=ndjson', { key: tenant.secret_key });
    const lines = nd.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { email: string });
    expect(lines).toHaveLength(5);
    expect(nd.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
  });

  it('writes CSV as before csv-stringify: CRLF, quotes only where needed, formulas guarded, booleans as true/false', async () => {
    const tenant = await t.createTenant();
    await defineFields(t, tenant.id, [
      { key: 'vip', type: 'boolean' },
      { key: 'employees', type: 'number' },
    ]);
    await insertMembers(t, tenant.id, 1, () => ({
      firstName: '=HYPERLINK("x")',
      lastName: '+1',
      tags: ['a', 'b'],
      customFields: { vip: true, employees: -3 },
    }));
    const csv = await t.request('GET', '/v1/members/export?format=csv', { key: tenant.secret_key });
    const [header, row, end] = csv.text.split('\r\n');
    expect(header).toBe(
      'id,email,first_name,last_name,status,tier_id,tags,created_at,updated_at,last_active_at,custom_fields.vip,custom_fields.employees',
    );
    expect(row).toMatch(/^mem_\w+,[^,]+,"'=HYPERLINK\(""x""\)",'\+1,\w+,,a;b,[\dT:.Z-]+,[\dT:.Z-]+,,true,-3$/);
    expect(end).toBe('');
  });

  it('round-trips 10,000 members with custom fields through export and import', async () => {
    const source = await t.createTenant();
    const target = await t.createTenant();
    const fields = [
      { key: 'company' },
      { key: 'employees', type: 'number' as const },
      { key: 'vip', type: 'boolean' as const },
      {
        key: 'topics',
        type: 'multi_select' as const,
        options: [
          { value: 'ai', label: { en: 'AI' } },
          { value: 'web', label: { en: 'Web' } },
        ],
      },
    ];
    await defineFields(t, source.id, fields);
    await defineFields(t, target.id, fields);
    await insertMembers(t, source.id, 10_000, (i) => ({
      status: (['active', 'inactive', 'pending', 'suspended'] as const)[i % 4],
      tags: i % 3 ? ['alpha'] : ['alpha', 'beta'],
      customFields: {
        company: `Company "${i % 17}", Inc.`,
        employees: i,
        vip: i % 2 === 0,
        topics: i % 5 ? ['ai'] : ['ai', 'web'],
      },
      ...(i === 42 ? { lastName: '+49 sneaky' } : {}),
    }));
    const exported = await t.request('GET', '/v1/members/export?format=csv', { key: source.secret_key });
    expect(exported.text.split('\r\n').length).toBe(10_002);
    const imported = await importCsv(target, exported.text);
    expect(imported.body.errors).toEqual([]);
    expect(imported.body.totals).toMatchObject({ rows: 10_000, created: 10_000, failed: 0 });

    const again = await t.request('GET', '/v1/members/export?format=ndjson', { key: target.secret_key });
    const original = await t.request('GET', '/v1/members/export?format=ndjson', { key: source.secret_key });
    const strip = (text: string) =>
      text
        .trim()
        .split('\n')
        .map((l) => {
          const {
            id: _id,
            created_at: _c,
            updated_at: _u,
            last_active_at: _l,
            ...rest
          } = JSON.parse(l) as Record<string, unknown>;
          return rest;
        })
        .sort((a, b) => String(a.email).localeCompare(String(b.email)));
    expect(strip(again.text)).toEqual(strip(original.text));
  }, 180_000);
});
