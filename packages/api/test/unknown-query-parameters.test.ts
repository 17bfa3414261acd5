import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, expectProblem, type TestContext, type TestTenant } from '../src/testing/index.js';
import { defineFields } from './support/seed.js';

/**
 * Every route refuses query parameters it does not declare: zod drops unknown keys,
 * so `custom_field.city=London` (a filter written in a syntax the API does not have)
 * used to filter nothing and return every member.
 */

let t: TestContext;
let tenant: TestTenant;
beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant('Query Tenant');
  await defineFields(t, tenant.id, [{ key: 'city', type: 'text' }]);
  for (const [email, city] of [
    ['london@example.org', 'London'],
    ['paris@example.org', 'Paris'],
  ] as const) {
    const res = await t.request('POST', '/v1/members', {
      key: tenant.secret_key,
      body: { email, first_name: 'A', last_name: 'B', custom_fields: { city } },
    });
    expect(res.status, res.text).toBe(201);
  }
});
afterAll(() => t.close());

describe('unknown query parameters', () => {
  it('answers 400 naming a custom field filter written as custom_field.city, with the syntax that works', async () => {
    const res = await t.request('GET', '/v1/members?custom_field.city=London', { key: tenant.secret_key });
    const problem = expectProblem(res, 400, 'UNKNOWN_QUERY_PARAMETER');
    expect(problem.detail).toContain('`custom_field.city`');
    expect(problem.detail).toContain('custom_field=city:London');
    expect(problem.errors).toEqual([
      { field: 'query.custom_field.city', message: 'Unknown query parameter; did you mean custom_field?' },
    ]);
  });

  it('lists every unknown parameter at once and what the operation accepts', async () => {
    const res = await t.request('GET', '/v1/members?stauts=active&limit=5&foo=1', { key: tenant.secret_key });
    const problem = expectProblem(res, 400, 'UNKNOWN_QUERY_PARAMETER');
    expect(problem.errors?.map((e) => e.field)).toEqual(['query.stauts', 'query.foo']);
    expect(problem.detail).toContain('accepts search, status,');
  });

  it('refuses array brackets (status[]=…): parameters repeat under their own name', async () => {
    const res = await t.request('GET', '/v1/members?status[]=active', { key: tenant.secret_key });
    const problem = expectProblem(res, 400, 'UNKNOWN_QUERY_PARAMETER');
    expect(problem.detail).toContain('status=<value>');
  });

  it('refuses any query parameter on an operation that declares none', async () => {
    const res = await t.request('GET', '/v1/tenant?expand=tiers', { key: tenant.secret_key });
    const problem = expectProblem(res, 400, 'UNKNOWN_QUERY_PARAMETER');
    expect(problem.detail).toContain('takes no query parameters');
  });

  it('answers 401 before looking at the query when the credential is missing', async () => {
    const res = await t.request('GET', '/v1/members?custom_field.city=London', { key: null });
    expectProblem(res, 401);
  });

  it('keeps the declared filters working: custom_field=city:London, repeated parameters and comma lists', async () => {
    const city = await t.request('GET', '/v1/members?custom_field=city:London', { key: tenant.secret_key });
    expect(city.status, city.text).toBe(200);
    expect(city.body.data.map((m: { email: string }) => m.email)).toEqual(['london@example.org']);

    const both = await t.request('GET', '/v1/members?custom_field=city:London&custom_field=city:Paris', {
      key: tenant.secret_key,
    });
    expect(both.status, both.text).toBe(200);
    expect(both.body.data).toEqual([]);

    const statuses = await t.request('GET', '/v1/members?status=pending,active&limit=10', { key: tenant.secret_key });
    expect(statuses.status, statuses.text).toBe(200);
    expect(statuses.body.data).toHaveLength(2);
  });

  it('lets an OIDC provider add parameters of its own to the callback (they reach the state check)', async () => {
    const res = await t.request('GET', '/v1/auth/oidc/callback?state=unknown&code=x&session_state=abc&authuser=0');
    expectProblem(res, 400);
    expect(res.body.code).not.toBe('UNKNOWN_QUERY_PARAMETER');
  });

  it('documents the 400 on every operation that refuses unknown query parameters', async () => {
    const doc = (await t.request('GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
    };
    const undocumented = Object.values(doc.paths)
      .flatMap((methods) => Object.values(methods))
      .filter((op) => op.operationId !== 'getHealth' && !op.responses['400'])
      .map((op) => op.operationId);
    expect(undocumented).toEqual([]);
  });
});
