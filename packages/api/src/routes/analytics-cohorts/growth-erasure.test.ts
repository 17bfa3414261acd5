import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestTenant } from '../../testing/index.js';

let t: TestContext;
let tenant: TestTenant;
beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant();
});
afterAll(() => t.close());

const growthToday = async () => {
  const res = await t.request('GET', '/v1/analytics/growth?interval=day', { key: tenant.secret_key });
  expect(res.status).toBe(200);
  return res.body.summary as { new: number; churned: number; net: number; members: Record<string, number> };
};

describe('growth after an erasure', () => {
  it('counts the erasure of an active member as their churn, and no longer counts them as active', async () => {
    const created = await t.request('POST', '/v1/members', {
      key: tenant.secret_key,
      body: { email: 'erase-me@example.org', first_name: 'Era', last_name: 'Sure', status: 'active' },
    });
    expect(created.status).toBe(201);
    const before = await growthToday();
    expect(before).toMatchObject({ new: 1, churned: 0, members: { active: 1, total: 1 } });

    const erased = await t.request('POST', `/v1/members/${created.body.id}/erase`, { key: tenant.secret_key });
    expect(erased.status).toBe(204);
    const after = await growthToday();
    expect(after).toMatchObject({ new: 1, churned: 1, net: 0, members: { active: 0, inactive: 0, total: 0 } });
  });

  it('counts no second churn when an already deleted, lapsed member is erased', async () => {
    const created = await t.request('POST', '/v1/members', {
      key: tenant.secret_key,
      body: { email: 'lapsed@example.org', first_name: 'Lap', last_name: 'Sed', status: 'active' },
    });
    const id = created.body.id as string;
    await t.request('PATCH', `/v1/members/${id}`, { key: tenant.secret_key, body: { status: 'inactive' } });
    await t.request('DELETE', `/v1/members/${id}`, { key: tenant.secret_key });
    const before = await growthToday();
    expect((await t.request('POST', `/v1/members/${id}/erase`, { key: tenant.secret_key })).status).toBe(204);
    expect(await growthToday()).toEqual(before);
  });
});
