import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { renderInput } from '../internal/fields.js';
import { FormController } from '../internal/form-controller.js';
import { MemberWidget } from '../internal/member-widget.js';
import { defineElement } from '@memberkit/elements-core';

/** The flows a mailed link can finish. */
export type EmailAction = 'verify-email' | 'magic-link' | 'reset-password' | 'accept-invite';

type Phase = 'idle' | 'working' | 'done' | 'failed';

/**
 * @tagname member-email-action
 *
 * Finishes what a mailed link started, on the page the link points to: confirms an
 * email address or signs in with a magic link at once; asks for a new password
 * (reset) or for names and a password (invitation). The token comes from the page
 * URL's `token` parameter unless set as an attribute.
 *
 * @slot done - Shown when the flow finished, e.g. a link onwards.
 *
 * @fires member-login - Signed in (`detail.method`: `email_verification`, `magic_link` or `invite`).
 * @fires member-error - The link was invalid or expired, or the form failed.
 *
 * @csspart base - The widget's box.
 * @csspart title - The heading.
 * @csspart form - The form (reset and invitation).
 * @csspart field - Each label-and-input group.
 * @csspart label - Field labels.
 * @csspart input - Inputs.
 * @csspart field-error - Inline field errors.
 * @csspart submit - The submit button.
 * @csspart message - Progress, success and error messages.
 *
 * @example
 * <!-- /auth/verify-email?token=… -->
 * <member-email-action action="verify-email"></member-email-action>
 */
export class MemberEmailAction extends MemberWidget {
  /** Which flow to finish. */
  @property() action: EmailAction = 'verify-email';
  /** The token from the mail; defaults to the page URL's `token` parameter. */
  @property() token?: string;

  @state() private phase: Phase = 'idle';
  @state() private failure = '';

  readonly #form = new FormController(this);

  /** The URL's token as first read: it stays usable after it leaves the address bar. */
  #urlToken: string | undefined;

  get #token(): string {
    if (this.token != null) return this.token;
    this.#urlToken ??= new URLSearchParams(location.search).get('token') ?? '';
    return this.#urlToken;
  }

  /**
   * Done: the spent token leaves the address bar, so it is not bookmarked, shared or
   * sent on as a Referer by the next link (the page may not set a referrer policy).
   */
  #finish(): void {
    this.phase = 'done';
    if (this.token !== undefined) return;
    const url = new URL(location.href);
    if (!url.searchParams.has('token')) return;
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url);
  }

  protected override updated(): void {
    if (this.phase !== 'idle' || !this.session) return;
    if (this.action === 'verify-email' || this.action === 'magic-link') void this.#runAutomatic();
  }

  protected override render(): TemplateResult {
    if (this.setupProblem) return this.renderSetupProblem(this.setupProblem);
    const s = this.strings;
    if (!this.#token)
      return html`<div part="base"><p class="alert error" role="alert" part="message">${s.t('action.missingToken')}</p></div>`;
    if (this.action === 'reset-password') return this.#renderReset();
    if (this.action === 'accept-invite') return this.#renderInvite();
    const working = this.action === 'verify-email' ? s.t('action.verifying') : s.t('action.signingIn');
    const done = this.action === 'verify-email' ? s.t('action.verified') : s.t('action.signedIn');
    return html`<div part="base">
      <p role="status" part="message" class=${this.phase === 'done' ? 'alert success' : ''}>${this.phase === 'done' ? done : this.phase === 'failed' ? nothing : working}</p>
      <p class="alert error" role="alert" part="message">${this.failure}</p>
      ${this.phase === 'done' ? html`<slot name="done"></slot>` : nothing}
    </div>`;
  }

  #renderReset(): TemplateResult {
    const s = this.strings;
    const f = this.#form;
    if (this.phase === 'done')
      return html`<div part="base"><p class="alert success" role="status" part="message">${s.t('action.resetDone')}</p><slot name="done"></slot></div>`;
    return html`<div part="base">
      <h2 part="title">${s.t('action.resetTitle')}</h2>
      <form part="form" novalidate @submit=${this.#submitReset}>
        <div class="alert error" role="alert" part="message">${f.message}</div>
        ${renderInput({ idPrefix: 'reset', name: 'password', type: 'password', label: s.t('field.newPassword'), autocomplete: 'new-password', required: true, minlength: 8, hint: s.t('field.passwordHint'), error: f.errors.password })}
        <button type="submit" part="submit" ?disabled=${f.busy}>${f.busy ? s.t('common.working') : s.t('action.resetSubmit')}</button>
      </form>
    </div>`;
  }

  #renderInvite(): TemplateResult {
    const s = this.strings;
    const f = this.#form;
    if (this.phase === 'done')
      return html`<div part="base"><p class="alert success" role="status" part="message">${s.t('action.inviteDone')}</p><slot name="done"></slot></div>`;
    return html`<div part="base">
      <h2 part="title">${s.t('action.inviteTitle')}</h2>
      <form part="form" novalidate @submit=${this.#submitInvite}>
        <div class="alert error" role="alert" part="message">${f.message}</div>
        <div class="row">
          ${renderInput({ idPrefix: 'invite', name: 'first_name', label: s.t('field.firstName'), autocomplete: 'given-name', required: true, error: f.errors.first_name })}
          ${renderInput({ idPrefix: 'invite', name: 'last_name', label: s.t('field.lastName'), autocomplete: 'family-name', required: true, error: f.errors.last_name })}
        </div>
        ${renderInput({ idPrefix: 'invite', name: 'password', type: 'password', label: s.t('field.password'), autocomplete: 'new-password', required: true, minlength: 8, hint: s.t('field.passwordHint'), error: f.errors.password })}
        <button type="submit" part="submit" ?disabled=${f.busy}>${f.busy ? s.t('common.working') : s.t('action.inviteSubmit')}</button>
      </form>
    </div>`;
  }

  async #runAutomatic(): Promise<void> {
    const session = this.session;
    const token = this.#token;
    if (!session || !token) return;
    this.phase = 'working';
    try {
      const member =
        this.action === 'verify-email' ? await session.verifyEmail(token) : await session.verifyMagicLink(token);
      this.#finish();
      this.emit('member-login', {
        member,
        method: this.action === 'verify-email' ? 'email_verification' : 'magic_link',
      });
    } catch (error) {
      this.phase = 'failed';
      this.failure = this.strings.t('action.invalid');
      this.reportError(this.action, error);
    }
  }

  #submitReset = async (event: SubmitEvent): Promise<void> => {
    const session = this.session;
    if (!session) return;
    await this.#form.submit(
      event,
      this.strings,
      async (data) => {
        await session.confirmPasswordReset(this.#token, String(data.get('password') ?? ''));
        this.#finish();
      },
      (error) => this.#tokenError('reset-password', error),
    );
  };

  #submitInvite = async (event: SubmitEvent): Promise<void> => {
    const session = this.session;
    if (!session) return;
    await this.#form.submit(
      event,
      this.strings,
      async (data) => {
        const member = await session.acceptInvite(this.#token, {
          first_name: String(data.get('first_name') ?? '').trim(),
          last_name: String(data.get('last_name') ?? '').trim(),
          password: String(data.get('password') ?? ''),
        });
        this.#finish();
        this.emit('member-login', { member, method: 'invite' });
      },
      (error) => this.#tokenError('accept-invite', error),
    );
  };

  /** A refused token is the link's fault, not the form's: say so in the visitor's language. */
  #tokenError(action: string, error: unknown): void {
    const e = error as { errors?: { field: string }[]; status?: number };
    if (e.status && e.status < 500 && e.status !== 429 && !(e.errors ?? []).some((item) => item.field !== 'token')) {
      this.#form.message = this.strings.t('action.invalid');
      this.#form.errors = {};
    }
    this.reportError(action, error);
  }
}

defineElement('member-email-action', MemberEmailAction);

declare global {
  interface HTMLElementTagNameMap {
    'member-email-action': MemberEmailAction;
  }
}
