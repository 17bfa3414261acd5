import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRows } from '../db/database.js';
import { createTestContext, drainActivityRollups, TEST_PASSWORD, type TestContext } from '../testing/index.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

async function platformEvents(tenantId: string, memberId: string) {
  return t.db.withTenant(tenantId, (tx) =>
    executeRows<{ type: string; properties: Record<string, unknown>; source: string }>(
      tx.execute(sql`select type, properties, source from activity_events
        where tenant_id = ${tenantId} and member_id = ${memberId} order by occurred_at, id`),
    ),
  );
}

describe('platform activity', () => {
  it('records sign-up, email verification, sign-in and profile updates as member.* events of source platform', async () => {
    const tenant = await t.createTenant();
    const session = await t.signUpMember(tenant);
    const me = await t.request('GET', '/v1/me', { key: session.access_token });
    const memberId = me.body.id as string;
    const login = await t.request('POST', '/v1/auth/login', {
      key: tenant.publishable_key,
      body: { email: session.email, password: TEST_PASSWORD },
    });
    expect(login.status).toBe(200);
    const patched = await t.request('PATCH', '/v1/me', { key: session.access_token, body: { first_name: 'Augusta' } });
    expect(patched.status).toBe(200);

    const events = await platformEvents(tenant.id, memberId);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('member.signed_up');
    expect(types).toContain('member.signed_in');
    expect(types).toContain('member.profile_updated');
    expect(events.every((e) => e.source === 'platform')).toBe(true);
    expect(events.find((e) => e.type === 'member.signed_in')?.properties).toEqual({ method: 'password' });
    expect(events.find((e) => e.type === 'member.profile_updated')?.properties).toEqual({ fields: 'first_name' });
    // Verification, when the tenant requires it, is recorded too.
    const verified = types.includes('member.email_verified');
    const mails = await t.mails(tenant.id, session.email, 'verify_email');
    expect(verified).toBe(mails.length > 0);

    // Platform events count as activity in the rollups.
    await drainActivityRollups(t.deps);
    const [active] = await t.db.withTenant(tenant.id, (tx) =>
      executeRows<{ n: number }>(
        tx.execute(sql`select coalesce(sum(members), 0)::int as n from activity_active_counts
          where tenant_id = ${tenant.id} and grain = 'day' and tier_key = '*'`),
      ),
    );
    expect(active?.n).toBe(1);
  });

  it('records invite_accepted and signed_up (source invite) when an invitation is accepted', async () => {
    const tenant = await t.createTenant();
    const email = `inv-${Math.random().toString(36).slice(2, 8)}@example.org`;
    const invited = await t.request('POST', '/v1/invites', { key: tenant.secret_key, body: { email } });
    expect(invited.status).toBe(201);
    const token = await t.mailToken(tenant.id, 'invite', email);
    const accepted = await t.request('POST', '/v1/invites/accept', {
      key: tenant.publishable_key,
      body: { token, password: TEST_PASSWORD, first_name: 'Ada', last_name: 'Lovelace' },
    });
    expect(accepted.status).toBe(201);
    const [member] = await t.db.withTenant(tenant.id, (tx) =>
      executeRows<{ id: string; source: string }>(
        tx.execute(sql`select id, source from members where tenant_id = ${tenant.id} and email = ${email}`),
      ),
    );
    expect(member?.source).toBe('invite');
    const events = await platformEvents(tenant.id, member!.id);
    // Both in the acceptance's transaction, at the same instant.
    expect(events.map((e) => e.type).sort()).toEqual(['member.invite_accepted', 'member.signed_up']);
    expect(events.find((e) => e.type === 'member.invite_accepted')?.properties).toEqual({ invite_id: invited.body.id });
  });
});
