import { MEMBER_STATUS_TRANSITIONS, MEMBER_STATUSES, type MemberStatus } from './generated/status-transitions.js';

export { MEMBER_STATUS_TRANSITIONS, MEMBER_STATUSES, type MemberStatus };

/**
 * Whether the API lets a member in status `from` be given status `to` (keeping the
 * same status is always allowed). The table is generated from the API's own, so a
 * screen offers exactly what the API accepts.
 *
 * @example
 * canChangeMemberStatus('pending', 'suspended'); // false
 */
export function canChangeMemberStatus(from: MemberStatus, to: MemberStatus): boolean {
  return from === to || MEMBER_STATUS_TRANSITIONS[from].includes(to);
}

/** The statuses a member in `from` may be given, `from` itself first. */
export function allowedMemberStatuses(from: MemberStatus): MemberStatus[] {
  return [from, ...MEMBER_STATUS_TRANSITIONS[from]];
}
