import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditLog,
  idempotencyKeys,
  loginThrottles,
  mailOutbox,
  members,
  oneTimeTokens,
  sessions,
  tenants,
} from '../db/schema/index.js';
import { createTestContext, expectProblem, type TestContext } from '../testing/index.js';
import { createRetentionWorker } from './retention-worker.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const DAY = 24 * 60 * 60 * 1000;

/** The worker as the process runs it, for one tenant, on a clock `ms` ahead. */
function workerAt(tenantId: string, ms: number) {
  const clock = { now: () => new Date(Date.now() + ms) };
  return createRetentionWorker({ deps: { ...t.deps, clock }, logger: t.logger, onlyTenants: [tenantId] });
}

describe('the retention job', () => {
  it('erases deleted members once they can no longer be restored, and prunes spent sessions, tokens, replays and mail', async () => {
    const tenant = await t.createTenant();
    await t.db.withPlatform((tx) =>
      tx
        .update(tenants)
        .set({ authSettings: { require_email_verification: false } })
        .where(eq(tenants.id, tenant.id)),
    );
    const key = tenant.secret_key;

    // A member deleted today, one who stays; both written with an idempotency key.
    const gone = await t.request('POST', '/v1/members', {
      key,
      body: { email: 'gone@example.org', first_name: 'Gone', last_name: 'Away' },
      headers: { 'Idempotency-Key': 'create-gone' },
    });
    const kept = await t.request('POST', '/v1/members', {
      key,
      body: { email: 'kept@example.org', first_name: 'Kept', last_name: 'Here' },
    });
    expect((await t.request('DELETE', `/v1/members/${gone.body.id}`, { key })).status).toBe(200);
    // A member with a live session and an ended one, a mail-link token, and sent mail.
    const signup = await t.request('POST', '/v1/auth/signup', {
      key: tenant.publishable_key,
      body: { email: 'live@example.org', password: 'a long enough password', first_name: 'Liv', last_name: 'E' },
    });
    const second = await t.request('POST', '/v1/auth/login', {
      key: tenant.publishable_key,
      body: { email: 'live@example.org', password: 'a long enough password' },
    });
    expect(
      (
        await t.request('POST', '/v1/auth/logout', {
          key: tenant.publishable_key,
          body: { refresh_token: second.body.refresh_token },
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await t.request('POST', '/v1/auth/password-reset', {
          key: tenant.publishable_key,
          body: { email: 'live@example.org' },
        })
      ).status,
    ).toBe(202);
    await t.request('POST', '/v1/invites', { key, body: { email: 'invited@example.org' } });
    await t.db.withTenant(tenant.id, (tx) =>
      tx.update(mailOutbox).set({ status: 'sent', sentAt: new Date() }).where(eq(mailOutbox.tenantId, tenant.id)),
    );
    const count = async () =>
      t.db.withTenant(tenant.id, async (tx) => ({
        sessions: (await tx.select().from(sessions)).length,
        tokens: (await tx.select().from(oneTimeTokens)).length,
        replays: (await tx.select().from(idempotencyKeys)).length,
        mails: (await tx.select().from(mailOutbox)).length,
      }));
    const start = await count();
    expect(start).toMatchObject({ sessions: 2, replays: 1 });
    expect(start.tokens).toBeGreaterThanOrEqual(1);
    expect(start.mails).toBeGreaterThanOrEqual(2);

    // An hour later nothing is due.
    expect(await workerAt(tenant.id, 60 * 60 * 1000).runOnce()).toMatchObject({
      members_erased: 0,
      sessions_deleted: 0,
      one_time_tokens_deleted: 0,
      idempotency_keys_deleted: 0,
      mails_deleted: 0,
      sign_in_failures_deleted: 0,
      activity_events_deleted: 0,
      activity_ingest_keys_deleted: 0,
    });
    expect((await t.request('POST', `/v1/members/${gone.body.id}/restore`, { key })).status).toBe(200);
    expect((await t.request('DELETE', `/v1/members/${gone.body.id}`, { key })).status).toBe(200);

    // 31 days later: past the restore window and every other retention.
    const result = await workerAt(tenant.id, 31 * DAY).runOnce();
    expect(result).toMatchObject({
      members_erased: 1,
      sessions_deleted: 1,
      one_time_tokens_deleted: start.tokens,
      idempotency_keys_deleted: 1,
      mails_deleted: start.mails,
      sign_in_failures_deleted: 0,
      activity_events_deleted: 0,
      activity_ingest_keys_deleted: 0,
    });
    const [erased] = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(members).where(eq(members.id, gone.body.id)),
    );
    expect(erased).toMatchObject({
      email: `erased+${gone.body.id}@erased.invalid`,
      firstName: 'Erased',
      lastName: 'Member',
    });
    const [audit] = await t.db.withTenant(tenant.id, (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'member.erased'), eq(auditLog.targetId, gone.body.id))),
    );
    expect(audit).toMatchObject({ actorType: 'system', actorId: 'retention' });
    // The personal data in its earlier audit entries went with it.
    const about = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.targetId, gone.body.id)),
    );
    expect(JSON.stringify(about)).not.toContain('gone@example.org');
    expectProblem(await t.request('POST', `/v1/members/${gone.body.id}/restore`, { key }), 410, 'MEMBER_ERASED');

    // What is still in use stays: the other member, the live session (it can still refresh).
    expect((await t.request('GET', `/v1/members/${kept.body.id}`, { key })).body.email).toBe('kept@example.org');
    expect(await count()).toEqual({ sessions: 1, tokens: 0, replays: 0, mails: 0 });
    expect(
      (
        await t.request('POST', '/v1/auth/refresh', {
          key: tenant.publishable_key,
          body: { refresh_token: signup.body.refresh_token },
        })
      ).status,
    ).toBe(200);

    // Running again finds nothing more; an erased member is not erased twice.
    expect((await workerAt(tenant.id, 31 * DAY).runOnce()).members_erased).toBe(0);
    expect((await t.request('GET', '/v1/audit-log/verify', { key })).body).toMatchObject({ valid: true });
  });

  it('leaves other tenants alone', async () => {
    const mine = await t.createTenant();
    const other = await t.createTenant();
    const m = await t.request('POST', '/v1/members', {
      key: other.secret_key,
      body: { email: 'theirs@example.org', first_name: 'T', last_name: 'O' },
    });
    expect((await t.request('DELETE', `/v1/members/${m.body.id}`, { key: other.secret_key })).status).toBe(200);
    expect((await workerAt(mine.id, 31 * DAY).runOnce()).members_erased).toBe(0);
    const [row] = await t.db.withTenant(other.id, (tx) => tx.select().from(members).where(eq(members.id, m.body.id)));
    expect(row!.email).toBe('theirs@example.org');
  });

  it('forgets sign-in failure counts once they no longer slow down or lock anyone', async () => {
    const tenant = await t.createTenant();
    const fail = (email: string) =>
      t.request('POST', '/v1/auth/login', {
        key: tenant.publishable_key,
        body: { email, password: 'not-the-password' },
        headers: { 'X-Test-Client-Ip': '203.0.113.8' },
      });
    expect((await fail('nobody@example.org')).status).toBe(401);
    expect((await fail('locked@example.org')).status).toBe(401);
    const counts = () => t.db.withTenant(tenant.id, (tx) => tx.select().from(loginThrottles));
    expect(await counts()).toHaveLength(2);
    // One of the pairs is locked for a day (as if it had failed often).
    const [locked] = await counts();
    await t.db.withTenant(tenant.id, (tx) =>
      tx
        .update(loginThrottles)
        .set({ lockedUntil: new Date(Date.now() + DAY) })
        .where(eq(loginThrottles.accountDigest, locked!.accountDigest)),
    );

    expect((await workerAt(tenant.id, 30 * 60 * 1000).runOnce()).sign_in_failures_deleted).toBe(0);
    expect((await workerAt(tenant.id, 2 * 60 * 60 * 1000).runOnce()).sign_in_failures_deleted).toBe(1);
    expect((await counts()).map((c) => c.accountDigest)).toEqual([locked!.accountDigest]);
    expect((await workerAt(tenant.id, 2 * DAY).runOnce()).sign_in_failures_deleted).toBe(1);
  });
});
