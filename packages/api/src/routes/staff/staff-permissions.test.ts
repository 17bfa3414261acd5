import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, expectProblem, TEST_PASSWORD, type TestContext } from '../../testing/index.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const MANAGER_PERMISSIONS = [
  'tenant:read',
  'api_key:read',
  'member:read',
  'member:create',
  'member:update',
  'member:delete',
  'tier:read',
  'tier:create',
  'tier:update',
  'tier:delete',
  'field:read',
  'invite:read',
  'invite:create',
  'invite:revoke',
  'audit_log:read',
  'staff:read',
  'activity:read',
  'activity:create',
  'analytics:read',
  'report:read',
  'report:manage',
  'billing:read',
  'notification:read',
  'notification:create',
  'feed:read',
  'feed:manage',
  'message:read',
  'message:write',
  'message:moderate',
];
const VIEWER_PERMISSIONS = MANAGER_PERMISSIONS.filter((p) => p.endsWith(':read'));

// The admin elements hide what a role may not do from these lists, instead of a copy of the API's table.
describe('the permissions served with a staff session', () => {
  it('come with every staff session: accepted invitation, sign-in, refresh and one minted by the backend', async () => {
    const tenant = await t.createTenant();
    const manager = await t.signInStaff(tenant, 'manager');
    expect(manager.permissions).toEqual(MANAGER_PERMISSIONS);

    const login = await t.request('POST', '/v1/auth/staff/login', {
      key: tenant.publishable_key,
      body: { email: manager.email, password: TEST_PASSWORD },
    });
    expect(login.body.permissions).toEqual(MANAGER_PERMISSIONS);

    const refreshed = await t.request('POST', '/v1/auth/staff/refresh', {
      key: tenant.publishable_key,
      body: { refresh_token: login.body.refresh_token },
    });
    expect(refreshed.body.permissions).toEqual(MANAGER_PERMISSIONS);

    const minted = await t.request('POST', `/v1/staff/${manager.id}/sessions`, { key: tenant.secret_key });
    expect(minted.status).toBe(201);
    expect(minted.body.permissions).toEqual(MANAGER_PERMISSIONS);

    const admin = await t.signInStaff(tenant, 'admin');
    expect(admin.permissions).toContain('staff:manage');
    expect(admin.permissions).toContain('tenant:update');
    expect(admin.permissions).toContain('billing:write');
  });
});

describe('GET /v1/staff/me', () => {
  it("answers with the staff user and their role's permissions, read afresh after a role change", async () => {
    const tenant = await t.createTenant();
    const staff = await t.signInStaff(tenant, 'manager');

    const me = await t.request('GET', '/v1/staff/me', { key: staff.access_token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: staff.id, object: 'staff', email: staff.email, role: 'manager' });
    expect(me.body.permissions).toEqual(MANAGER_PERMISSIONS);

    const demoted = await t.request('PATCH', `/v1/staff/${staff.id}`, {
      key: tenant.secret_key,
      body: { role: 'viewer' },
    });
    expect(demoted.status).toBe(200);
    // The same access token: the role is read on every request, so are the permissions.
    const after = await t.request('GET', '/v1/staff/me', { key: staff.access_token });
    expect(after.body.role).toBe('viewer');
    expect(after.body.permissions).toEqual(VIEWER_PERMISSIONS);
  });

  it('refuses a secret key, which is no staff user, and a request without a credential', async () => {
    const tenant = await t.createTenant();
    expectProblem(await t.request('GET', '/v1/staff/me', { key: tenant.secret_key }), 403, 'PERMISSION_DENIED');
    expect((await t.request('GET', '/v1/staff/me')).status).toBe(401);
  });
});
