import { describe, expect, it } from 'vitest';
import { createSecretBox, generateMasterKey } from './secret-box.js';

describe('secret box', () => {
  it('round-trips, hides the plaintext and refuses another context or key', async () => {
    const box = await createSecretBox(generateMasterKey());
    const sealed = await box.seal('private-key-material', 'signing_key:tnt_a:k1');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('private-key-material');
    expect(await box.open(sealed, 'signing_key:tnt_a:k1')).toBe('private-key-material');
    await expect(box.open(sealed, 'signing_key:tnt_b:k1')).rejects.toThrow();
    await expect((await createSecretBox(generateMasterKey())).open(sealed, 'signing_key:tnt_a:k1')).rejects.toThrow();
  });

  it('digests with a key: stable under one master key and context, different under another, not a plain SHA-256', async () => {
    const master = generateMasterKey();
    const box = await createSecretBox(master);
    const digest = await box.digest('{"password":"hunter2"}', 'idempotency-fingerprint');
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(await (await createSecretBox(master)).digest('{"password":"hunter2"}', 'idempotency-fingerprint')).toBe(
      digest,
    );
    expect(await box.digest('{"password":"hunter2"}', 'another-context')).not.toBe(digest);
    expect(
      await (await createSecretBox(generateMasterKey())).digest('{"password":"hunter2"}', 'idempotency-fingerprint'),
    ).not.toBe(digest);
    const plain = Array.from(
      new Uint8Array(
        await crypto.subtle.digest(
          'SHA-256',
          new TextEncoder().encode('idempotency-fingerprint\n{"password":"hunter2"}'),
        ),
      ),
      (b) => b.toString(16).padStart(2, '0'),
    ).join('');
    expect(digest).not.toBe(plain);
  });

  it('refuses a master key of the wrong size', async () => {
    await expect(createSecretBox('c2hvcnQ')).rejects.toThrow(/32 bytes/);
  });
});
