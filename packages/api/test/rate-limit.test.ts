import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, expectProblem, type TestContext } from './support/harness.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ config: { rateLimit: { limit: 3, windowSeconds: 60 } } });
});
afterAll(() => t.close());

describe('rate limits per credential', () => {
  it('counts down RateLimit-Remaining and answers 429 with Retry-After past the limit', async () => {
    const tenant = await t.createTenant(); // one request on the platform key's budget
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await t.request('GET', '/v1/tenant', { key: tenant.secret_key });
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBe('3');
      seen.push(res.headers.get('ratelimit-remaining') ?? '');
      expect(Number(res.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    }
    expect(seen).toEqual(['2', '1', '0']);
    const limited = await t.request('GET', '/v1/tenant', { key: tenant.secret_key });
    expectProblem(limited, 429, 'RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
  });

  it('keeps separate budgets for separate keys', async () => {
    const other = await createTestContext({ db: t.db, config: { rateLimit: { limit: 2, windowSeconds: 60 } } });
    try {
      const a = await t.createTenant();
      const b = await t.createTenant();
      for (let i = 0; i < 2; i++) expect((await other.request('GET', '/v1/tenant', { key: a.secret_key })).status).toBe(200);
      expect((await other.request('GET', '/v1/tenant', { key: a.secret_key })).status).toBe(429);
      expect((await other.request('GET', '/v1/tenant', { key: b.secret_key })).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});
