import { drainActivityRollups } from '@memberkit/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidRequestError, NotFoundError, type Memberkit, type ReportSpec } from '../../src/index.js';
import { email, startApi, type Api, type Tenant } from '../support/api.js';

let api: Api;
let tenant: Tenant;
let mk: Memberkit;
let memberId: string;
beforeAll(async () => {
  api = await startApi();
  tenant = await api.tenant({ require_email_verification: false });
  mk = api.client({ secretKey: tenant.secret_key });
  memberId = (await mk.members.create({ email: email('activity'), first_name: 'Ada', last_name: 'Lovelace' })).id;
});
afterAll(() => api.close());

/** The local date (tenant time zone UTC) `days` ago. */
const dayAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

describe('activity', () => {
  it('records one event or a batch, giving each event an id so a repeat counts once', async () => {
    const one = await mk.activity.record({ type: 'event.attended', member_id: memberId, properties: { event: 'agm' } });
    expect(one).toMatchObject({ object: 'activity_ingest', accepted: 1, duplicates: 0, rejected: 0 });
    expect(one.items[0]?.id).toMatch(/^sdk_[0-9a-f]{32}$/);

    const event = { id: one.items[0]!.id!, type: 'event.attended', member_id: memberId };
    const again = await mk.activity.record([event, { type: 'course.completed', member_id: memberId }]);
    expect(again).toMatchObject({ accepted: 1, duplicates: 1, rejected: 0 });
    // The caller's objects are left alone.
    expect(Object.keys(event)).toEqual(['id', 'type', 'member_id']);

    // One bad event: rejected alone, or the whole batch with `atomic`.
    const mixed = await mk.activity.record([
      { type: 'page.viewed', member_id: memberId },
      { type: 'member.signed_in', member_id: memberId },
    ]);
    expect(mixed.items.map((i) => i.status)).toEqual(['accepted', 'rejected']);
    expect(mixed.items[1]?.error?.code).toBe('RESERVED_EVENT_TYPE');
    const before = await mk.members.activity(memberId).toArray({ limit: 100 });
    const atomic = mk.activity.record(
      [
        { type: 'page.viewed', member_id: memberId },
        { type: 'page.viewed', member_id: 'mem_unknown' },
      ],
      { atomic: true },
    );
    await expect(atomic).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(atomic).rejects.toMatchObject({ status: 422, code: 'ACTIVITY_BATCH_REJECTED' });
    expect(await mk.members.activity(memberId).toArray({ limit: 100 })).toHaveLength(before.length);
  });

  it("lists a member's timeline page by page, filtered by type or namespace, and the types with counts", async () => {
    const member = await mk.members.create({ email: email('timeline'), first_name: 'Grace', last_name: 'Hopper' });
    const events = Array.from({ length: 25 }, (_, i) => ({
      type: i % 5 === 0 ? 'content.downloaded' : 'page.viewed',
      member_id: member.id,
      occurred_at: new Date(Date.now() - (i + 1) * 60_000).toISOString(),
      properties: { n: i },
    }));
    expect((await mk.activity.record(events)).accepted).toBe(25);

    const first = await mk.members.activity(member.id, { limit: 10 });
    expect(first.data).toHaveLength(10);
    expect(first.has_more).toBe(true);
    const all = await mk.members.activity(member.id, { limit: 10 }).toArray({ limit: 100 });
    // Newest first, every event once.
    expect(all.map((e) => e.properties.n)).toEqual(events.map((e) => e.properties.n));
    expect(all[0]).toMatchObject({ object: 'activity_event', type: 'content.downloaded', source: 'api' });
    expect(all[0]?.label).toBe('Downloaded content');
    const downloads = await mk.members.activity(member.id, { type: 'content.*' }).toArray({ limit: 100 });
    expect(downloads.map((e) => e.type)).toEqual(Array(5).fill('content.downloaded'));

    // Types and counts come from the rollups, which the worker applies after the ingest.
    await drainActivityRollups({ db: api.t.db });
    const types = await mk.activity.types({ from: dayAgo(2), to: dayAgo(-1) });
    expect(types.data.find((t) => t.type === 'content.downloaded')).toMatchObject({ events: 5, members: 1 });
    await expect(mk.members.activity('mem_nobody')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lets a signed-in member record and list their own activity', async () => {
    const session = await api.t.signUpMember(tenant);
    const member = api.client({ accessToken: session.access_token });
    const own = session.member.id as string;
    const recorded = await member.activity.record({ type: 'page.viewed', member_id: own, properties: { path: '/' } });
    expect(recorded.accepted).toBe(1);
    const mine = await member.me.activity().toArray({ limit: 100 });
    expect(mine.map((e) => e.type)).toContain('page.viewed');
    expect(mine.every((e) => e.member_id === own)).toBe(true);
  });
});

describe('analytics', () => {
  it('reads engagement, a member’s engagement, growth and retention', async () => {
    await drainActivityRollups({ db: api.t.db });
    const engagement = await mk.analytics.engagement({ from: dayAgo(6), to: dayAgo(0), interval: 'day' });
    expect(engagement).toMatchObject({ object: 'engagement_report', from: dayAgo(6), to: dayAgo(0), interval: 'day' });
    expect(engagement.series).toHaveLength(7);
    expect(engagement.summary.active_members).toBeGreaterThanOrEqual(2);
    expect(engagement.summary.top_event_types.map((t) => t.type)).toContain('page.viewed');

    const mine = await mk.analytics.memberEngagement(memberId);
    expect(mine).toMatchObject({ object: 'member_engagement', member_id: memberId });
    expect(mine.events).toBeGreaterThan(0);

    const growth = await mk.analytics.growth({ from: dayAgo(6), to: dayAgo(0), interval: 'day' });
    expect(growth.series).toHaveLength(7);
    expect(growth.series.reduce((sum, b) => sum + b.new, 0)).toBeGreaterThanOrEqual(3);

    const retention = await mk.analytics.retention({ cohort: 'week', periods: 2 });
    expect(retention.cohorts).toHaveLength(2);
    expect(retention.cohorts.at(-1)!.size).toBeGreaterThanOrEqual(3);

    await expect(mk.analytics.engagement({ from: dayAgo(0), to: dayAgo(6) })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
  });
});

describe('reports', () => {
  it('runs a spec, saves, lists, updates, runs and exports a report, and deletes it', async () => {
    const spec: ReportSpec = { metric: 'event_count', dimensions: ['event_type'], from: dayAgo(6), to: dayAgo(0) };
    const result = await mk.reports.query(spec);
    expect(result).toMatchObject({ object: 'report_result', metric: 'event_count' });
    expect(result.rows.find((r) => r.event_type === 'page.viewed')?.event_count).toBeGreaterThan(0);

    const report = await mk.reports.create({ name: 'Events by type', spec });
    expect(report).toMatchObject({ object: 'report', name: 'Events by type' });
    expect((await mk.reports.list()).data.map((r) => r.id)).toContain(report.id);
    const listed = [];
    for await (const r of mk.reports.list({ limit: 1 })) listed.push(r.id);
    expect(listed).toContain(report.id);
    expect(await mk.reports.retrieve(report.id)).toMatchObject({ id: report.id });
    expect((await mk.reports.update(report.id, { name: 'Renamed' })).name).toBe('Renamed');

    expect((await mk.reports.result(report.id)).rows).toEqual(result.rows);
    const csv = await mk.reports.resultCsv(report.id);
    expect(csv.split('\r\n')[0]).toBe('event_type,event_type_label,event_count');
    expect(csv).toContain('page.viewed,');

    await mk.reports.del(report.id);
    await expect(mk.reports.retrieve(report.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(mk.reports.query({ metric: 'nonsense' } as never)).rejects.toBeInstanceOf(InvalidRequestError);
  });
});
