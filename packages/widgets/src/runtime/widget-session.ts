import { createContext } from '@lit/context';
import type { components } from '@memberkit/sdk';

type Schemas = components['schemas'];

/** The signed-in member (`GET /v1/me`). */
export type Member = Schemas['Me'];
/** One of the member's signed-in sessions. */
export type MemberSessionInfo = Schemas['MemberSession'];
/** The body of a sign-up. */
export type SignupParams = Schemas['SignupBody'] & { consent?: boolean };
/** What the member may change about themselves. */
export type UpdateMeParams = Schemas['UpdateMeBody'];
/** The body of accepting an invitation (the token comes separately). */
export type AcceptInviteParams = Omit<Schemas['AcceptInviteBody'], 'token'>;

/** One member as the directory shows them. */
export interface DirectoryMember {
  id: string;
  first_name: string;
  last_name: string;
  custom_fields: Record<string, unknown>;
  [key: string]: unknown;
}

/** A page of the directory. */
export interface DirectoryPage {
  data: DirectoryMember[];
  has_more: boolean;
  next_cursor: string | null;
}

/** How a sign-up ended: signed in at once, or waiting for the email to be confirmed. */
export type SignupResult = { status: 'signed_in'; member: Member } | { status: 'verification_required' };

/**
 * What the widgets do on a member's behalf: the browser session (who is signed in,
 * sign-in methods) and the member's own endpoints. `<member-provider>` makes one per
 * publishable key from the SDK and provides it through {@link sessionContext}.
 */
export interface WidgetSession {
  /** The signed-in member, or null. */
  readonly member: Member | null;
  /** Settles once a stored session was restored (or found absent). */
  readonly ready: Promise<void>;
  /** Called with the member on every sign-in, sign-out and profile change; returns an unsubscribe function. */
  subscribe(listener: (member: Member | null) => void): () => void;

  signup(params: SignupParams): Promise<SignupResult>;
  login(email: string, password: string): Promise<Member>;
  logout(): Promise<void>;
  requestMagicLink(email: string): Promise<void>;
  verifyMagicLink(token: string): Promise<Member>;
  verifyEmail(token: string): Promise<Member>;
  requestPasswordReset(email: string): Promise<void>;
  confirmPasswordReset(token: string, password: string): Promise<void>;
  acceptInvite(token: string, params: AcceptInviteParams): Promise<Member>;
  /** The URL to send the browser to for signing in with an OIDC provider. */
  oidcStartUrl(providerId: string, redirectUri: string, state?: string): string;
  /** Takes tokens an OIDC sign-in left in the URL fragment; returns the member, or null when the fragment holds none. */
  completeOidc(fragment: string): Promise<Member | null>;

  updateMe(params: UpdateMeParams): Promise<Member>;
  changePassword(currentPassword: string, newPassword: string): Promise<void>;
  listSessions(): Promise<MemberSessionInfo[]>;
  /** Signs out every session of the member but this one; resolves to how many were ended. */
  revokeOtherSessions(): Promise<number>;
  exportData(): Promise<unknown>;
  deleteAccount(): Promise<void>;
  directory(params: {
    search?: string | undefined;
    limit?: number;
    cursor?: string | undefined;
  }): Promise<DirectoryPage>;
}

/** Context through which `<member-provider>` hands the {@link WidgetSession} to the elements inside. */
export const sessionContext = createContext<WidgetSession>(Symbol.for('memberkit.session'));
