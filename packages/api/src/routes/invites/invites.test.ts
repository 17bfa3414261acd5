import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRows } from '../../db/database.js';
import { invites, members, tiers } from '../../db/schema/index.js';
import { sha256Hex } from '../../lib/crypto.js';
import { findInviteByToken, INVITE_TTL_MS } from '../../services/invites.js';
import { createTestContext, expectProblem, type TestContext, type TestResponse } from '../../testing/index.js';

type Tenant = Awaited<ReturnType<TestContext['createTenant']>>;

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

interface OutboxRow extends Record<string, unknown> {
  id: string;
  template: string;
  to_address: string;
  locale: string;
  status: string;
  data: {
    invite_id: string;
    token: string;
    tenant_name: string;
    tier_name: string | null;
    message: string | null;
    expires_at: string;
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

function outbox(tenant: Tenant): Promise<OutboxRow[]> {
  return t.db.withTenant(tenant.id, (tx) =>
    executeRows<OutboxRow>(
      tx.execute(sql`select id, template, to_address, locale, status, data from mail_outbox order by created_at, id`),
    ),
  );
}

async function mailsOf(tenant: Tenant, inviteId: string): Promise<OutboxRow[]> {
  return (await outbox(tenant)).filter((m) => m.data.invite_id === inviteId);
}

async function storedInvite(tenant: Tenant, id: string) {
  const [row] = await t.db.withTenant(tenant.id, (tx) =>
    tx
      .select()
      .from(invites)
      .where(and(eq(invites.tenantId, tenant.id), eq(invites.id, id))),
  );
  return row!;
}

/** Rows this resource wrote for the tenant; other resources' audit entries (key creation, settings) are not counted. */
async function counts(tenant: Tenant) {
  const [row] = await t.db.withTenant(tenant.id, (tx) =>
    executeRows<{ invites: number; mails: number; audit: number }>(
      tx.execute(sql`select (select count(*)::int from invites) as invites,
                            (select count(*)::int from mail_outbox) as mails,
                            (select count(*)::int from audit_log where action like 'invite.%') as audit`),
    ),
  );
  return row!;
}

function findByToken(tenant: Tenant, token: string, now?: Date) {
  return t.db.withTenant(tenant.id, (tx) => findInviteByToken(tx, tenant.id, token, now ? { now } : {}));
}

async function createTier(tenant: Tenant, values: { name?: string; archived?: boolean } = {}): Promise<string> {
  const id = t.deps.ids.generate('tier');
  await t.db.withTenant(tenant.id, (tx) =>
    tx.insert(tiers).values({
      tenantId: tenant.id,
      id,
      name: values.name ?? 'Supporter',
      interval: 'month',
      priceAmount: 500,
      archivedAt: values.archived ? new Date() : null,
    }),
  );
  return id;
}

async function createMember(tenant: Tenant, email: string, values: { deleted?: boolean } = {}): Promise<string> {
  const id = t.deps.ids.generate('mem');
  await t.db.withTenant(tenant.id, (tx) =>
    tx.insert(members).values({
      tenantId: tenant.id,
      id,
      email,
      firstName: 'Ada',
      lastName: 'Lovelace',
      deletedAt: values.deleted ? new Date() : null,
    }),
  );
  return id;
}

async function invite(tenant: Tenant, body: Record<string, unknown>, key = tenant.secret_key) {
  const res = await t.request('POST', '/v1/invites', { key, body });
  if (res.status !== 201) throw new Error(`invite failed: ${res.status} ${res.text}`);
  return res.body as {
    id: string;
    email: string;
    status: string;
    expires_at: string;
    send_count: number;
    last_sent_at: string;
  };
}

/** The tenant's invite audit entries, newest first. */
async function auditActions(
  tenant: Tenant,
): Promise<{ action: string; target: { id: string }; diff: Record<string, unknown> }[]> {
  const data: { action: string; target: { type: string; id: string }; diff: Record<string, unknown> }[] = (
    await t.request('GET', '/v1/audit-log?limit=100', { key: tenant.secret_key })
  ).body.data;
  return data.filter((e) => e.target.type === 'invite');
}

async function setInvite(tenant: Tenant, id: string, values: Partial<typeof invites.$inferInsert>) {
  await t.db.withTenant(tenant.id, (tx) =>
    tx
      .update(invites)
      .set(values)
      .where(and(eq(invites.tenantId, tenant.id), eq(invites.id, id))),
  );
}

describe('POST /v1/invites', () => {
  it('creates a pending invite valid for 7 days, normalizes the address and never returns the token', async () => {
    const tenant = await t.createTenant('Chess Club');
    const before = Date.now();
    const res = await t.request('POST', '/v1/invites', {
      key: tenant.secret_key,
      body: { email: '  Ada.Lovelace@Example.ORG ', message: 'Join us!' },
    });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(
      [
        'accepted_at',
        'created_at',
        'email',
        'expires_at',
        'id',
        'last_sent_at',
        'message',
        'object',
        'revoked_at',
        'send_count',
        'status',
        'tier_id',
      ].sort(),
    );
    expect(res.body).toMatchObject({
      object: 'invite',
      email: 'ada.lovelace@example.org',
      tier_id: null,
      message: 'Join us!',
      status: 'pending',
      send_count: 1,
      accepted_at: null,
      revoked_at: null,
    });
    expect(res.body.id).toMatch(/^inv_[0-9a-hjkmnp-tv-z]{26}$/);
    const expiresIn = new Date(res.body.expires_at).getTime() - new Date(res.body.last_sent_at).getTime();
    expect(expiresIn).toBe(INVITE_TTL_MS);
    expect(new Date(res.body.created_at).getTime()).toBeGreaterThanOrEqual(before - 1000);

    const read = await t.request('GET', `/v1/invites/${res.body.id}`, { key: tenant.secret_key });
    expect(read.body).toEqual(res.body);
    expect(read.text).not.toMatch(/token|hash/);
  });

  it('queues the invitation mail in the same transaction, with the only copy of a token whose hash is stored', async () => {
    const tenant = await t.createTenant('Chess Club');
    const created = await invite(tenant, { email: 'grace@example.org', message: 'See you on Tuesday.' });
    const [mail, ...others] = await outbox(tenant);
    expect(others).toHaveLength(0);
    expect(mail).toMatchObject({
      template: 'invite',
      to_address: 'grace@example.org',
      locale: 'en',
      status: 'pending',
      data: {
        invite_id: created.id,
        tenant_name: 'Chess Club',
        tier_name: null,
        message: 'See you on Tuesday.',
        expires_at: created.expires_at,
      },
    });
    expect(mail!.id).toMatch(/^mail_/);
    expect(mail!.data.token).toMatch(/^[0-9A-Za-z]{40}$/);

    const stored = await storedInvite(tenant, created.id);
    expect(stored.tokenHash).toBe(await sha256Hex(mail!.data.token));
    expect(stored.createdBy).toMatch(/^key_/);
    const dump = await t.db.withTenant(tenant.id, (tx) =>
      executeRows<{ dump: string }>(tx.execute(sql`select row_to_json(invites)::text as dump from invites`)),
    );
    expect(dump[0]!.dump).not.toContain(mail!.data.token);

    const found = await findByToken(tenant, mail!.data.token);
    expect(found?.id).toBe(created.id);
    expect(await findByToken(tenant, mail!.data.token, new Date(Date.now() + INVITE_TTL_MS + 1000))).toBeNull();
  });

  it('records invite.created in the audit log without the token', async () => {
    const tenant = await t.createTenant();
    const res = await t.request('POST', '/v1/invites', { key: tenant.secret_key, body: { email: 'ada@example.org' } });
    const [entry] = await auditActions(tenant);
    expect(entry).toMatchObject({
      action: 'invite.created',
      target: { type: 'invite', id: res.body.id },
      actor: { type: 'api_key' },
      request_id: res.headers.get('x-request-id'),
      diff: { email: { from: null, to: 'ada@example.org' }, status: { from: null, to: 'pending' } },
    });
    const [mail] = await outbox(tenant);
    expect(JSON.stringify(entry)).not.toContain(mail!.data.token);
  });

  it('invites to a tier, with the tier name and the chosen locale in the mail', async () => {
    const tenant = await t.createTenant();
    await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { locale: { supported: ['en', 'de'] } } });
    const tierId = await createTier(tenant, { name: 'Patron' });
    const created = await invite(tenant, { email: 'ada@example.org', tier_id: tierId, locale: 'de' });
    expect(created).toMatchObject({ tier_id: tierId });
    const [mail] = await outbox(tenant);
    expect(mail).toMatchObject({ locale: 'de', data: { tier_name: 'Patron' } });
  });

  it.each([
    [{}, 'email'],
    [{ email: 'not-an-address' }, 'email'],
    [{ email: 'ada@' }, 'email'],
    [{ email: 42 }, 'email'],
    [{ email: `${'a'.repeat(250)}@example.org` }, 'email'],
    [{ email: 'ada@example.org', message: 'x'.repeat(2001) }, 'message'],
    [{ email: 'ada@example.org', message: '   ' }, 'message'],
    [{ email: 'ada@example.org', locale: 'english' }, 'locale'],
    [{ email: 'ada@example.org', tier_id: 7 }, 'tier_id'],
    [{ email: 'ada@example.org', token: 'chosen-by-client' }, 'token'],
  ])('rejects %j with 422 naming %s and writes nothing', async (body, field) => {
    const tenant = await t.createTenant();
    const problem = expectProblem(
      await t.request('POST', '/v1/invites', { key: tenant.secret_key, body }),
      422,
      'VALIDATION_FAILED',
    );
    expect(problem.errors?.map((e) => e.field)).toContain(field);
    expect(await counts(tenant)).toEqual({ invites: 0, mails: 0, audit: 0 });
  });

  it('refuses a locale the tenant does not support', async () => {
    const tenant = await t.createTenant();
    const problem = expectProblem(
      await t.request('POST', '/v1/invites', {
        key: tenant.secret_key,
        body: { email: 'ada@example.org', locale: 'fr' },
      }),
      422,
      'VALIDATION_FAILED',
    );
    expect(problem.errors).toEqual([{ field: 'locale', message: expect.stringContaining('en') }]);
    expect(await counts(tenant)).toEqual({ invites: 0, mails: 0, audit: 0 });
  });

  it('answers 404 TIER_NOT_FOUND for an unknown, malformed or foreign tier and 409 TIER_ARCHIVED for an archived one', async () => {
    const tenant = await t.createTenant();
    const other = await t.createTenant();
    const foreign = await createTier(other);
    const archived = await createTier(tenant, { archived: true });
    for (const tierId of [foreign, 'tier_01m8e4azsy6k9135cxwt01wqka', 'nonsense']) {
      expectProblem(
        await t.request('POST', '/v1/invites', {
          key: tenant.secret_key,
          body: { email: 'ada@example.org', tier_id: tierId },
        }),
        404,
        'TIER_NOT_FOUND',
      );
    }
    expectProblem(
      await t.request('POST', '/v1/invites', {
        key: tenant.secret_key,
        body: { email: 'ada@example.org', tier_id: archived },
      }),
      409,
      'TIER_ARCHIVED',
    );
    expect(await counts(tenant)).toEqual({ invites: 0, mails: 0, audit: 0 });
  });

  it("answers 409 MEMBER_EXISTS for a member's address, in any case, but invites a deleted member's address", async () => {
    const tenant = await t.createTenant();
    await createMember(tenant, 'Ada@Example.org');
    await createMember(tenant, 'gone@example.org', { deleted: true });
    const problem = expectProblem(
      await t.request('POST', '/v1/invites', { key: tenant.secret_key, body: { email: 'ADA@example.org' } }),
      409,
      'MEMBER_EXISTS',
    );
    expect(problem.detail).toContain('ada@example.org');
    expect(await counts(tenant)).toEqual({ invites: 0, mails: 0, audit: 0 });
    expect(
      (await t.request('POST', '/v1/invites', { key: tenant.secret_key, body: { email: 'gone@example.org' } })).status,
    ).toBe(201);
  });

  it('answers 409 INVITE_PENDING for an address already invited, pointing to resend; after a revocation it may be invited again', async () => {
    const tenant = await t.createTenant();
    const first = await invite(tenant, { email: 'ada@example.org' });
    const problem = expectProblem(
      await t.request('POST', '/v1/invites', { key: tenant.secret_key, body: { email: ' ADA@example.org' } }),
      409,
      'INVITE_PENDING',
    );
    expect(problem.detail).toContain(first.id);
    expect(problem.detail).toMatch(/resend/i);
    expect(await counts(tenant)).toMatchObject({ invites: 1, mails: 1, audit: 1 });

    await setInvite(tenant, first.id, { expiresAt: new Date(Date.now() - 1000) });
    const expired = expectProblem(
      await t.request('POST', '/v1/invites', { key: tenant.secret_key, body: { email: 'ada@example.org' } }),
      409,
      'INVITE_PENDING',
    );
    expect(expired.detail).toMatch(/expired/);

    await t.request('DELETE', `/v1/invites/${first.id}`, { key: tenant.secret_key });
    const again = await invite(tenant, { email: 'ada@example.org' });
    expect(again.id).not.toBe(first.id);
  });

  it('lets managers invite and refuses viewers with 403 naming invite:create', async () => {
    const tenant = await t.createTenant();
    const manager = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'manager' });
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    const created = await invite(tenant, { email: 'ada@example.org' }, manager.key);
    expect((await storedInvite(tenant, created.id)).createdBy).toBe(manager.id);
    const problem = expectProblem(
      await t.request('POST', '/v1/invites', { key: viewer.key, body: { email: 'grace@example.org' } }),
      403,
      'PERMISSION_DENIED',
    );
    expect(problem.detail).toContain('invite:create');
    expectProblem(
      await t.request('POST', '/v1/invites', { key: tenant.publishable_key, body: { email: 'grace@example.org' } }),
      403,
    );
    expectProblem(await t.request('POST', '/v1/invites', { body: { email: 'grace@example.org' } }), 401);
    expect(await counts(tenant)).toMatchObject({ invites: 1, mails: 1 });
  });

  it('replays a retried request with the same Idempotency-Key instead of inviting twice', async () => {
    const tenant = await t.createTenant();
    const headers = { 'Idempotency-Key': 'invite-ada-1' };
    const first = await t.request('POST', '/v1/invites', {
      key: tenant.secret_key,
      body: { email: 'ada@example.org' },
      headers,
    });
    const retry = await t.request('POST', '/v1/invites', {
      key: tenant.secret_key,
      body: { email: 'ada@example.org' },
      headers,
    });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await counts(tenant)).toMatchObject({ invites: 1, mails: 1, audit: 1 });
  });
});

describe('POST /v1/invites/bulk', () => {
  it('invites the valid addresses and reports invalid, repeated, member and already-invited ones, in request order', async () => {
    const tenant = await t.createTenant('Chess Club');
    const tierId = await createTier(tenant, { name: 'Member' });
    await createMember(tenant, 'member@example.org');
    const pending = await invite(tenant, { email: 'pending@example.org' });
    const emails = [
      'Ada@example.org',
      'not an address',
      'grace@example.org',
      'ADA@example.org ',
      'member@example.org',
      'pending@example.org',
      'linus@example.org',
    ];
    const res = await t.request('POST', '/v1/invites/bulk', {
      key: tenant.secret_key,
      body: { emails, tier_id: tierId, message: 'Welcome!' },
    });
    expect(res.status).toBe(200);
    expect(res.body.object).toBe('invite_bulk_result');
    expect(res.body.totals).toEqual({ created: 3, failed: 4 });
    expect(
      res.body.results.map((r: { email: string; status: string; error?: { code: string } }) => [
        r.email,
        r.status,
        r.error?.code ?? null,
      ]),
    ).toEqual([
      ['Ada@example.org', 'created', null],
      ['not an address', 'error', 'INVALID_EMAIL'],
      ['grace@example.org', 'created', null],
      ['ADA@example.org ', 'error', 'DUPLICATE_EMAIL'],
      ['member@example.org', 'error', 'MEMBER_EXISTS'],
      ['pending@example.org', 'error', 'INVITE_PENDING'],
      ['linus@example.org', 'created', null],
    ]);
    expect(res.body.results[3].error.message).toContain('emails[0]');
    expect(res.body.results[5].error.message).toContain(pending.id);
    const createdInvites = res.body.results
      .filter((r: { status: string }) => r.status === 'created')
      .map((r: { invite: { id: string } }) => r.invite);
    expect(createdInvites.map((i: { email: string }) => i.email)).toEqual([
      'ada@example.org',
      'grace@example.org',
      'linus@example.org',
    ]);
    for (const created of createdInvites) {
      expect(created).toMatchObject({
        object: 'invite',
        status: 'pending',
        tier_id: tierId,
        message: 'Welcome!',
        send_count: 1,
      });
      const [mail, ...more] = await mailsOf(tenant, created.id);
      expect(more).toHaveLength(0);
      expect(mail).toMatchObject({
        to_address: created.email,
        data: { tier_name: 'Member', tenant_name: 'Chess Club', message: 'Welcome!' },
      });
      expect((await storedInvite(tenant, created.id)).tokenHash).toBe(await sha256Hex(mail!.data.token));
      expect((await findByToken(tenant, mail!.data.token))?.id).toBe(created.id);
    }
    expect(res.text).not.toMatch(/token/);
    const created = (await auditActions(tenant)).filter((e) => e.action === 'invite.created').map((e) => e.target.id);
    expect(created.sort()).toEqual([pending.id, ...createdInvites.map((i: { id: string }) => i.id)].sort());
  });

  it('reports every address when none can be invited, and writes nothing', async () => {
    const tenant = await t.createTenant();
    const res = await t.request('POST', '/v1/invites/bulk', {
      key: tenant.secret_key,
      body: { emails: ['nope', 'also nope'] },
    });
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({ created: 0, failed: 2 });
    expect(await counts(tenant)).toEqual({ invites: 0, mails: 0, audit: 0 });
  });

  it.each([
    [{ emails: [] }, 'emails'],
    [{ emails: Array.from({ length: 1001 }, (_, i) => `p${i}@example.org`) }, 'emails'],
    [{ emails: ['ada@example.org', 5] }, 'emails.1'],
    [{ emails: 'ada@example.org' }, 'emails'],
    [{ emails: ['ada@example.org'], message: 'x'.repeat(2001) }, 'message'],
    [{ emails: ['ada@example.org'], extra: true }, 'extra'],
  ])('rejects %# with 422 naming %s and writes nothing', async (body, field) => {
    const tenant = await t.createTenant();
    const problem = expectProblem(
      await t.request('POST', '/v1/invites/bulk', { key: tenant.secret_key, body }),
      422,
      'VALIDATION_FAILED',
    );
    expect(problem.errors?.map((e) => e.field)).toContain(field);
    expect(await counts(tenant)).toEqual({ invites: 0, mails: 0, audit: 0 });
  });

  it('fails as a whole for an unknown or archived tier', async () => {
    const tenant = await t.createTenant();
    const archived = await createTier(tenant, { archived: true });
    expectProblem(
      await t.request('POST', '/v1/invites/bulk', {
        key: tenant.secret_key,
        body: { emails: ['ada@example.org'], tier_id: 'tier_01m8e4azsy6k9135cxwt01wqka' },
      }),
      404,
      'TIER_NOT_FOUND',
    );
    expectProblem(
      await t.request('POST', '/v1/invites/bulk', {
        key: tenant.secret_key,
        body: { emails: ['ada@example.org'], tier_id: archived },
      }),
      409,
      'TIER_ARCHIVED',
    );
    expect(await counts(tenant)).toEqual({ invites: 0, mails: 0, audit: 0 });
  });

  it('invites each address once when requests overlap concurrently, without errors or deadlocks', async () => {
    const tenant = await t.createTenant();
    const emails = Array.from({ length: 20 }, (_, i) => `c${i}@example.org`);
    const responses = await Promise.all([
      t.request('POST', '/v1/invites/bulk', { key: tenant.secret_key, body: { emails } }),
      t.request('POST', '/v1/invites/bulk', { key: tenant.secret_key, body: { emails: [...emails].reverse() } }),
      ...emails
        .slice(0, 4)
        .map((email) => t.request('POST', '/v1/invites', { key: tenant.secret_key, body: { email } })),
    ]);
    for (const res of responses.slice(2)) expect([201, 409], res.text).toContain(res.status);
    const [forward, backward] = responses;
    expect(forward!.status, forward!.text).toBe(200);
    expect(backward!.status, backward!.text).toBe(200);
    const singles = responses.slice(2).filter((r) => r.status === 201).length;
    expect(forward!.body.totals.created + backward!.body.totals.created + singles).toBe(emails.length);
    for (const res of [forward!, backward!]) {
      for (const r of res.body.results) if (r.status === 'error') expect(r.error.code).toBe('INVITE_PENDING');
    }
    expect(await counts(tenant)).toEqual({ invites: 20, mails: 20, audit: 20 });
    const verification = (await t.request('GET', '/v1/audit-log/verify', { key: tenant.secret_key })).body;
    expect(verification.valid).toBe(true);
    expect(verification.checked).toBeGreaterThanOrEqual(20);
  });

  it('invites 1000 addresses in one request', async () => {
    const tenant = await t.createTenant();
    const emails = Array.from({ length: 1000 }, (_, i) => `person${i}@example.org`);
    const res = await t.request('POST', '/v1/invites/bulk', { key: tenant.secret_key, body: { emails } });
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({ created: 1000, failed: 0 });
    expect(await counts(tenant)).toEqual({ invites: 1000, mails: 1000, audit: 1000 });
    const verification = (await t.request('GET', '/v1/audit-log/verify', { key: tenant.secret_key })).body;
    expect(verification.valid).toBe(true);
    expect(verification.checked).toBeGreaterThanOrEqual(1000);
  });

  it('refuses viewers', async () => {
    const tenant = await t.createTenant();
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    expectProblem(
      await t.request('POST', '/v1/invites/bulk', { key: viewer.key, body: { emails: ['ada@example.org'] } }),
      403,
      'PERMISSION_DENIED',
    );
  });
});

describe('GET /v1/invites', () => {
  it('pages newest first with a cursor bound to the tenant and the filters', async () => {
    const tenant = await t.createTenant();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await invite(tenant, { email: `p${i}@example.org` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: TestResponse = await t.request('GET', `/v1/invites?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
        key: tenant.secret_key,
      });
      expect(res.status).toBe(200);
      expect(res.body.object).toBe('list');
      seen.push(...res.body.data.map((i: { id: string }) => i.id));
      cursor = res.body.next_cursor;
      expect(res.body.has_more).toBe(cursor !== null);
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());

    const first = await t.request('GET', '/v1/invites?limit=2', { key: tenant.secret_key });
    const next = first.body.next_cursor;
    expectProblem(
      await t.request('GET', `/v1/invites?limit=2&status=pending&cursor=${next}`, { key: tenant.secret_key }),
      400,
      'INVALID_CURSOR',
    );
    const other = await t.createTenant();
    expectProblem(
      await t.request('GET', `/v1/invites?limit=2&cursor=${next}`, { key: other.secret_key }),
      400,
      'INVALID_CURSOR',
    );
    expectProblem(
      await t.request('GET', '/v1/invites?cursor=garbage!', { key: tenant.secret_key }),
      400,
      'INVALID_CURSOR',
    );
  });

  it('filters by status, expired included, and by address', async () => {
    const tenant = await t.createTenant();
    const pending = await invite(tenant, { email: 'pending@example.org' });
    const expired = await invite(tenant, { email: 'expired@example.org' });
    const revoked = await invite(tenant, { email: 'revoked@example.org' });
    const accepted = await invite(tenant, { email: 'accepted@example.org' });
    await setInvite(tenant, expired.id, { expiresAt: new Date(Date.now() - DAY_MS) });
    await setInvite(tenant, accepted.id, { status: 'accepted', acceptedAt: new Date() });
    await t.request('DELETE', `/v1/invites/${revoked.id}`, { key: tenant.secret_key });

    const list = async (query: string) =>
      (await t.request('GET', `/v1/invites?${query}`, { key: tenant.secret_key })).body.data.map(
        (i: { id: string; status: string }) => [i.id, i.status],
      );
    expect(await list('status=pending')).toEqual([[pending.id, 'pending']]);
    expect(await list('status=expired')).toEqual([[expired.id, 'expired']]);
    expect(await list('status=revoked')).toEqual([[revoked.id, 'revoked']]);
    expect(await list('status=accepted')).toEqual([[accepted.id, 'accepted']]);
    expect(await list('email=EXPIRED%40example.org')).toEqual([[expired.id, 'expired']]);
    expect(await list('email=nobody%40example.org')).toEqual([]);
    expect(await list('')).toHaveLength(4);

    const problem = expectProblem(
      await t.request('GET', '/v1/invites?status=lost', { key: tenant.secret_key }),
      422,
      'VALIDATION_FAILED',
    );
    expect(problem.errors?.map((e) => e.field)).toContain('query.status');
  });

  it("lets viewers read and never lists another tenant's invites", async () => {
    const tenant = await t.createTenant();
    const other = await t.createTenant();
    await invite(other, { email: 'ada@example.org' });
    const mine = await invite(tenant, { email: 'grace@example.org' });
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    const res = await t.request('GET', '/v1/invites', { key: viewer.key });
    expect(res.status).toBe(200);
    expect(res.body.data.map((i: { id: string }) => i.id)).toEqual([mine.id]);
  });
});

describe('GET /v1/invites/{id}', () => {
  it('shows a pending invite past its expiry as expired', async () => {
    const tenant = await t.createTenant();
    const created = await invite(tenant, { email: 'ada@example.org' });
    await setInvite(tenant, created.id, { expiresAt: new Date(Date.now() - 1000) });
    expect((await t.request('GET', `/v1/invites/${created.id}`, { key: tenant.secret_key })).body.status).toBe(
      'expired',
    );
  });

  it("answers 404 for another tenant's, an unknown or a malformed id", async () => {
    const tenant = await t.createTenant();
    const other = await t.createTenant();
    const foreign = await invite(other, { email: 'ada@example.org' });
    for (const id of [foreign.id, 'inv_01m8e4azsy6k9135cxwt01wqka', 'key_01m8e4azsy6k9135cxwt01wqka', 'nonsense']) {
      const problem = expectProblem(
        await t.request('GET', `/v1/invites/${id}`, { key: tenant.secret_key }),
        404,
        'INVITE_NOT_FOUND',
      );
      expect(problem.detail).not.toContain('ada@example.org');
    }
  });
});

describe('DELETE /v1/invites/{id}', () => {
  it('revokes: the link stops working, the unsent mail is withdrawn and revoking again changes nothing', async () => {
    const tenant = await t.createTenant();
    const created = await invite(tenant, { email: 'ada@example.org' });
    const [mail] = await mailsOf(tenant, created.id);
    const res = await t.request('DELETE', `/v1/invites/${created.id}`, { key: tenant.secret_key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.id, status: 'revoked' });
    expect(res.body.revoked_at).not.toBeNull();
    expect(await findByToken(tenant, mail!.data.token)).toBeNull();
    expect(await mailsOf(tenant, created.id)).toEqual([]);

    const again = await t.request('DELETE', `/v1/invites/${created.id}`, { key: tenant.secret_key });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
    const revocations = (await auditActions(tenant)).filter((e) => e.action === 'invite.revoked');
    expect(revocations).toHaveLength(1);
    expect(revocations[0]).toMatchObject({
      target: { id: created.id },
      diff: { status: { from: 'pending', to: 'revoked' } },
    });
  });

  it('revokes an expired invite', async () => {
    const tenant = await t.createTenant();
    const created = await invite(tenant, { email: 'ada@example.org' });
    await setInvite(tenant, created.id, { expiresAt: new Date(Date.now() - 1000) });
    const res = await t.request('DELETE', `/v1/invites/${created.id}`, { key: tenant.secret_key });
    expect(res.body.status).toBe('revoked');
    const [entry] = (await auditActions(tenant)).filter((e) => e.action === 'invite.revoked');
    expect(entry!.diff).toMatchObject({ status: { from: 'expired', to: 'revoked' } });
  });

  it('answers 409 INVITE_NOT_PENDING for an accepted invite', async () => {
    const tenant = await t.createTenant();
    const created = await invite(tenant, { email: 'ada@example.org' });
    await setInvite(tenant, created.id, { status: 'accepted', acceptedAt: new Date() });
    expectProblem(
      await t.request('DELETE', `/v1/invites/${created.id}`, { key: tenant.secret_key }),
      409,
      'INVITE_NOT_PENDING',
    );
    expect((await storedInvite(tenant, created.id)).status).toBe('accepted');
  });

  it('lets managers revoke and refuses viewers with 403 naming invite:revoke', async () => {
    const tenant = await t.createTenant();
    const manager = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'manager' });
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    const a = await invite(tenant, { email: 'a@example.org' });
    const problem = expectProblem(
      await t.request('DELETE', `/v1/invites/${a.id}`, { key: viewer.key }),
      403,
      'PERMISSION_DENIED',
    );
    expect(problem.detail).toContain('invite:revoke');
    expect((await storedInvite(tenant, a.id)).status).toBe('pending');
    expect((await t.request('DELETE', `/v1/invites/${a.id}`, { key: manager.key })).body.status).toBe('revoked');
  });

  it("answers 404 for another tenant's invite and leaves it untouched", async () => {
    const tenant = await t.createTenant();
    const other = await t.createTenant();
    const foreign = await invite(other, { email: 'ada@example.org' });
    expectProblem(
      await t.request('DELETE', `/v1/invites/${foreign.id}`, { key: tenant.secret_key }),
      404,
      'INVITE_NOT_FOUND',
    );
    expect((await storedInvite(other, foreign.id)).status).toBe('pending');
    expect(await mailsOf(other, foreign.id)).toHaveLength(1);
    expect(await counts(tenant)).toEqual({ invites: 0, mails: 0, audit: 0 });
  });
});

describe('POST /v1/invites/{id}/resend', () => {
  it('issues a new token and expiry: the old link stops working, the new one works', async () => {
    const tenant = await t.createTenant();
    const created = await invite(tenant, { email: 'ada@example.org', message: 'Hello' });
    const [oldMail] = await mailsOf(tenant, created.id);
    const oldHash = (await storedInvite(tenant, created.id)).tokenHash;

    const res = await t.request('POST', `/v1/invites/${created.id}/resend`, { key: tenant.secret_key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.id, status: 'pending', send_count: 2, message: 'Hello' });
    expect(new Date(res.body.last_sent_at).getTime()).toBeGreaterThanOrEqual(new Date(created.last_sent_at).getTime());
    expect(new Date(res.body.expires_at).getTime() - new Date(res.body.last_sent_at).getTime()).toBe(INVITE_TTL_MS);
    expect(res.text).not.toMatch(/token/);

    // The unsent first mail carried the now dead link: it is withdrawn, a new one is queued.
    const mails = await mailsOf(tenant, created.id);
    expect(mails).toHaveLength(1);
    const [newMail] = mails;
    expect(newMail!.id).not.toBe(oldMail!.id);
    expect(newMail).toMatchObject({
      to_address: 'ada@example.org',
      data: { message: 'Hello', expires_at: res.body.expires_at },
    });
    expect(newMail!.data.token).not.toBe(oldMail!.data.token);

    const stored = await storedInvite(tenant, created.id);
    expect(stored.tokenHash).not.toBe(oldHash);
    expect(stored.tokenHash).toBe(await sha256Hex(newMail!.data.token));
    expect(await findByToken(tenant, oldMail!.data.token)).toBeNull();
    expect((await findByToken(tenant, newMail!.data.token))?.id).toBe(created.id);

    const [entry] = (await auditActions(tenant)).filter((e) => e.action === 'invite.resent');
    expect(entry).toMatchObject({ target: { id: created.id }, diff: { send_count: { from: 1, to: 2 } } });
    expect(Object.keys(entry!.diff).sort()).toEqual(['expires_at', 'last_sent_at', 'send_count']);
  });

  it("keeps the mail's language and leaves mails already sent alone", async () => {
    const tenant = await t.createTenant();
    await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { locale: { supported: ['en', 'de'] } } });
    const created = await invite(tenant, { email: 'ada@example.org', locale: 'de' });
    await t.db.withTenant(tenant.id, (tx) => tx.execute(sql`update mail_outbox set status = 'sent', sent_at = now()`));
    await t.request('POST', `/v1/invites/${created.id}/resend`, { key: tenant.secret_key });
    const mails = await mailsOf(tenant, created.id);
    expect(mails.map((m) => [m.status, m.locale])).toEqual([
      ['sent', 'de'],
      ['pending', 'de'],
    ]);
  });

  it('renews an expired invite', async () => {
    const tenant = await t.createTenant();
    const created = await invite(tenant, { email: 'ada@example.org' });
    await setInvite(tenant, created.id, { expiresAt: new Date(Date.now() - DAY_MS) });
    const res = await t.request('POST', `/v1/invites/${created.id}/resend`, { key: tenant.secret_key });
    expect(res.body.status).toBe('pending');
    expect(new Date(res.body.expires_at).getTime()).toBeGreaterThan(Date.now() + INVITE_TTL_MS - 60_000);
  });

  it('answers 409 INVITE_NOT_PENDING for revoked and accepted invites', async () => {
    const tenant = await t.createTenant();
    const revoked = await invite(tenant, { email: 'a@example.org' });
    const accepted = await invite(tenant, { email: 'b@example.org' });
    await t.request('DELETE', `/v1/invites/${revoked.id}`, { key: tenant.secret_key });
    await setInvite(tenant, accepted.id, { status: 'accepted', acceptedAt: new Date() });
    for (const id of [revoked.id, accepted.id]) {
      expectProblem(
        await t.request('POST', `/v1/invites/${id}/resend`, { key: tenant.secret_key }),
        409,
        'INVITE_NOT_PENDING',
      );
      expect((await storedInvite(tenant, id)).sendCount).toBe(1);
    }
  });

  it("lets managers resend, refuses viewers, and answers 404 for another tenant's invite without touching it", async () => {
    const tenant = await t.createTenant();
    const other = await t.createTenant();
    const manager = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'manager' });
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    const mine = await invite(tenant, { email: 'ada@example.org' });
    expectProblem(
      await t.request('POST', `/v1/invites/${mine.id}/resend`, { key: viewer.key }),
      403,
      'PERMISSION_DENIED',
    );
    expect((await t.request('POST', `/v1/invites/${mine.id}/resend`, { key: manager.key })).body.send_count).toBe(2);

    const foreign = await invite(other, { email: 'grace@example.org' });
    const [foreignMail] = await mailsOf(other, foreign.id);
    expectProblem(
      await t.request('POST', `/v1/invites/${foreign.id}/resend`, { key: tenant.secret_key }),
      404,
      'INVITE_NOT_FOUND',
    );
    expect((await storedInvite(other, foreign.id)).sendCount).toBe(1);
    expect((await findByToken(other, foreignMail!.data.token))?.id).toBe(foreign.id);
    expect(await mailsOf(other, foreign.id)).toHaveLength(1);
  });
});

describe('findInviteByToken', () => {
  it('finds only pending, unexpired invites of the given tenant by a well-formed token', async () => {
    const tenant = await t.createTenant();
    const other = await t.createTenant();
    const created = await invite(tenant, { email: 'ada@example.org' });
    const [mail] = await mailsOf(tenant, created.id);
    const token = mail!.data.token;
    expect((await findByToken(tenant, token))?.id).toBe(created.id);
    expect(await findByToken(other, token)).toBeNull();
    expect(await findByToken(tenant, token.slice(0, -1))).toBeNull();
    expect(await findByToken(tenant, `${token}x`)).toBeNull();
    expect(await findByToken(tenant, "' or 1=1 --")).toBeNull();
    expect(await findByToken(tenant, token, new Date(new Date(created.expires_at).getTime() + 1))).toBeNull();
    const locked = await t.db.withTenant(tenant.id, (tx) => findInviteByToken(tx, tenant.id, token, { lock: true }));
    expect(locked?.id).toBe(created.id);
    await setInvite(tenant, created.id, { status: 'accepted', acceptedAt: new Date() });
    expect(await findByToken(tenant, token)).toBeNull();
  });
});
