import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitment, committedEntryHash, entryHash, GENESIS_HASH, verifyAuditChain } from '../../services/audit.js';
import { auditLog } from '../../db/schema/index.js';
import { createTestContext, expectProblem, type TestContext, type TestResponse } from '../../testing/index.js';

type Tenant = Awaited<ReturnType<TestContext['createTenant']>>;

interface Entry {
  id: string;
  object: string;
  seq: number;
  actor: { type: string; id: string; label: string | null };
  action: string;
  target: { type: string; id: string; label: string | null };
  diff: Record<string, unknown>;
  request_id: string | null;
  ip: string | null;
  occurred_at: string;
  hash: string;
  prev_hash: string;
}

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

/** Produces audit entries through the invites API (create, resend, revoke): three entries about one invite. */
async function inviteLifecycle(tenant: Tenant, email = 'ada@example.org', key = tenant.secret_key) {
  const created = await t.request('POST', '/v1/invites', { key, body: { email } });
  if (created.status !== 201) throw new Error(`invite failed: ${created.text}`);
  const id = created.body.id as string;
  const resent = await t.request('POST', `/v1/invites/${id}/resend`, { key });
  const revoked = await t.request('DELETE', `/v1/invites/${id}`, { key });
  return { id, requestIds: [created, resent, revoked].map((r) => r.headers.get('x-request-id')) };
}

async function entries(tenant: Tenant, query = ''): Promise<Entry[]> {
  const res = await t.request('GET', `/v1/audit-log?limit=100${query}`, { key: tenant.secret_key });
  if (res.status !== 200) throw new Error(`list failed: ${res.text}`);
  return res.body.data;
}

async function verify(tenant: Tenant) {
  const res = await t.request('GET', '/v1/audit-log/verify', { key: tenant.secret_key });
  expect(res.status).toBe(200);
  return res.body as {
    object: string;
    valid: boolean;
    checked: number;
    first_invalid_seq: number | null;
    reason: string | null;
  };
}

/** Runs SQL as the database's session user (a superuser), outside the app roles' grants and row-level security. */
function asSuperuser(statement: ReturnType<typeof sql>) {
  return t.db.withPlatform(async (tx) => {
    await tx.execute(sql`reset role`);
    await tx.execute(statement);
  });
}

describe('GET /v1/audit-log', () => {
  it('lists each mutation newest first with actor, target, diff and request id, chained by hash', async () => {
    const tenant = await t.createTenant();
    const keys = await t.request('GET', '/v1/api-keys', { key: tenant.secret_key });
    const adminKeyId = keys.body.data.find((k: { role: string | null }) => k.role === 'admin').id;
    const { id, requestIds } = await inviteLifecycle(tenant);

    const list = await t.request('GET', `/v1/audit-log?target=${id}`, { key: tenant.secret_key });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ object: 'list', has_more: false, next_cursor: null });
    const data = list.body.data as Entry[];
    expect(data.map((e) => e.action)).toEqual(['invite.revoked', 'invite.resent', 'invite.created']);
    expect(data.map((e) => e.request_id)).toEqual([...requestIds].reverse());
    for (const entry of data) {
      expect(Object.keys(entry).sort()).toEqual(
        [
          'action',
          'actor',
          'diff',
          'hash',
          'id',
          'ip',
          'object',
          'occurred_at',
          'prev_hash',
          'redacted_at',
          'request_id',
          'seq',
          'target',
        ].sort(),
      );
      expect(entry).toMatchObject({
        object: 'audit_entry',
        actor: { type: 'api_key', id: adminKeyId },
        target: { type: 'invite', id },
      });
      expect(entry.id).toMatch(/^aud_/);
      expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
    }
    const [revoked, resent, created] = data;
    expect(created!.seq + 1).toBe(resent!.seq);
    expect(resent!.seq + 1).toBe(revoked!.seq);
    const all = await entries(tenant);
    expect(all.at(-1)).toMatchObject({ seq: 1, prev_hash: GENESIS_HASH });
    expect(resent!.prev_hash).toBe(created!.hash);
    expect(revoked!.prev_hash).toBe(resent!.hash);
    expect(revoked!.diff).toEqual({
      status: { from: 'pending', to: 'revoked' },
      revoked_at: { from: null, to: expect.any(String) },
    });
    expect(list.text).not.toMatch(/token/i);
  });

  it('names the actor and target of each entry as they are now, or gives null where there is no name', async () => {
    const tenant = await t.createTenant();
    const sync = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'admin', name: 'Backend sync' });
    const created = await t.request('POST', '/v1/members', {
      key: sync.key,
      body: { email: 'ada@example.org', first_name: 'Ada', last_name: 'Byron' },
    });
    expect(created.status).toBe(201);
    const memberId = created.body.id as string;
    const staff = await t.signInStaff(tenant, 'admin');
    const renamed = await t.request('PATCH', `/v1/members/${memberId}`, {
      key: staff.access_token,
      body: { last_name: 'Lovelace' },
    });
    expect(renamed.status).toBe(200);

    const [update, create] = await entries(tenant, `&target=${memberId}`);
    expect(update).toMatchObject({
      actor: { type: 'staff', id: staff.id, label: `Grace Hopper (${staff.email})` },
      target: { type: 'member', id: memberId, label: 'Ada Lovelace (ada@example.org)' },
    });
    // The name as it is now, not as it was when the entry was written.
    expect(create).toMatchObject({
      action: 'member.created',
      actor: { type: 'api_key', id: sync.id, label: 'Backend sync' },
      target: { id: memberId, label: 'Ada Lovelace (ada@example.org)' },
    });
    // A key created without a name: its entries show the id alone.
    const unnamed = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'admin' });
    const { id: inviteId } = await inviteLifecycle(tenant, 'new.staff@example.org', unnamed.key);
    const [revoked] = await entries(tenant, `&target=${inviteId}`);
    expect(revoked).toMatchObject({
      actor: { type: 'api_key', id: unnamed.id, label: null },
      target: { type: 'invite', id: inviteId, label: 'new.staff@example.org' },
    });
  });

  it('filters by action, target, actor and time range', async () => {
    const tenant = await t.createTenant();
    const manager = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'manager' });
    const first = await inviteLifecycle(tenant, 'ada@example.org');
    const second = await inviteLifecycle(tenant, 'grace@example.org', manager.key);

    expect((await entries(tenant, '&action=invite.created')).map((e) => e.target.id)).toEqual([second.id, first.id]);
    expect((await entries(tenant, `&target=${first.id}`)).map((e) => e.action)).toEqual([
      'invite.revoked',
      'invite.resent',
      'invite.created',
    ]);
    const byManager = await entries(tenant, `&actor=${manager.id}`);
    expect(byManager).toHaveLength(3);
    expect(byManager.every((e) => e.actor.id === manager.id && e.target.id === second.id)).toBe(true);
    expect(await entries(tenant, '&action=member.deleted')).toEqual([]);

    const all = await entries(tenant);
    const oldest = all.at(-1)!.occurred_at;
    const newest = all[0]!.occurred_at;
    expect(await entries(tenant, `&from=${encodeURIComponent(oldest)}&to=${encodeURIComponent(newest)}`)).toHaveLength(
      all.length,
    );
    expect(
      await entries(tenant, `&from=${encodeURIComponent(new Date(Date.parse(newest) + 1).toISOString())}`),
    ).toEqual([]);
    expect(await entries(tenant, `&to=${encodeURIComponent(new Date(Date.parse(oldest) - 1).toISOString())}`)).toEqual(
      [],
    );
    expect(await entries(tenant, `&from=${encodeURIComponent('2000-01-01T01:00:00+01:00')}`)).toHaveLength(all.length);
  });

  it.each([
    ['from=yesterday', 'query.from'],
    ['to=2026-13-01T00:00:00Z', 'query.to'],
    ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'query.to'],
    ['limit=0', 'query.limit'],
    ['limit=101', 'query.limit'],
    [`action=${'x'.repeat(101)}`, 'query.action'],
  ])('rejects %s with 422 naming %s', async (query, field) => {
    const tenant = await t.createTenant();
    const problem = expectProblem(
      await t.request('GET', `/v1/audit-log?${query}`, { key: tenant.secret_key }),
      422,
      'VALIDATION_FAILED',
    );
    expect(problem.errors?.map((e) => e.field)).toContain(field);
  });

  it('pages by sequence number with a cursor bound to the tenant and the filters', async () => {
    const tenant = await t.createTenant();
    await inviteLifecycle(tenant, 'a@example.org');
    await inviteLifecycle(tenant, 'b@example.org');
    const all = await entries(tenant);
    expect(all.length).toBeGreaterThanOrEqual(6);

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res: TestResponse = await t.request('GET', `/v1/audit-log?limit=4${cursor ? `&cursor=${cursor}` : ''}`, {
        key: tenant.secret_key,
      });
      seen.push(...res.body.data.map((e: Entry) => e.seq));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.seq));

    const filtered = await t.request('GET', '/v1/audit-log?limit=1&action=invite.created', { key: tenant.secret_key });
    expect(filtered.body.has_more).toBe(true);
    const page2 = await t.request(
      'GET',
      `/v1/audit-log?limit=1&action=invite.created&cursor=${filtered.body.next_cursor}`,
      { key: tenant.secret_key },
    );
    expect(page2.body.data.map((e: Entry) => e.action)).toEqual(['invite.created']);
    expect(page2.body.has_more).toBe(false);

    const next = filtered.body.next_cursor as string;
    expectProblem(
      await t.request('GET', `/v1/audit-log?limit=1&cursor=${next}`, { key: tenant.secret_key }),
      400,
      'INVALID_CURSOR',
    );
    expectProblem(
      await t.request('GET', `/v1/audit-log?limit=1&action=invite.revoked&cursor=${next}`, { key: tenant.secret_key }),
      400,
      'INVALID_CURSOR',
    );
    const other = await t.createTenant();
    expectProblem(
      await t.request('GET', `/v1/audit-log?limit=1&action=invite.created&cursor=${next}`, { key: other.secret_key }),
      400,
      'INVALID_CURSOR',
    );
    const invites = await t.request('GET', '/v1/invites?limit=1', { key: tenant.secret_key });
    expectProblem(
      await t.request('GET', `/v1/audit-log?limit=1&cursor=${invites.body.next_cursor}`, { key: tenant.secret_key }),
      400,
      'INVALID_CURSOR',
    );
  });

  it('shows each tenant only its own entries', async () => {
    const a = await t.createTenant();
    const b = await t.createTenant();
    const own = await inviteLifecycle(a);
    const foreign = await inviteLifecycle(b);
    const listed = await entries(a);
    expect(listed.filter((e) => e.target.id === own.id)).toHaveLength(3);
    expect(listed.some((e) => e.target.id === foreign.id || e.target.id === b.id)).toBe(false);
    expect(await entries(a, `&target=${foreign.id}`)).toEqual([]);
    const bIds = new Set((await entries(b)).map((e) => e.id));
    expect(listed.some((e) => bIds.has(e.id))).toBe(false);
  });

  it('is readable by viewer keys, not by publishable keys or without a key', async () => {
    const tenant = await t.createTenant();
    await inviteLifecycle(tenant);
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    const list = await t.request('GET', '/v1/audit-log', { key: viewer.key });
    expect(list.status).toBe(200);
    expect(list.body).toEqual((await t.request('GET', '/v1/audit-log', { key: tenant.secret_key })).body);
    expect(list.body.data.filter((e: Entry) => e.target.type === 'invite')).toHaveLength(3);
    expect((await t.request('GET', '/v1/audit-log/verify', { key: viewer.key })).body.valid).toBe(true);
    expectProblem(await t.request('GET', '/v1/audit-log', { key: tenant.publishable_key }), 403, 'PERMISSION_DENIED');
    expectProblem(await t.request('GET', '/v1/audit-log/verify'), 401, 'UNAUTHENTICATED');
  });
});

describe('GET /v1/audit-log/verify', () => {
  it('reports an empty log as valid', async () => {
    const tenant = await t.createTenant();
    expect(await verify(tenant)).toEqual({
      object: 'audit_verification',
      valid: true,
      checked: 0,
      redacted: 0,
      first_invalid_seq: null,
      reason: null,
    });
  });

  it('reports an intact chain as valid, counting every entry', async () => {
    const tenant = await t.createTenant();
    await inviteLifecycle(tenant, 'a@example.org');
    await inviteLifecycle(tenant, 'b@example.org');
    const count = (await entries(tenant)).length;
    expect(count).toBeGreaterThanOrEqual(6);
    expect(await verify(tenant)).toEqual({
      object: 'audit_verification',
      valid: true,
      checked: count,
      redacted: 0,
      first_invalid_seq: null,
      reason: null,
    });
  });

  it('detects an entry changed directly in the database and names it', async () => {
    const tenant = await t.createTenant();
    const other = await t.createTenant();
    await inviteLifecycle(tenant);
    await inviteLifecycle(other);
    const [, middle] = await entries(tenant);
    await asSuperuser(
      sql`update audit_log set diff = '{"x":1}'::jsonb where tenant_id = ${tenant.id} and seq = ${middle!.seq}`,
    );

    expect(await verify(tenant)).toEqual({
      object: 'audit_verification',
      valid: false,
      checked: middle!.seq - 1,
      redacted: 0,
      first_invalid_seq: middle!.seq,
      reason: expect.stringMatching(/changed/),
    });
    expect((await verify(other)).valid).toBe(true);
  });

  it('detects a changed actor or time as well as a changed diff', async () => {
    const tenant = await t.createTenant();
    await inviteLifecycle(tenant);
    const [last] = await entries(tenant);
    await asSuperuser(
      sql`update audit_log set occurred_at = occurred_at - interval '1 day' where tenant_id = ${tenant.id} and seq = ${last!.seq}`,
    );
    expect(await verify(tenant)).toMatchObject({ valid: false, first_invalid_seq: last!.seq });
  });

  it('detects a deleted entry in the middle and at the end of the chain', async () => {
    const middle = await t.createTenant();
    await inviteLifecycle(middle);
    const [, second] = await entries(middle);
    await asSuperuser(sql`delete from audit_log where tenant_id = ${middle.id} and seq = ${second!.seq}`);
    expect(await verify(middle)).toMatchObject({
      valid: false,
      first_invalid_seq: second!.seq,
      reason: expect.stringMatching(/missing/),
    });

    const end = await t.createTenant();
    await inviteLifecycle(end);
    const [last] = await entries(end);
    await asSuperuser(sql`delete from audit_log where tenant_id = ${end.id} and seq = ${last!.seq}`);
    expect(await verify(end)).toMatchObject({ valid: false, first_invalid_seq: last!.seq, checked: last!.seq - 1 });
  });

  it('reports a chain that grows while it is read as valid, not as broken', async () => {
    const tenant = await t.createTenant();
    await inviteLifecycle(tenant);
    const before = (await entries(tenant)).length;
    // A write lands between reading the entries and reading the chain head (its own transaction).
    let reads = 0;
    const withTenant: typeof t.db.withTenant = async (id, work) => {
      reads += 1;
      if (reads === 2)
        await t.request('POST', '/v1/invites', { key: tenant.secret_key, body: { email: 'late@example.org' } });
      return t.db.withTenant(id, work);
    };
    const db = new Proxy(t.db, {
      get: (target, name) => (name === 'withTenant' ? withTenant : Reflect.get(target, name)),
    });
    expect(await verifyAuditChain({ ...t.deps, db }, tenant.id)).toMatchObject({ valid: true, checked: before + 1 });
  });

  it("detects a rewritten entry whose own hash was recomputed: the next entry's link breaks", async () => {
    const tenant = await t.createTenant();
    await inviteLifecycle(tenant);
    const [, middle] = await entries(tenant);
    // A forger with the database's keys rewrites the diff with a fresh salt and commitment and rehashes the entry.
    const [row] = await t.db.withTenant(tenant.id, (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.seq, middle!.seq))),
    );
    const salt = 'f'.repeat(32);
    const diffCommitment = await commitment(salt, {});
    const forged = await committedEntryHash(middle!.prev_hash, {
      ...row!,
      diffCommitment,
      ipCommitment: row!.ipCommitment!,
    });
    await asSuperuser(
      sql`update audit_log set diff = '{}'::jsonb, diff_salt = ${salt}, diff_commitment = ${diffCommitment}, hash = ${forged} where tenant_id = ${tenant.id} and seq = ${middle!.seq}`,
    );
    expect(await verify(tenant)).toMatchObject({
      valid: false,
      checked: middle!.seq,
      first_invalid_seq: middle!.seq + 1,
      reason: expect.stringMatching(/link/),
    });
  });
});

describe('personal data in the chain (salted commitments)', () => {
  it('detects a diff blanked by hand in the database as a change, not as a redaction', async () => {
    const tenant = await t.createTenant();
    await inviteLifecycle(tenant);
    const [, middle] = await entries(tenant);
    // Even without the salt (as a redaction leaves it) but without the redaction's mark.
    await asSuperuser(
      sql`update audit_log set diff = '{}'::jsonb, diff_salt = null where tenant_id = ${tenant.id} and seq = ${middle!.seq}`,
    );
    expect(await verify(tenant)).toMatchObject({
      valid: false,
      first_invalid_seq: middle!.seq,
      reason: expect.stringMatching(/changed/),
    });
  });

  it('detects an IP swapped for another, keeping the salt', async () => {
    const tenant = await t.createTenant();
    await inviteLifecycle(tenant);
    const [last] = await entries(tenant);
    await asSuperuser(sql`update audit_log set ip = '192.0.2.1' where tenant_id = ${tenant.id} and seq = ${last!.seq}`);
    expect(await verify(tenant)).toMatchObject({ valid: false, first_invalid_seq: last!.seq });
  });

  it('still verifies entries written before commitments existed (hash version 1)', async () => {
    const tenant = await t.createTenant();
    await inviteLifecycle(tenant);
    // Turn the last entry into a version 1 entry as the earlier code wrote it, and move the head to it.
    const [row] = await t.db.withTenant(tenant.id, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.tenantId, tenant.id)).orderBy(desc(auditLog.seq)).limit(1),
    );
    const v1 = await entryHash(row!.prevHash, row!);
    await asSuperuser(
      sql`update audit_log set hash_version = 1, diff_commitment = null, diff_salt = null, ip_commitment = null, ip_salt = null, hash = ${v1} where tenant_id = ${tenant.id} and seq = ${row!.seq}`,
    );
    await asSuperuser(sql`update audit_chain_heads set last_hash = ${v1} where tenant_id = ${tenant.id}`);
    expect(await verify(tenant)).toMatchObject({ valid: true, checked: row!.seq, redacted: 0 });
    // And a change to it is still caught.
    await asSuperuser(
      sql`update audit_log set diff = '{"x":1}'::jsonb where tenant_id = ${tenant.id} and seq = ${row!.seq}`,
    );
    expect(await verify(tenant)).toMatchObject({ valid: false, first_invalid_seq: row!.seq });
  });
});

describe('the audit log is append-only', () => {
  it('has no routes to change or delete entries', async () => {
    const tenant = await t.createTenant();
    await inviteLifecycle(tenant);
    const [entry] = await entries(tenant);
    for (const method of ['PATCH', 'PUT', 'DELETE']) {
      expectProblem(
        await t.request(method, `/v1/audit-log/${entry!.id}`, { key: tenant.secret_key, body: { diff: {} } }),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await t.request(method, `/v1/audit-log/${entry!.seq}`, { key: tenant.secret_key, body: { diff: {} } }),
        404,
        'NOT_FOUND',
      );
    }
    for (const [method, path] of [
      ['DELETE', '/v1/audit-log'],
      ['POST', '/v1/audit-log'],
      ['PATCH', '/v1/audit-log'],
      ['DELETE', '/v1/audit-log/verify'],
    ] as const) {
      const res = await t.request(method, path, {
        key: tenant.secret_key,
        body: method === 'DELETE' ? undefined : { diff: {} },
      });
      expectProblem(res, 405, 'METHOD_NOT_ALLOWED');
      expect(res.headers.get('allow')).toBe('GET');
    }
    expect(await verify(tenant)).toMatchObject({ valid: true, checked: (await entries(tenant)).length });
  });

  it('refuses UPDATE and DELETE of audit_log to the app role at the database level', async () => {
    const tenant = await t.createTenant();
    await inviteLifecycle(tenant);
    const denied = (error: Error) =>
      /permission denied/i.test(String((error.cause as Error | undefined)?.message ?? error.message));
    await expect(
      t.db.withTenant(tenant.id, (tx) => tx.execute(sql`update audit_log set diff = '{}'::jsonb`)),
    ).rejects.toSatisfy(denied);
    await expect(t.db.withTenant(tenant.id, (tx) => tx.execute(sql`delete from audit_log`))).rejects.toSatisfy(denied);
    await expect(t.db.withTenant(tenant.id, (tx) => tx.execute(sql`truncate audit_log`))).rejects.toSatisfy(denied);
    expect(await verify(tenant)).toMatchObject({ valid: true, checked: (await entries(tenant)).length });
  });
});
