import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { customFieldName, readCustomFields, renderCustomField } from '../internal/custom-fields.js';
import { renderInput } from '../internal/fields.js';
import { FormController } from '../internal/form-controller.js';
import { MemberWidget } from '../internal/member-widget.js';
import { defineElement } from '@memberkit/elements-core';
import type { MemberSessionInfo } from '../runtime/widget-session.js';
import { profileStyles } from './member-profile.styles.js';

/**
 * @tagname member-profile
 *
 * The signed-in member's own account: names and the custom fields the tenant lets
 * members edit; password change; the list of signed-in devices with "sign out all
 * other devices"; a download of all their data (GDPR) and account deletion with a
 * confirmation step. Signed out, it asks the visitor to sign in.
 *
 * @fires member-profile-update - The member saved changes (`detail.changed` lists the fields).
 * @fires member-password-change - The password was changed.
 * @fires member-account-delete - The account was deleted (the member is signed out).
 * @fires member-logout - Follows `member-account-delete`: the member is signed out.
 * @fires member-error - An action failed.
 *
 * @csspart base - The widget's box.
 * @csspart title - The heading.
 * @csspart section - Each section (details, password, devices, data, deletion).
 * @csspart form - The forms.
 * @csspart field - Each label-and-input group.
 * @csspart label - Field labels.
 * @csspart input - Inputs.
 * @csspart field-error - Inline field errors.
 * @csspart submit - Submit buttons.
 * @csspart message - Success and error messages.
 *
 * @example
 * <member-provider publishable-key="pk_…" api-url="https://api.example.org">
 *   <member-profile></member-profile>
 * </member-provider>
 */
export class MemberProfile extends MemberWidget {
  static override styles = [...MemberWidget.styles, profileStyles];

  @state() private sessions: MemberSessionInfo[] = [];
  @state() private confirmingDelete = false;
  @state() private notice = '';

  readonly #details = new FormController(this);
  readonly #password = new FormController(this);
  readonly #actions = new FormController(this);
  #loadedFor: string | null = null;

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const id = this.member?.id ?? null;
    if (id !== this.#loadedFor) {
      this.#loadedFor = id;
      if (id) void this.#loadSessions();
    }
  }

  protected override render(): TemplateResult {
    if (this.setupProblem) return this.renderSetupProblem(this.setupProblem);
    const s = this.strings;
    const m = this.member;
    if (!m) {
      return html`<div part="base">
        ${this.notice ? html`<p class="alert success" role="status" part="message">${this.notice}</p>` : nothing}
        <p part="message">${this.sessionReady ? s.t('profile.signedOut') : s.t('common.loading')}</p>
      </div>`;
    }
    const editable = this.config.fields.filter((field) => field.member_editable);
    const d = this.#details;
    return html`<div part="base">
      <h2 part="title">${s.t('profile.title')}</h2>
      <p class="hint">${m.email} · ${s.t('profile.memberSince', { date: s.date(m.created_at) })}</p>

      <section part="section" aria-labelledby="details-title">
        <h3 id="details-title">${s.t('profile.details')}</h3>
        <form part="form" novalidate @submit=${this.#saveDetails}>
          <div class="alert error" role="alert" part="message">${d.message}</div>
          <p class="alert success" role="status" part="message">${d.status}</p>
          <div class="row">
            ${renderInput({ idPrefix: 'profile', name: 'first_name', label: s.t('field.firstName'), autocomplete: 'given-name', required: true, value: m.first_name, error: d.errors.first_name })}
            ${renderInput({ idPrefix: 'profile', name: 'last_name', label: s.t('field.lastName'), autocomplete: 'family-name', required: true, value: m.last_name, error: d.errors.last_name })}
          </div>
          ${editable.map((field) => renderCustomField(field, m.custom_fields[field.key], s, d.errors, 'profile'))}
          <div class="actions"><button type="submit" part="submit" ?disabled=${d.busy}>${s.t('profile.save')}</button></div>
        </form>
      </section>

      ${this.#renderPassword()} ${this.#renderSessions()} ${this.#renderData()}
    </div>`;
  }

  #renderPassword(): TemplateResult {
    const s = this.strings;
    const p = this.#password;
    return html`<section part="section" aria-labelledby="password-title">
      <h3 id="password-title">${s.t('profile.passwordTitle')}</h3>
      <form part="form" novalidate @submit=${this.#changePassword}>
        <div class="alert error" role="alert" part="message">${p.message}</div>
        <p class="alert success" role="status" part="message">${p.status}</p>
        <input type="email" name="username" autocomplete="username" .value=${this.member?.email ?? ''} hidden />
        ${renderInput({ idPrefix: 'password', name: 'current_password', type: 'password', label: s.t('field.currentPassword'), autocomplete: 'current-password', required: true, error: p.errors.current_password })}
        ${renderInput({
          idPrefix: 'password',
          name: 'new_password',
          type: 'password',
          label: s.t('field.newPassword'),
          autocomplete: 'new-password',
          required: true,
          minlength: 8,
          hint: s.t('field.passwordHint'),
          error: p.errors.new_password,
        })}
        <div class="actions"><button type="submit" part="submit" ?disabled=${p.busy}>${s.t('profile.passwordSubmit')}</button></div>
      </form>
    </section>`;
  }

  #renderSessions(): TemplateResult {
    const s = this.strings;
    const others = this.sessions.filter((session) => !session.current);
    return html`<section part="section" aria-labelledby="sessions-title">
      <h3 id="sessions-title">${s.t('profile.sessionsTitle')}</h3>
      <ul class="sessions">
        ${this.sessions.map(
          (session) => html`<li>
            <span>${session.current ? html`<strong>${s.t('profile.thisDevice')}</strong>` : (session.user_agent ?? s.t('profile.unknownDevice'))}</span>
            <span class="hint">${s.t('profile.lastUsed', { date: s.dateTime(session.last_used_at) })}</span>
          </li>`,
        )}
      </ul>
      <div class="actions">
        ${
          others.length > 0
            ? html`<button type="button" class="secondary" part="submit" @click=${this.#signOutOthers}>${s.t('profile.signOutOthers')}</button>`
            : html`<p class="hint">${s.t('profile.noOtherSessions')}</p>`
        }
      </div>
    </section>`;
  }

  #renderData(): TemplateResult {
    const s = this.strings;
    const a = this.#actions;
    return html`<section part="section" aria-labelledby="data-title">
        <h3 id="data-title">${s.t('profile.dataTitle')}</h3>
        <p>${s.t('profile.dataIntro')}</p>
        <div class="actions"><button type="button" class="secondary" part="submit" @click=${this.#download}>${s.t('profile.download')}</button></div>
      </section>
      <section part="section" aria-labelledby="delete-title">
        <h3 id="delete-title">${s.t('profile.deleteTitle')}</h3>
        <p>${s.t('profile.deleteIntro')}</p>
        <div class="alert error" role="alert" part="message">${a.message}</div>
        <p class="alert success" role="status" part="message">${a.status}</p>
        ${
          this.confirmingDelete
            ? html`<div class="confirm" role="group" aria-labelledby="delete-question">
              <p id="delete-question"><strong>${s.t('profile.deleteQuestion')}</strong></p>
              <div class="actions">
                <button type="button" class="danger" part="submit" id="delete-confirm" @click=${this.#deleteAccount}>${s.t('profile.deleteConfirm')}</button>
                <button type="button" class="secondary" @click=${this.#cancelDelete}>${s.t('common.cancel')}</button>
              </div>
            </div>`
            : html`<div class="actions"><button type="button" class="danger" part="submit" id="delete-start" @click=${this.#startDelete}>${s.t('profile.delete')}</button></div>`
        }
      </section>`;
  }

  async #loadSessions(): Promise<void> {
    try {
      this.sessions = (await this.session?.listSessions()) ?? [];
    } catch (error) {
      this.reportError('sessions', error);
    }
  }

  #saveDetails = async (event: SubmitEvent): Promise<void> => {
    const session = this.session;
    const before = this.member;
    if (!session || !before) return;
    await this.#details.submit(
      event,
      this.strings,
      async (data) => {
        const editable = this.config.fields.filter((field) => field.member_editable);
        const custom = readCustomFields(editable, data, true);
        const changedFields = editable.filter(
          (field) =>
            JSON.stringify(custom[field.key] ?? null) !== JSON.stringify(before.custom_fields[field.key] ?? null),
        );
        const firstName = String(data.get('first_name') ?? '').trim();
        const lastName = String(data.get('last_name') ?? '').trim();
        const changed = [
          ...(firstName !== before.first_name ? ['first_name'] : []),
          ...(lastName !== before.last_name ? ['last_name'] : []),
          ...changedFields.map(customFieldName),
        ];
        const member = await session.updateMe({
          first_name: firstName,
          last_name: lastName,
          ...(changedFields.length > 0
            ? {
                custom_fields: Object.fromEntries(changedFields.map((field) => [field.key, custom[field.key] ?? null])),
              }
            : {}),
        });
        this.#details.status = this.strings.t('profile.saved');
        this.emit('member-profile-update', { member, changed });
      },
      (error) => this.reportError('profile_update', error),
    );
  };

  #changePassword = async (event: SubmitEvent): Promise<void> => {
    const session = this.session;
    const memberId = this.member?.id;
    if (!session || !memberId) return;
    const done = await this.#password.submit(
      event,
      this.strings,
      async (data, form) => {
        await session.changePassword(
          String(data.get('current_password') ?? ''),
          String(data.get('new_password') ?? ''),
        );
        form.reset();
        this.#password.status = this.strings.t('profile.passwordChanged');
        this.emit('member-password-change', { memberId });
        return true;
      },
      (error) => this.reportError('password_change', error),
    );
    if (done) await this.#loadSessions();
  };

  #signOutOthers = async (): Promise<void> => {
    const session = this.session;
    if (!session) return;
    try {
      // One request ends them all (the current one stays), so none is left half-done.
      await session.revokeOtherSessions();
      this.#actions.status = this.strings.t('profile.othersSignedOut');
      await this.#loadSessions();
    } catch (error) {
      this.#actions.fail(error, this.strings);
      this.reportError('sessions', error);
    }
  };

  #download = async (): Promise<void> => {
    try {
      const data = await this.session?.exportData();
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `my-data-${new Date().toISOString().slice(0, 10)}.json`;
      // Clicked from the shadow root: the download works without touching the page's DOM.
      this.renderRoot.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      this.#actions.fail(error, this.strings);
      this.reportError('export', error);
    }
  };

  #startDelete = async (): Promise<void> => {
    this.confirmingDelete = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('#delete-confirm')?.focus();
  };

  #cancelDelete = async (): Promise<void> => {
    this.confirmingDelete = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('#delete-start')?.focus();
  };

  #deleteAccount = async (): Promise<void> => {
    const memberId = this.member?.id;
    if (!memberId) return;
    try {
      await this.session?.deleteAccount();
      this.confirmingDelete = false;
      this.notice = this.strings.t('profile.deleted');
      this.emit('member-account-delete', { memberId });
      this.emit('member-logout', { memberId });
    } catch (error) {
      this.#actions.fail(error, this.strings);
      this.reportError('account_delete', error);
    }
  };
}

defineElement('member-profile', MemberProfile);

declare global {
  interface HTMLElementTagNameMap {
    'member-profile': MemberProfile;
  }
}
