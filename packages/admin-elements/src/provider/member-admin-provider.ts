import { provide } from '@lit/context';
import { Memberkit, StaffSession, type Permission, type StaffGrant, type StaffSessionTokens } from '@memberkit/sdk';
import {
  MemberkitElement,
  defaultTheme,
  defineElement,
  themeContext,
  themeProperties,
  type MemberkitTheme,
} from '@memberkit/elements-core';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { stringsFor, type AdminStrings } from '../i18n/index.js';
import { adminContext, type AdminContextValue } from '../internal/context.js';
import { sharedStyles } from '../internal/styles.js';
import { isAdminRole, type AdminRole } from './admin-role.js';
import { memberAdminProviderStyles } from './member-admin-provider.styles.js';

declare global {
  interface MemberkitEventMap {
    'member-admin-login': { staffId: string; role: AdminRole };
    'member-admin-logout': Record<string, never>;
    'member-admin-session-expiring': { expiresAt: string };
    'member-admin-session-ended': Record<string, never>;
  }
  interface HTMLElementEventMap {
    'member-admin-login': CustomEvent<{ staffId: string; role: AdminRole }>;
    'member-admin-logout': CustomEvent<Record<string, never>>;
    'member-admin-session-expiring': CustomEvent<{ expiresAt: string }>;
    'member-admin-session-ended': CustomEvent<Record<string, never>>;
  }
}

/** The part of a staff session the elements see. */
interface SignedIn {
  client: Memberkit;
  staffId: string | undefined;
  permissions: readonly Permission[];
}

/**
 * The session as the elements see it, once complete: a bare token's permissions come
 * from `GET /v1/staff/me`, and an element that decided what to offer without them
 * would not decide again when they arrive.
 */
function signedInOf(session: StaffSession): SignedIn | undefined {
  const client = session.client;
  const permissions = session.permissions;
  if (!client || !permissions) return undefined;
  return { client, staffId: session.staffId ?? undefined, permissions };
}

/**
 * Wraps a tenant's admin screens: holds the staff session and supplies the admin
 * elements inside with the SDK client, the staff role, strings and theme through
 * `@lit/context`.
 *
 * The session comes from a `token` attribute (a staff access token minted by the
 * tenant's backend with `POST /v1/staff/{id}/sessions`), or, without one, from the
 * built-in staff sign-in form (needs `publishable-key`). A session from the form, or
 * a minted one given with its `refresh-token` and the `publishable-key`, is
 * refreshed before it expires, and at once when the page wakes up after the
 * computer slept past that moment; staff can work for hours.
 *
 * Renewal is the SDK's `StaffSession`. The elements offer the actions the staff
 * user's permissions allow, as the API serves them with the session (or, for a
 * bare `token`, from `GET /v1/staff/me`); no copy of the API's role table is kept
 * here. Hiding actions is a courtesy: the API refuses them anyway. The role is read
 * from the session and reflected as `admin-role`; it is not called `role`: that is
 * the ARIA role attribute, and `role="owner"` would be an invalid ARIA role.
 *
 * @slot - The admin screen content.
 * @csspart login - The sign-in form.
 * @cssproperty [--mk-color-primary=#4f46e5] - Buttons, links, focus rings.
 * @cssproperty [--mk-color-background=#ffffff] - Surfaces.
 * @cssproperty [--mk-color-text=#111827] - Text.
 * @cssproperty [--mk-color-danger=#b91c1c] - Errors and destructive actions.
 * @cssproperty [--mk-font-family=system-ui, …] - Font.
 * @cssproperty [--mk-radius=8px] - Corner radius.
 * @fires member-admin-login - After a sign-in through the form or {@link MemberAdminProvider.signIn}.
 * @fires member-admin-logout - After signing out.
 * @fires member-admin-session-expiring - A minute before a `token` given without `refresh-token` expires: set a fresh one (`detail.expiresAt`).
 * @fires member-admin-session-ended - A renewal was refused (the session was ended elsewhere, or its refresh token was spent).
 *
 * @example
 * <member-admin-provider api-url="https://api.example.org" token="eyJ…" locale="de">
 *   <member-admin-table></member-admin-table>
 * </member-admin-provider>
 */
export class MemberAdminProvider extends MemberkitElement {
  static override styles = [sharedStyles, memberAdminProviderStyles];

  /** Base URL of the Memberkit API. */
  @property({ attribute: 'api-url' }) apiUrl = '';

  /**
   * A staff access token. Without `refresh-token`, set a fresh one before it expires
   * (10 minutes) to keep the session; `member-admin-session-expiring` says when.
   */
  @property() token = '';

  /**
   * The refresh token minted with `token` (`refresh_token` of `POST /v1/staff/{id}/sessions`):
   * with `publishable-key`, the provider renews the session itself. Refresh tokens
   * rotate: after the first renewal this value is spent.
   */
  @property({ attribute: 'refresh-token' }) refreshToken = '';

  /** The tenant's publishable key: enables the built-in staff sign-in form and refresh. */
  @property({ attribute: 'publishable-key' }) publishableKey = '';

  /** BCP 47 locale of the strings and dates (English and German built in). */
  @property() locale = '';

  /** Strings that replace the built-in ones, e.g. tenant copy. Set as a property. */
  @property({ attribute: false }) strings: Partial<AdminStrings> = {};

  /** Brand tokens; keys left out keep their defaults (the tenant's branding is loaded when not set). */
  @property({ attribute: false }) theme: Partial<MemberkitTheme> | undefined;

  /**
   * Role of the person using the admin elements, reflected as `admin-role`. Taken
   * from the session's token; an unknown value reads as `viewer`, the least powerful role.
   */
  @property({
    attribute: 'admin-role',
    reflect: true,
    converter: { fromAttribute: (value: string | null): AdminRole => (isAdminRole(value) ? value : 'viewer') },
  })
  adminRole: AdminRole = 'viewer';

  @provide({ context: adminContext })
  protected context: AdminContextValue | undefined;

  @provide({ context: themeContext })
  protected resolvedTheme: MemberkitTheme = { ...defaultTheme };

  /**
   * The staff session: the SDK's `StaffSession` renews it (before expiry, on waking,
   * with backoff when the API cannot be reached) and holds the served permissions.
   * Replaced when `api-url` or `publishable-key` change.
   */
  #staffSession: StaffSession | undefined;
  /** What the elements get from the staff session, taken on each of its changes; undefined when signed out. */
  @state() private signedIn: SignedIn | undefined;
  /** The session's role, known from the token at once (the permissions may take a request). */
  @state() private sessionRole: string | null = null;
  @state() private loginError = '';
  @state() private loggingIn = false;

  #brandingLoaded = false;

  override connectedCallback(): void {
    super.connectedCallback();
    // Put back into the page (moved, or re-attached): the session goes on where it was.
    if (this.#pendingGrant && !this.#staffSession) this.#startSession(this.#pendingGrant);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Off the page nothing renews it (no timers left behind); the current tokens wait for a return.
    const current = this.#staffSession;
    if (current?.accessToken) {
      this.#pendingGrant = {
        access_token: current.accessToken,
        refresh_token: current.refreshToken ?? undefined,
        permissions: current.permissions ?? undefined,
      };
    }
    current?.stop();
    this.#staffSession = undefined;
  }

  /**
   * Starts a session obtained elsewhere, e.g. by `<member-admin-accept-invite>`: the
   * elements inside get a client on it, and it is refreshed before it expires as a
   * sign-in through the form is. Fires `member-admin-login`.
   *
   * @param publishableKey used for the refresh when the provider has no `publishable-key` of its own.
   */
  signIn(session: StaffSessionTokens, publishableKey?: string): void {
    if (!this.publishableKey && publishableKey) this.publishableKey = publishableKey;
    this.loginError = '';
    this.#startSession(session);
    this.emit('member-admin-login', {
      staffId: session.staff.id,
      role: isAdminRole(session.staff.role) ? session.staff.role : 'viewer',
    });
  }

  /** Ends the session made through the sign-in form (or forgets the given token). */
  signOut(): void {
    this.#endSession();
    this.token = '';
    this.emit('member-admin-logout', {});
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale') && this.locale) this.lang = this.locale;
    if (changed.has('token') || changed.has('refreshToken')) {
      if (this.token) this.#startSession(this.#attributeGrant());
      else if (changed.get('token')) this.#endSession();
    } else if (changed.has('apiUrl') || changed.has('publishableKey')) {
      // The session goes on against the new API (or with the new key), tokens and permissions kept.
      const current = this.#staffSession;
      if (current?.accessToken) {
        this.#startSession({
          access_token: current.accessToken,
          refresh_token: current.refreshToken ?? undefined,
          permissions: current.permissions ?? undefined,
        });
      } else if (this.#pendingGrant) this.#startSession(this.#pendingGrant);
    }
    if (changed.has('theme')) this.applyTheme(this.theme ?? {});
    const role = this.sessionRole;
    if (role) this.adminRole = isAdminRole(role) ? role : 'viewer';
    if (
      ['signedIn', 'apiUrl', 'locale', 'strings', 'adminRole'].some((k) => changed.has(k as keyof MemberAdminProvider))
    ) {
      this.context = this.buildContext();
    }
  }

  /** The session the `token` and `refresh-token` attributes describe. */
  #attributeGrant(): StaffGrant {
    return { access_token: this.token, refresh_token: this.refreshToken || undefined };
  }

  /** Starts a staff session (replacing any), with this provider's API URL and publishable key. */
  #startSession(grant: StaffGrant): void {
    this.#staffSession?.stop();
    this.#staffSession = undefined;
    // api-url may arrive after the token: the session waits for it (a base URL is required).
    this.#pendingGrant = this.apiUrl ? undefined : grant;
    if (!this.apiUrl) return;
    const session = new StaffSession({ baseUrl: this.apiUrl, publishableKey: this.publishableKey || undefined });
    this.#staffSession = session;
    session.on('change', () => {
      if (this.#staffSession !== session) return;
      this.sessionRole = session.role;
      this.signedIn = signedInOf(session);
    });
    // A bare token cannot be renewed here: tell the page in time to set a fresh one.
    session.on('expiring', (event) => {
      if (event.expiresAt !== null)
        this.emit('member-admin-session-expiring', { expiresAt: new Date(event.expiresAt).toISOString() });
    });
    session.on('end', () => {
      if (this.#staffSession !== session) return;
      this.#staffSession = undefined;
      this.signedIn = undefined;
      this.loginError = this.resolvedStrings.sessionExpired;
      this.emit('member-admin-session-ended', {});
    });
    session.start(grant);
  }

  /** A grant given before `api-url`, or kept while off the page, started once it can be. */
  #pendingGrant: StaffGrant | undefined;

  #endSession(): void {
    this.#staffSession?.stop();
    this.#staffSession = undefined;
    this.#pendingGrant = undefined;
    this.signedIn = undefined;
  }

  protected override updated(): void {
    // Branding once per sign-in: a refreshed token does not change the tenant.
    if (this.context && this.theme === undefined && !this.#brandingLoaded) {
      this.#brandingLoaded = true;
      void this.loadBranding(this.context);
    }
  }

  private buildContext(): AdminContextValue | undefined {
    const signedIn = this.signedIn;
    if (!signedIn) return undefined;
    const strings = { ...stringsFor(this.locale || document.documentElement.lang), ...this.strings };
    return {
      client: signedIn.client,
      role: this.adminRole,
      staffId: signedIn.staffId,
      permissions: signedIn.permissions,
      strings,
      locale: strings.locale,
    };
  }

  private async loadBranding(context: AdminContextValue): Promise<void> {
    try {
      const tenant = await context.client.tenant.retrieve();
      if (this.theme === undefined) this.applyTheme(tenant.branding as Partial<MemberkitTheme>);
    } catch {
      // Branding is cosmetic: the defaults stay.
    }
  }

  private applyTheme(theme: Partial<MemberkitTheme>): void {
    const resolved: MemberkitTheme = { ...defaultTheme };
    for (const key of Object.keys(themeProperties) as (keyof MemberkitTheme)[]) {
      const value = theme[key];
      if (value === undefined || value === null || value === '') {
        this.style.removeProperty(themeProperties[key]);
        continue;
      }
      this.style.setProperty(themeProperties[key], key === 'radius' ? `${value}px` : String(value));
      (resolved as unknown as Record<string, unknown>)[key] = value;
    }
    this.resolvedTheme = resolved;
  }

  /**
   * Renews the session now with its refresh token (done by itself before the token
   * expires). When the refresh token is refused, the session ends and the sign-in
   * form says so (with `publishable-key`); when the API cannot be reached, the session
   * stays and is renewed again shortly. Concurrent calls share one renewal.
   */
  async refreshSession(): Promise<void> {
    await this.#staffSession?.refresh().catch(() => undefined);
  }

  /** A client on the publishable key, for staff sign-in and refresh. */
  private publicClient(): Memberkit {
    return new Memberkit({ publishableKey: this.publishableKey, baseUrl: this.apiUrl });
  }

  private get resolvedStrings(): AdminStrings {
    return { ...stringsFor(this.locale || document.documentElement.lang), ...this.strings };
  }

  private async onLogin(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    this.loggingIn = true;
    this.loginError = '';
    try {
      const s = await this.publicClient().auth.staff.login({
        email: String(data.get('email') ?? ''),
        password: String(data.get('password') ?? ''),
      });
      this.signIn(s);
    } catch (error) {
      this.loginError = error instanceof Error && error.message ? error.message : this.resolvedStrings.genericError;
    } finally {
      this.loggingIn = false;
    }
  }

  protected override render(): TemplateResult {
    if (this.signedIn || this.#staffSession?.active || this.#pendingGrant || !this.publishableKey)
      return html`<slot></slot>`;
    const s = this.resolvedStrings;
    return html`<form part="login" class="login" @submit=${this.onLogin} aria-labelledby="login-title">
      <h2 id="login-title">${s.loginTitle}</h2>
      <label>${s.email}<input name="email" type="email" autocomplete="username" required /></label>
      <label>${s.password}<input name="password" type="password" autocomplete="current-password" required /></label>
      ${this.loginError ? html`<p class="error" role="alert">${this.loginError}</p>` : nothing}
      <button class="primary" type="submit" ?disabled=${this.loggingIn}>${this.loggingIn ? s.signingIn : s.signIn}</button>
    </form>`;
  }
}

defineElement('member-admin-provider', MemberAdminProvider);

declare global {
  interface HTMLElementTagNameMap {
    'member-admin-provider': MemberAdminProvider;
  }
}
