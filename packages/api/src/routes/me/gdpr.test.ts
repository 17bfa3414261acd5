import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, memberCredentials, members, tenants } from '../../db/schema/index.js';
import { createTestContext, expectProblem, type TestContext } from '../../testing/index.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

async function memberOf() {
  const tenant = await t.createTenant();
  await t.db.withPlatform((tx) =>
    tx
      .update(tenants)
      .set({ authSettings: { require_email_verification: false } })
      .where(eq(tenants.id, tenant.id)),
  );
  const email = `gdpr-${Math.random().toString(36).slice(2)}@example.org`;
  const res = await t.request('POST', '/v1/auth/signup', {
    key: tenant.publishable_key,
    body: { email, password: 'my-gdpr-password', first_name: 'Grace', last_name: 'Data' },
    headers: { 'User-Agent': 'GDPR-Test' },
  });
  return { tenant, email, session: res.body as { access_token: string; member: { id: string } } };
}

describe('GDPR access and erasure', () => {
  it('exports everything held about the member as JSON, without secrets', async () => {
    const { session, email } = await memberOf();
    const res = await t.request('GET', '/v1/me/export', { key: session.access_token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    expect(res.body).toMatchObject({
      object: 'member_export',
      member: { id: session.member.id, email, first_name: 'Grace' },
      sign_in: { has_password: true },
      sessions: [expect.objectContaining({ user_agent: 'GDPR-Test' })],
      events: [expect.objectContaining({ type: 'created' })],
    });
    expect(res.text).not.toMatch(/pbkdf2|refresh|rt_/);
  });

  it('erases the member on request: data anonymised, sessions ended, audit entry without personal data', async () => {
    const { tenant, session, email } = await memberOf();
    expect((await t.request('DELETE', '/v1/me', { key: session.access_token })).status).toBe(204);
    expectProblem(await t.request('GET', '/v1/me', { key: session.access_token }), 401);
    const [row] = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(members).where(eq(members.id, session.member.id)),
    );
    expect(row).toMatchObject({ firstName: 'Erased', customFields: {}, tags: [] });
    expect(row!.email).not.toContain(email.split('@')[0]);
    expect(row!.deletedAt).not.toBeNull();
    expect(await t.db.withTenant(tenant.id, (tx) => tx.select().from(memberCredentials))).toHaveLength(0);
    const [entry] = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.action, 'member.erased')),
    );
    expect(JSON.stringify(entry)).not.toContain(email);
    expectProblem(
      await t.request('POST', '/v1/auth/login', {
        key: tenant.publishable_key,
        body: { email, password: 'my-gdpr-password' },
      }),
      401,
    );
    expect((await t.request('GET', '/v1/audit-log/verify', { key: tenant.secret_key })).body.valid).toBe(true);
  });

  it("takes the member's personal data out of the audit log too, and the chain still verifies", async () => {
    const { tenant, session, email } = await memberOf();
    const other = await t.request('POST', '/v1/members', {
      key: tenant.secret_key,
      body: { email: 'bystander@example.org', first_name: 'Bea', last_name: 'Stander' },
    });
    // Staff change the member; the member changes their own name from an address of theirs.
    expect(
      (
        await t.request('PATCH', `/v1/members/${session.member.id}`, {
          key: tenant.secret_key,
          body: { last_name: 'Datawise', tags: ['vip'] },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await t.request('PATCH', '/v1/me', {
          key: session.access_token,
          body: { first_name: 'Gracie' },
          headers: { 'x-test-client-ip': '203.0.113.77' },
        })
      ).status,
    ).toBe(200);
    const before = await t.db.withTenant(tenant.id, (tx) => tx.select().from(auditLog));
    expect(JSON.stringify(before)).toContain('Datawise');
    expect(JSON.stringify(before)).toContain('203.0.113.77');

    expect((await t.request('POST', `/v1/members/${session.member.id}/erase`, { key: tenant.secret_key })).status).toBe(
      204,
    );

    // Nothing of theirs is left in any entry: names, address, tags, the IP they used.
    const after = await t.db.withTenant(tenant.id, (tx) => tx.select().from(auditLog));
    for (const needle of [email, 'Datawise', 'Gracie', 'vip', '203.0.113.77'])
      expect(JSON.stringify(after)).not.toContain(needle);
    const about = after.filter((e) => e.targetId === session.member.id && e.action !== 'member.erased');
    expect(about).toHaveLength(2);
    for (const entry of about) expect(entry).toMatchObject({ diff: {}, diffSalt: null, redactedAt: expect.any(Date) });
    // What they did stays visible as such: who, what, when.
    expect(about.map((e) => [e.action, e.actorType])).toEqual(
      expect.arrayContaining([
        ['member.updated', 'api_key'],
        ['member.updated', 'member'],
      ]),
    );
    const erased = after.find((e) => e.action === 'member.erased')!;
    expect(erased.diff).toEqual({ redacted_entries: about.length });
    // Others' entries are untouched.
    expect(after.find((e) => e.targetId === other.body.id)!.diff).toMatchObject({ email: 'bystander@example.org' });

    const verification = await t.request('GET', '/v1/audit-log/verify', { key: tenant.secret_key });
    expect(verification.body).toMatchObject({ valid: true, checked: after.length, redacted: about.length });
    const listed = await t.request('GET', `/v1/audit-log?target=${session.member.id}`, { key: tenant.secret_key });
    expect(listed.body.data.filter((e: { redacted_at: string | null }) => e.redacted_at !== null)).toHaveLength(
      about.length,
    );
  });

  it('lets the database redact audit entries only of a member who has been erased', async () => {
    const { tenant, session } = await memberOf();
    expect(
      (
        await t.request('PATCH', `/v1/members/${session.member.id}`, {
          key: tenant.secret_key,
          body: { last_name: 'Kept' },
        })
      ).status,
    ).toBe(200);
    const denied = (error: Error) =>
      /not been erased|permission denied/i.test(String((error.cause as Error | undefined)?.message ?? error.message));
    // The app role cannot blank entries itself, nor have the function do it for a member still there.
    await expect(
      t.db.withTenant(tenant.id, (tx) => tx.execute(sql`update audit_log set diff = '{}'::jsonb, diff_salt = null`)),
    ).rejects.toSatisfy(denied);
    await expect(
      t.db.withTenant(tenant.id, (tx) => tx.execute(sql`select memberkit_redact_member_audit(${session.member.id})`)),
    ).rejects.toSatisfy(denied);
    const entries = await t.db.withTenant(tenant.id, (tx) => tx.select().from(auditLog));
    expect(JSON.stringify(entries)).toContain('Kept');
    expect(entries.every((e) => e.redactedAt === null && e.diffSalt !== null)).toBe(true);
  });

  it("lets staff erase a member, and not another tenant's", async () => {
    const { tenant, session } = await memberOf();
    const other = await t.createTenant();
    expectProblem(await t.request('POST', `/v1/members/${session.member.id}/erase`, { key: other.secret_key }), 404);
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    expectProblem(await t.request('POST', `/v1/members/${session.member.id}/erase`, { key: viewer.key }), 403);
    expect((await t.request('POST', `/v1/members/${session.member.id}/erase`, { key: tenant.secret_key })).status).toBe(
      204,
    );
    expect(
      (await t.request('GET', `/v1/members/${session.member.id}`, { key: tenant.secret_key })).body.first_name,
    ).toBe('Erased');
    // Erasure is final: an erased member is not restored like a deleted one.
    expectProblem(
      await t.request('POST', `/v1/members/${session.member.id}/restore`, { key: tenant.secret_key }),
      410,
      'MEMBER_ERASED',
    );
  });
});
