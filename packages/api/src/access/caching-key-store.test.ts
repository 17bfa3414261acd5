import { describe, expect, it } from 'vitest';
import { createManualClock } from '../lib/clock.js';
import { createCachingKeyStore } from './caching-key-store.js';
import type { TenantCredential } from './credential.js';

describe('caching key store', () => {
  const credential: TenantCredential = { type: 'secret_key', id: 'key_a', tenantId: 'tnt_a', role: 'admin' };

  it('serves repeats from memory until the TTL, forgets at once on invalidate, and never caches misses', async () => {
    const clock = createManualClock(new Date('2026-01-01T00:00:00Z'));
    let lookups = 0;
    let known = true;
    const store = createCachingKeyStore(
      {
        resolve: async () => {
          lookups++;
          return known ? credential : null;
        },
      },
      { ttlMs: 5000, clock },
    );
    expect(await store.resolve('sk_1')).toEqual(credential);
    expect(await store.resolve('sk_1')).toEqual(credential);
    expect(lookups).toBe(1);
    clock.advance(5001);
    await store.resolve('sk_1');
    expect(lookups).toBe(2);
    store.invalidate('key_a');
    known = false;
    expect(await store.resolve('sk_1')).toBeNull();
    expect(await store.resolve('sk_1')).toBeNull();
    expect(lookups).toBe(4);
  });
});
