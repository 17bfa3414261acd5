import { idBody, ID_BODY_LENGTH, isIdBody } from '../lib/ids.js';
import { randomBase62 } from '../lib/encoding.js';

export type ApiKeyKind = 'secret' | 'publishable';

const SECRET_LENGTH = 32;
const KEY_PATTERN = new RegExp(
  `^(sk|pk)_([0-9a-hjkmnp-tv-z]{${ID_BODY_LENGTH}})([0-9a-hjkmnp-tv-z]{${ID_BODY_LENGTH}})([0-9A-Za-z]{${SECRET_LENGTH}})$`,
);

/** The parts of a presented key. The tenant and key ids are only claims until the hash matches. */
export interface ParsedApiKey {
  kind: ApiKeyKind;
  tenantId: string;
  keyId: string;
}

/**
 * Makes a new key: `sk_` or `pk_`, then the tenant id body, the key id body and
 * 32 random base62 characters (190 bits). Embedding the ids routes the lookup to
 * one tenant and one row (keys stay tenant-first, as on a sharded database);
 * the secret part is what makes it unguessable.
 */
export function formatApiKey(kind: ApiKeyKind, tenantId: string, keyId: string): string {
  return `${kind === 'secret' ? 'sk' : 'pk'}_${idBody(tenantId)}${idBody(keyId)}${randomBase62(SECRET_LENGTH)}`;
}

/** Parses a presented key; null when it is not shaped like one of ours. */
export function parseApiKey(value: string): ParsedApiKey | null {
  const match = KEY_PATTERN.exec(value);
  if (!match) return null;
  const [, prefix, tenantBody, keyBody] = match as unknown as [string, string, string, string];
  if (!isIdBody(tenantBody) || !isIdBody(keyBody)) return null;
  return { kind: prefix === 'sk' ? 'secret' : 'publishable', tenantId: `tnt_${tenantBody}`, keyId: `key_${keyBody}` };
}

/** What we show of a key after creation: `sk_…Ab3x`. */
export function redactApiKey(kind: ApiKeyKind, last4: string): string {
  return `${kind === 'secret' ? 'sk' : 'pk'}_…${last4}`;
}
