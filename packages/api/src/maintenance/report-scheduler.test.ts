import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailOutbox, members, staffUsers } from '../db/schema/index.js';
import { createManualClock } from '../lib/clock.js';
import { createMemoryLogger } from '../lib/logger.js';
import { composeOutboxMail } from '../mail/outbox-mail.js';
import { ingestActivity } from '../services/activity-ingest.js';
import { createTestContext, drainActivityRollups, type TestContext, type TestTenant } from '../testing/index.js';
import { createReportScheduler } from './report-scheduler.js';

const clock = createManualClock(new Date('2026-11-20T03:00:00Z')); // Friday 16:00 in Auckland
let t: TestContext;
let tenant: TestTenant;
let staff: { id: string; email: string }[];

beforeAll(async () => {
  t = await createTestContext({ clock });
  tenant = await t.createTenant('Rowing Club');
  const patched = await t.request('PATCH', '/v1/tenant', {
    key: tenant.secret_key,
    body: { time_zone: 'Pacific/Auckland', locale: { default: 'de', supported: ['de', 'en'] } },
  });
  expect(patched.status, patched.text).toBe(200);
  staff = [await t.signInStaff(tenant, 'admin'), await t.signInStaff(tenant, 'viewer')];
  const member = t.deps.ids.generate('mem');
  await t.db.withTenant(tenant.id, (tx) =>
    tx
      .insert(members)
      .values({ tenantId: tenant.id, id: member, email: 'm@example.org', firstName: 'M', lastName: 'M' }),
  );
  const result = await ingestActivity(
    t.deps,
    tenant.id,
    [
      { type: 'page.viewed', member_id: member, occurred_at: '2026-11-16T01:00:00Z' },
      { type: 'page.viewed', member_id: member, occurred_at: '2026-11-17T01:00:00Z' },
      { type: 'event.attended', member_id: member, occurred_at: '2026-11-17T02:00:00Z' },
    ],
    { source: 'api', backfill: true },
  );
  expect(result.accepted).toBe(3);
  await drainActivityRollups(t.deps);
});
afterAll(() => t.close());

function scheduler() {
  return createReportScheduler({ deps: t.deps, logger: createMemoryLogger(), onlyTenants: [tenant.id] });
}

async function scheduledMails() {
  return t.db.withTenant(tenant.id, (tx) =>
    tx
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.tenantId, tenant.id), eq(mailOutbox.template, 'scheduled_report'))),
  );
}

describe('report scheduler', () => {
  it('computes the next run at 07:00 tenant time on Mondays and on the 1st', async () => {
    const spec = { metric: 'event_count', dimensions: ['day'], range: 'previous_week' };
    const weekly = await t.request('POST', '/v1/reports', {
      key: tenant.secret_key,
      body: { name: 'Weekly', spec, schedule: 'weekly', recipients: [staff[0]!.id] },
    });
    // Monday 23 November 07:00 NZDT (+13) = Sunday 18:00 UTC.
    expect(weekly.body.next_run_at).toBe('2026-11-22T18:00:00.000Z');
    const monthly = await t.request('POST', '/v1/reports', {
      key: tenant.secret_key,
      body: { name: 'Monthly', spec, schedule: 'monthly', recipients: [staff[0]!.id] },
    });
    expect(monthly.body.next_run_at).toBe('2026-11-30T18:00:00.000Z');
    for (const id of [weekly.body.id, monthly.body.id])
      expect((await t.request('DELETE', `/v1/reports/${id}`, { key: tenant.secret_key })).status).toBe(200);
  });

  it('mails each recipient once per run, however often it runs', async () => {
    const created = await t.request('POST', '/v1/reports', {
      key: tenant.secret_key,
      body: {
        name: 'Wöchentliche <Aktivität>',
        spec: { metric: 'event_count', dimensions: ['day', 'event_type'], range: 'previous_week' },
        schedule: 'weekly',
        recipients: staff.map((s) => s.id),
      },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;

    expect((await scheduler().runOnce()).reports).toBe(0); // not due yet
    clock.set(new Date('2026-11-22T18:30:00Z'));
    const [first, second] = [await scheduler().runOnce(), await scheduler().runOnce()];
    expect(first).toEqual({ reports: 1, mails: 2, failed: 0 });
    expect(second).toEqual({ reports: 0, mails: 0, failed: 0 });
    let mails = await scheduledMails();
    expect(mails.map((m) => m.toAddress).sort()).toEqual(staff.map((s) => s.email).sort());

    const mail = mails[0]!;
    expect(mail.locale).toBe('de');
    expect(mail.data).toMatchObject({ report_id: id, from: '2026-11-16', to: '2026-11-22', total_rows: 3 });
    expect(mail.data.columns).toEqual(['Tag', 'Ereignistyp', 'Ereignisse']);
    expect(mail.data.rows).toEqual([
      ['2026-11-16', 'Seite angesehen', '1'],
      ['2026-11-17', 'Veranstaltung besucht', '1'],
      ['2026-11-17', 'Seite angesehen', '1'],
    ]);
    const message = composeOutboxMail(
      {
        tenantId: tenant.id,
        id: mail.id,
        template: mail.template,
        toAddress: mail.toAddress,
        locale: mail.locale,
        data: mail.data,
      },
      { id: tenant.id, slug: tenant.slug, name: tenant.name, branding: {}, defaultLocale: 'de' },
      { from: 'reports@example.org', linkBaseUrl: 'https://example.org' },
    );
    expect(message.subject).toBe('Wöchentliche <Aktivität>: Ihr Bericht von Rowing Club');
    expect(message.text).toContain('Tag         Ereignistyp            Ereignisse');
    expect(message.text).toContain('2026-11-17  Veranstaltung besucht  1');
    expect(message.html).toContain('&lt;Aktivität&gt;');
    expect(message.html).toContain('<td style="padding:4px 12px 4px 0;');
    expect(message.html).not.toContain('<Aktivität>');

    const report = await t.request('GET', `/v1/reports/${id}`, { key: tenant.secret_key });
    expect(report.body.next_run_at).toBe('2026-11-29T18:00:00.000Z');
    expect(report.body.last_run_at).toBe('2026-11-22T18:30:00.000Z');

    // The next slot: two schedulers at once still mail once.
    clock.set(new Date('2026-11-29T18:00:00Z'));
    const both = await Promise.all([scheduler().runOnce(), scheduler().runOnce()]);
    expect(both.reduce((n, r) => n + r.mails, 0)).toBe(2);
    mails = await scheduledMails();
    expect(mails.length).toBe(4);
    await t.request('DELETE', `/v1/reports/${id}`, { key: tenant.secret_key });
  });

  it('skips disabled recipients and a report whose spec no longer runs, and moves on', async () => {
    const fields = await t.request('PUT', '/v1/tenant/fields', {
      key: tenant.secret_key,
      body: {
        fields: [
          { key: 'region', label: { en: 'Region' }, type: 'select', options: [{ value: 'n', label: { en: 'N' } }] },
        ],
      },
    });
    expect(fields.status).toBe(200);
    const created = await t.request('POST', '/v1/reports', {
      key: tenant.secret_key,
      body: {
        name: 'By region',
        spec: { metric: 'members', dimensions: ['custom_field:region'], range: 'last_7_days' },
        schedule: 'weekly',
        recipients: staff.map((s) => s.id),
      },
    });
    expect(created.status, created.text).toBe(201);
    await t.request('PUT', '/v1/tenant/fields', { key: tenant.secret_key, body: { fields: [] } });
    const before = (await scheduledMails()).length;
    clock.set(new Date('2026-12-06T18:05:00Z'));
    expect(await scheduler().runOnce()).toEqual({ reports: 1, mails: 0, failed: 1 });
    expect((await scheduledMails()).length).toBe(before);
    const report = await t.request('GET', `/v1/reports/${created.body.id}`, { key: tenant.secret_key });
    expect(report.body.next_run_at).toBe('2026-12-13T18:00:00.000Z');

    // Fields back, one recipient disabled: only the other is mailed.
    await t.request('PUT', '/v1/tenant/fields', {
      key: tenant.secret_key,
      body: {
        fields: [
          { key: 'region', label: { en: 'Region' }, type: 'select', options: [{ value: 'n', label: { en: 'N' } }] },
        ],
      },
    });
    await t.db.withTenant(tenant.id, (tx) =>
      tx
        .update(staffUsers)
        .set({ status: 'disabled' })
        .where(and(eq(staffUsers.tenantId, tenant.id), eq(staffUsers.id, staff[1]!.id))),
    );
    clock.set(new Date('2026-12-13T18:05:00Z'));
    expect(await scheduler().runOnce()).toEqual({ reports: 1, mails: 1, failed: 0 });
  });
});
