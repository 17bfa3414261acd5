import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realtimeTickets } from '../db/schema/index.js';
import { createManualClock } from '../lib/clock.js';
import { appendEvents, readEventsSince, readLogPosition } from '../realtime/event-log.js';
import { recordPresence } from '../services/presence.js';
import { createTestContext, type TestContext } from '../testing/harness.js';
import { createRealtimeMaintenance } from './realtime-maintenance.js';

let t: TestContext;
const clock = createManualClock(new Date());

beforeAll(async () => {
  t = await createTestContext({ clock });
});
afterAll(async () => {
  await t.close();
});

describe('createRealtimeMaintenance', () => {
  it('prunes events past the retention (raising pruned_through), expired tickets, and members gone quiet', async () => {
    const tenant = await t.createTenant();
    const member = await t.signUpMember(tenant);
    const memberId = (await t.request('GET', '/v1/me', { key: member.access_token })).body.id as string;
    await recordPresence(t.deps, tenant.id, memberId, 'online');
    await t.db.withTenant(tenant.id, async (tx) => {
      await appendEvents(
        t.deps,
        tx,
        tenant.id,
        [1, 2, 3].map((n) => ({ topic: 'feed', type: 'feed.post_created', data: { n } })),
      );
      await tx.insert(realtimeTickets).values({
        tenantId: tenant.id,
        id: t.deps.ids.generate('rtt'),
        secretHash: 'a'.repeat(64),
        subjectType: 'member',
        subjectId: memberId,
        expiresAt: new Date(clock.now().getTime() + 60_000),
      });
    });
    const maintenance = createRealtimeMaintenance({ deps: t.deps, logger: t.logger, tenantIds: [tenant.id] });

    // Nothing is due yet.
    expect(await maintenance.runOnce({ prune: true })).toMatchObject({
      marked_offline: 0,
      events_deleted: 0,
      tickets_deleted: 0,
    });

    clock.advance(49 * 60 * 60 * 1000);
    await t.db.withTenant(tenant.id, (tx) =>
      appendEvents(t.deps, tx, tenant.id, [{ topic: 'feed', type: 'feed.post_created', data: { n: 4 } }]),
    );
    const run = await maintenance.runOnce({ prune: true });
    // The last event was written at the database's (real) time, which the moved clock puts 49 h back too.
    expect(run).toMatchObject({ marked_offline: 1, tickets_deleted: 1, more: false });
    const { position, left } = await t.db.withTenant(tenant.id, async (tx) => {
      const position = await readLogPosition(tx, tenant.id);
      return { position, left: await readEventsSince(tx, tenant.id, position?.epoch ?? '', 0) };
    });
    // Every event of the tenant (sign-up's member events and these four) was old enough.
    expect(position?.lastSeq).toBeGreaterThanOrEqual(4);
    expect(run.events_deleted).toBe(position?.lastSeq);
    expect(position?.prunedThrough).toBe(position?.lastSeq);
    expect(left).toEqual([]);
    const listed = await t.request('GET', '/v1/presence', { key: tenant.secret_key });
    expect(listed.body.data).toEqual([]);
  });

  it('keeps events within the retention', async () => {
    const tenant = await t.createTenant();
    await t.db.withTenant(tenant.id, (tx) =>
      appendEvents(t.deps, tx, tenant.id, [{ topic: 'feed', type: 'feed.post_created', data: {} }]),
    );
    const maintenance = createRealtimeMaintenance({
      deps: { db: t.db, clock: { now: () => new Date() } },
      logger: t.logger,
      tenantIds: [tenant.id],
    });
    expect((await maintenance.runOnce({ prune: true })).events_deleted).toBe(0);
    const position = await t.db.withTenant(tenant.id, (tx) => readLogPosition(tx, tenant.id));
    expect(position).toMatchObject({ prunedThrough: 0 });
  });
});
