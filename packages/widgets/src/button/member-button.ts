import { css, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { MemberWidget } from '../internal/member-widget.js';
import { defineElement } from '@memberkit/elements-core';

/**
 * @tagname member-button
 *
 * The account button for a site's header. Signed out: a "Sign in" link to
 * `login-href`. Signed in: the member's name opening a small menu with a link to
 * `profile-href` and "Sign out". The menu works by keyboard (Escape closes it and
 * returns focus to the button).
 *
 * @fires member-logout - Signed out from the menu.
 * @fires member-error - Signing out failed.
 *
 * @csspart button - The sign-in link or the account button.
 * @csspart menu - The account menu.
 * @csspart menu-item - Entries of the menu.
 *
 * @example
 * <member-button login-href="/login" profile-href="/profile"></member-button>
 */
export class MemberButton extends MemberWidget {
  static override styles = [
    ...MemberWidget.styles,
    css`
      :host {
        display: inline-block;
        position: relative;
      }
      [part='menu'] {
        position: absolute;
        inset-inline-end: 0;
        z-index: 10;
        margin-top: 4px;
        min-width: 12rem;
        display: grid;
        gap: 4px;
        padding: calc(var(--_space) * 0.5);
        background: var(--_bg);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        list-style: none;
      }
      [part='menu'] li {
        display: grid;
      }
    `,
  ];

  /** Where "Sign in" leads (a page with `<member-login>`). */
  @property({ attribute: 'login-href' }) loginHref = '/';
  /** Where "Profile" leads (a page with `<member-profile>`). */
  @property({ attribute: 'profile-href' }) profileHref = '';

  @state() private expanded = false;

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('click', this.#outside);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('click', this.#outside);
  }

  protected override render(): TemplateResult {
    const s = this.strings;
    const m = this.member;
    if (!m) return html`<a class="button" part="button" href=${this.loginHref}>${s.t('button.signIn')}</a>`;
    const name = `${m.first_name} ${m.last_name}`.trim() || m.email;
    return html`<button
        type="button"
        part="button"
        aria-haspopup="true"
        aria-expanded=${this.expanded ? 'true' : 'false'}
        aria-controls="menu"
        aria-label=${s.t('button.menu', { name })}
        @click=${this.#toggle}
        @keydown=${this.#keydown}
      >
        ${m.first_name || s.t('button.account')}
      </button>
      ${
        this.expanded
          ? html`<ul id="menu" part="menu" @keydown=${this.#keydown}>
            ${this.profileHref ? html`<li><a class="button secondary" part="menu-item" href=${this.profileHref}>${s.t('button.profile')}</a></li>` : nothing}
            <li><button type="button" class="secondary" part="menu-item" @click=${this.#logout}>${s.t('logout.submit')}</button></li>
          </ul>`
          : nothing
      }`;
  }

  #toggle = async (): Promise<void> => {
    this.expanded = !this.expanded;
    if (this.expanded) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[part~=menu-item]')?.focus();
    }
  };

  #keydown = async (event: KeyboardEvent): Promise<void> => {
    if (event.key !== 'Escape' || !this.expanded) return;
    this.expanded = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part=button]')?.focus();
  };

  #outside = (event: MouseEvent): void => {
    if (this.expanded && !event.composedPath().includes(this)) this.expanded = false;
  };

  #logout = async (): Promise<void> => {
    const memberId = this.member?.id ?? null;
    try {
      await this.session?.logout();
      this.expanded = false;
      this.emit('member-logout', { memberId });
    } catch (error) {
      this.reportError('logout', error);
    }
  };
}

defineElement('member-button', MemberButton);

declare global {
  interface HTMLElementTagNameMap {
    'member-button': MemberButton;
  }
}
