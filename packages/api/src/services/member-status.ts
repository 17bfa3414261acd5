import type { MemberStatus } from '../db/schema/index.js';

/**
 * Allowed status changes. A member starts `pending` (or is created directly in
 * another state) and never returns to `pending`; staying in the same state is
 * always allowed (a no-op).
 */
export const STATUS_TRANSITIONS: Record<MemberStatus, readonly MemberStatus[]> = {
  pending: ['active', 'inactive'],
  active: ['inactive', 'suspended'],
  inactive: ['active', 'suspended'],
  suspended: ['active', 'inactive'],
};

export function canTransition(from: MemberStatus, to: MemberStatus): boolean {
  return from === to || STATUS_TRANSITIONS[from].includes(to);
}

export function transitionMessage(from: MemberStatus, to: MemberStatus): string {
  const allowed = STATUS_TRANSITIONS[from];
  return `${withArticle(from)} member cannot become ${to}; from ${from} the allowed statuses are ${allowed.join(', ')}.`;
}

/** "An active", "A pending": the statuses are English words, so the vowel rule is enough. */
function withArticle(word: string): string {
  return /^[aeiou]/.test(word) ? `An ${word}` : `A ${word}`;
}
