/** The claims of an access token the SDK reads to schedule renewal (the API verifies them; this only reads). */
export interface JwtClaims {
  /** Subject: the member or staff user's id. */
  sub?: unknown;
  /** Expiry, seconds since the epoch. */
  exp?: unknown;
  /** Staff role, on staff tokens. */
  role?: unknown;
}

/**
 * Reads a JWT's payload without verifying it: only to know when to renew and whom the
 * token names. Every decision that matters is the API's, which verifies. Undefined
 * when the token is not a readable JWT.
 */
export function readJwtClaims(token: string): JwtClaims | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const base64 = part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims === 'object' && claims !== null ? (claims as JwtClaims) : undefined;
  } catch {
    return undefined;
  }
}
