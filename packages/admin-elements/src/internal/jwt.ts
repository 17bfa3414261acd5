/** The claims of a staff access token the elements read (the API verifies them; the page only displays). */
export interface StaffTokenClaims {
  /** Staff user id (`stf_…`). */
  sub?: string;
  /** Tenant id. */
  tid?: string;
  /** Staff role. */
  role?: string;
  /** Expiry, seconds since the epoch. */
  exp?: number;
}

/**
 * Reads a JWT's payload without verifying it. Only for showing the role and
 * scheduling a refresh: every decision that matters is the API's, which verifies.
 */
export function readTokenClaims(token: string): StaffTokenClaims | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const base64 = part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims === 'object' && claims !== null ? (claims as StaffTokenClaims) : undefined;
  } catch {
    return undefined;
  }
}
