import { and, desc, eq, gt, isNull, or } from 'drizzle-orm';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Tx } from '../db/database.js';
import { signingKeys, tenants } from '../db/schema/index.js';
import type { AppDeps } from '../deps.js';
import { randomBase62 } from '../lib/encoding.js';
import { ApiError } from '../lib/errors.js';
import { isId } from '../lib/ids.js';
import { appendAudit } from '../services/audit.js';
import type { AuditContext } from '../services/audit-context.js';
import { TenantErrors } from '../services/tenants.js';
import type { SecretBox } from '../lib/secret-box.js';

/** Access tokens live this long; retired keys stay published at least this long (plus skew). */
export const ACCESS_TOKEN_TTL_SECONDS = 600;
const PUBLISH_AFTER_RETIRE_MS = (ACCESS_TOKEN_TTL_SECONDS + 300) * 1000;

export const SIGNING_ALG = 'ES256';

/** Decrypted private keys, per process: unsealing on every token would be wasted work. */
const privateKeyCache = new Map<string, CryptoKey>();

const sealContext = (tenantId: string, kid: string) => `signing_key:${tenantId}:${kid}`;

async function createKey(tx: Tx, box: SecretBox, tenantId: string, now: Date) {
  const kid = `${now.toISOString().slice(0, 10)}-${randomBase62(10)}`;
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: 'sig' };
  const sealed = await box.seal(JSON.stringify(await exportJWK(privateKey)), sealContext(tenantId, kid));
  await tx
    .insert(signingKeys)
    .values({ tenantId, kid, alg: SIGNING_ALG, publicJwk, privateJwkSealed: sealed, createdAt: now });
  privateKeyCache.set(`${tenantId}:${kid}`, privateKey as CryptoKey);
  return { kid, privateKey: privateKey as CryptoKey };
}

/** The tenant's current signing key, created on first use. */
export async function currentSigningKey(
  tx: Tx,
  box: SecretBox,
  tenantId: string,
  now: Date,
): Promise<{ kid: string; privateKey: CryptoKey }> {
  const [row] = await tx
    .select()
    .from(signingKeys)
    .where(and(eq(signingKeys.tenantId, tenantId), isNull(signingKeys.retiredAt)))
    .orderBy(desc(signingKeys.createdAt))
    .limit(1);
  if (!row) return createKey(tx, box, tenantId, now);
  const cacheKey = `${tenantId}:${row.kid}`;
  let privateKey = privateKeyCache.get(cacheKey);
  if (!privateKey) {
    const jwk = JSON.parse(await box.open(row.privateJwkSealed, sealContext(tenantId, row.kid))) as JWK;
    privateKey = (await importJWK(jwk, SIGNING_ALG)) as CryptoKey;
    privateKeyCache.set(cacheKey, privateKey);
  }
  return { kid: row.kid, privateKey };
}

/**
 * Retires the current key and makes a new one. Tokens signed with the old key
 * keep verifying until they expire: the old public key stays in the JWKS.
 */
export async function rotateSigningKey(tx: Tx, box: SecretBox, tenantId: string, now: Date): Promise<string> {
  await tx
    .update(signingKeys)
    .set({ retiredAt: now })
    .where(and(eq(signingKeys.tenantId, tenantId), isNull(signingKeys.retiredAt)));
  return (await createKey(tx, box, tenantId, now)).kid;
}

/** Public keys that may have signed an unexpired token: the JWKS. */
export async function publishedKeys(tx: Tx, tenantId: string, now: Date): Promise<JWK[]> {
  const rows = await tx
    .select({ publicJwk: signingKeys.publicJwk })
    .from(signingKeys)
    .where(
      and(
        eq(signingKeys.tenantId, tenantId),
        or(isNull(signingKeys.retiredAt), gt(signingKeys.retiredAt, new Date(now.getTime() - PUBLISH_AFTER_RETIRE_MS))),
      ),
    )
    .orderBy(desc(signingKeys.createdAt));
  return rows.map((r) => r.publicJwk as JWK);
}

/**
 * A tenant's JWKS: public key material only, which anyone may read. An id that
 * names no tenant is a 404, as it is everywhere else.
 */
export async function tenantJwks(deps: Pick<AppDeps, 'db' | 'clock'>, tenantId: string): Promise<{ keys: JWK[] }> {
  if (!isId(tenantId, 'tnt')) throw new ApiError(TenantErrors.TENANT_NOT_FOUND, `No tenant ${tenantId}.`);
  return deps.db.withTenant(tenantId, async (tx) => {
    const [tenant] = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId));
    if (!tenant) throw new ApiError(TenantErrors.TENANT_NOT_FOUND, `No tenant ${tenantId}.`);
    return { keys: await publishedKeys(tx, tenantId, deps.clock.now()) };
  });
}

/** Rotates the tenant's signing key and writes its audit entry in the same transaction. Returns the new `kid`. */
export async function rotateTenantSigningKey(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids' | 'secretBox'>,
  tenantId: string,
  ctx: AuditContext,
): Promise<string> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const kid = await rotateSigningKey(tx, deps.secretBox, tenantId, deps.clock.now());
    await appendAudit(tx, deps, tenantId, ctx, [
      { action: 'signing_key.rotated', targetType: 'signing_key', targetId: kid },
    ]);
    return kid;
  });
}
