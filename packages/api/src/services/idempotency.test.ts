import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/support/harness.js';
import { eq, sql } from 'drizzle-orm';
import { tenants } from '../db/schema/index.js';
import { executeRows } from '../db/database.js';
import { createSecretBox, generateMasterKey, type SecretBox } from '../identity/secret-box.js';
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
    expect(await claimIdempotencyKey(t.db, scope, 'k1', 'fp', 3600, box)).toEqual({ outcome: 'claimed' });
    expect(await claimIdempotencyKey(t.db, scope, 'k1', 'fp', 3600, box)).toEqual({ outcome: 'in_progress' });
    expect(await claimIdempotencyKey(t.db, scope, 'k1', 'other', 3600, box)).toEqual({ outcome: 'mismatch' });
    await completeIdempotencyKey(t.db, scope, 'k1', { status: 201, body: '{"ok":true}', headers: { 'content-type': 'application/json' } }, box);
    expect(await claimIdempotencyKey(t.db, scope, 'k1', 'fp', 3600, box)).toEqual({
      outcome: 'replay',
      response: { status: 201, body: '{"ok":true}', headers: { 'content-type': 'application/json' } },
    });
    await releaseIdempotencyKey(t.db, scope, 'k1');
    expect(await claimIdempotencyKey(t.db, scope, 'k1', 'fp', 3600, box)).toEqual({ outcome: 'claimed' });
  });

  it('keeps stored responses sealed: a session\'s tokens are not in the database in the clear, and a retry gets the same session', async () => {
    const tenant = await t.createTenant();
    // Signed in at once (no verification step), so the response carries a session.
    await t.db.withPlatform((tx) => tx.update(tenants).set({ authSettings: { require_email_verification: false } }).where(eq(tenants.id, tenant.id)));
    const body = { email: `idem-${Date.now().toString(36)}@example.org`, password: 'a long enough password', first_name: 'Ida', last_name: 'Em' };
    const headers = { 'Idempotency-Key': `signup-${Date.now()}` };
    const first = await t.request('POST', '/v1/auth/signup', { key: tenant.publishable_key, body, headers });
    expect(first.status).toBe(201);
    const retry = await t.request('POST', '/v1/auth/signup', { key: tenant.publishable_key, body, headers });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    const [row] = await t.db.withTenant(tenant.id, (tx) =>
      executeRows<{ response_body: string }>(tx.execute(sql`select response_body from idempotency_keys where tenant_id = ${tenant.id} and key = ${headers['Idempotency-Key']}`)),
    );
    expect(row!.response_body.startsWith('v1.')).toBe(true);
    expect(row!.response_body).not.toContain(body.email);
    expect(row!.response_body).not.toContain(first.body.refresh_token);
    expect(row!.response_body).not.toContain(first.body.access_token);
  });

  it('treats an expired key as new', async () => {
    const scope = { kind: 'platform' } as const;
    await claimIdempotencyKey(t.db, scope, 'old', 'fp', 3600, box);
    await completeIdempotencyKey(t.db, scope, 'old', { status: 201, body: '{}', headers: {} }, box);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await claimIdempotencyKey(t.db, scope, 'old', 'another request', 1, box)).toEqual({ outcome: 'claimed' });
  });
});
