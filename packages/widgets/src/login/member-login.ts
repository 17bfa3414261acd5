import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { renderInput } from '../internal/fields.js';
import { FormController } from '../internal/form-controller.js';
import { MemberWidget } from '../internal/member-widget.js';
import { defineElement } from '@memberkit/elements-core';
import { MemberkitError } from '@memberkit/sdk';
import { renderTenantLogo, tenantLogoStyles } from './tenant-logo.js';

type View = 'password' | 'forgot';

/**
 * @tagname member-login
 *
 * Sign-in form: email and password, a sign-in link by email (when the tenant allows
 * magic links), buttons for the tenant's OpenID Connect providers, and the
 * forgot-password flow. Signed in, it shows who is signed in and a sign-out button.
 *
 * @fires member-login - Signed in (`detail.method`: `password` or `oidc`).
 * @fires member-logout - Signed out with its button.
 * @fires member-magic-link-requested - A sign-in link was requested.
 * @fires member-password-reset-requested - A reset link was requested.
 * @fires member-error - Signing in failed; the form shows why.
 *
 * @csspart base - The widget's box.
 * @csspart logo - The tenant's logo (its `logo_url`) above the form; absent when the tenant has none.
 * @csspart title - The heading.
 *
 * @cssproperty [--mk-logo-height=48px] - The logo's maximum height.
 * @csspart form - The forms.
 * @csspart field - Each label-and-input group.
 * @csspart label - Field labels.
 * @csspart input - Inputs.
 * @csspart field-error - Inline field errors.
 * @csspart submit - Submit buttons.
 * @csspart provider-button - OpenID Connect provider buttons.
 * @csspart message - Success and error messages.
 *
 * @example
 * <member-login publishable-key="pk_…" api-url="https://api.example.org"></member-login>
 */
export class MemberLogin extends MemberWidget {
  static override styles = [...MemberWidget.styles, tenantLogoStyles];

  /** Where OIDC sign-ins return to; defaults to the current page. */
  @property({ attribute: 'redirect-uri' }) redirectUri?: string;

  @state() private view: View = 'password';

  readonly #form = new FormController(this);
  #oidcChecked = false;

  protected override updated(): void {
    if (!this.#oidcChecked && this.session) {
      this.#oidcChecked = true;
      void this.#completeOidc();
    }
  }

  protected override render(): TemplateResult {
    if (this.setupProblem) return this.renderSetupProblem(this.setupProblem);
    const s = this.strings;
    if (this.member) {
      return html`<div part="base">
        <p role="status" part="message">${s.t('login.signedIn', { email: this.member.email })}</p>
        <div class="actions"><button type="button" part="submit" class="secondary" @click=${this.#logout}>${s.t('logout.submit')}</button></div>
      </div>`;
    }
    return this.view === 'forgot' ? this.#renderForgot() : this.#renderPassword();
  }

  #renderPassword(): TemplateResult {
    const s = this.strings;
    const f = this.#form;
    const providers = this.config.auth.oidc_providers;
    return html`<div part="base">
      ${renderTenantLogo(this.config)}
      <h2 part="title">${s.t('login.title')}</h2>
      <form part="form" novalidate @submit=${this.#submitPassword} aria-busy=${f.busy ? 'true' : 'false'}>
        <div class="alert error" role="alert" part="message">${f.message}</div>
        <p class="alert success" role="status" part="message">${f.status}</p>
        ${renderInput({ idPrefix: 'login', name: 'email', type: 'email', inputmode: 'email', label: s.t('field.email'), autocomplete: 'username', required: true, error: f.errors.email })}
        ${renderInput({ idPrefix: 'login', name: 'password', type: 'password', label: s.t('field.password'), autocomplete: 'current-password', required: true, error: f.errors.password })}
        <button type="submit" part="submit" ?disabled=${f.busy}>${f.busy ? s.t('common.working') : s.t('login.submit')}</button>
        <div class="actions">
          <button type="button" class="link" @click=${() => this.#show('forgot')}>${s.t('login.forgot')}</button>
          ${this.config.auth.magic_link ? html`<button type="button" class="link" @click=${this.#requestMagicLink}>${s.t('login.magicLink')}</button>` : nothing}
        </div>
      </form>
      ${
        providers.length > 0
          ? html`<p class="hint" aria-hidden="true">${s.t('login.or')}</p>
            <div class="actions">
              ${providers.map(
                (provider) =>
                  html`<button type="button" class="secondary" part="provider-button" @click=${() => this.#startOidc(provider.id)}>
                    ${s.t('login.provider', { provider: provider.name })}
                  </button>`,
              )}
            </div>`
          : nothing
      }
    </div>`;
  }

  #renderForgot(): TemplateResult {
    const s = this.strings;
    const f = this.#form;
    return html`<div part="base">
      ${renderTenantLogo(this.config)}
      <h2 part="title">${s.t('login.resetTitle')}</h2>
      <p>${s.t('login.resetIntro')}</p>
      <form part="form" novalidate @submit=${this.#submitForgot}>
        <div class="alert error" role="alert" part="message">${f.message}</div>
        <p class="alert success" role="status" part="message">${f.status}</p>
        ${renderInput({ idPrefix: 'forgot', name: 'email', type: 'email', inputmode: 'email', label: s.t('field.email'), autocomplete: 'username', required: true, error: f.errors.email })}
        <button type="submit" part="submit" ?disabled=${f.busy}>${f.busy ? s.t('common.working') : s.t('login.resetSubmit')}</button>
        <button type="button" class="link" @click=${() => this.#show('password')}>${s.t('login.back')}</button>
      </form>
    </div>`;
  }

  async #show(view: View): Promise<void> {
    this.#form.reset();
    this.view = view;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('input[name=email]')?.focus();
  }

  #submitPassword = async (event: SubmitEvent): Promise<void> => {
    const session = this.session;
    if (!session) return;
    await this.#form.submit(
      event,
      this.strings,
      async (data) => {
        try {
          const member = await session.login(
            String(data.get('email') ?? '').trim(),
            String(data.get('password') ?? ''),
          );
          this.emit('member-login', { member, method: 'password' });
        } catch (error) {
          throw this.#loginError(error);
        }
      },
      (error) => this.reportError('login', error),
    );
  };

  /**
   * Speaks the API's sign-in refusals in the widget's language. A 429 is the sign-in
   * limiter or the slow-down after repeated failures (the API has no account lock that
   * answers differently from a wrong password, so nothing here tells an account exists).
   */
  #loginError(error: unknown): unknown {
    if (!(error instanceof MemberkitError)) return error;
    const s = this.strings;
    const detail =
      error.status === 401
        ? s.t('login.invalid')
        : error.code === 'EMAIL_NOT_VERIFIED'
          ? s.t('login.notVerified')
          : error.status === 429
            ? s.t('login.locked')
            : undefined;
    if (!detail) return error;
    return new MemberkitError({
      status: error.status,
      code: error.code,
      title: error.title,
      detail,
      requestId: error.requestId,
    });
  }

  #requestMagicLink = async (event: Event): Promise<void> => {
    const form = (event.currentTarget as HTMLElement).closest('form');
    const session = this.session;
    if (!form || !session) return;
    // Only the email is needed: submit a check of that field alone.
    const password = form.querySelector<HTMLInputElement>('input[name=password]');
    password?.removeAttribute('required');
    await this.#form.run(
      form,
      this.strings,
      async (data) => {
        const email = String(data.get('email') ?? '').trim();
        await session.requestMagicLink(email);
        this.#form.status = this.strings.t('login.magicLinkSent', { email });
        this.emit('member-magic-link-requested', { email });
      },
      (error) => this.reportError('magic_link', error),
    );
    password?.setAttribute('required', '');
  };

  #submitForgot = async (event: SubmitEvent): Promise<void> => {
    const session = this.session;
    if (!session) return;
    await this.#form.submit(
      event,
      this.strings,
      async (data) => {
        const email = String(data.get('email') ?? '').trim();
        await session.requestPasswordReset(email);
        this.#form.status = this.strings.t('login.resetSent', { email });
        this.emit('member-password-reset-requested', { email });
      },
      (error) => this.reportError('password_reset', error),
    );
  };

  #startOidc(providerId: string): void {
    if (!this.session) return;
    const redirect = this.redirectUri ?? location.href.split('#')[0] ?? location.href;
    location.assign(this.session.oidcStartUrl(providerId, redirect));
  }

  async #completeOidc(): Promise<void> {
    if (!location.hash.includes('access_token=') && !location.hash.includes('error=')) return;
    try {
      const member = await this.session?.completeOidc(location.hash);
      if (member) this.emit('member-login', { member, method: 'oidc' });
    } catch (error) {
      this.#form.fail(error, this.strings);
      this.reportError('oidc', error);
    }
  }

  #logout = async (): Promise<void> => {
    const memberId = this.member?.id ?? null;
    try {
      await this.session?.logout();
      this.emit('member-logout', { memberId });
    } catch (error) {
      this.reportError('logout', error);
    }
  };
}

defineElement('member-login', MemberLogin);

declare global {
  interface HTMLElementTagNameMap {
    'member-login': MemberLogin;
  }
}
