import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, memberEvents } from '../../db/schema/index.js';
import { createTestContext, expectProblem, type TestContext } from '../../testing/index.js';
import { insertMembers, insertTier } from '../../../test/support/seed.js';

type Tenant = Awaited<ReturnType<TestContext['createTenant']>>;
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const bulk = (tenant: Tenant, body: Record<string, unknown>, key = tenant.secret_key) =>
  t.request('POST', '/v1/members/bulk', { key, body });
const get = (tenant: Tenant, id: string) => t.request('GET', `/v1/members/${id}`, { key: tenant.secret_key });

describe('POST /v1/members/bulk', () => {
  it('changes the status of listed members, records events and audit entries', async () => {
    const tenant = await t.createTenant();
    const ids = await insertMembers(t, tenant.id, 30, () => ({ status: 'active' }));
    const res = await bulk(tenant, { action: 'update_status', member_ids: ids, params: { status: 'inactive' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      object: 'bulk_result',
      applied: true,
      atomic: true,
      totals: { requested: 30, succeeded: 30, failed: 0, not_found: 0 },
    });
    expect(res.body.results.every((r: { status: string }) => r.status === 'ok')).toBe(true);
    expect((await get(tenant, ids[7]!)).body.status).toBe('inactive');
    const events = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(memberEvents).where(eq(memberEvents.type, 'status_changed')),
    );
    expect(events).toHaveLength(30);
    const audit = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.action, 'member.updated')),
    );
    expect(audit).toHaveLength(30);
    expect(audit[0]!.diff).toMatchObject({ status: { from: 'active', to: 'inactive' }, via: 'bulk' });
  });

  it('is all or nothing by default: one illegal change and nothing changes', async () => {
    const tenant = await t.createTenant();
    const ids = await insertMembers(t, tenant.id, 5, (i) => ({ status: i === 2 ? 'pending' : 'active' }));
    const res = await bulk(tenant, { action: 'update_status', member_ids: ids, params: { status: 'suspended' } });
    expect(res.body.applied).toBe(false);
    expect(res.body.totals).toEqual({ requested: 5, succeeded: 0, failed: 1, not_found: 0 });
    expect(res.body.results[2]).toMatchObject({
      id: ids[2],
      status: 'error',
      error: { code: 'MEMBER_INVALID_TRANSITION' },
    });
    expect(res.body.results[0].status).toBe('skipped');
    for (const id of ids) expect((await get(tenant, id)).body.status).not.toBe('suspended');

    const partial = await bulk(tenant, {
      action: 'update_status',
      member_ids: ids,
      params: { status: 'suspended' },
      atomic: false,
    });
    expect(partial.body).toMatchObject({ applied: true, totals: { succeeded: 4, failed: 1 } });
    expect((await get(tenant, ids[0]!)).body.status).toBe('suspended');
    expect((await get(tenant, ids[2]!)).body.status).toBe('pending');
  });

  it("reports another tenant's ids as not found and touches nothing of theirs", async () => {
    const tenant = await t.createTenant();
    const other = await t.createTenant();
    const mine = await insertMembers(t, tenant.id, 2);
    const theirs = await insertMembers(t, other.id, 2);
    const res = await bulk(tenant, { action: 'delete', member_ids: [...mine, ...theirs] });
    expect(res.body.applied).toBe(false);
    expect(
      res.body.results.filter((r: { status: string }) => r.status === 'not_found').map((r: { id: string }) => r.id),
    ).toEqual(theirs);
    const loose = await bulk(tenant, { action: 'delete', member_ids: [...mine, ...theirs], atomic: false });
    expect(loose.body.totals).toEqual({ requested: 4, succeeded: 2, failed: 0, not_found: 2 });
    for (const id of theirs) expect((await get(other, id)).body.deleted_at).toBeNull();
    for (const id of mine) expect((await get(tenant, id)).body.deleted_at).not.toBeNull();
  });

  it('selects members by filter, adds and removes tags, and changes tiers within capacity', async () => {
    const tenant = await t.createTenant();
    const ids = await insertMembers(t, tenant.id, 12, (i) => ({
      status: i < 6 ? 'active' : 'inactive',
      tags: ['keep'],
    }));
    const added = await bulk(tenant, {
      action: 'add_tags',
      filter: { status: 'active' },
      params: { tags: ['vip', 'keep'] },
    });
    expect(added.body.totals.succeeded).toBe(6);
    expect((await get(tenant, ids[0]!)).body.tags).toEqual(['keep', 'vip']);
    expect((await get(tenant, ids[8]!)).body.tags).toEqual(['keep']);
    await bulk(tenant, { action: 'remove_tags', filter: { tag: 'vip' }, params: { tags: ['keep'] } });
    expect((await get(tenant, ids[0]!)).body.tags).toEqual(['vip']);

    const tier = await insertTier(t, tenant.id, { capacity: 5 });
    const full = await bulk(tenant, { action: 'change_tier', filter: { status: 'active' }, params: { tier_id: tier } });
    expect(full.body.applied).toBe(false);
    expect(full.body.results[0].error.code).toBe('TIER_FULL');
    const fits = await bulk(tenant, { action: 'change_tier', member_ids: ids.slice(0, 5), params: { tier_id: tier } });
    expect(fits.body.totals.succeeded).toBe(5);
    expect((await get(tenant, ids[4]!)).body.tier_id).toBe(tier);
    const cleared = await bulk(tenant, {
      action: 'change_tier',
      member_ids: ids.slice(0, 2),
      params: { tier_id: null },
    });
    expect(cleared.body.applied).toBe(true);
    expect((await get(tenant, ids[0]!)).body.tier_id).toBeNull();
  });

  it.each([
    [{ action: 'update_status', member_ids: ['mem_x'] }, 'params.status'],
    [{ action: 'update_status', params: { status: 'active' } }, 'member_ids'],
    [{ action: 'delete', member_ids: ['mem_x'], filter: {} }, 'member_ids'],
    [{ action: 'explode', member_ids: ['mem_x'] }, 'action'],
    [{ action: 'delete', member_ids: Array.from({ length: 10_001 }, (_, i) => `mem_${i}`) }, 'member_ids'],
  ])('rejects %# with 422 naming %s', async (body, field) => {
    const tenant = await t.createTenant();
    const problem = expectProblem(await bulk(tenant, body as Record<string, unknown>), 422);
    expect(problem.errors?.map((e) => e.field)).toContain(field);
  });

  it('needs member:update, and member:delete for deletes', async () => {
    const tenant = await t.createTenant();
    const ids = await insertMembers(t, tenant.id, 1);
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    const problem = expectProblem(await bulk(tenant, { action: 'delete', member_ids: ids }, viewer.key), 403);
    expect(problem.detail).toContain('member:update');
  });

  it('handles 10,000 members in one request', async () => {
    const tenant = await t.createTenant();
    const ids = await insertMembers(t, tenant.id, 10_000, () => ({ status: 'active' }));
    const res = await bulk(tenant, { action: 'update_status', member_ids: ids, params: { status: 'inactive' } });
    expect(res.body.totals).toEqual({ requested: 10_000, succeeded: 10_000, failed: 0, not_found: 0 });
    const list = await t.request('GET', '/v1/members?status=inactive&include_total=true&limit=1', {
      key: tenant.secret_key,
    });
    expect(list.body.total_count).toBe(10_000);
    expect((await t.request('GET', '/v1/audit-log/verify', { key: tenant.secret_key })).body).toMatchObject({
      valid: true,
      checked: 10_000,
    });
  }, 120_000);
});
