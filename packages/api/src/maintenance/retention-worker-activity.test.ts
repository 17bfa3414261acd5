import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { executeRows } from '../db/database.js';
import { ingestActivity } from '../services/activity-ingest.js';
import { exportMemberData } from '../services/members-gdpr.js';
import { createTestContext, drainActivityRollups, type TestContext, type TestTenant } from '../testing/index.js';
import { createRetentionWorker } from './retention-worker.js';

let t: TestContext;
beforeAll(async () => {
  // A database of its own: the run below sets every tenant's retention and drops whole months of
  // activity_events, which on the run's shared server database would take other test files' events.
  // (PGlite: every context is a private copy already.)
  const serverUrl = inject('databaseUrl');
  t = await createTestContext(serverUrl ? { serverUrl } : {});
});
afterAll(() => t.close());

const DAY = 24 * 60 * 60 * 1000;

async function createMember(tenant: TestTenant): Promise<string> {
  const res = await t.request('POST', '/v1/members', {
    key: tenant.secret_key,
    body: {
      email: `m-${Math.random().toString(36).slice(2, 10)}@example.org`,
      first_name: 'Ada',
      last_name: 'Lovelace',
    },
  });
  if (res.status !== 201) throw new Error(`member: ${res.status} ${res.text}`);
  return res.body.id as string;
}

const rowsOf = <T extends Record<string, unknown>>(tenantId: string, query: ReturnType<typeof sql>) =>
  t.db.withTenant(tenantId, (tx) => executeRows<T>(tx.execute(query)));

describe('activity retention', () => {
  it("deletes raw events past the tenant's retention and client ids past 35 days, drops months past every tenant's, keeps rollups", async () => {
    const tenant = await t.createTenant();
    const member = await createMember(tenant);
    // Every tenant of this database keeps 2 months: the months before are dropped whole.
    await t.db.withPlatform((tx) => tx.execute(sql`update tenants set activity_retention_months = 2`));
    const now = Date.now();
    const at = (daysBack: number) => new Date(now - daysBack * DAY).toISOString();
    const result = await ingestActivity(
      t.deps,
      tenant.id,
      [
        { id: 'old-1', type: 'page.viewed', member_id: member, occurred_at: at(150) },
        { id: 'old-2', type: 'page.viewed', member_id: member, occurred_at: at(75) },
        { id: 'new-1', type: 'page.viewed', member_id: member, occurred_at: at(3) },
      ],
      { source: 'api', backfill: true },
    );
    expect(result.accepted).toBe(3);
    await drainActivityRollups(t.deps);
    // One client id is older than the dedupe window.
    await t.db.withTenant(tenant.id, (tx) =>
      tx.execute(sql`update activity_ingest_keys set created_at = now() - interval '36 days' where event_id = 'old-1'`),
    );
    const partition = `activity_events_${new Date(now - 150 * DAY).toISOString().slice(0, 7).replace('-', '')}`;
    const exists = async () =>
      (
        await rowsOf<{ exists: boolean }>(
          tenant.id,
          sql`select to_regclass(${`public.${partition}`}) is not null as exists`,
        )
      )[0]?.exists;
    expect(await exists()).toBe(true);

    const run = await createRetentionWorker({ deps: t.deps, logger: t.logger }).runOnce();
    expect(run.activity_events_deleted).toBe(2);
    expect(run.activity_ingest_keys_deleted).toBe(1);
    expect(run.activity_partitions_dropped).toBeGreaterThanOrEqual(1);
    expect(await exists()).toBe(false);
    expect(await rowsOf<{ id: string }>(tenant.id, sql`select id from activity_events`)).toEqual([{ id: 'new-1' }]);
    expect(
      (await rowsOf<{ event_id: string }>(tenant.id, sql`select event_id from activity_ingest_keys order by 1`)).map(
        (r) => r.event_id,
      ),
    ).toEqual(['new-1', 'old-2']);
    // Rollups are kept.
    const [daily] = await rowsOf<{ n: number }>(
      tenant.id,
      sql`select sum(events)::int as n from activity_daily_counts`,
    );
    expect(daily?.n).toBe(3);

    // A month dropped here is created again when (backfilled) events need it.
    const again = await ingestActivity(
      t.deps,
      tenant.id,
      [{ type: 'page.viewed', member_id: member, occurred_at: at(150) }],
      {
        source: 'api',
        backfill: true,
      },
    );
    expect(again.accepted).toBe(1);
    expect(await exists()).toBe(true);
  });
});

describe('activity and GDPR', () => {
  it("exports the member's activity, and erasure blanks its properties and forgets its client ids while aggregates stay", async () => {
    const tenant = await t.createTenant();
    const member = await createMember(tenant);
    const other = await createMember(tenant);
    await ingestActivity(
      t.deps,
      tenant.id,
      [
        { id: 'ord-1', type: 'event.attended', member_id: member, properties: { email: 'ada@example.org' } },
        { type: 'page.viewed', member_id: member, properties: { path: '/me' } },
        { id: 'ord-2', type: 'page.viewed', member_id: other, properties: { path: '/x' } },
      ],
      { source: 'api' },
    );
    await drainActivityRollups(t.deps);
    const data = await exportMemberData(t.deps, tenant.id, member);
    expect(data.activity.map((e) => e.type).sort()).toEqual(['event.attended', 'page.viewed']);
    expect(data.activity.find((e) => e.id === 'ord-1')).toMatchObject({
      properties: { email: 'ada@example.org' },
      source: 'api',
    });

    expect((await t.request('POST', `/v1/members/${member}/erase`, { key: tenant.secret_key })).status).toBe(204);
    const events = await rowsOf<{ member_id: string; properties: Record<string, unknown> }>(
      tenant.id,
      sql`select member_id, properties from activity_events order by member_id`,
    );
    expect(events.filter((e) => e.member_id === member).map((e) => e.properties)).toEqual([{}, {}]);
    expect(events.find((e) => e.member_id === other)?.properties).toEqual({ path: '/x' });
    expect(
      (await rowsOf<{ event_id: string }>(tenant.id, sql`select event_id from activity_ingest_keys`)).map(
        (r) => r.event_id,
      ),
    ).toEqual(['ord-2']);
    const [daily] = await rowsOf<{ n: number }>(
      tenant.id,
      sql`select sum(events)::int as n from activity_daily_counts`,
    );
    expect(daily?.n).toBe(3);
  });
});
