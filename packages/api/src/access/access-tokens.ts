import { and, eq } from 'drizzle-orm';
import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { Database, Tx } from '../db/database.js';
import { signingKeys } from '../db/schema/index.js';
import { ACCESS_TOKEN_TTL_SECONDS, currentSigningKey, SIGNING_ALG } from './signing-keys.js';
import type { SecretBox } from '../lib/secret-box.js';
import type { AppDeps } from '../deps.js';
import type { Credential } from './credential.js';

/** Member and staff tokens have distinct audiences: one is never accepted where the other is expected. */
export const AUDIENCES = { member: 'memberkit:member', staff: 'memberkit:staff', api: 'memberkit:api' } as const;
export type TokenSubject = keyof typeof AUDIENCES;

/** The issuer of a tenant's tokens; its metadata lives at `<issuer>/.well-known/openid-configuration`. */
export function issuerFor(baseUrl: string, tenantId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/v1/tenants/${tenantId}`;
}

export interface AccessTokenInput {
  subject: TokenSubject;
  subjectId: string;
  sessionId: string;
  /** Extra claims: kept small (the token must stay under 1 KB). */
  claims: Record<string, string | null>;
}

/** Signs a 10-minute ES256 access token with the tenant's current key. */
export async function issueAccessToken(
  tx: Tx,
  deps: { secretBox: SecretBox; issuerBaseUrl: string; now: Date },
  tenantId: string,
  input: AccessTokenInput,
): Promise<{ token: string; expiresIn: number }> {
  const { kid, privateKey } = await currentSigningKey(tx, deps.secretBox, tenantId, deps.now);
  const iat = Math.floor(deps.now.getTime() / 1000);
  const token = await new SignJWT({ tid: tenantId, sid: input.sessionId, ...input.claims })
    .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: 'JWT' })
    .setIssuer(issuerFor(deps.issuerBaseUrl, tenantId))
    .setAudience(AUDIENCES[input.subject])
    .setSubject(input.subjectId)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
    .sign(privateKey);
  return { token, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
}

export interface VerifiedToken {
  tenantId: string;
  subject: TokenSubject;
  subjectId: string;
  sessionId: string;
  claims: Record<string, unknown>;
}

const ISSUER_TAIL = /\/v1\/tenants\/(tnt_[0-9a-z]{26})$/;
const publicKeyCache = new Map<string, CryptoKey>();

/**
 * Verifies an access token: ES256 only (no `none`, no HS/RS confusion), a known
 * `kid` of the issuing tenant, our issuer, the expected audience, and the time
 * claims (5 s of clock skew). Returns null for anything else.
 */
export async function verifyAccessToken(
  db: Database,
  issuerBaseUrl: string,
  token: string,
  now: Date,
  expected: TokenSubject[] = ['member', 'staff', 'api'],
): Promise<VerifiedToken | null> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  let unverified: ReturnType<typeof decodeJwt>;
  try {
    header = decodeProtectedHeader(token);
    unverified = decodeJwt(token);
  } catch {
    return null;
  }
  if (header.alg !== SIGNING_ALG || typeof header.kid !== 'string' || typeof unverified.iss !== 'string') return null;
  const tenantId = ISSUER_TAIL.exec(unverified.iss)?.[1];
  if (!tenantId || unverified.iss !== issuerFor(issuerBaseUrl, tenantId)) return null;

  const cacheKey = `${tenantId}:${header.kid}`;
  let key = publicKeyCache.get(cacheKey);
  if (!key) {
    const [row] = await db.withTenant(tenantId, (tx) =>
      tx
        .select({ publicJwk: signingKeys.publicJwk })
        .from(signingKeys)
        .where(and(eq(signingKeys.tenantId, tenantId), eq(signingKeys.kid, header.kid!))),
    );
    if (!row) return null;
    key = (await importJWK(row.publicJwk as JWK, SIGNING_ALG)) as CryptoKey;
    publicKeyCache.set(cacheKey, key);
  }
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [SIGNING_ALG],
      issuer: issuerFor(issuerBaseUrl, tenantId),
      audience: expected.map((s) => AUDIENCES[s]),
      clockTolerance: 5,
      currentDate: now,
      requiredClaims: ['exp', 'iat', 'nbf', 'sub', 'sid', 'tid'],
    });
    if (payload.tid !== tenantId || typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
    const subject = (Object.keys(AUDIENCES) as TokenSubject[]).find(
      (s) => payload.aud === AUDIENCES[s] || (Array.isArray(payload.aud) && payload.aud.includes(AUDIENCES[s])),
    );
    if (!subject) return null;
    return { tenantId, subject, subjectId: payload.sub, sessionId: payload.sid, claims: payload };
  } catch {
    return null;
  }
}

/**
 * The OAuth client-credentials grant's token for a secret key: as good as the key
 * (its role travels as a claim) and, at our API, only while the key is not revoked.
 */
export async function issueClientCredentialsToken(
  deps: Pick<AppDeps, 'db' | 'secretBox' | 'config' | 'clock'>,
  key: Extract<Credential, { type: 'secret_key' }>,
): Promise<{ token: string; expiresIn: number }> {
  const now = deps.clock.now();
  return deps.db.withTenant(key.tenantId, (tx) =>
    issueAccessToken(tx, { secretBox: deps.secretBox, issuerBaseUrl: deps.config.issuerBaseUrl, now }, key.tenantId, {
      subject: 'api',
      subjectId: key.id,
      sessionId: key.id,
      claims: { role: key.role },
    }),
  );
}
