import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/support/harness.js';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from './idempotency.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('idempotency key store', () => {
  it('claims once, refuses while in progress, replays when complete, and can be released', async () => {
    const tenant = await t.createTenant();
    const scope = { kind: 'tenant', tenantId: tenant.id } as const;
    expect(await claimIdempotencyKey(t.db, scope, 'k1', 'fp', 3600)).toEqual({ outcome: 'claimed' });
    expect(await claimIdempotencyKey(t.db, scope, 'k1', 'fp', 3600)).toEqual({ outcome: 'in_progress' });
    expect(await claimIdempotencyKey(t.db, scope, 'k1', 'other', 3600)).toEqual({ outcome: 'mismatch' });
    await completeIdempotencyKey(t.db, scope, 'k1', { status: 201, body: '{"ok":true}', headers: { 'content-type': 'application/json' } });
    expect(await claimIdempotencyKey(t.db, scope, 'k1', 'fp', 3600)).toEqual({
      outcome: 'replay',
      response: { status: 201, body: '{"ok":true}', headers: { 'content-type': 'application/json' } },
    });
    await releaseIdempotencyKey(t.db, scope, 'k1');
    expect(await claimIdempotencyKey(t.db, scope, 'k1', 'fp', 3600)).toEqual({ outcome: 'claimed' });
  });

  it('treats an expired key as new', async () => {
    const scope = { kind: 'platform' } as const;
    await claimIdempotencyKey(t.db, scope, 'old', 'fp', 3600);
    await completeIdempotencyKey(t.db, scope, 'old', { status: 201, body: '{}', headers: {} });
    await new Promise((r) => setTimeout(r, 1100));
    expect(await claimIdempotencyKey(t.db, scope, 'old', 'another request', 1)).toEqual({ outcome: 'claimed' });
  });
});
