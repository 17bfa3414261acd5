import type { AppDeps } from '../deps.js';
import { sha256Hex, timingSafeEqual } from '../lib/crypto.js';
import type { Credential } from './credential.js';
import { resolveAccessToken } from './token-credential.js';

/**
 * The credential a bearer token stands for, or null when it is unknown, expired
 * or revoked. The token's shape says where to look: `sk_…`/`pk_…` are API keys,
 * a JWT (`eyJ…`) is a member's, staff user's or OAuth client's access token, and
 * anything else can only be the platform operator key (compared by hash, in
 * constant time).
 */
export async function resolveBearerToken(
  deps: Pick<AppDeps, 'db' | 'clock' | 'config' | 'keys'>,
  token: string,
): Promise<Credential | null> {
  if (token.startsWith('sk_') || token.startsWith('pk_')) return deps.keys.resolve(token);
  if (token.startsWith('eyJ')) return resolveAccessToken(deps, token);
  const { platformKeyHash } = deps.config;
  if (platformKeyHash && timingSafeEqual(await sha256Hex(token), platformKeyHash)) {
    return { type: 'platform', id: 'platform' };
  }
  return null;
}
