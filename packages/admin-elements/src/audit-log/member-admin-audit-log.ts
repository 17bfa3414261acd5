import type { ListAuditLogParams } from '@memberkit/sdk';
import { defineElement } from '@memberkit/elements-core';
import { css, html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { MemberAdminElement, errorMessage } from '../internal/admin-element.js';
import type { AuditEntry, AuditVerification } from '../internal/admin-api.js';
import { sharedStyles } from '../internal/styles.js';
import { renderAuditParty } from './audit-party.js';

type Page = { data: AuditEntry[]; has_more: boolean };

/** `{ from, to }` of one changed field, shortened for a table cell. */
function describeDiff(diff: Record<string, unknown>): string {
  return Object.entries(diff)
    .map(([field, change]) => {
      if (change && typeof change === 'object' && 'to' in change) {
        const c = change as { from?: unknown; to?: unknown };
        return `${field}: ${JSON.stringify(c.from ?? null)} → ${JSON.stringify(c.to ?? null)}`;
      }
      return `${field}: ${JSON.stringify(change)}`;
    })
    .join('; ');
}

/**
 * The tenant's audit log, newest first, with filters (action, actor, target, time
 * range) and the hash chain's verification status. Refreshes after changes made
 * by the other admin elements in the same provider.
 */
export class MemberAdminAuditLog extends MemberAdminElement {
  static override styles = [
    sharedStyles,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: end;
        margin-bottom: 8px;
      }
      table {
        width: 100%;
        border-collapse: collapse;
      }
      th,
      td {
        text-align: left;
        padding: 6px 8px;
        border-bottom: 1px solid var(--_line);
        vertical-align: top;
      }
      .chain {
        padding: 8px;
        border-radius: var(--_radius);
        margin-bottom: 8px;
      }
      .chain[data-valid='true'] {
        background: #dcfce7;
        color: #14532d;
      }
      .chain[data-valid='false'] {
        background: #fee2e2;
        color: #7f1d1d;
      }
      .diff {
        font-family: ui-monospace, monospace;
        font-size: 12px;
        word-break: break-word;
      }
    `,
  ];

  @state() private filters: ListAuditLogParams = {};
  @state() private entries: AuditEntry[] = [];
  @state() private hasMore = false;
  @state() private loading = false;
  @state() private error = '';
  @state() private verification: AuditVerification | undefined;
  @state() private verifying = false;

  #pager: AsyncGenerator<Page, void, undefined> | undefined;
  #client: unknown;
  #seq = 0;
  #verifySeq = 0;
  #host: EventTarget | undefined;
  readonly #refresh = (): void => void this.reload();

  override connectedCallback(): void {
    super.connectedCallback();
    this.#host = this.closest('member-admin-provider') ?? document;
    for (const name of ['member-admin-saved', 'member-admin-bulk', 'member-admin-import'])
      this.#host.addEventListener(name, this.#refresh);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const name of ['member-admin-saved', 'member-admin-bulk', 'member-admin-import'])
      this.#host?.removeEventListener(name, this.#refresh);
  }

  protected override willUpdate(): void {
    if (this.admin && this.#client !== this.admin.client) {
      const first = this.#client === undefined;
      this.#client = this.admin.client;
      if (first) void this.reload();
    }
  }

  /** Loads the log from the newest entry and verifies the chain again. */
  async reload(): Promise<void> {
    const client = this.admin?.client;
    if (!client || !this.can('audit_log:read')) return;
    this.#pager = client.auditLog.list({ ...this.filters, limit: 50 }).pages();
    this.entries = [];
    void this.verify();
    await this.more();
  }

  private async more(): Promise<void> {
    const pager = this.#pager;
    if (!pager) return;
    const seq = ++this.#seq;
    this.loading = true;
    this.error = '';
    try {
      const next = await pager.next();
      if (seq !== this.#seq) return;
      if (next.done) {
        this.hasMore = false;
        return;
      }
      this.entries = [...this.entries, ...next.value.data];
      this.hasMore = next.value.has_more;
    } catch (error) {
      if (seq === this.#seq) this.error = errorMessage(error, this.strings);
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }

  private async verify(): Promise<void> {
    const client = this.admin?.client;
    if (!client) return;
    // Reloads can overlap (a bulk action right after another change): only the latest check's answer counts.
    const seq = ++this.#verifySeq;
    this.verifying = true;
    try {
      const verification = await client.auditLog.verify();
      if (seq === this.#verifySeq) this.verification = verification;
    } catch {
      if (seq === this.#verifySeq) this.verification = undefined;
    } finally {
      if (seq === this.#verifySeq) this.verifying = false;
    }
  }

  private onFilter(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string): string | undefined => String(data.get(name) ?? '').trim() || undefined;
    const day = (name: string, end: boolean): string | undefined => {
      const v = text(name);
      return v ? `${v}T${end ? '23:59:59.999' : '00:00:00.000'}Z` : undefined;
    };
    const filters: ListAuditLogParams = {};
    const action = text('action');
    const actor = text('actor');
    const target = text('target');
    const from = day('from', false);
    const to = day('to', true);
    if (action) filters.action = action;
    if (actor) filters.actor = actor;
    if (target) filters.target = target;
    if (from) filters.from = from;
    if (to) filters.to = to;
    this.filters = filters;
    void this.reload();
  }

  protected override render(): TemplateResult {
    const s = this.strings;
    if (!this.admin) return html`<p>${s.noSession}</p>`;
    if (!this.can('audit_log:read')) return html`<p>${s.forbidden}</p>`;
    const v = this.verification;
    return html`<h2>${s.auditTitle}</h2>
      <div class="chain" role="status" data-valid=${v ? String(v.valid) : nothing}>
        ${this.verifying && !v ? s.chainChecking : v ? (v.valid ? s.chainValid(v.checked, v.redacted) : s.chainInvalid(v.first_invalid_seq, v.reason)) : nothing}
        <button type="button" data-action="verify" ?disabled=${this.verifying} @click=${this.verify}>${s.verify}</button>
      </div>
      <form @submit=${this.onFilter}>
        <label>${s.auditAction} <input name="action" placeholder="member.updated" /></label>
        <label>${s.auditActor} <input name="actor" /></label>
        <label>${s.auditTarget} <input name="target" /></label>
        <label>${s.auditFrom} <input type="date" name="from" /></label>
        <label>${s.auditTo} <input type="date" name="to" /></label>
        <button type="submit">${s.apply}</button>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <table aria-busy=${this.loading ? 'true' : 'false'}>
        <caption class="visually-hidden">
          ${s.auditTitle}
        </caption>
        <thead>
          <tr>
            <th scope="col">${s.auditWhen}</th>
            <th scope="col">${s.auditActor}</th>
            <th scope="col">${s.auditAction}</th>
            <th scope="col">${s.auditTarget}</th>
            <th scope="col">${s.auditChanges}</th>
          </tr>
        </thead>
        <tbody>
          ${
            this.entries.length === 0 && !this.loading
              ? html`<tr>
                <td colspan="5">${s.auditEmpty}</td>
              </tr>`
              : this.entries.map(
                  (e) => html`<tr data-seq=${e.seq}>
                  <td><time datetime=${e.occurred_at}>${this.formatDateTime(e.occurred_at)}</time></td>
                  <td class="actor">${renderAuditParty(e.actor)}</td>
                  <td class="action">${e.action}</td>
                  <td class="target">${renderAuditParty(e.target)}</td>
                  <td class="diff">${e.redacted_at ? html`<em class="redacted" title=${this.formatDateTime(e.redacted_at)}>${s.auditRedacted}</em>` : describeDiff(e.diff)}</td>
                </tr>`,
                )
          }
        </tbody>
      </table>
      ${this.hasMore ? html`<button type="button" data-action="more" ?disabled=${this.loading} @click=${this.more}>${s.loadMore}</button>` : nothing}`;
  }
}

defineElement('member-admin-audit-log', MemberAdminAuditLog);

declare global {
  interface HTMLElementTagNameMap {
    'member-admin-audit-log': MemberAdminAuditLog;
  }
}
