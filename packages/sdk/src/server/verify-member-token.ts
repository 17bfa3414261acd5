import { createRemoteJWKSet, customFetch, decodeJwt, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { AuthenticationError } from '../errors.js';
import type { FetchLike } from '../core/transport.js';

/** The audience of member access tokens (staff tokens carry `memberkit:staff`). */
export const MEMBER_AUDIENCE = 'memberkit:member';

/** The claims of a verified member access token. */
export interface MemberTokenClaims extends JWTPayload {
  /** Issuer: `<API base URL>/v1/tenants/<tenant id>`. */
  iss: string;
  /** The member id (`mem_…`). */
  sub: string;
  /** The tenant id (`tnt_…`). */
  tid: string;
  /** The session id: revoking it ends refreshes, not this token (it lives 10 minutes). */
  sid: string;
  /** The member's status when the token was issued. */
  status?: string;
  /** The member's tier id when the token was issued, or null. */
  tier?: string | null;
  exp: number;
  iat: number;
}

/** Options of {@link verifyMemberToken}. */
export interface VerifyMemberTokenOptions {
  /** The tenant id (`tnt_…`) whose members you accept. Tokens of other tenants are refused. */
  tenant: string;
  /** The API base URL (e.g. `https://api.example.org`); the issuer is `<baseUrl>/v1/tenants/<tenant>`. Give this or `issuer`. */
  baseUrl?: string | undefined;
  /** The exact issuer, when it differs from `<baseUrl>/v1/tenants/<tenant>`. */
  issuer?: string | undefined;
  /** Accepted audience(s); default `memberkit:member` (pass `memberkit:staff` to verify staff tokens). */
  audience?: string | readonly string[] | undefined;
  /** The JWKS URL; default `<issuer>/.well-known/jwks.json`. */
  jwksUrl?: string | undefined;
  /** `fetch` for the JWKS (default the global one); tests pass the app's `app.request`. */
  fetch?: FetchLike | undefined;
  /** Seconds of clock skew accepted (default 5). */
  clockTolerance?: number | undefined;
  /** "Now", for tests. */
  currentDate?: Date | undefined;
}

/** Why a token was refused: `TOKEN_EXPIRED`, `TOKEN_WRONG_TENANT`, or `TOKEN_INVALID` (bad signature, issuer, audience, format). */
export class InvalidTokenError extends AuthenticationError {
  override name = 'InvalidTokenError';
}

type RemoteJwks = ReturnType<typeof createRemoteJWKSet>;
// One key set per URL (and per custom fetch), so keys are fetched once and refetched only
// for an unknown `kid` (key rotation), with jose's cooldown against hammering.
const defaultFetchCache = new Map<string, RemoteJwks>();
const customFetchCache = new WeakMap<FetchLike, Map<string, RemoteJwks>>();

function jwksFor(url: string, fetchImpl: FetchLike | undefined): RemoteJwks {
  let cache = defaultFetchCache;
  if (fetchImpl) {
    cache = customFetchCache.get(fetchImpl) ?? new Map();
    customFetchCache.set(fetchImpl, cache);
  }
  let jwks = cache.get(url);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(url), {
      cacheMaxAge: 10 * 60_000,
      cooldownDuration: 30_000,
      ...(fetchImpl ? { [customFetch]: async (input: string, init: RequestInit) => fetchImpl(input, init) } : {}),
    });
    cache.set(url, jwks);
  }
  return jwks;
}

function refuse(
  code: 'TOKEN_EXPIRED' | 'TOKEN_WRONG_TENANT' | 'TOKEN_INVALID',
  detail: string,
  cause?: unknown,
): InvalidTokenError {
  return new InvalidTokenError({ status: 401, code, title: 'Invalid member token', detail, cause });
}

/**
 * Verifies a member access token (from `mk.session.accessToken`, sent by your front end)
 * in your own backend: ES256 signature against the tenant's JWKS (fetched once and
 * cached), issuer, audience, tenant, expiry. Returns the claims, or throws an
 * {@link InvalidTokenError}. Runs in Node 20+, Deno, edge runtimes and browsers.
 *
 * @example
 * import { verifyMemberToken } from '@memberkit/sdk/server';
 * const claims = await verifyMemberToken(token, { tenant: 'tnt_…', baseUrl: 'https://api.example.org' });
 * console.log(claims.sub); // mem_…
 */
export async function verifyMemberToken(token: string, options: VerifyMemberTokenOptions): Promise<MemberTokenClaims> {
  const issuer =
    options.issuer ??
    (options.baseUrl ? `${options.baseUrl.replace(/\/+$/, '')}/v1/tenants/${options.tenant}` : undefined);
  if (!issuer) throw new TypeError('verifyMemberToken: give `baseUrl` or `issuer`.');
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(token);
  } catch (error) {
    throw refuse('TOKEN_INVALID', 'The token is not a JWT.', error);
  }
  // Checked before fetching keys: another tenant's token would only cost a JWKS refetch for its unknown kid.
  if (unverified.tid !== options.tenant || unverified.iss !== issuer) {
    throw refuse('TOKEN_WRONG_TENANT', 'The token was issued for another tenant or by another issuer.');
  }
  const audience = options.audience ?? MEMBER_AUDIENCE;
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(
      token,
      jwksFor(options.jwksUrl ?? `${issuer}/.well-known/jwks.json`, options.fetch),
      {
        algorithms: ['ES256'],
        issuer,
        audience: typeof audience === 'string' ? audience : [...audience],
        clockTolerance: options.clockTolerance ?? 5,
        requiredClaims: ['exp', 'iat', 'sub', 'sid', 'tid'],
        ...(options.currentDate ? { currentDate: options.currentDate } : {}),
      },
    ));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw refuse('TOKEN_EXPIRED', 'The token has expired.', error);
    throw refuse('TOKEN_INVALID', error instanceof Error ? error.message : 'The token could not be verified.', error);
  }
  if (payload.tid !== options.tenant) throw refuse('TOKEN_WRONG_TENANT', 'The token was issued for another tenant.');
  return payload as MemberTokenClaims;
}
