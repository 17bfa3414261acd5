/**
 * Encrypts secrets at rest (signing keys, OIDC client secrets) with AES-256-GCM
 * under a master key from the environment. Format: `v1.<iv>.<ciphertext+tag>`
 * (base64url); the version names the master key generation, for rotation.
 */
export interface SecretBox {
  seal(plaintext: string, context: string): Promise<string>;
  open(sealed: string, context: string): Promise<string>;
  /**
   * A keyed digest (HMAC-SHA-256 under a key derived from the master key), hex: for
   * values that must be compared but may hold a secret, such as a request body with a
   * password. Unlike a plain hash, it cannot be checked against guesses without the key.
   */
  digest(value: string, context: string): Promise<string>;
}

function b64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromB64url(value: string): Uint8Array<ArrayBuffer> {
  const bin = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** A new random 32-byte master key, base64url (for `MEMBERKIT_MASTER_KEY`). */
export function generateMasterKey(): string {
  return b64url(crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * A box on a base64url 32-byte key. `context` (e.g. `signing_key:tnt_…:kid`) is
 * bound as additional authenticated data: a ciphertext copied to another row
 * does not decrypt there.
 */
export async function createSecretBox(masterKey: string): Promise<SecretBox> {
  const raw = fromB64url(masterKey);
  if (raw.length !== 32) throw new Error('The master key must be 32 bytes, base64url encoded.');
  const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
  const encoder = new TextEncoder();
  // A separate key for digests, derived from the master key: one key, one purpose.
  const hkdf = await crypto.subtle.importKey('raw', raw, 'HKDF', false, ['deriveKey']);
  const macKey = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: encoder.encode('memberkit digest v1') },
    hkdf,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    ['sign'],
  );
  return {
    async digest(value, context) {
      const mac = await crypto.subtle.sign('HMAC', macKey, encoder.encode(`${context}\n${value}`));
      return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, '0')).join('');
    },
    async seal(plaintext, context) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const sealed = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: encoder.encode(context) },
        key,
        encoder.encode(plaintext),
      );
      return `v1.${b64url(iv)}.${b64url(new Uint8Array(sealed))}`;
    },
    async open(sealed, context) {
      const [version, iv, data] = sealed.split('.');
      if (version !== 'v1' || !iv || !data) throw new Error('Unknown sealed secret format.');
      const plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: fromB64url(iv), additionalData: encoder.encode(context) },
        key,
        fromB64url(data),
      );
      return new TextDecoder().decode(plain);
    },
  };
}
