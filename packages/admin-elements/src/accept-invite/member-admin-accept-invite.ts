import { Memberkit, MemberkitError, type StaffSessionTokens } from '@memberkit/sdk';
import { MemberkitElement, defineElement } from '@memberkit/elements-core';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { stringsFor, type AdminStrings } from '../i18n/index.js';
import { sharedStyles } from '../internal/styles.js';
import { isAdminRole, type AdminRole } from '../provider/admin-role.js';
// Type only: the provider stays in its own chunk, loaded by the page when it uses one.
import type { MemberAdminProvider } from '../provider/member-admin-provider.js';
import { memberAdminAcceptInviteStyles } from './member-admin-accept-invite.styles.js';

/** Detail of `member-admin-invite-accepted`. */
export interface MemberAdminInviteAcceptedDetail {
  staffId: string;
  role: AdminRole;
  /** The new staff session (access and refresh token), for a page that manages it itself. */
  session: StaffSessionTokens;
}

declare global {
  interface MemberkitEventMap {
    'member-admin-invite-accepted': MemberAdminInviteAcceptedDetail;
  }
  interface HTMLElementEventMap {
    'member-admin-invite-accepted': CustomEvent<MemberAdminInviteAcceptedDetail>;
  }
}

/**
 * Where a staff invitation mail's link lands (`…/admin/accept-invite?token=…`): the
 * invited person chooses a password, which activates the account and signs them in
 * (`POST /v1/auth/staff/accept-invite` with the tenant's publishable key).
 *
 * The token comes from the `token` attribute, else from the page URL's `token`
 * parameter (removed from the address bar once used). After acceptance the element
 * signs in the `<member-admin-provider>` named by `provider` (an element id), else
 * the provider it sits in, so the console beside it works at once; it also fires
 * `member-admin-invite-accepted` with the session.
 *
 * Not inside a signed-in provider by nature, so it takes its own `api-url`,
 * `publishable-key` and `locale` (else the nearest `lang`).
 *
 * @csspart card - The box around heading, text and form.
 * @csspart form - The password form.
 * @cssproperty [--mk-color-primary=#4f46e5] - Button, link, focus ring.
 * @cssproperty [--mk-color-danger=#b91c1c] - Errors.
 * @cssproperty [--mk-radius=8px] - Corner radius.
 * @fires member-admin-invite-accepted - The password is set and the staff user signed in.
 *
 * @example
 * <member-admin-accept-invite api-url="https://api.example.org" publishable-key="pk_…" provider="console"></member-admin-accept-invite>
 * <member-admin-provider id="console" api-url="https://api.example.org" publishable-key="pk_…" hidden>…</member-admin-provider>
 */
export class MemberAdminAcceptInvite extends MemberkitElement {
  static override styles = [sharedStyles, memberAdminAcceptInviteStyles];

  /** Base URL of the Memberkit API. */
  @property({ attribute: 'api-url' }) apiUrl = '';

  /** The tenant's publishable key (the invitation is accepted on the tenant's public surface). */
  @property({ attribute: 'publishable-key' }) publishableKey = '';

  /** The invitation token; read from the page URL's `token` parameter when not set. */
  @property() token = '';

  /** Id of the `<member-admin-provider>` to sign in after acceptance (default: the enclosing one). */
  @property() provider = '';

  /** Where the link shown after acceptance points, e.g. the tenant's admin site. No link when empty. */
  @property({ attribute: 'console-href' }) consoleHref = '';

  /** BCP 47 locale of the strings (English and German built in); default: the nearest `lang`. */
  @property() locale = '';

  /** Strings that replace the built-in ones. Set as a property. */
  @property({ attribute: false }) strings: Partial<AdminStrings> = {};

  @state() private busy = false;
  @state() private done = false;
  @state() private fieldError = '';
  @state() private formError = '';

  @query('input[name="password"]') private passwordInput!: HTMLInputElement | null;

  /** Whether the token came from the address bar, so it is removed from there once used. */
  #tokenFromUrl = false;

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.token) {
      const fromUrl = new URLSearchParams(location.search).get('token');
      if (fromUrl) {
        this.token = fromUrl;
        this.#tokenFromUrl = true;
      }
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale') && this.locale) this.lang = this.locale;
  }

  private get resolvedStrings(): AdminStrings {
    const lang =
      this.locale || this.parentElement?.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang;
    return { ...stringsFor(lang), ...this.strings };
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const s = this.resolvedStrings;
    const password = this.passwordInput?.value ?? '';
    this.fieldError = '';
    this.formError = '';
    if (!password) return this.showFieldError(s.required);
    this.busy = true;
    try {
      const client = new Memberkit({ publishableKey: this.publishableKey, baseUrl: this.apiUrl });
      const session = await client.auth.staff.acceptInvite({ token: this.token, password });
      await this.accepted(session);
    } catch (error) {
      this.showError(error, s);
    } finally {
      this.busy = false;
    }
  }

  private async accepted(session: StaffSessionTokens): Promise<void> {
    this.done = true;
    if (this.#tokenFromUrl) {
      // A used token is worthless, but it should not linger in history or be re-sent on reload.
      const url = new URL(location.href);
      url.searchParams.delete('token');
      url.searchParams.delete('tenant');
      history.replaceState(history.state, '', url);
    }
    const provider = this.findProvider();
    if (provider) {
      // With the script-tag bundle the provider's chunk may still be loading.
      if (!customElements.get('member-admin-provider')) await customElements.whenDefined('member-admin-provider');
      provider.signIn(session, this.publishableKey);
    }
    const role: AdminRole = isAdminRole(session.staff.role) ? session.staff.role : 'viewer';
    this.emit('member-admin-invite-accepted', { staffId: session.staff.id, role, session });
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#done')?.focus();
  }

  private findProvider(): MemberAdminProvider | null {
    const found = this.provider ? document.getElementById(this.provider) : this.closest('member-admin-provider');
    return found?.localName === 'member-admin-provider' ? (found as MemberAdminProvider) : null;
  }

  private showError(error: unknown, s: AdminStrings): void {
    if (!(error instanceof MemberkitError)) {
      this.formError = s.genericError;
    } else {
      const field = error.errors.find((e) => e.field === 'password');
      if (field) {
        this.showFieldError(s.fieldMessage(field.message));
        return;
      }
      if (error.status === 0) this.formError = s.networkError;
      else if (error.status === 429) this.formError = s.rateLimited;
      else this.formError = s.acceptProblem[error.code] ?? (error.detail || error.title || s.genericError);
    }
    // The message is announced (role="alert") and takes focus, so keyboard users land on it.
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#form-error')?.focus());
  }

  private showFieldError(message: string): void {
    this.fieldError = message;
    void this.updateComplete.then(() => this.passwordInput?.focus());
  }

  protected override render(): TemplateResult {
    const s = this.resolvedStrings;
    return html`<section part="card" class="card" aria-labelledby="title">
      <h2 id="title">${s.acceptTitle}</h2>
      ${this.done ? this.renderDone(s) : this.token ? this.renderForm(s) : html`<p class="error" role="alert">${s.acceptNoToken}</p>`}
    </section>`;
  }

  private renderDone(s: AdminStrings): TemplateResult {
    return html`<p id="done" role="status" tabindex="-1">${s.acceptDone}</p>
      ${this.consoleHref ? html`<p><a href=${this.consoleHref}>${s.openConsole}</a></p>` : nothing}`;
  }

  private renderForm(s: AdminStrings): TemplateResult {
    const invalid = Boolean(this.fieldError);
    return html`<p>${s.acceptIntro}</p>
      <form part="form" novalidate @submit=${this.onSubmit}>
        <div class="field">
          <label for="password">${s.newPassword}</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="new-password"
            required
            aria-invalid=${invalid ? 'true' : 'false'}
            aria-describedby=${invalid ? 'password-error password-hint' : 'password-hint'}
          />
          <span id="password-hint" class="hint">${s.passwordHint}</span>
          ${invalid ? html`<span id="password-error" class="error" role="alert">${this.fieldError}</span>` : nothing}
        </div>
        ${this.formError ? html`<p id="form-error" class="error" role="alert" tabindex="-1">${this.formError}</p>` : nothing}
        <button class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? s.accepting : s.acceptSubmit}</button>
      </form>`;
  }
}

defineElement('member-admin-accept-invite', MemberAdminAcceptInvite);

declare global {
  interface HTMLElementTagNameMap {
    'member-admin-accept-invite': MemberAdminAcceptInvite;
  }
}
