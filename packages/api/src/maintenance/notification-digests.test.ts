import { afterAll, beforeAll, expect, it } from 'vitest';
import { createManualClock } from '../lib/clock.js';
import { createNotifications } from '../services/notifications.js';
import { createTestContext, type TestContext, type TestTenant } from '../testing/index.js';
import { createNotificationDigestWorker } from './notification-digests.js';

const clock = createManualClock(new Date('2026-12-07T06:00:00Z')); // a Monday, before 08:00 UTC
let t: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestContext({ clock });
  tenant = await t.createTenant('Digest club');
});
afterAll(async () => {
  await t.close();
});

it('mails unread notifications once per daily slot, in the outbox, and marks them digested', async () => {
  const session = await t.signUpMember(tenant);
  const me = await t.request('GET', '/v1/me', { key: session.access_token });
  const memberId = me.body.id as string;
  const prefs = await t.request('PATCH', '/v1/me/notification-preferences', {
    key: session.access_token,
    body: { preferences: [{ type: 'announcement', email_digest: 'daily' }] },
  });
  expect(prefs.status, prefs.text).toBe(200);
  const notify = (title: string, type: 'announcement' | 'mention' = 'announcement') =>
    t.db.withTenant(tenant.id, (tx) => createNotifications(t.deps, tx, tenant.id, [{ memberId, type, title }]));
  await notify('First news');
  await notify('Mentioned', 'mention'); // no digest for mentions
  const [read] = await notify('Already read');
  await t.request('POST', `/v1/me/notifications/${read!.id}/read`, { key: session.access_token });

  const worker = createNotificationDigestWorker({ deps: t.deps, logger: t.logger, onlyTenants: [tenant.id] });
  expect((await worker.runOnce()).mails).toBe(0);
  clock.advance(3 * 3600_000); // 09:00
  expect(await worker.runOnce()).toEqual({ mails: 1, notifications: 1 });
  const mails = await t.mails(tenant.id, session.email, 'notification_digest');
  expect(mails).toHaveLength(1);
  expect(mails[0]!.data).toMatchObject({ frequency: 'daily', count: 1, items: [{ title: 'First news' }] });

  expect((await worker.runOnce()).mails).toBe(0);
  await notify('Later the same day');
  expect((await worker.runOnce()).mails).toBe(0);
  clock.advance(24 * 3600_000);
  expect(await worker.runOnce()).toEqual({ mails: 1, notifications: 1 });
  const again = await t.mails(tenant.id, session.email, 'notification_digest');
  expect(again).toHaveLength(2);
  expect(again[0]!.data).toMatchObject({ items: [{ title: 'Later the same day' }] });
});
