/** A member's lifecycle status, as the API names it. */
export type MemberStatus = 'pending' | 'active' | 'inactive' | 'suspended';

/** Every status, in lifecycle order. */
export const memberStatuses: readonly MemberStatus[] = ['pending', 'active', 'inactive', 'suspended'];

/**
 * Allowed status changes, mirrored from packages/api/src/services/member-status.ts
 * so the editor offers only what the API accepts (examples/test/mirrored-rules.test.ts
 * checks the two agree). Nothing returns to `pending`.
 */
export const statusTransitions: Readonly<Record<MemberStatus, readonly MemberStatus[]>> = {
  pending: ['active', 'inactive'],
  active: ['inactive', 'suspended'],
  inactive: ['active', 'suspended'],
  suspended: ['active', 'inactive'],
};

/** The statuses a member in `from` may be given, `from` itself first (keeping it is always allowed). */
export function allowedStatuses(from: MemberStatus): MemberStatus[] {
  return [from, ...statusTransitions[from]];
}
