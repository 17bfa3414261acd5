import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../testing/index.js';
import { eq, sql } from 'drizzle-orm';
import { tenants } from '../db/schema/index.js';
import { executeRows } from '../db/database.js';
import { createSecretBox, generateMasterKey, type SecretBox } from '../lib/secret-box.js';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from './idempotency.js';

let t: TestContext;
let box: SecretBox;
beforeAll(async () => {
  t = await createTestContext();
  box = await createSecretBox(generateMasterKey());
});
afterAll(() => t.close());

describe('idempotency key store', () => {
  it('claims once, refuses while in progress, replays when complete, and can be released', async () => {
    const tenant = await t.createTenant();
    const scope = { kind: 'tenant', tenantId: tenant.id } as const;
    const first = await t.db.liveness.begin();
    const retry = await t.db.liveness.begin();
    expect(await claimIdempotencyKey(t.db, scope, 'k1', 'fp', 3600, box, first.marker)).toEqual({ outcome: 'claimed' });
    expect(await claimIdempotencyKey(t.db, scope, 'k1', 'fp', 3600, box, retry.marker)).toEqual({
      outcome: 'in_progress',
    });
    expect(await claimIdempotencyKey(t.db, scope, 'k1', 'other', 3600, box, retry.marker)).toEqual({
      outcome: 'mismatch',
    });
    await completeIdempotencyKey(
      t.db,
      scope,
      'k1',
      first.marker,
      { status: 201, body: '{"ok":true}', headers: { 'content-type': 'application/json' } },
      box,
    );
    expect(await claimIdempotencyKey(t.db, scope, 'k1', 'fp', 3600, box, retry.marker)).toEqual({
      outcome: 'replay',
      response: { status: 201, body: '{"ok":true}', headers: { 'content-type': 'application/json' } },
    });
    expect(await claimIdempotencyKey(t.db, scope, 'k2', 'fp', 3600, box, first.marker)).toEqual({ outcome: 'claimed' });
    await releaseIdempotencyKey(t.db, scope, 'k2', first.marker);
    expect(await claimIdempotencyKey(t.db, scope, 'k2', 'fp', 3600, box, retry.marker)).toEqual({ outcome: 'claimed' });
    first.end();
    retry.end();
  });

  it('claims a key again at once when the request holding it has ended without completing it (its connection or process died)', async () => {
    const tenant = await t.createTenant();
    const scope = { kind: 'tenant', tenantId: tenant.id } as const;
    const dead = await t.db.liveness.begin();
    expect(await claimIdempotencyKey(t.db, scope, 'k-dead', 'fp', 3600, box, dead.marker)).toEqual({
      outcome: 'claimed',
    });
    dead.end();
    const retry = await t.db.liveness.begin();
    expect(await claimIdempotencyKey(t.db, scope, 'k-dead', 'fp', 3600, box, retry.marker)).toEqual({
      outcome: 'claimed',
    });
    // The dead request cannot store its response over the retry's claim, nor release it.
    await completeIdempotencyKey(
      t.db,
      scope,
      'k-dead',
      dead.marker,
      { status: 201, body: '{"stale":true}', headers: {} },
      box,
    );
    await releaseIdempotencyKey(t.db, scope, 'k-dead', dead.marker);
    const another = await t.db.liveness.begin();
    expect(await claimIdempotencyKey(t.db, scope, 'k-dead', 'fp', 3600, box, another.marker)).toEqual({
      outcome: 'in_progress',
    });
    retry.end();
    another.end();
  });

  it('takes a key left by another process for abandoned once that process is gone', async () => {
    const tenant = await t.createTenant();
    const scope = { kind: 'tenant', tenantId: tenant.id } as const;
    // A marker of an owner this process never was: on PGlite another process (gone, as the database is ours now);
    // on a server, a lease number no session holds.
    await t.db.withTenant(tenant.id, (tx) =>
      tx.execute(
        sql`insert into idempotency_keys (tenant_id, key, fingerprint, owner) values (${tenant.id}, 'k-crashed', 'fp', ${t.db.driver === 'pglite' ? 'pGONE.x' : 's1.x'})`,
      ),
    );
    const retry = await t.db.liveness.begin();
    expect(await claimIdempotencyKey(t.db, scope, 'k-crashed', 'fp', 3600, box, retry.marker)).toEqual({
      outcome: 'claimed',
    });
    retry.end();
  });

  it("keeps stored responses sealed: a session's tokens are not in the database in the clear, and a retry gets the same session", async () => {
    const tenant = await t.createTenant();
    // Signed in at once (no verification step), so the response carries a session.
    await t.db.withPlatform((tx) =>
      tx
        .update(tenants)
        .set({ authSettings: { require_email_verification: false } })
        .where(eq(tenants.id, tenant.id)),
    );
    const body = {
      email: `idem-${Date.now().toString(36)}@example.org`,
      password: 'a long enough password',
      first_name: 'Ida',
      last_name: 'Em',
    };
    const headers = { 'Idempotency-Key': `signup-${Date.now()}` };
    const first = await t.request('POST', '/v1/auth/signup', { key: tenant.publishable_key, body, headers });
    expect(first.status).toBe(201);
    const retry = await t.request('POST', '/v1/auth/signup', { key: tenant.publishable_key, body, headers });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    const [row] = await t.db.withTenant(tenant.id, (tx) =>
      executeRows<{ response_body: string }>(
        tx.execute(
          sql`select response_body from idempotency_keys where tenant_id = ${tenant.id} and key = ${headers['Idempotency-Key']}`,
        ),
      ),
    );
    expect(row!.response_body.startsWith('v1.')).toBe(true);
    expect(row!.response_body).not.toContain(body.email);
    expect(row!.response_body).not.toContain(first.body.refresh_token);
    expect(row!.response_body).not.toContain(first.body.access_token);
  });

  it('treats an expired key as new', async () => {
    const scope = { kind: 'platform' } as const;
    const work = await t.db.liveness.begin();
    await claimIdempotencyKey(t.db, scope, 'old', 'fp', 3600, box, work.marker);
    await completeIdempotencyKey(t.db, scope, 'old', work.marker, { status: 201, body: '{}', headers: {} }, box);
    work.end();
    await new Promise((r) => setTimeout(r, 1100));
    const retry = await t.db.liveness.begin();
    expect(await claimIdempotencyKey(t.db, scope, 'old', 'another request', 1, box, retry.marker)).toEqual({
      outcome: 'claimed',
    });
    retry.end();
  });
});
