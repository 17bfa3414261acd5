import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, mailOutbox } from '../../db/schema/index.js';
import { composeOutboxMail } from '../../mail/outbox-mail.js';
import { createTestContext, expectProblem, PLATFORM_KEY, type TestContext } from '../../testing/index.js';

type Tenant = Awaited<ReturnType<TestContext['createTenant']>>;
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const PASSWORD = 'staff-password-2026';

/**
 * Invites a staff user with the tenant's secret key (an owner through the platform
 * operator, as no tenant key may appoint one) and accepts the mailed invitation.
 */
async function staffMember(
  tenant: Tenant,
  role: string,
  email = `staff-${Math.random().toString(36).slice(2)}@example.org`,
) {
  const invited =
    role === 'owner'
      ? await t.request('POST', `/v1/platform/tenants/${tenant.id}/owners`, {
          key: PLATFORM_KEY,
          body: { email, name: 'Grace Hopper' },
        })
      : await t.request('POST', '/v1/staff', { key: tenant.secret_key, body: { email, name: 'Grace Hopper', role } });
  expect(invited.status).toBe(201);
  const mails = await t.db.withTenant(tenant.id, (tx) =>
    tx.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email)),
  );
  // The token as the invited person gets it: from the link in the mail the delivery worker composes.
  const mail = composeOutboxMail(
    mails[0]!,
    { id: tenant.id, slug: tenant.slug, name: tenant.name, branding: {}, defaultLocale: 'en' },
    {
      from: 'no-reply@memberkit.test',
      linkBaseUrl: 'https://console.example',
    },
  );
  expect(mail.subject).toBe(`You are invited to manage ${tenant.name}`);
  const link = /https:\/\/console\.example\/admin\/accept-invite\?token=([^&\s]+)&tenant=(tnt_\w+)/.exec(mail.text);
  expect(link?.[2]).toBe(tenant.id);
  const token = decodeURIComponent(link![1]!);
  const accepted = await t.request('POST', '/v1/auth/staff/accept-invite', {
    key: tenant.publishable_key,
    body: { token, password: PASSWORD },
  });
  expect(accepted.status).toBe(200);
  return {
    id: invited.body.id as string,
    email,
    token: accepted.body.access_token as string,
    refresh: accepted.body.refresh_token as string,
  };
}

describe('staff accounts', () => {
  it("invites, accepts, signs in, and acts with the role's permissions, audited under the staff id", async () => {
    const tenant = await t.createTenant();
    const admin = await staffMember(tenant, 'admin');
    const list = await t.request('GET', '/v1/staff', { key: admin.token });
    expect(list.body.data).toEqual([expect.objectContaining({ id: admin.id, role: 'admin', status: 'active' })]);

    const created = await t.request('POST', '/v1/members', {
      key: admin.token,
      body: { email: 'm@example.org', first_name: 'M', last_name: 'N' },
    });
    expect(created.status).toBe(201);
    const [entry] = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.targetId, created.body.id)),
    );
    expect(entry).toMatchObject({ actorType: 'staff', actorId: admin.id, action: 'member.created' });

    const login = await t.request('POST', '/v1/auth/staff/login', {
      key: tenant.publishable_key,
      body: { email: admin.email.toUpperCase(), password: PASSWORD },
    });
    expect(login.status).toBe(200);
    expect(login.body.staff.id).toBe(admin.id);
    const wrong = await t.request('POST', '/v1/auth/staff/login', {
      key: tenant.publishable_key,
      body: { email: admin.email, password: 'nope-nope-nope' },
    });
    const unknown = await t.request('POST', '/v1/auth/staff/login', {
      key: tenant.publishable_key,
      body: { email: 'who@example.org', password: 'nope-nope-nope' },
    });
    expect(wrong.status).toBe(401);
    expect({ ...wrong.body, request_id: null }).toEqual({ ...unknown.body, request_id: null });
    const refreshed = await t.request('POST', '/v1/auth/staff/refresh', {
      key: tenant.publishable_key,
      body: { refresh_token: login.body.refresh_token },
    });
    expect(refreshed.status).toBe(200);
  });

  it('keeps member and staff tokens apart', async () => {
    const tenant = await t.createTenant();
    const viewer = await staffMember(tenant, 'viewer');
    expectProblem(await t.request('GET', '/v1/me', { key: viewer.token }), 403);
    expect((await t.request('GET', '/v1/members', { key: viewer.token })).status).toBe(200);
    const problem = expectProblem(
      await t.request('POST', '/v1/members', {
        key: viewer.token,
        body: { email: 'x@example.org', first_name: 'X', last_name: 'Y' },
      }),
      403,
    );
    expect(problem.detail).toContain('member:create');
    expectProblem(await t.request('GET', '/v1/staff', { key: tenant.publishable_key }), 403);
  });

  it('applies role changes and removal at once', async () => {
    const tenant = await t.createTenant();
    const manager = await staffMember(tenant, 'manager');
    const body = { email: 'r@example.org', first_name: 'R', last_name: 'S' };
    expect((await t.request('POST', '/v1/members', { key: manager.token, body })).status).toBe(201);
    expect(
      (await t.request('PATCH', `/v1/staff/${manager.id}`, { key: tenant.secret_key, body: { role: 'viewer' } })).body
        .role,
    ).toBe('viewer');
    expectProblem(
      await t.request('POST', '/v1/members', { key: manager.token, body: { ...body, email: 'r2@example.org' } }),
      403,
    );
    expect((await t.request('DELETE', `/v1/staff/${manager.id}`, { key: tenant.secret_key })).body.status).toBe(
      'disabled',
    );
    expectProblem(await t.request('GET', '/v1/members', { key: manager.token }), 401);
    expectProblem(
      await t.request('POST', '/v1/auth/staff/login', {
        key: tenant.publishable_key,
        body: { email: manager.email, password: PASSWORD },
      }),
      401,
    );
  });

  it('protects owners: only owners manage owners, and the last one stays', async () => {
    const tenant = await t.createTenant();
    const owner = await staffMember(tenant, 'owner');
    const admin = await staffMember(tenant, 'admin');
    expectProblem(
      await t.request('POST', '/v1/staff', {
        key: admin.token,
        body: { email: 'o2@example.org', name: 'O', role: 'owner' },
      }),
      403,
      'ROLE_CEILING',
    );
    expectProblem(
      await t.request('PATCH', `/v1/staff/${owner.id}`, { key: admin.token, body: { role: 'viewer' } }),
      403,
      'ROLE_CEILING',
    );
    expectProblem(
      await t.request('PATCH', `/v1/staff/${owner.id}`, { key: owner.token, body: { role: 'admin' } }),
      409,
      'STAFF_LAST_OWNER',
    );
    expectProblem(await t.request('DELETE', `/v1/staff/${owner.id}`, { key: owner.token }), 409, 'STAFF_LAST_OWNER');
    expectProblem(
      await t.request('POST', '/v1/staff', {
        key: tenant.secret_key,
        body: { email: admin.email, name: 'Dup', role: 'viewer' },
      }),
      409,
      'STAFF_EMAIL_TAKEN',
    );
  });

  it('lets the tenant backend mint a staff session with its secret key only', async () => {
    const tenant = await t.createTenant();
    const admin = await staffMember(tenant, 'admin');
    const minted = await t.request('POST', `/v1/staff/${admin.id}/sessions`, { key: tenant.secret_key });
    expect(minted.status).toBe(201);
    expect((await t.request('GET', '/v1/staff', { key: minted.body.access_token })).status).toBe(200);
    expectProblem(await t.request('POST', `/v1/staff/${admin.id}/sessions`, { key: admin.token }), 403);
    const other = await t.createTenant();
    expectProblem(await t.request('POST', `/v1/staff/${admin.id}/sessions`, { key: other.secret_key }), 404);
    expectProblem(
      await t.request('POST', '/v1/auth/staff/accept-invite', {
        key: tenant.publishable_key,
        body: { token: 'x'.repeat(40), password: PASSWORD },
      }),
      400,
      'INVALID_CODE',
    );
  });
});
