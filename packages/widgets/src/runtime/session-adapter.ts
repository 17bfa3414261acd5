import { Memberkit } from '@memberkit/sdk';
import type { DirectoryPage, Member, WidgetSession } from './widget-session.js';

/** Key of the state an OIDC sign-in started from this tab carries, to tell it from a pushed one. */
const OIDC_STATE_KEY = 'memberkit:oidc-state';

function randomState(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Where the member's refresh token is kept: `local` (localStorage: members stay signed
 * in across pages and tabs, as site visitors expect) or `memory` (this page only: a
 * reload signs out; nothing is left on the device for other scripts to read later).
 */
export type SessionStorageKind = 'local' | 'memory';

/** Reads a `session-storage` attribute: anything but `memory` is the default, `local`. */
export function sessionStorageKind(value: string | null | undefined): SessionStorageKind {
  return value === 'memory' ? 'memory' : 'local';
}

/**
 * Makes the SDK client and the widgets' session for a tenant: a `Memberkit` client
 * with the publishable key and a browser session kept as `storage` says, wrapped in
 * the small {@link WidgetSession} surface the elements use.
 */
export function createWidgetSession(
  baseUrl: string,
  publishableKey: string,
  storage: SessionStorageKind = 'local',
): { client: Memberkit; session: WidgetSession } {
  const mk = new Memberkit({
    baseUrl,
    publishableKey,
    session: { storage: storage === 'memory' ? 'memory' : 'localStorage' },
  });
  const session: WidgetSession = {
    get member(): Member | null {
      return mk.session.member;
    },
    ready: mk.session.ready,
    subscribe: (listener) => mk.session.on('change', (event) => listener(event.member)),

    async signup(params) {
      const result = await mk.auth.signup(params);
      return result.object === 'session'
        ? { status: 'signed_in', member: result.member }
        : { status: 'verification_required' };
    },
    login: async (email, password) => (await mk.auth.login({ email, password })).member,
    logout: () => mk.auth.logout(),
    requestMagicLink: async (email) => {
      await mk.auth.sendMagicLink({ email });
    },
    verifyMagicLink: async (token) => (await mk.auth.verifyMagicLink({ token })).member,
    verifyEmail: async (token) => (await mk.auth.verifyEmail({ token })).member,
    requestPasswordReset: async (email) => {
      await mk.auth.requestPasswordReset({ email });
    },
    confirmPasswordReset: (token, password) => mk.auth.confirmPasswordReset({ token, password }),
    acceptInvite: async (token, params) => (await mk.auth.acceptInvite({ token, ...params })).member,
    oidcStartUrl(providerId, redirectUri, state = randomState()) {
      try {
        sessionStorage.setItem(OIDC_STATE_KEY, state);
      } catch {
        // Without storage the state cannot be checked; the sign-in still works.
      }
      return mk.auth.oidcStartUrl(providerId, { redirectUri, state });
    },
    async completeOidc(fragment) {
      const values = new URLSearchParams(fragment.replace(/^#/, ''));
      if (!values.has('access_token') && !values.has('error')) return null;
      let expected: string | null = null;
      try {
        expected = sessionStorage.getItem(OIDC_STATE_KEY);
        sessionStorage.removeItem(OIDC_STATE_KEY);
      } catch {
        // No storage: nothing to check against, so nothing is accepted below.
      }
      // Tokens leave the address bar (and the history) whether or not they are taken.
      history.replaceState(history.state, '', location.pathname + location.search);
      // Only a sign-in this tab started is completed. Anyone can get tokens for their own
      // account; a link carrying them (login CSRF) lands in a tab with no state stored,
      // or another, and would otherwise sign the visitor into the sender's account.
      if (expected === null || values.get('state') !== expected) return null;
      return (await mk.auth.completeOidcRedirect(fragment)).member;
    },

    updateMe: (params) => mk.me.update(params),
    changePassword: (currentPassword, newPassword) =>
      mk.me.changePassword({ current_password: currentPassword, new_password: newPassword }),
    listSessions: async () => (await mk.me.sessions.list()).data,
    revokeOtherSessions: async () => (await mk.me.sessions.revokeOthers()).revoked_count,
    exportData: () => mk.me.export(),
    deleteAccount: () => mk.me.del(),
    directory: (params) => listDirectory(mk, params),
  };
  return { client: mk, session };
}

/** The member directory, through the SDK's `directory` resource. */
async function listDirectory(
  mk: Memberkit,
  params: { search?: string | undefined; limit?: number; cursor?: string | undefined },
): Promise<DirectoryPage> {
  const page = await mk.directory.list(params);
  return page as unknown as DirectoryPage;
}
