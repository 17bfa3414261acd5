import { MemberkitError } from '../errors.js';
import { buildUrl, type CallOptions, type Transport } from '../core/transport.js';
import { Resource } from '../core/resource.js';
import type { BodyOf, ResponseOf, Schema } from '../core/types.js';
import type { Me, Session, SessionTokens } from '../session/session.js';

/** Body of {@link AuthResource.signup}. */
export type SignupParams = BodyOf<'signup'>;
/** Answer of {@link AuthResource.signup}: a session, or `verification_required` when the tenant wants the email verified first. */
export type SignupResult = ResponseOf<'signup'>;
/** Body of {@link AuthResource.login}. */
export type LoginParams = BodyOf<'login'>;
/** Body of {@link AuthResource.verifyEmail} and {@link AuthResource.verifyMagicLink}: the token from the mail. */
export type TokenParams = BodyOf<'verifyEmail'>;
/** Body of {@link AuthResource.sendMagicLink} and {@link AuthResource.requestPasswordReset}. */
export type EmailParams = BodyOf<'requestMagicLink'>;
/** The API took the request; a mail goes out when the address is known (the answer is the same either way). */
export type Accepted = Schema<'Accepted'>;
/** Body of {@link AuthResource.confirmPasswordReset}. */
export type ConfirmPasswordResetParams = BodyOf<'confirmPasswordReset'>;
/** Body of {@link AuthResource.acceptInvite}. */
export type AcceptInviteParams = BodyOf<'acceptInvite'>;
/** Body of {@link StaffAuthResource.login}. */
export type StaffLoginParams = BodyOf<'staffLogin'>;
/** Body of {@link StaffAuthResource.acceptInvite}. */
export type StaffAcceptInviteParams = BodyOf<'acceptStaffInvite'>;
/** A staff session: access and refresh tokens. */
export type StaffSessionTokens = Schema<'StaffSession'>;

/** Options of {@link AuthResource.oidcStartUrl}. */
export interface OidcStartParams {
  /** Where the browser returns after sign-in; must be on one of the publishable key's allowed origins. */
  redirectUri: string;
  /** Opaque value returned in the fragment, e.g. the page to go back to. */
  state?: string | undefined;
}

/** What {@link AuthResource.completeOidcRedirect} found in the fragment. */
export interface OidcRedirectResult {
  member: Me;
  /** The `state` given to {@link AuthResource.oidcStartUrl}. */
  state: string | undefined;
}

/** `mk.auth.staff`: staff sign-in for the admin elements (publishable key). Does not touch `mk.session`. */
export class StaffAuthResource extends Resource {
  /** Signs a staff user in (`POST /v1/auth/staff/login`). */
  login(params: StaffLoginParams, options?: CallOptions): Promise<StaffSessionTokens> {
    return this.call({ method: 'POST', path: '/v1/auth/staff/login', body: params, auth: 'publishable' }, options);
  }

  /** Accepts a staff invitation and sets a password (`POST /v1/auth/staff/accept-invite`). */
  acceptInvite(params: StaffAcceptInviteParams, options?: CallOptions): Promise<StaffSessionTokens> {
    return this.call(
      { method: 'POST', path: '/v1/auth/staff/accept-invite', body: params, auth: 'publishable' },
      options,
    );
  }

  /** Exchanges a staff refresh token for new tokens (`POST /v1/auth/staff/refresh`). */
  refresh(params: { refresh_token: string }, options?: CallOptions): Promise<StaffSessionTokens> {
    return this.call({ method: 'POST', path: '/v1/auth/staff/refresh', body: params, auth: 'publishable' }, options);
  }
}

/**
 * `mk.auth`: member sign-up, sign-in and everything around it, with a publishable key.
 * Every method that answers with tokens starts (or renews) `mk.session`.
 */
export class AuthResource extends Resource {
  /** Staff sign-in. */
  readonly staff: StaffAuthResource;
  readonly #session: Session;

  /** Made by {@link Memberkit}. */
  constructor(transport: Transport, session: Session) {
    super(transport);
    this.#session = session;
    this.staff = new StaffAuthResource(transport);
  }

  /**
   * Signs a member up (`POST /v1/auth/signup`). When the tenant requires a verified email
   * (the default) the answer is `{ status: 'verification_required' }` and a code is mailed;
   * otherwise the member is signed in at once.
   *
   * @example
   * const result = await mk.auth.signup({ email, password, first_name: 'Ada', last_name: 'Lovelace' });
   * if ('status' in result) showCheckYourMail();
   */
  async signup(params: SignupParams, options?: CallOptions): Promise<SignupResult> {
    const result = await this.call<SignupResult>(
      { method: 'POST', path: '/v1/auth/signup', body: params, auth: 'publishable' },
      options,
    );
    if (result.object === 'session') await this.#session.setTokens(result);
    return result;
  }

  /**
   * Signs a member in with email and password (`POST /v1/auth/login`).
   *
   * @example
   * const { member } = await mk.auth.login({ email: 'ada@example.org', password });
   */
  login(params: LoginParams, options?: CallOptions): Promise<SessionTokens> {
    return this.#start('/v1/auth/login', params, options);
  }

  /** Verifies the email with the mailed token and signs the member in (`POST /v1/auth/verify-email`). */
  verifyEmail(params: TokenParams, options?: CallOptions): Promise<SessionTokens> {
    return this.#start('/v1/auth/verify-email', params, options);
  }

  /** Mails a sign-in link (`POST /v1/auth/magic-link`). */
  sendMagicLink(params: EmailParams, options?: CallOptions): Promise<Accepted> {
    return this.call({ method: 'POST', path: '/v1/auth/magic-link', body: params, auth: 'publishable' }, options);
  }

  /** Signs in with the token of a magic link (`POST /v1/auth/magic-link/verify`). */
  verifyMagicLink(params: TokenParams, options?: CallOptions): Promise<SessionTokens> {
    return this.#start('/v1/auth/magic-link/verify', params, options);
  }

  /** Mails a password reset link (`POST /v1/auth/password-reset`). */
  requestPasswordReset(params: EmailParams, options?: CallOptions): Promise<Accepted> {
    return this.call({ method: 'POST', path: '/v1/auth/password-reset', body: params, auth: 'publishable' }, options);
  }

  /** Sets a new password with the mailed token (`POST /v1/auth/password-reset/confirm`). The member then signs in. */
  confirmPasswordReset(params: ConfirmPasswordResetParams, options?: CallOptions): Promise<void> {
    return this.call(
      { method: 'POST', path: '/v1/auth/password-reset/confirm', body: params, auth: 'publishable' },
      options,
    );
  }

  /** Accepts an invitation, creating the member and signing them in (`POST /v1/invites/accept`). */
  acceptInvite(params: AcceptInviteParams, options?: CallOptions): Promise<SessionTokens> {
    return this.#start('/v1/invites/accept', params, options);
  }

  /**
   * Renews the session's tokens now (`POST /v1/auth/refresh`); the session does this by
   * itself before the access token expires. Resolves false when not signed in or the
   * refresh token was refused (the session then ends).
   */
  refresh(): Promise<boolean> {
    return this.#session.refresh();
  }

  /**
   * Signs out (`POST /v1/auth/logout`): revokes the refresh token at the API and ends the
   * session here, even when the API cannot be reached.
   */
  async logout(options?: CallOptions): Promise<void> {
    const refreshToken = this.#session.refreshToken;
    try {
      if (refreshToken) {
        await this.call(
          { method: 'POST', path: '/v1/auth/logout', body: { refresh_token: refreshToken }, auth: 'publishable' },
          options,
        );
      }
    } finally {
      await this.#session.clear();
    }
  }

  /**
   * The URL to send the browser to for OIDC sign-in (`GET /v1/auth/oidc/{provider_id}/start`).
   * After sign-in the browser comes back to `redirectUri` with the tokens in the fragment:
   * call {@link completeOidcRedirect} there.
   *
   * @example
   * location.assign(mk.auth.oidcStartUrl('oidc_123', { redirectUri: location.href }));
   */
  oidcStartUrl(providerId: string, params: OidcStartParams): string {
    const publishableKey = this.transport.publishableKey;
    if (!publishableKey) throw new TypeError('oidcStartUrl needs a client made with a publishableKey.');
    return buildUrl(this.transport.baseUrl, `/v1/auth/oidc/${encodeURIComponent(providerId)}/start`, {
      publishable_key: publishableKey,
      redirect_uri: params.redirectUri,
      state: params.state,
    });
  }

  /**
   * The API's OIDC callback URL (`GET /v1/auth/oidc/callback`, reached by the provider's
   * redirect, never called directly): register it as the redirect URI at the provider.
   */
  oidcCallbackUrl(): string {
    return buildUrl(this.transport.baseUrl, '/v1/auth/oidc/callback', undefined);
  }

  /**
   * Finishes OIDC sign-in on the page the API redirected back to: reads the tokens from
   * the fragment (default `location.hash`), starts the session and loads the member.
   * Throws a {@link MemberkitError} with the fragment's error code when sign-in failed.
   * Remove the fragment from the address bar afterwards (`history.replaceState`).
   */
  async completeOidcRedirect(fragment: string = globalThis.location?.hash ?? ''): Promise<OidcRedirectResult> {
    const values = new URLSearchParams(fragment.replace(/^#/, ''));
    const state = values.get('state') ?? undefined;
    const error = values.get('error');
    if (error) {
      throw new MemberkitError({
        status: 0,
        code: error.toUpperCase(),
        title: 'OIDC sign-in failed',
        detail: values.get('error_description') ?? error,
      });
    }
    const accessToken = values.get('access_token');
    const refreshToken = values.get('refresh_token');
    const expiresIn = Number(values.get('expires_in'));
    if (!accessToken || !refreshToken || !Number.isFinite(expiresIn)) {
      throw new MemberkitError({
        status: 0,
        code: 'OIDC_NO_TOKENS',
        title: 'OIDC sign-in failed',
        detail: 'The fragment holds no tokens.',
      });
    }
    const member = await this.#session.setTokens({
      access_token: accessToken,
      refresh_token: refreshToken,
      expires_in: expiresIn,
    });
    return { member, state };
  }

  async #start(path: string, body: unknown, options: CallOptions | undefined): Promise<SessionTokens> {
    const tokens = await this.call<SessionTokens>({ method: 'POST', path, body, auth: 'publishable' }, options);
    await this.#session.setTokens(tokens);
    return tokens;
  }
}
