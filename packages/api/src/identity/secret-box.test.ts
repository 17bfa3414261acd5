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

  it('refuses a master key of the wrong size', async () => {
    await expect(createSecretBox('c2hvcnQ')).rejects.toThrow(/32 bytes/);
  });
});
