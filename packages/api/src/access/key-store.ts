import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Clock } from '../lib/clock.js';
import { sha256Hex, timingSafeEqual } from '../lib/crypto.js';
import type { Database } from '../db/database.js';
import { apiKeys, tenants } from '../db/schema/index.js';
import { parseApiKey } from './api-key-format.js';
import type { TenantCredential } from './credential.js';

/** Resolves presented API keys to credentials. An interface so a cache or KMS-backed store can replace it. */
export interface KeyStore {
  /** The credential for `presented`, or null when it is unknown, revoked or malformed. */
  resolve(presented: string): Promise<TenantCredential | null>;
  /** Forgets anything cached about a key (called when it is revoked). */
  invalidate?(keyId: string): void;
}

/** `last_used_at` is refreshed at most this often per key, so hot keys do not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The key store on our own database. */
export function createDatabaseKeyStore(db: Database, clock: Clock): KeyStore {
  return {
    async resolve(presented) {
      const parsed = parseApiKey(presented);
      if (!parsed) return null;
      const presentedHash = await sha256Hex(presented);
      return db.withTenant(parsed.tenantId, async (tx) => {
        const [row] = await tx
          .select({
            id: apiKeys.id,
            kind: apiKeys.kind,
            role: apiKeys.role,
            secretHash: apiKeys.secretHash,
            allowedOrigins: apiKeys.allowedOrigins,
            tenantOrigins: tenants.allowedOrigins,
            lastUsedAt: apiKeys.lastUsedAt,
          })
          .from(apiKeys)
          .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
          .where(and(eq(apiKeys.tenantId, parsed.tenantId), eq(apiKeys.id, parsed.keyId), isNull(apiKeys.revokedAt)))
          .limit(1);
        if (!row || row.kind !== parsed.kind || !timingSafeEqual(row.secretHash, presentedHash)) return null;

        const now = clock.now();
        if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
          const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
          await tx
            .update(apiKeys)
            .set({ lastUsedAt: now })
            .where(
              and(
                eq(apiKeys.tenantId, parsed.tenantId),
                eq(apiKeys.id, parsed.keyId),
                or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, stale)),
              ),
            );
        }
        if (row.kind === 'secret') {
          return { type: 'secret_key', id: row.id, tenantId: parsed.tenantId, role: row.role ?? 'viewer' } as const;
        }
        // A key without its own origins is accepted from the tenant's.
        const allowedOrigins = row.allowedOrigins.length > 0 ? row.allowedOrigins : row.tenantOrigins;
        return { type: 'publishable_key', id: row.id, tenantId: parsed.tenantId, allowedOrigins } as const;
      });
    },
  };
}
