import { timingSafeEqual } from '../lib/crypto.js';

/**
 * Hashes and checks passwords. Behind an interface so the algorithm can change:
 * stored hashes name their algorithm and parameters, and `verify` says when a
 * hash should be replaced (rehash on the next successful login).
 */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<{ ok: boolean; needsRehash: boolean }>;
}

/** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
export const OWASP_PBKDF2_ITERATIONS = 600_000;

const FORMAT = /^pbkdf2-sha256\$v=1\$i=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(password.normalize('NFKC')),
    'PBKDF2',
    false,
    ['deriveBits'],
  );
  return new Uint8Array(
    await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256),
  );
}

/**
 * PBKDF2-HMAC-SHA256 through Web Crypto (runs on Node and edge runtimes alike),
 * 16-byte random salt, versioned format `pbkdf2-sha256$v=1$i=<iterations>$<salt>$<hash>`.
 * @param iterations OWASP's 600,000 in production; tests may use fewer.
 */
export function createPbkdf2Hasher(iterations = OWASP_PBKDF2_ITERATIONS): PasswordHasher {
  return {
    async hash(password) {
      const salt = crypto.getRandomValues(new Uint8Array(16));
      const hash = await derive(password, salt, iterations);
      return `pbkdf2-sha256$v=1$i=${iterations}$${toBase64(salt)}$${toBase64(hash)}`;
    },
    async verify(password, stored) {
      const match = FORMAT.exec(stored);
      if (!match) return { ok: false, needsRehash: false };
      const storedIterations = Number(match[1]);
      const salt = Uint8Array.from(atob(match[2]!), (c) => c.charCodeAt(0));
      const hash = await derive(password, salt, storedIterations);
      const ok = timingSafeEqual(toBase64(hash), match[3]!);
      return { ok, needsRehash: ok && storedIterations < iterations };
    },
  };
}
