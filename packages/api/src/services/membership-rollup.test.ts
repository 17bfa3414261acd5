import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { members, membershipDaily } from '../db/schema/index.js';
import { createManualClock } from '../lib/clock.js';
import { createTestContext, type TestContext } from '../testing/index.js';
import type { AuditContext } from './audit-context.js';
import { recordMemberEvents } from './members.js';

const clock = createManualClock(new Date('2026-03-10T10:30:00Z'));
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ clock });
});
afterAll(() => t.close());

const ctx: AuditContext = { actorType: 'system', actorId: 'test', requestId: null, ip: null };

async function totals(tenantId: string) {
  const [row] = await t.db.withTenant(tenantId, (tx) =>
    tx
      .select({
        joined: sql<number>`sum(${membershipDaily.joined})::int`,
        churned: sql<number>`sum(${membershipDaily.churned})::int`,
        reactivated: sql<number>`sum(${membershipDaily.reactivated})::int`,
        active: sql<number>`sum(${membershipDaily.active})::int`,
        inactive: sql<number>`sum(${membershipDaily.inactive})::int`,
        deleted: sql<number>`sum(${membershipDaily.deleted})::int`,
      })
      .from(membershipDaily)
      .where(eq(membershipDaily.tenantId, tenantId)),
  );
  return row!;
}

describe('recordMemberEvents → membership_daily', () => {
  it('counts an erasure of an active member (deleted, then inactive while deleted) as one churn', async () => {
    const tenant = await t.createTenant();
    const created = await t.request('POST', '/v1/members', {
      key: tenant.secret_key,
      body: { email: 'ada@example.org', first_name: 'Ada', last_name: 'Lovelace', status: 'active' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(await totals(tenant.id)).toEqual({
      joined: 1,
      churned: 0,
      reactivated: 0,
      active: 1,
      inactive: 0,
      deleted: 0,
    });

    // What an erasure writes: the row deleted and inactive, with both events in one call.
    await t.db.withTenant(tenant.id, async (tx) => {
      await tx
        .update(members)
        .set({ status: 'inactive', deletedAt: clock.now() })
        .where(and(eq(members.tenantId, tenant.id), eq(members.id, id)));
      await recordMemberEvents(tx, t.deps, tenant.id, ctx, [
        { memberId: id, type: 'deleted', from: 'active' },
        { memberId: id, type: 'status_changed', from: 'active', to: 'inactive' },
      ]);
    });
    expect(await totals(tenant.id)).toEqual({
      joined: 1,
      churned: 1,
      reactivated: 0,
      active: 0,
      inactive: 0,
      deleted: 1,
    });
  });

  it('brings back nobody when a member who had lapsed before the deletion is restored', async () => {
    const tenant = await t.createTenant();
    const created = await t.request('POST', '/v1/members', {
      key: tenant.secret_key,
      body: { email: 'grace@example.org', first_name: 'Grace', last_name: 'Hopper', status: 'inactive' },
    });
    const id = created.body.id as string;
    expect((await t.request('DELETE', `/v1/members/${id}`, { key: tenant.secret_key })).status).toBeLessThan(300);
    clock.advance(60_000);
    expect((await t.request('POST', `/v1/members/${id}/restore`, { key: tenant.secret_key })).status).toBe(200);
    expect(await totals(tenant.id)).toEqual({
      joined: 1,
      churned: 0,
      reactivated: 0,
      active: 0,
      inactive: 1,
      deleted: 0,
    });
    // Back to active: that is a reactivation.
    await t.request('PATCH', `/v1/members/${id}`, { key: tenant.secret_key, body: { status: 'active' } });
    expect(await totals(tenant.id)).toEqual({
      joined: 1,
      churned: 0,
      reactivated: 1,
      active: 1,
      inactive: 0,
      deleted: 0,
    });
  });

  it('moves the status count with a tier change and books a same-call status change under the old tier', async () => {
    const tenant = await t.createTenant();
    const tier = await t.request('POST', '/v1/tiers', {
      key: tenant.secret_key,
      body: { name: 'Gold', interval: 'free', price: { amount: 0 } },
    });
    const created = await t.request('POST', '/v1/members', {
      key: tenant.secret_key,
      body: { email: 'kay@example.org', first_name: 'Kay', last_name: 'Li', status: 'active' },
    });
    const res = await t.request('PATCH', `/v1/members/${created.body.id}`, {
      key: tenant.secret_key,
      body: { status: 'suspended', tier_id: tier.body.id },
    });
    expect(res.status).toBe(200);
    const rows = await t.db.withTenant(tenant.id, (tx) =>
      tx
        .select({
          tier: membershipDaily.tierKey,
          churned: sql<number>`sum(${membershipDaily.churned})::int`,
          active: sql<number>`sum(${membershipDaily.active})::int`,
          suspended: sql<number>`sum(${membershipDaily.suspended})::int`,
        })
        .from(membershipDaily)
        .where(eq(membershipDaily.tenantId, tenant.id))
        .groupBy(membershipDaily.tierKey)
        .orderBy(membershipDaily.tierKey),
    );
    expect(rows).toEqual([
      { tier: '', churned: 1, active: 0, suspended: 0 },
      { tier: tier.body.id, churned: 0, active: 0, suspended: 1 },
    ]);
  });
});
