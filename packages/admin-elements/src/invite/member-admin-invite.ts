import { defineElement } from '@memberkit/elements-core';
import { css, html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import type { Schema } from '@memberkit/sdk';
import { MemberAdminElement, errorMessage } from '../internal/admin-element.js';
import { loadTiers, type Invite, type Tier } from '../internal/admin-api.js';
import { sharedStyles } from '../internal/styles.js';

/** Addresses pasted in any common way: commas, semicolons, spaces, new lines. */
export function parseEmails(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((e) => e.trim())
    .filter(Boolean);
}

/**
 * Invites people to become members: paste one or many addresses, pick a tier, add
 * a message; see pending invitations and resend or revoke them.
 */
export class MemberAdminInvite extends MemberAdminElement {
  static override styles = [
    sharedStyles,
    css`
      form {
        display: grid;
        gap: 12px;
        max-width: 520px;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        margin-top: 8px;
      }
      th,
      td {
        text-align: left;
        padding: 6px 8px;
        border-bottom: 1px solid var(--_line);
      }
      td.actions {
        display: flex;
        gap: 4px;
      }
    `,
  ];

  @state() private tiers: Tier[] = [];
  @state() private pending: Invite[] = [];
  @state() private sending = false;
  @state() private result: Schema<'InviteBulkResult'> | undefined;
  @state() private error = '';
  @state() private note = '';

  #client: unknown;

  protected override willUpdate(): void {
    const client = this.admin?.client;
    if (client && this.#client !== client) {
      const first = this.#client === undefined;
      this.#client = client;
      if (first) {
        void loadTiers(client).then(
          (t) => (this.tiers = t.filter((tier) => !tier.archived)),
          () => undefined,
        );
        void this.loadPending();
      }
    }
  }

  private async loadPending(): Promise<void> {
    const client = this.admin?.client;
    if (!client || !this.can('invite:read')) return;
    try {
      this.pending = (await client.invites.list({ status: 'pending', limit: 100 })).data;
    } catch (error) {
      this.error = errorMessage(error, this.strings);
    }
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const client = this.admin?.client;
    const form = event.currentTarget as HTMLFormElement;
    if (!client) return;
    const data = new FormData(form);
    const emails = parseEmails(String(data.get('emails') ?? ''));
    if (emails.length === 0) return;
    const tier = String(data.get('tier_id') ?? '');
    const message = String(data.get('message') ?? '').trim();
    this.sending = true;
    this.error = '';
    this.result = undefined;
    try {
      this.result = await client.invites.bulk({
        emails,
        ...(tier ? { tier_id: tier } : {}),
        ...(message ? { message } : {}),
        ...(this.admin?.locale ? { locale: this.admin.locale } : {}),
      });
      if (this.result.totals.failed === 0) form.reset();
      await this.loadPending();
    } catch (error) {
      this.error = errorMessage(error, this.strings);
    } finally {
      this.sending = false;
    }
  }

  private async act(invite: Invite, action: 'resend' | 'revoke'): Promise<void> {
    const client = this.admin?.client;
    if (!client) return;
    try {
      if (action === 'resend') await client.invites.resend(invite.id);
      else await client.invites.del(invite.id);
      this.note = `${invite.email}: ${action === 'resend' ? this.strings.invitesSent(1) : this.strings.inviteStatus.revoked}`;
      await this.loadPending();
    } catch (error) {
      this.error = errorMessage(error, this.strings);
    }
  }

  protected override render(): TemplateResult {
    const s = this.strings;
    if (!this.admin) return html`<p>${s.noSession}</p>`;
    const r = this.result;
    return html`${
      this.can('invite:create')
        ? html`<form @submit=${this.onSubmit}>
            <h2>${s.inviteTitle}</h2>
            <label
              >${s.inviteEmails}
              <textarea name="emails" rows="4" aria-describedby="emails-hint"></textarea>
              <span id="emails-hint" class="hint">${s.inviteEmailsHint}</span>
            </label>
            <label
              >${s.tier}
              <select name="tier_id">
                <option value="">${s.noTier}</option>
                ${this.tiers.map((t) => html`<option value=${t.id}>${t.name}</option>`)}
              </select>
            </label>
            <label>${s.inviteMessage} <textarea name="message" rows="2"></textarea></label>
            <div><button class="primary" type="submit" ?disabled=${this.sending}>${s.sendInvites}</button></div>
          </form>`
        : nothing
    }
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div role="status">
        ${
          r
            ? html`<p data-result>${s.invitesSent(r.totals.created)}</p>
              ${
                r.totals.failed
                  ? html`<p>${s.invitesFailed(r.totals.failed)}</p>
                    <ul class="error">
                      ${r.results.filter((i) => i.status === 'error').map((i) => html`<li>${i.error?.message ?? i.email}</li>`)}
                    </ul>`
                  : nothing
              }`
            : nothing
        }
        ${this.note}
      </div>
      <h3>${s.pendingInvites}</h3>
      ${
        this.pending.length === 0
          ? html`<p>${s.noInvites}</p>`
          : html`<table>
            <thead>
              <tr>
                <th scope="col">${s.email}</th>
                <th scope="col">${s.sentAt}</th>
                <th scope="col">${s.expiresAt}</th>
                <th scope="col"><span class="visually-hidden">${s.resend}</span></th>
              </tr>
            </thead>
            <tbody>
              ${this.pending.map(
                (i) => html`<tr data-id=${i.id}>
                  <td>${i.email}</td>
                  <td>${this.formatDateTime(i.last_sent_at)}</td>
                  <td>${this.formatDate(i.expires_at)}</td>
                  <td class="actions">
                    ${this.can('invite:create') ? html`<button type="button" data-action="resend" @click=${() => this.act(i, 'resend')}>${s.resend}</button>` : nothing}
                    ${this.can('invite:revoke') ? html`<button type="button" class="danger" data-action="revoke" @click=${() => this.act(i, 'revoke')}>${s.revoke}</button>` : nothing}
                  </td>
                </tr>`,
              )}
            </tbody>
          </table>`
      }`;
  }
}

defineElement('member-admin-invite', MemberAdminInvite);

declare global {
  interface HTMLElementTagNameMap {
    'member-admin-invite': MemberAdminInvite;
  }
}
