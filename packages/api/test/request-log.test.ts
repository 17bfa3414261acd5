import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, PLATFORM_KEY, tampered, type TestContext } from '../src/testing/index.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('structured request logs', () => {
  it('writes one JSON line per request with method, path, status, duration and credential id, never a secret', async () => {
    const tenant = await t.createTenant();
    const created = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    t.logger.lines.length = 0;
    await t.request('GET', '/v1/tenant', { key: tenant.secret_key });
    await t.request('GET', '/v1/tenant', { key: tampered(tenant.secret_key) });
    await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { name: 'Logged' } });

    const entries = t.logger.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = entries.filter((e) => e.msg === 'request');
    expect(requests).toHaveLength(3);
    expect(requests[0]).toMatchObject({
      level: 'info',
      method: 'GET',
      path: '/v1/tenant',
      status: 200,
      tenant_id: tenant.id,
    });
    expect(typeof requests[0]!.duration_ms).toBe('number');
    expect(requests[0]!.request_id).toMatch(/^req_/);
    expect(requests[1]).toMatchObject({ status: 401 });
    expect(requests[2]).toMatchObject({ method: 'PATCH', status: 200 });

    const all = t.logger.lines.join('\n');
    for (const secret of [
      tenant.secret_key,
      tenant.publishable_key,
      created.key,
      PLATFORM_KEY,
      tenant.secret_key.slice(-32),
    ]) {
      expect(all).not.toContain(secret);
    }
  });
});
