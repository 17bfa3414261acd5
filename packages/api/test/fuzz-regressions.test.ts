import { OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../src/lib/context.js';
import { handleError } from '../src/lib/problem-response.js';
import { createTestContext, expectProblem, type TestContext } from '../src/testing/index.js';
import { insertMembers, insertTier } from './support/seed.js';

/**
 * The bad inputs issue 10 reproduced as 500s (defects 3 and 4), each through real
 * HTTP on a real database. The generated suite in fuzz.test.ts keeps the class away.
 */

type Tenant = Awaited<ReturnType<TestContext['createTenant']>>;

let t: TestContext;
let tenant: Tenant;
beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant();
  await t.request('PATCH', '/v1/tenant', {
    key: tenant.secret_key,
    body: { directory: { enabled: true }, auth: { require_email_verification: false } },
  });
});
afterAll(() => t.close());

const signupBody = (firstName: string) => ({
  email: `nul-${crypto.randomUUID()}@example.org`,
  password: 'a-long-enough-password',
  first_name: firstName,
  last_name: 'Tester',
});

describe('NUL and unpaired surrogates', () => {
  it('answers 422 naming the field for a NUL in a public sign-up', async () => {
    const problem = expectProblem(
      await t.request('POST', '/v1/auth/signup', { key: tenant.publishable_key, body: signupBody('a\u0000') }),
      422,
      'VALIDATION_FAILED',
    );
    expect(problem.errors).toContainEqual({ field: 'first_name', message: expect.stringMatching(/NUL/) });
  });

  it('answers 422 for a NUL in a public query parameter', async () => {
    const problem = expectProblem(
      await t.request('GET', '/v1/directory?search=%00', { key: tenant.publishable_key }),
      422,
      'VALIDATION_FAILED',
    );
    expect(problem.errors).toContainEqual({ field: 'query.search', message: expect.any(String) });
  });

  it('answers 422 for unpaired surrogates in staff bodies, nested values and object keys', async () => {
    for (const bad of ['\ud800', 'x\udfffy', 'end\udbff']) {
      const problem = expectProblem(
        await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { name: bad } }),
        422,
        'VALIDATION_FAILED',
      );
      expect(problem.errors).toContainEqual({ field: 'name', message: expect.stringMatching(/surrogate/) });
    }
    const member = await t.request('POST', '/v1/members', {
      key: tenant.secret_key,
      body: {
        email: `k-${crypto.randomUUID()}@example.org`,
        first_name: 'K',
        last_name: 'Ey',
        tags: ['ok', 'bad\u0000'],
        custom_fields: { 'x\u0000': 1 },
      },
    });
    const problem = expectProblem(member, 422, 'VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.field)).toEqual(expect.arrayContaining(['tags.1', 'custom_fields']));
  });

  it('answers 422 for a NUL in a path parameter', async () => {
    const problem = expectProblem(
      await t.request('GET', '/v1/members/mem_%00', { key: tenant.secret_key }),
      422,
      'VALIDATION_FAILED',
    );
    expect(problem.errors).toContainEqual({ field: 'param.id', message: expect.any(String) });
  });

  it('still accepts paired surrogates (emoji) and other unusual but storable text', async () => {
    const res = await t.request('POST', '/v1/auth/signup', {
      key: tenant.publishable_key,
      body: signupBody('Zoë 😀 a\u200db'),
    });
    expect(res.status).toBe(201);
    expect(res.body.member.first_name).toBe('Zoë 😀 a\u200db');
  });
});

/** Rewrites the first sort-key value inside a cursor, keeping whatever else it carries (its MAC, if any). */
function forgeCursor(cursor: string, value: unknown): string {
  const [payload, ...rest] = cursor.split('.');
  const decoded = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as unknown[] | { a: unknown[] };
  const after = Array.isArray(decoded) ? decoded : decoded.a;
  after[0] = value;
  return [Buffer.from(JSON.stringify(decoded)).toString('base64url'), ...rest].join('.');
}

describe('forged cursors', () => {
  it('refuses an edited members cursor with 400 INVALID_CURSOR, not a 500 from the cast', async () => {
    await insertMembers(t, tenant.id, 3);
    for (const sort of ['created_at', 'email', 'last_active_at']) {
      const first = await t.request('GET', `/v1/members?limit=1&sort=${sort}`, { key: tenant.secret_key });
      expect(first.body.next_cursor).toEqual(expect.any(String));
      for (const value of ['not-a-date', 1e20, null, '2026-01-01 00:00:00+00']) {
        const res = await t.request(
          'GET',
          `/v1/members?limit=1&sort=${sort}&cursor=${forgeCursor(first.body.next_cursor, value)}`,
          { key: tenant.secret_key },
        );
        expectProblem(res, 400, 'INVALID_CURSOR');
      }
    }
  });

  it('refuses an edited tiers cursor (an integer out of range)', async () => {
    for (let i = 0; i < 3; i++) await insertTier(t, tenant.id, { name: `Tier ${i}` });
    const first = await t.request('GET', '/v1/tiers?limit=1', { key: tenant.secret_key });
    for (const value of [1e20, 2 ** 31, 'not-a-number', 1.5]) {
      expectProblem(
        await t.request('GET', `/v1/tiers?limit=1&cursor=${forgeCursor(first.body.next_cursor, value)}`, {
          key: tenant.secret_key,
        }),
        400,
        'INVALID_CURSOR',
      );
    }
  });

  it('refuses an unsigned cursor made from scratch and a cursor of another tenant, and still pages with its own', async () => {
    const made = Buffer.from(JSON.stringify(['2026-01-01 00:00:00+00', 'mem_00000000000000000000000000'])).toString(
      'base64url',
    );
    expectProblem(
      await t.request('GET', `/v1/members?limit=1&cursor=${made}`, { key: tenant.secret_key }),
      400,
      'INVALID_CURSOR',
    );
    expectProblem(
      await t.request('GET', `/v1/members?limit=1&cursor=${made}.00000000000000000000000000000000`, {
        key: tenant.secret_key,
      }),
      400,
      'INVALID_CURSOR',
    );
    const other = await t.createTenant();
    await insertMembers(t, other.id, 2);
    const theirs = await t.request('GET', '/v1/members?limit=1', { key: other.secret_key });
    expectProblem(
      await t.request('GET', `/v1/members?limit=1&cursor=${theirs.body.next_cursor}`, { key: tenant.secret_key }),
      400,
      'INVALID_CURSOR',
    );
    const next = await t.request('GET', `/v1/members?limit=1&cursor=${theirs.body.next_cursor}`, {
      key: other.secret_key,
    });
    expect(next.status).toBe(200);
    expect(next.body.data).toHaveLength(1);
  });

  it('refuses an edited directory cursor on the public endpoint', async () => {
    await insertMembers(t, tenant.id, 3, (i) => ({ email: `dir${i}-${crypto.randomUUID()}@example.org` }));
    const first = await t.request('GET', '/v1/directory?limit=1', { key: tenant.publishable_key });
    expect(first.body.next_cursor).toEqual(expect.any(String));
    expectProblem(
      await t.request('GET', `/v1/directory?limit=1&cursor=${forgeCursor(first.body.next_cursor, 'A')}`, {
        key: tenant.publishable_key,
      }),
      400,
      'INVALID_CURSOR',
    );
  });
});

describe('5xx the fuzz suite found', () => {
  it('answers an empty tier id with 404 TIER_NOT_FOUND or 422, not a foreign-key 500', async () => {
    const member = await t.request('POST', '/v1/members', {
      key: tenant.secret_key,
      body: { email: `tier-${crypto.randomUUID()}@example.org`, first_name: 'T', last_name: 'Ier' },
    });
    expectProblem(
      await t.request('PATCH', `/v1/members/${member.body.id}`, { key: tenant.secret_key, body: { tier_id: '' } }),
      404,
      'TIER_NOT_FOUND',
    );
    expectProblem(
      await t.request('POST', '/v1/members', {
        key: tenant.secret_key,
        body: { email: `tier-${crypto.randomUUID()}@example.org`, first_name: 'T', last_name: 'Ier', tier_id: '' },
      }),
      404,
      'TIER_NOT_FOUND',
    );
    const signup = await t.request('POST', '/v1/auth/signup', {
      key: tenant.publishable_key,
      body: { ...signupBody('Tier'), tier_id: '' },
    });
    expect(expectProblem(signup, 422, 'VALIDATION_FAILED').errors).toContainEqual({
      field: 'tier_id',
      message: expect.any(String),
    });
  });

  it('fails an imported row holding NUL or an unpaired surrogate as a row error, instead of the whole import or a silent U+FFFD', async () => {
    const csv = await t.request('POST', '/v1/members/import?format=csv', {
      key: tenant.secret_key,
      rawBody:
        'email,first_name,last_name\nnul-import@example.org,Ad\u0000a,Lovelace\nok-import@example.org,Ada,Lovelace\n',
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(csv.status).toBe(200);
    // All or nothing by default: the bad row fails and nothing is applied.
    expect(csv.body.totals).toMatchObject({ rows: 2, failed: 1 });
    expect(JSON.stringify(csv.body.errors)).toContain('first_name');
    const ndjson = await t.request('POST', '/v1/members/import?format=ndjson', {
      key: tenant.secret_key,
      rawBody: '{"email":"sur-import@example.org","first_name":"\\ud800","last_name":"L"}\n',
      headers: { 'Content-Type': 'application/x-ndjson' },
    });
    expect(ndjson.status).toBe(200);
    expect(ndjson.body.totals).toMatchObject({ rows: 1, created: 0, failed: 1 });
    expect(JSON.stringify(ndjson.body.errors)).toContain('first_name');
  });

  it('answers an empty PATCH of an OIDC provider with the provider unchanged', async () => {
    const created = await t.request('POST', '/v1/tenant/oidc-providers', {
      key: tenant.secret_key,
      body: { name: 'Empty patch', issuer: 'https://idp.example.org', client_id: 'empty' },
    });
    const res = await t.request('PATCH', `/v1/tenant/oidc-providers/${created.body.id}`, {
      key: tenant.secret_key,
      body: {},
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created.body);
  });
});

describe('Postgres data exceptions', () => {
  it('answers 422 problem+json for any SQLSTATE class 22 error a query raises, never 500', async () => {
    // A route validation let through by mistake: the database's refusal must still be the client's 4xx.
    const app = new OpenAPIHono<AppEnv>();
    app.use('*', async (c, next) => {
      c.set('deps', t.deps);
      c.set('requestId', 'req_test');
      await next();
    });
    app.get('/cast/:kind', async (c) => {
      const queries = {
        text: sql`select ${'not-a-date'}::timestamptz`,
        range: sql`select ${'99999999999'}::int`,
        nul: sql`select convert_from('\\x00'::bytea, 'UTF8')`,
        jsonb: sql`select ${'"\\u0000"'}::jsonb::text`,
        overflow: sql`select make_date(2026, 13, 40)`,
      };
      await t.db.withPlatform((tx) => tx.execute(queries[c.req.param('kind') as keyof typeof queries]));
      return c.text('unreachable');
    });
    app.onError(handleError);
    for (const kind of ['text', 'range', 'nul', 'jsonb', 'overflow']) {
      const res = await app.request(`/cast/${kind}`);
      expect(res.status, kind).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const body = (await res.json()) as { code: string; detail: string };
      expect(body.code).toBe('VALIDATION_FAILED');
      expect(body.detail).not.toContain('not-a-date');
    }
  });
});
