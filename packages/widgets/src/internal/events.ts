import type { Member } from '../runtime/widget-session.js';

/** Detail of `member-signup`. */
export interface MemberSignupDetail {
  /** The member, when signed in at once; null when the email must be confirmed first. */
  member: Member | null;
  email: string;
  verificationRequired: boolean;
}

/** Detail of `member-login`. */
export interface MemberLoginDetail {
  member: Member;
  method: 'password' | 'magic_link' | 'email_verification' | 'invite' | 'oidc';
}

/** Detail of `member-error`: what failed, in a form a page can log or show. */
export interface MemberErrorDetail {
  /** What the widget was doing, e.g. `signup`, `login`, `config`. */
  action: string;
  /** The API's stable error code, or `NETWORK_ERROR` / `UNKNOWN`. */
  code: string;
  /** HTTP status; 0 when the API was not reached. */
  status: number;
  message: string;
  requestId?: string | undefined;
}

declare global {
  interface MemberkitEventMap {
    'member-signup': MemberSignupDetail;
    'member-login': MemberLoginDetail;
    'member-logout': { memberId: string | null };
    'member-profile-update': { member: Member; changed: string[] };
    'member-error': MemberErrorDetail;
    'member-password-reset-requested': { email: string };
    'member-magic-link-requested': { email: string };
    'member-password-change': { memberId: string };
    'member-account-delete': { memberId: string };
  }
  interface HTMLElementEventMap {
    'member-signup': CustomEvent<MemberSignupDetail>;
    'member-login': CustomEvent<MemberLoginDetail>;
    'member-logout': CustomEvent<{ memberId: string | null }>;
    'member-profile-update': CustomEvent<{ member: Member; changed: string[] }>;
    'member-error': CustomEvent<MemberErrorDetail>;
    'member-password-reset-requested': CustomEvent<{ email: string }>;
    'member-magic-link-requested': CustomEvent<{ email: string }>;
    'member-password-change': CustomEvent<{ memberId: string }>;
    'member-account-delete': CustomEvent<{ memberId: string }>;
  }
}
