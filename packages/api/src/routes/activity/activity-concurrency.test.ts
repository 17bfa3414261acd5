import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRows } from '../../db/database.js';
import { createTestContext, drainActivityRollups, type TestContext, type TestTenant } from '../../testing/index.js';

// Many connections (on a PostgreSQL server; PGlite has one), so batches really run side by side.
let t: TestContext;
let tenant: TestTenant;
beforeAll(async () => {
  t = await createTestContext({ maxConnections: 8 });
  tenant = await t.createTenant();
});
afterAll(() => t.close());

describe('POST /v1/activity, batches at once', () => {
  it('writes every event of concurrent batches that share members (no deadlock), each counted once', async () => {
    const memberIds: string[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await t.request('POST', '/v1/members', {
        key: tenant.secret_key,
        body: { email: `shared-${i}@example.org`, first_name: 'Shared', last_name: `Member ${i}` },
      });
      memberIds.push(res.body.id as string);
    }
    // Every batch names every member, each in its own order; the last batch repeats the first's ids.
    const batch = (b: number) =>
      Array.from({ length: 400 }, (_, i) => ({
        id: `b${b === 7 ? 0 : b}-e${i}`,
        type: 'page.viewed',
        member_id: memberIds[(i * (b + 3)) % memberIds.length]!,
      }));
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, b) =>
        t.request('POST', '/v1/activity', { key: tenant.secret_key, body: { events: batch(b) } }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    await drainActivityRollups(t.deps);
    const [row] = await t.db.withTenant(tenant.id, (tx) =>
      executeRows<{ events: number; daily: number; active: number }>(
        tx.execute(sql`select (select count(*)::int from activity_events where type = 'page.viewed') as events,
          (select coalesce(sum(events), 0)::int from activity_daily_counts where type = 'page.viewed') as daily,
          (select count(*)::int from members where last_active_at is not null) as active`),
      ),
    );
    // Seven distinct batches of 400; the eighth repeats the first's ids and is all duplicates.
    expect(row).toEqual({ events: 7 * 400, daily: 7 * 400, active: 40 });
  });
});
