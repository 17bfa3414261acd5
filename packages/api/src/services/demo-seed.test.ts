import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRows } from '../db/database.js';
import { createManualClock } from '../lib/clock.js';
import { createTestContext, type TestContext } from '../testing/index.js';
import { createRandom, planActivity, planMembers } from './demo-seed-activity.js';
import { seedDemoTenant, type DemoCredentials } from './demo-seed.js';

// A fixed "now" (a Monday morning in Berlin): the demo's story is the same on every run.
const NOW = new Date('2026-12-07T07:00:00Z');
const TODAY = '2026-12-07';

let t: TestContext;
let demo: DemoCredentials;
beforeAll(async () => {
  t = await createTestContext({ clock: createManualClock(NOW) });
  demo = await seedDemoTenant(t.deps);
}, 300_000);
afterAll(() => t.close());

const get = async (path: string) => {
  const res = await t.request('GET', path, { key: demo.secretKey });
  expect(res.status, res.text).toBe(200);
  return res.body;
};

describe('the demo tenant of npm start', () => {
  it('has 300 members who joined over 13 months, growth figures that add up to them', async () => {
    expect((await get('/v1/members?include_total=true&limit=1')).total_count).toBe(300);
    const growth = await get(`/v1/analytics/growth?from=2025-11-01&to=${TODAY}&interval=month`);
    expect(growth.series).toHaveLength(14);
    expect(growth.members_at_start.total).toBe(0);
    // Every member joined inside the window; some lapsed, a few came back.
    const sum = (key: 'new' | 'churned' | 'reactivated') =>
      growth.series.reduce((n: number, b: Record<string, number>) => n + b[key]!, 0);
    expect(sum('new')).toBe(300);
    expect(sum('churned')).toBeGreaterThan(5);
    expect(sum('reactivated')).toBeGreaterThan(0);
    expect(growth.series.every((b: { new: number }) => b.new > 0)).toBe(true);
    // Members per status at the end agree with the member list.
    const last = growth.series.at(-1);
    for (const status of ['pending', 'active', 'inactive', 'suspended']) {
      const listed = (await get(`/v1/members?status=${status}&include_total=true&limit=1`)).total_count;
      expect(listed).toBeGreaterThan(0);
      expect(last.members[status], status).toBe(listed);
    }
  });

  it('has 13 months of activity with a weekly rhythm, every engagement segment and retention cohorts', async () => {
    const year = await get(`/v1/analytics/engagement?from=2025-12-08&to=${TODAY}&interval=month`);
    expect(year.series).toHaveLength(13);
    expect(year.series.every((b: { events: number }) => b.events > 200)).toBe(true);

    const month = await get(`/v1/analytics/engagement?from=2026-11-08&to=${TODAY}&interval=day`);
    const { summary } = month;
    expect(summary.active_members).toBeGreaterThan(60);
    expect(summary.top_event_types[0].type).toBe('page.viewed');
    for (const type of ['content.downloaded', 'member.signed_in']) {
      expect(summary.top_event_types.map((e: { type: string }) => e.type)).toContain(type);
    }
    const segments = Object.fromEntries(
      summary.segments.map((s: { segment: string; members: number }) => [s.segment, s.members]),
    );
    for (const segment of ['highly_active', 'moderately_active', 'low', 'dormant']) {
      expect(segments[segment], segment).toBeGreaterThan(0);
    }
    // Weekdays busier than weekends (Mon–Thu against Sat–Sun, per day).
    const byWeekday = (days: number[]) => {
      const buckets = month.series.filter((b: { period: string }) =>
        days.includes(new Date(`${b.period}T12:00:00Z`).getUTCDay()),
      );
      return buckets.reduce((n: number, b: { events: number }) => n + b.events, 0) / buckets.length;
    };
    expect(byWeekday([1, 2, 3, 4])).toBeGreaterThan(byWeekday([0, 6]));

    const retention = await get('/v1/analytics/retention?cohort=month&periods=12');
    expect(retention.cohorts).toHaveLength(12);
    expect(retention.cohorts.every((c: { size: number }) => c.size > 0)).toBe(true);
    const first = retention.cohorts[0];
    expect(first.retention.length).toBeGreaterThan(6);
    expect(first.retention[1].retained).toBeGreaterThan(0);
    expect(first.retention[1].retained).toBeLessThan(first.size);

    // Dormant members for the "drifting away" view.
    expect((await get('/v1/members?segment=dormant&limit=1')).data).toHaveLength(1);
  });

  it('files events under the tier the member had at the time, and sets last_active_at from the activity', async () => {
    const [changed] = await t.db.withTenant(demo.tenantId, (tx) =>
      executeRows<{ member_id: string; from_value: string; to_value: string }>(
        tx.execute(sql`select member_id, from_value, to_value from member_events
          where tenant_id = ${demo.tenantId} and type = 'tier_changed' order by occurred_at limit 1`),
      ),
    );
    expect(changed).toBeDefined();
    const all: { tier_id: string; occurred_at: string; type: string }[] = [];
    let cursor: string | null = null;
    do {
      const page = await get(
        `/v1/members/${changed!.member_id}/activity?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      );
      all.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor);
    const change = all.find((e) => e.type === 'member.tier_changed');
    expect(change).toBeDefined();
    for (const e of all) {
      if (e.type === 'member.tier_changed') continue;
      expect(e.tier_id, `${e.type} at ${e.occurred_at}`).toBe(
        e.occurred_at < change!.occurred_at ? changed!.from_value : changed!.to_value,
      );
    }

    const newest = (await get('/v1/members?sort=last_active_at&order=desc&limit=1')).data[0];
    expect(Date.parse(newest.last_active_at)).toBeLessThanOrEqual(NOW.getTime());
    expect(Date.parse(newest.last_active_at)).toBeGreaterThan(NOW.getTime() - 2 * 86_400_000);
    const [latest] = await t.db.withTenant(demo.tenantId, (tx) =>
      executeRows<{ last: string }>(
        tx.execute(sql`select max(occurred_at)::text as last from activity_events
          where tenant_id = ${demo.tenantId} and member_id = ${newest.id}`),
      ),
    );
    expect(Date.parse(newest.last_active_at)).toBe(Date.parse(latest!.last));
  });

  it('is planned the same way every time', () => {
    const plan = () => {
      const random = createRandom(1);
      const members = planMembers(random, 50, NOW.getTime() - 395 * 86_400_000, NOW.getTime());
      return { members, events: planActivity(random, members, NOW.getTime(), 'Europe/Berlin', { platform: true }) };
    };
    const a = plan();
    expect(a.events.length).toBeGreaterThan(500);
    expect(plan()).toEqual(a);
  });
});
