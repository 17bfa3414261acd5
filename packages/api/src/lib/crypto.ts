import { toHex } from './encoding.js';

/** SHA-256 of a UTF-8 string, hex encoded. Used for high-entropy secrets (API keys, tokens), never passwords. */
export async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return toHex(digest);
}

/**
 * Compares two strings in time that depends only on their length, so an attacker
 * cannot learn how much of a secret matched from response timing.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  // Compare against itself when lengths differ so the work done stays the same.
  const other = left.length === right.length ? right : left;
  let diff = left.length === right.length ? 0 : 1;
  for (let i = 0; i < left.length; i++) diff |= left[i]! ^ other[i]!;
  return diff === 0;
}
