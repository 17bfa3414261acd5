import { asc, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, auditLog, mailOutbox, sessions, staffUsers } from '../../db/schema/index.js';
import { createStaffWithPassword } from '../../accounts/staff.js';
import {
  createTestContext,
  expectProblem,
  PLATFORM_KEY,
  type TestContext,
  type TestResponse,
} from '../../testing/index.js';

type Tenant = Awaited<ReturnType<TestContext['createTenant']>>;
type Role = 'owner' | 'admin' | 'manager' | 'viewer';
const ROLES: Role[] = ['owner', 'admin', 'manager', 'viewer'];
const KEY_ROLES = ['admin', 'manager', 'viewer'] as const;

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const PASSWORD = 'ceiling-password-2026';
const SETUP = { actorType: 'system', actorId: 'test-setup', requestId: null, ip: null } as const;

/** An active staff user made directly (setup, not under test). */
async function activeStaff(tenant: Tenant, role: Role) {
  const email = `${role}-${crypto.randomUUID()}@example.org`;
  const staff = await createStaffWithPassword(t.deps, tenant.id, SETUP, {
    email,
    name: `The ${role}`,
    role,
    password: PASSWORD,
  });
  return { id: staff.id, email };
}

/** An active staff user signed in through the API. */
async function signedInStaff(tenant: Tenant, role: Role) {
  const staff = await activeStaff(tenant, role);
  const login = await t.request('POST', '/v1/auth/staff/login', {
    key: tenant.publishable_key,
    body: { email: staff.email, password: PASSWORD },
  });
  expect(login.status).toBe(200);
  return { id: staff.id, token: login.body.access_token as string };
}

/** Everything a refused request could have changed: staff, keys, sessions, audit entries, mail. */
function snapshot(tenant: Tenant) {
  return t.db.withTenant(tenant.id, async (tx) => ({
    staff: await tx
      .select({ id: staffUsers.id, role: staffUsers.role, status: staffUsers.status })
      .from(staffUsers)
      .orderBy(asc(staffUsers.id)),
    keys: await tx
      .select({ id: apiKeys.id, role: apiKeys.role, revokedAt: apiKeys.revokedAt })
      .from(apiKeys)
      .orderBy(asc(apiKeys.id)),
    sessions: (await tx.select({ n: count() }).from(sessions))[0]!.n,
    audit: (await tx.select({ n: count() }).from(auditLog))[0]!.n,
    mail: (await tx.select({ n: count() }).from(mailOutbox))[0]!.n,
  }));
}

describe('issue 10, defect 2: an admin cannot become owner through a secret key', () => {
  it('refuses the admin key the admin mints, for self-promotion, an owner session and demoting the owner', async () => {
    const tenant = await t.createTenant();
    const owner = await signedInStaff(tenant, 'owner');
    const admin = await signedInStaff(tenant, 'admin');
    expectProblem(
      await t.request('PATCH', `/v1/staff/${admin.id}`, { key: admin.token, body: { role: 'owner' } }),
      403,
      'ROLE_CEILING',
    );

    const key = await t.request('POST', '/v1/api-keys', { key: admin.token, body: { kind: 'secret', role: 'admin' } });
    expect(key.status).toBe(201);
    const before = await snapshot(tenant);
    expectProblem(
      await t.request('PATCH', `/v1/staff/${admin.id}`, { key: key.body.key, body: { role: 'owner' } }),
      403,
      'ROLE_CEILING',
    );
    expectProblem(
      await t.request('POST', `/v1/staff/${owner.id}/sessions`, { key: key.body.key }),
      403,
      'ROLE_CEILING',
    );
    expectProblem(
      await t.request('PATCH', `/v1/staff/${owner.id}`, { key: key.body.key, body: { role: 'viewer' } }),
      403,
      'ROLE_CEILING',
    );
    expectProblem(await t.request('DELETE', `/v1/staff/${owner.id}`, { key: key.body.key }), 403, 'ROLE_CEILING');
    expectProblem(
      await t.request('POST', '/v1/staff', {
        key: key.body.key,
        body: { email: 'o@example.org', name: 'O', role: 'owner' },
      }),
      403,
      'ROLE_CEILING',
    );
    expectProblem(
      await t.request('POST', `/v1/staff/${admin.id}/transfer-ownership`, { key: key.body.key }),
      403,
      'ROLE_CEILING',
    );
    expect(await snapshot(tenant)).toEqual(before);

    const staff = await t.request('GET', '/v1/staff', { key: owner.token });
    expect(
      Object.fromEntries(
        staff.body.data.map((s: { id: string; role: string; status: string }) => [s.id, `${s.role}/${s.status}`]),
      ),
    ).toEqual({
      [owner.id]: 'owner/active',
      [admin.id]: 'admin/active',
    });
  });
});

/**
 * The rule under test, written out independently of the code: staff:manage and
 * api_key:create/revoke belong to owners and admins; sessions are minted with
 * secret keys only; and a credential acts only on roles at most its own (its
 * role for a key, never owner).
 */
const RANK: Record<Role, number> = { viewer: 0, manager: 1, admin: 2, owner: 3 };
interface Actor {
  label: string;
  kind: 'staff' | 'key';
  role: Role;
}
type Expected = { status: number; code?: string };
function expected(actor: Actor, action: { targets: Role[]; needs?: 'secret_key' }, ok: number): Expected {
  if (actor.role !== 'owner' && actor.role !== 'admin') return { status: 403, code: 'PERMISSION_DENIED' };
  if (action.needs === 'secret_key' && actor.kind !== 'key') return { status: 403, code: 'PERMISSION_DENIED' };
  if (action.targets.some((role) => RANK[role] > RANK[actor.role])) return { status: 403, code: 'ROLE_CEILING' };
  return { status: ok };
}

const ACTORS: Actor[] = [
  ...ROLES.map((role) => ({ label: `${role} staff session`, kind: 'staff' as const, role })),
  ...KEY_ROLES.map((role) => ({ label: `${role} secret key`, kind: 'key' as const, role })),
];

interface Action {
  label: string;
  targets: Role[];
  needs?: 'secret_key';
  ok: number;
  /** Makes what the request acts on (setup, not under test); returns its id. */
  prepare?(tenant: Tenant): Promise<string>;
  /** Sends the request with `credential`. */
  send(credential: string, targetId: string): Promise<TestResponse>;
  /** Checks the effect of an allowed request. */
  effect(res: TestResponse, targetId: string): void;
}

const staffOf = (role: Role) => async (tenant: Tenant) => (await activeStaff(tenant, role)).id;

const ACTIONS: Action[] = [
  ...KEY_ROLES.map<Action>((role) => ({
    label: `create a ${role} secret key`,
    targets: [role],
    ok: 201,
    send: (credential) => t.request('POST', '/v1/api-keys', { key: credential, body: { kind: 'secret', role } }),
    effect: (res) => expect(res.body).toMatchObject({ kind: 'secret', role }),
  })),
  ...KEY_ROLES.map<Action>((role) => ({
    label: `revoke a ${role} secret key`,
    targets: [role],
    ok: 200,
    prepare: async (tenant) => (await t.createKey(tenant.secret_key, { kind: 'secret', role })).id,
    send: (credential, id) => t.request('DELETE', `/v1/api-keys/${id}`, { key: credential }),
    effect: (res, id) => expect(res.body).toMatchObject({ id, revoked_at: expect.any(String) }),
  })),
  ...ROLES.flatMap((from) =>
    ROLES.filter((to) => to !== from).map<Action>((to) => ({
      label: `change a staff user's role from ${from} to ${to} (${RANK[to] > RANK[from] ? 'up' : 'down'})`,
      targets: [from, to],
      ok: 200,
      prepare: staffOf(from),
      send: (credential, id) => t.request('PATCH', `/v1/staff/${id}`, { key: credential, body: { role: to } }),
      effect: (res, id) => expect(res.body).toMatchObject({ id, role: to }),
    })),
  ),
  ...ROLES.map<Action>((role) => ({
    label: `mint a session for a ${role}`,
    targets: [role],
    needs: 'secret_key',
    ok: 201,
    prepare: staffOf(role),
    send: (credential, id) => t.request('POST', `/v1/staff/${id}/sessions`, { key: credential }),
    effect: (res, id) => expect(res.body.staff).toMatchObject({ id, role }),
  })),
  ...ROLES.map<Action>((role) => ({
    label: `invite a ${role}`,
    targets: [role],
    ok: 201,
    send: (credential) =>
      t.request('POST', '/v1/staff', {
        key: credential,
        body: { email: `invitee-${crypto.randomUUID()}@example.org`, name: 'Invitee', role },
      }),
    effect: (res) => expect(res.body).toMatchObject({ role, status: 'invited' }),
  })),
  ...ROLES.map<Action>((role) => ({
    label: `remove a ${role}`,
    targets: [role],
    ok: 200,
    prepare: staffOf(role),
    send: (credential, id) => t.request('DELETE', `/v1/staff/${id}`, { key: credential }),
    effect: (res, id) => expect(res.body).toMatchObject({ id, status: 'disabled' }),
  })),
];

describe('the role ceiling, actor by action, through the API', () => {
  let tenant: Tenant;
  const credentials = new Map<string, string>();
  const actorIds = new Map<Role, string>();
  beforeAll(async () => {
    tenant = await t.createTenant();
    for (const role of ROLES) {
      const staff = await signedInStaff(tenant, role);
      credentials.set(`${role} staff session`, staff.token);
      actorIds.set(role, staff.id);
    }
    for (const role of KEY_ROLES)
      credentials.set(`${role} secret key`, (await t.createKey(tenant.secret_key, { kind: 'secret', role })).key);
  });

  describe.each(ACTORS)('$label', (actor) => {
    it.each(ACTIONS)('$label', async (action) => {
      const want = expected(actor, action, action.ok);
      const targetId = (await action.prepare?.(tenant)) ?? '';
      const before = await snapshot(tenant);
      const res = await action.send(credentials.get(actor.label)!, targetId);
      if (want.status >= 400) {
        const problem = expectProblem(res, want.status, want.code);
        expect(problem.detail.length).toBeGreaterThan(20);
        expect(await snapshot(tenant)).toEqual(before);
      } else {
        expect(res.status, res.text).toBe(want.status);
        action.effect(res, targetId);
      }
    });
  });

  it('leaves every acting staff user with its own role', async () => {
    const staff = await t.request('GET', '/v1/staff', { key: credentials.get('owner staff session')! });
    const byId = new Map(
      staff.body.data.map((s: { id: string; role: string; status: string }) => [s.id, `${s.role}/${s.status}`]),
    );
    for (const role of ROLES) expect(byId.get(actorIds.get(role))).toBe(`${role}/active`);
  });
});

describe('POST /v1/staff/{id}/transfer-ownership', () => {
  it('makes the staff user the owner and the caller an admin in one audited step', async () => {
    const tenant = await t.createTenant();
    const owner = await signedInStaff(tenant, 'owner');
    const heir = await signedInStaff(tenant, 'manager');
    const res = await t.request('POST', `/v1/staff/${heir.id}/transfer-ownership`, { key: owner.token });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      object: 'ownership_transfer',
      owner: { id: heir.id, role: 'owner' },
      previous_owner: { id: owner.id, role: 'admin' },
    });

    const audit = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.actorId, owner.id)).orderBy(asc(auditLog.seq)),
    );
    expect(audit.map((e) => [e.actorType, e.action, e.targetId, e.diff])).toEqual([
      ['staff', 'staff.ownership_transferred', heir.id, { owner: { from: owner.id, to: heir.id } }],
      ['staff', 'staff.role_changed', heir.id, { role: { from: 'manager', to: 'owner' } }],
      ['staff', 'staff.role_changed', owner.id, { role: { from: 'owner', to: 'admin' } }],
    ]);
    // Roles are read fresh: the former owner is an admin on their very next request, and the new owner can hand it back.
    expectProblem(
      await t.request('POST', `/v1/staff/${heir.id}/transfer-ownership`, { key: owner.token }),
      403,
      'ROLE_CEILING',
    );
    expectProblem(
      await t.request('PATCH', `/v1/staff/${heir.id}`, { key: owner.token, body: { role: 'admin' } }),
      403,
      'ROLE_CEILING',
    );
    expect(
      (await t.request('POST', `/v1/staff/${owner.id}/transfer-ownership`, { key: heir.token })).body.owner.id,
    ).toBe(owner.id);
  });

  it('is refused to everyone but the owner, and to nobody in particular, changing nothing', async () => {
    const tenant = await t.createTenant();
    const owner = await signedInStaff(tenant, 'owner');
    const admin = await signedInStaff(tenant, 'admin');
    const manager = await signedInStaff(tenant, 'manager');
    const invited = await t.request('POST', '/v1/staff', {
      key: owner.token,
      body: { email: `inv-${crypto.randomUUID()}@example.org`, name: 'Invited', role: 'admin' },
    });
    const removed = await activeStaff(tenant, 'admin');
    expect((await t.request('DELETE', `/v1/staff/${removed.id}`, { key: owner.token })).status).toBe(200);
    const before = await snapshot(tenant);

    const transfer = (id: string, key: string) => t.request('POST', `/v1/staff/${id}/transfer-ownership`, { key });
    expectProblem(await transfer(admin.id, admin.token), 403, 'ROLE_CEILING');
    expectProblem(await transfer(admin.id, tenant.secret_key), 403, 'ROLE_CEILING');
    expectProblem(await transfer(admin.id, manager.token), 403, 'PERMISSION_DENIED');
    expectProblem(await transfer(owner.id, owner.token), 409, 'STAFF_OWNERSHIP_TO_SELF');
    expectProblem(await transfer(invited.body.id, owner.token), 404, 'STAFF_NOT_FOUND');
    expectProblem(await transfer(removed.id, owner.token), 404, 'STAFF_NOT_FOUND');
    expectProblem(await transfer('stf_01m8e4azsy6k9135cxwt01wqka', owner.token), 404, 'STAFF_NOT_FOUND');
    expectProblem(await transfer('nonsense', owner.token), 404, 'STAFF_NOT_FOUND');
    expect(await snapshot(tenant)).toEqual(before);
  });

  it('keeps exactly one owner when the owner transfers to two people at once', async () => {
    const tenant = await t.createTenant();
    const owner = await signedInStaff(tenant, 'owner');
    const heirs = [await activeStaff(tenant, 'admin'), await activeStaff(tenant, 'admin')];
    const results = await Promise.all(
      heirs.map((h) => t.request('POST', `/v1/staff/${h.id}/transfer-ownership`, { key: owner.token })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 403]);
    expectProblem(results.find((r) => r.status === 403)!, 403, 'ROLE_CEILING');
    const owners = (await snapshot(tenant)).staff.filter((s) => s.role === 'owner');
    expect(owners).toHaveLength(1);
    expect(owners[0]!.id).toBe(results.find((r) => r.status === 200)!.body.owner.id);
  });
});

describe('POST /v1/platform/tenants/{id}/owners', () => {
  it("lets the platform operator appoint a tenant's first owner, which no tenant key can", async () => {
    const tenant = await t.createTenant();
    const body = { email: `owner-${crypto.randomUUID()}@example.org`, name: 'First Owner' };
    expectProblem(
      await t.request('POST', '/v1/staff', { key: tenant.secret_key, body: { ...body, role: 'owner' } }),
      403,
      'ROLE_CEILING',
    );
    expectProblem(
      await t.request('POST', `/v1/platform/tenants/${tenant.id}/owners`, { key: tenant.secret_key, body }),
      403,
      'PERMISSION_DENIED',
    );

    const res = await t.request('POST', `/v1/platform/tenants/${tenant.id}/owners`, { key: PLATFORM_KEY, body });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ object: 'staff', email: body.email, role: 'owner', status: 'invited' });
    const [entry] = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.targetId, res.body.id)),
    );
    expect(entry).toMatchObject({ actorType: 'platform', actorId: 'platform', action: 'staff.invited' });
    const [mail] = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(mailOutbox).where(eq(mailOutbox.toAddress, body.email)),
    );
    expect(mail).toMatchObject({ template: 'staff_invite', data: expect.objectContaining({ role: 'owner' }) });
  });

  it.each(['tnt_01m8e4azsy6k9135cxwt01wqka', 'nonsense'])('answers 404 TENANT_NOT_FOUND for %s', async (id) => {
    expectProblem(
      await t.request('POST', `/v1/platform/tenants/${id}/owners`, {
        key: PLATFORM_KEY,
        body: { email: 'x@example.org', name: 'X' },
      }),
      404,
      'TENANT_NOT_FOUND',
    );
  });
});
