import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The ~49,000 most common passwords (zxcvbn's frequency list, from real
 * breaches), lower-cased. NIST SP 800-63B: refuse passwords found in breach
 * corpora instead of imposing composition rules.
 */
const COMMON = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

/** Size of the list, for tests and docs. */
export const COMMON_PASSWORD_COUNT = COMMON.size;

/** True when the password (compared case-insensitively) is on the common list. */
export function isCommonPassword(password: string): boolean {
  return COMMON.has(password.toLowerCase());
}

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** Why a new password is refused, or null when it is acceptable. Length counts code points, not UTF-16 units. */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `Must be at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (length > PASSWORD_MAX_LENGTH) return `Must be at most ${PASSWORD_MAX_LENGTH} characters.`;
  if (isCommonPassword(password)) return 'Is one of the most common passwords; choose another.';
  return null;
}
