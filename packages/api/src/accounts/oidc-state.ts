import { idBody, isIdBody } from '../lib/ids.js';

/**
 * The OAuth `state` of an OIDC login: `st_` + the tenant id body + the
 * 40-character one-time token that holds the login's PKCE verifier, nonce and
 * return address. The callback has no credential, so the tenant has to come
 * from the state; it only routes the lookup: the token is then found by its
 * hash in that tenant's rows, so a forged tenant part finds nothing.
 */
const STATE = /^st_([0-9a-z]{26})([0-9A-Za-z]{40})$/;

/** Builds the `state` parameter from the tenant and the plaintext one-time token. */
export function formatOidcState(tenantId: string, token: string): string {
  return `st_${idBody(tenantId)}${token}`;
}

/** Splits a `state` into the tenant it claims and its one-time token, or null when it has not our shape. */
export function parseOidcState(state: string): { tenantId: string; token: string } | null {
  const match = STATE.exec(state);
  if (!match || !isIdBody(match[1]!)) return null;
  return { tenantId: `tnt_${match[1]}`, token: match[2]! };
}
