import { describe, expect, it } from 'vitest';
import { createPbkdf2Hasher } from './password-hasher.js';

describe('PBKDF2 password hasher', () => {
  it('verifies the right password only, with a salted, versioned hash', async () => {
    const hasher = createPbkdf2Hasher(1000);
    const a = await hasher.hash('correct horse battery staple');
    const b = await hasher.hash('correct horse battery staple');
    expect(a).toMatch(/^pbkdf2-sha256\$v=1\$i=1000\$/);
    expect(a).not.toBe(b);
    expect(await hasher.verify('correct horse battery staple', a)).toEqual({ ok: true, needsRehash: false });
    expect(await hasher.verify('correct horse battery stapl', a)).toEqual({ ok: false, needsRehash: false });
    expect(await hasher.verify('x', 'garbage')).toEqual({ ok: false, needsRehash: false });
  });

  it('asks for a rehash when the iteration count has risen', async () => {
    const old = await createPbkdf2Hasher(1000).hash('pässwörd');
    expect(await createPbkdf2Hasher(2000).verify('pässwörd', old)).toEqual({ ok: true, needsRehash: true });
  });

  it("defaults to OWASP's 600,000 iterations", async () => {
    expect(await createPbkdf2Hasher().hash('x')).toMatch(/\$i=600000\$/);
  });
});
