import { provide } from '@lit/context';
import { Memberkit, type StaffSessionTokens } from '@memberkit/sdk';
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
import { readTokenClaims } from '../internal/jwt.js';
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

/** How long before expiry a session is renewed. */
const REFRESH_EARLY_MS = 60_000;
/** When a renewal could not reach the API, the next try. */
const RENEW_RETRY_MS = 15_000;

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
 * The role is read from the token; `admin-role` is what the elements use. It is
 * not called `role`: that is the ARIA role attribute, and `role="owner"` would be
 * an invalid ARIA role. Hiding actions is a courtesy: the API refuses them anyway.
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

  @state() private session: { accessToken: string; refreshToken?: string } | undefined;
  @state() private loginError = '';
  @state() private loggingIn = false;

  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #brandingLoaded = false;

  // Timers do not run while the computer sleeps: on waking, renew at once if the token is (nearly) out.
  readonly #onVisible = (): void => {
    if (document.visibilityState !== 'visible' || !this.session?.refreshToken) return;
    const exp = readTokenClaims(this.session.accessToken)?.exp;
    if (exp !== undefined && exp * 1000 - Date.now() < REFRESH_EARLY_MS) void this.refreshSession();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.#onVisible);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.#onVisible);
    clearTimeout(this.#refreshTimer);
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
    this.session = { accessToken: session.access_token, refreshToken: session.refresh_token };
    this.scheduleRefresh(session.expires_in);
    this.emit('member-admin-login', {
      staffId: session.staff.id,
      role: isAdminRole(session.staff.role) ? session.staff.role : 'viewer',
    });
  }

  /** Ends the session made through the sign-in form (or forgets the given token). */
  signOut(): void {
    clearTimeout(this.#refreshTimer);
    this.session = undefined;
    this.token = '';
    this.emit('member-admin-logout', {});
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale') && this.locale) this.lang = this.locale;
    if (changed.has('token') || changed.has('refreshToken')) {
      this.session = this.token
        ? { accessToken: this.token, ...(this.refreshToken ? { refreshToken: this.refreshToken } : {}) }
        : undefined;
      clearTimeout(this.#refreshTimer);
      const exp = this.session ? readTokenClaims(this.session.accessToken)?.exp : undefined;
      if (exp !== undefined && this.session?.refreshToken) this.scheduleRefresh(exp - Date.now() / 1000);
      // A bare token cannot be renewed here: tell the page in time to set a fresh one.
      else if (exp !== undefined) {
        this.#refreshTimer = setTimeout(
          () => this.emit('member-admin-session-expiring', { expiresAt: new Date(exp * 1000).toISOString() }),
          Math.max(0, exp * 1000 - Date.now() - REFRESH_EARLY_MS),
        );
      }
    }
    if (changed.has('theme')) this.applyTheme(this.theme ?? {});
    const claims = this.session ? readTokenClaims(this.session.accessToken) : undefined;
    if (claims?.role !== undefined) this.adminRole = isAdminRole(claims.role) ? claims.role : 'viewer';
    if (
      ['session', 'apiUrl', 'locale', 'strings', 'adminRole'].some((k) => changed.has(k as keyof MemberAdminProvider))
    ) {
      this.context = this.buildContext(claims?.sub);
    }
  }

  protected override updated(): void {
    // Branding once per sign-in: a refreshed token does not change the tenant.
    if (this.context && this.theme === undefined && !this.#brandingLoaded) {
      this.#brandingLoaded = true;
      void this.loadBranding(this.context);
    }
  }

  private buildContext(staffId: string | undefined): AdminContextValue | undefined {
    const session = this.session;
    if (!session || !this.apiUrl) return undefined;
    const strings = { ...stringsFor(this.locale || document.documentElement.lang), ...this.strings };
    return {
      client: new Memberkit({ accessToken: session.accessToken, baseUrl: this.apiUrl }),
      role: this.adminRole,
      staffId,
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

  private scheduleRefresh(expiresInSeconds: number): void {
    clearTimeout(this.#refreshTimer);
    // A minute early, so requests in flight never carry an expired token.
    this.#refreshTimer = setTimeout(
      () => void this.refreshSession(),
      Math.max(5_000, expiresInSeconds * 1000 - REFRESH_EARLY_MS),
    );
  }

  #refreshing: Promise<void> | undefined;

  /**
   * Renews the session now with its refresh token (done by itself before the token
   * expires). When the refresh token is refused, the session ends and the sign-in
   * form says so (with `publishable-key`). Concurrent calls share one renewal: a
   * refresh token may be used only once.
   */
  refreshSession(): Promise<void> {
    this.#refreshing ??= this.#renew().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  async #renew(): Promise<void> {
    const refreshToken = this.session?.refreshToken;
    if (!refreshToken) return;
    try {
      const next = await this.publicClient().auth.staff.refresh({ refresh_token: refreshToken });
      this.session = { accessToken: next.access_token, refreshToken: next.refresh_token };
      this.scheduleRefresh(next.expires_in);
    } catch (error) {
      // Offline or a server error is not a refusal: try again shortly while the token still works.
      const status = (error as { status?: number }).status ?? 0;
      const exp = readTokenClaims(this.session?.accessToken ?? '')?.exp;
      if ((status === 0 || status === 429 || status >= 500) && exp !== undefined && exp * 1000 > Date.now()) {
        clearTimeout(this.#refreshTimer);
        this.#refreshTimer = setTimeout(() => void this.refreshSession(), RENEW_RETRY_MS);
        return;
      }
      clearTimeout(this.#refreshTimer);
      this.session = undefined;
      this.loginError = this.resolvedStrings.sessionExpired;
      this.emit('member-admin-session-ended', {});
    }
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
    if (this.session || !this.publishableKey) return html`<slot></slot>`;
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
