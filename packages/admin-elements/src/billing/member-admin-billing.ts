import { defineElement } from '@memberkit/elements-core';
import type { Memberkit } from '@memberkit/sdk';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { loadTiers, type Tier } from '../internal/admin-api.js';
import { MemberAdminElement } from '../internal/admin-element.js';
import { sharedStyles } from '../internal/styles.js';
import {
  refundReasons,
  sdkBillingApi,
  type BillingApi,
  type MemberBilling,
  type RefundReason,
  type StaffInvoice,
  type StaffSubscription,
} from './billing-api.js';
import type { BillingAction } from './billing-events.js';
import './billing-events.js';
import { memberAdminBillingStyles } from './member-admin-billing.styles.js';
import { formatMoney, moneyInput, parseMoney } from './money.js';
import { problemMessage } from './problem.js';

/** The action panel open, if any, and how far staff got in it. */
type Panel =
  | {
      kind: 'refund';
      invoice: StaffInvoice;
      step: 'edit' | 'confirm';
      /** Whether staff chose a partial amount (else everything still refundable). */
      partial: boolean;
      amount: number;
      reason: RefundReason | '';
    }
  | { kind: 'cancel'; step: 'edit' | 'confirm'; atPeriodEnd: boolean }
  | { kind: 'comp' }
  | { kind: 'revoke' };

/** Statuses after which a Stripe subscription can no longer be canceled. */
const ended = new Set(['canceled', 'incomplete_expired']);

/** What is left to refund of an invoice, as the API says. */
const refundable = (invoice: StaffInvoice): number => invoice.refundable_amount;

/** The `YYYY-MM-DD` of a date in local time (what `<input type="date">` takes). */
function isoDay(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * A member's billing for staff: the subscription (status, tier, interval, amount,
 * period and trial end, cancellation, complimentary end), the invoices with their
 * hosted page and PDF, and the actions `billing:write` allows: refund an invoice in
 * full or in part, cancel now or at period end, grant or end a complimentary
 * membership. Refunds and cancellations ask for confirmation; a refusal shows the
 * API's problem detail. Staff with only `billing:read` see it read-only.
 *
 * `<member-admin-editor>` embeds it for members it edits; it also works on its own
 * inside a `<member-admin-provider>`.
 *
 * @fires member-admin-billing - After a refund, cancellation or comp change; `detail.memberId`, `detail.action`.
 * @csspart section - The billing section.
 * @csspart subscription - The subscription's details.
 * @csspart invoices - The invoice table.
 * @csspart panel - The open refund, cancel or comp form.
 *
 * @example
 * <member-admin-provider api-url="…" token="…">
 *   <member-admin-billing member-id="mem_…"></member-admin-billing>
 * </member-admin-provider>
 */
export class MemberAdminBilling extends MemberAdminElement {
  static override styles = [sharedStyles, memberAdminBillingStyles];

  /** The member (`mem_…`) whose billing is shown. */
  @property({ attribute: 'member-id' }) memberId = '';

  /** Where billing is read and changed; defaults to the provider's SDK client. */
  @property({ attribute: false }) billingApi: BillingApi | undefined;

  @state() private billing: MemberBilling | undefined;
  @state() private loading = false;
  @state() private loadError = '';
  @state() private panel: Panel | undefined;
  @state() private busy = false;
  @state() private panelError = '';
  @state() private fieldError = '';
  @state() private notice = '';
  @state() private tiers: Tier[] = [];

  #loadedFor = '';
  #seq = 0;
  #sdkApi: { client: Memberkit; api: BillingApi } | undefined;
  /**
   * Where the button that opened the panel is (its `data-action`, and its invoice row),
   * to focus it again when the panel closes: the subscription's buttons are re-rendered.
   */
  #opener: string | null = null;

  /** The API in use: the one given, else one on the provider's client. */
  private get api(): BillingApi | undefined {
    if (this.billingApi) return this.billingApi;
    const client = this.admin?.client;
    if (!client) return undefined;
    if (this.#sdkApi?.client !== client) this.#sdkApi = { client, api: sdkBillingApi(client) };
    return this.#sdkApi.api;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const key = `${this.memberId}|${this.admin ? 'in' : 'out'}`;
    if (
      (changed.has('memberId') || changed.has('billingApi') || key !== this.#loadedFor) &&
      this.memberId &&
      this.admin
    ) {
      this.#loadedFor = key;
      this.panel = undefined;
      this.notice = '';
      void this.reload();
    }
  }

  /** Loads the member's billing again. */
  async reload(): Promise<void> {
    const api = this.api;
    if (!api || !this.memberId || !this.can('billing:read')) return;
    const seq = ++this.#seq;
    this.loading = true;
    this.loadError = '';
    if (this.tiers.length === 0) void this.loadTierChoices();
    try {
      const billing = await api.memberBilling(this.memberId);
      if (seq === this.#seq) this.billing = billing;
    } catch (error) {
      if (seq === this.#seq) {
        this.billing = undefined;
        this.loadError = problemMessage(error, this.strings);
      }
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }

  private money(amount: number, currency: string): string {
    return formatMoney(amount, currency, this.admin?.locale ?? 'en');
  }

  private open(panel: Panel, event: Event): void {
    const button = event.currentTarget as HTMLElement;
    const row = button.closest('tr[data-invoice]')?.getAttribute('data-invoice');
    const action = `[data-action="${button.dataset.action ?? ''}"]`;
    this.#opener = row ? `tr[data-invoice="${CSS.escape(row)}"] ${action}` : action;
    this.panel = panel;
    this.panelError = '';
    this.fieldError = '';
    this.notice = '';
    // Fresh: a tier may have been added since.
    if (panel.kind === 'comp') void this.loadTierChoices(true);
    void this.focusPanel();
  }

  private close(): void {
    this.panel = undefined;
    this.panelError = '';
    this.fieldError = '';
    const opener = this.#opener;
    this.#opener = null;
    void this.updateComplete.then(() => {
      const target = opener ? this.renderRoot.querySelector<HTMLElement>(opener) : null;
      (target ?? this.renderRoot.querySelector<HTMLElement>('h3'))?.focus();
    });
  }

  /** From a confirmation back to its form, as it was filled in. */
  private back(panel: Panel): void {
    this.panel = panel;
    this.panelError = '';
    void this.focusPanel();
  }

  /** Moves focus into the panel (its first control, or the confirm button on a confirm step). */
  private async focusPanel(): Promise<void> {
    await this.updateComplete;
    const panel = this.renderRoot.querySelector<HTMLElement>('[part="panel"]');
    const target =
      panel?.querySelector<HTMLElement>('[data-confirm]') ??
      panel?.querySelector<HTMLElement>('input:not([type="hidden"]):not(:disabled), select, button');
    target?.focus();
  }

  /** Every tier (archived ones name old subscriptions); `report`: say on the panel when they cannot be loaded. */
  private async loadTierChoices(report = false): Promise<void> {
    const client = this.admin?.client;
    if (!client) return;
    try {
      this.tiers = await loadTiers(client);
    } catch (error) {
      if (report) this.panelError = problemMessage(error, this.strings);
    }
  }

  private tierName(sub: StaffSubscription): string {
    return sub.tier_name ?? this.tiers.find((t) => t.id === sub.tier_id)?.name ?? sub.tier_id;
  }

  /** Escape closes the panel without closing a dialog around it (the editor's). */
  private onPanelKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || this.busy) return;
    event.preventDefault();
    event.stopPropagation();
    this.close();
  }

  /** Runs an API call for the open panel: busy while it runs, the API's problem on failure. */
  private async run(action: BillingAction, call: (api: BillingApi) => Promise<unknown>, done: string): Promise<void> {
    const api = this.api;
    if (!api || this.busy) return;
    this.busy = true;
    this.panelError = '';
    try {
      await call(api);
      this.panel = undefined;
      this.notice = done;
      this.emit('member-admin-billing', { memberId: this.memberId, action });
      await this.reload();
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.notice')?.focus());
    } catch (error) {
      this.panelError = problemMessage(error, this.strings);
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLElement>('[part="panel"] .error[role="alert"]')?.focus(),
      );
    } finally {
      this.busy = false;
    }
  }

  // Refund ------------------------------------------------------------------

  private onRefundReview(event: SubmitEvent): void {
    event.preventDefault();
    const panel = this.panel;
    if (panel?.kind !== 'refund') return;
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const invoice = panel.invoice;
    const max = refundable(invoice);
    let amount = max;
    if (panel.partial) {
      const parsed = parseMoney(String(data.get('amount') ?? ''), invoice.currency);
      if (parsed === null || parsed > max) {
        this.fieldError = this.strings.billing.refundInvalidAmount(this.money(max, invoice.currency));
        void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[name="amount"]')?.focus());
        return;
      }
      amount = parsed;
    }
    this.fieldError = '';
    const reason = String(data.get('reason') ?? '');
    this.panel = {
      ...panel,
      step: 'confirm',
      amount,
      reason: (refundReasons as readonly string[]).includes(reason) ? (reason as RefundReason) : '',
    };
    void this.focusPanel();
  }

  private onRefundConfirm(): void {
    const panel = this.panel;
    if (panel?.kind !== 'refund') return;
    const { invoice, amount, reason } = panel;
    // A full refund is sent without an amount: the API refunds exactly what is left.
    const full = amount === refundable(invoice);
    void this.run(
      'refund',
      (api) => api.refundInvoice(invoice.id, { ...(full ? {} : { amount }), ...(reason ? { reason } : {}) }),
      this.strings.billing.refundDone(this.money(amount, invoice.currency)),
    );
  }

  // Cancel ------------------------------------------------------------------

  private onCancelReview(event: SubmitEvent): void {
    event.preventDefault();
    if (this.panel?.kind !== 'cancel') return;
    const data = new FormData(event.currentTarget as HTMLFormElement);
    this.panel = { kind: 'cancel', step: 'confirm', atPeriodEnd: data.get('when') !== 'now' };
    void this.focusPanel();
  }

  private onCancelConfirm(sub: StaffSubscription): void {
    if (this.panel?.kind !== 'cancel') return;
    const atPeriodEnd = this.panel.atPeriodEnd;
    const b = this.strings.billing;
    void this.run(
      atPeriodEnd ? 'cancel_at_period_end' : 'cancel_now',
      (api) => api.cancelSubscription(sub.id, { at_period_end: atPeriodEnd }),
      atPeriodEnd ? b.canceledAtEnd : b.canceledNow,
    );
  }

  // Comp --------------------------------------------------------------------

  private onGrantComp(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const tierId = String(data.get('tier_id') ?? '');
    const day = String(data.get('ends_at') ?? '');
    const b = this.strings.billing;
    // Through the end of the chosen day, where staff are.
    const endsAt = day ? new Date(`${day}T23:59:59.999`) : null;
    this.fieldError = !tierId
      ? b.compTierRequired
      : !endsAt || Number.isNaN(endsAt.getTime()) || endsAt.getTime() <= Date.now()
        ? b.compEndRequired
        : '';
    if (this.fieldError || !endsAt) {
      const name = tierId ? 'ends_at' : 'tier_id';
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[name="${name}"]`)?.focus());
      return;
    }
    void this.run(
      'comp_granted',
      (api) => api.grantComp(this.memberId, { tier_id: tierId, ends_at: endsAt.toISOString() }),
      b.compGranted,
    );
  }

  private onRevokeConfirm(): void {
    void this.run('comp_revoked', (api) => api.revokeComp(this.memberId), this.strings.billing.compRevoked);
  }

  // Rendering ---------------------------------------------------------------

  protected override render(): TemplateResult {
    const s = this.strings;
    const b = s.billing;
    if (!this.admin) return html`<p>${s.noSession}</p>`;
    if (!this.can('billing:read')) return html`${nothing}`;
    const billing = this.billing;
    return html`<section part="section" aria-labelledby="billing-title" aria-busy=${this.loading ? 'true' : 'false'}>
      <h3 id="billing-title" tabindex="-1">${b.title}</h3>
      ${!this.can('billing:write') && billing ? html`<p class="hint read-only">${b.readOnly}</p>` : nothing}
      ${this.notice ? html`<p class="notice" role="status" tabindex="-1">${this.notice}</p>` : nothing}
      ${this.loadError ? html`<p class="error" role="alert">${this.loadError}</p>` : nothing}
      ${!billing && this.loading ? html`<p>${b.loading}</p>` : nothing}
      ${billing ? html`${this.renderSubscription(billing.subscription)} ${this.renderInvoices(billing.invoices)}` : nothing}
    </section>`;
  }

  private renderSubscription(sub: StaffSubscription | null): TemplateResult {
    const b = this.strings.billing;
    const canWrite = this.can('billing:write');
    const isComp = sub ? sub.kind === 'comp' || sub.status === 'comp' : false;
    const active = sub && !ended.has(sub.status);
    const panel = this.panel;
    return html`<h4>${b.subscription}</h4>
      ${
        sub
          ? html`<dl part="subscription" class="details">
            <div>
              <dt>${b.status}</dt>
              <dd><span class="badge" data-sub-status=${sub.status}>${b.subscriptionStatus[sub.status] ?? sub.status}</span></dd>
            </div>
            <div><dt>${b.tier}</dt><dd>${this.tierName(sub)}</dd></div>
            ${sub.interval ? html`<div><dt>${b.interval}</dt><dd>${b.intervals[sub.interval] ?? sub.interval}</dd></div>` : nothing}
            ${isComp ? nothing : html`<div><dt>${b.amount}</dt><dd>${this.money(sub.amount, sub.currency)}</dd></div>`}
            ${sub.current_period_end && !isComp ? html`<div><dt>${b.periodEnd}</dt><dd>${this.formatDate(sub.current_period_end)}</dd></div>` : nothing}
            ${sub.trial_end ? html`<div><dt>${b.trialEnd}</dt><dd>${this.formatDate(sub.trial_end)}</dd></div>` : nothing}
            ${isComp ? nothing : html`<div><dt>${b.cancelAtPeriodEnd}</dt><dd>${sub.cancel_at_period_end ? this.strings.yes : this.strings.no}</dd></div>`}
            ${sub.comp_ends_at ? html`<div><dt>${b.compEndsAt}</dt><dd>${this.formatDate(sub.comp_ends_at)}</dd></div>` : nothing}
          </dl>`
          : html`<p class="empty">${b.noSubscription}</p>`
      }
      ${
        canWrite && !panel
          ? html`<div class="actions">
            ${sub && active && !isComp ? html`<button type="button" class="danger" data-action="cancel" @click=${(e: Event) => this.open({ kind: 'cancel', step: 'edit', atPeriodEnd: !sub.cancel_at_period_end }, e)}>${b.cancelTitle}</button>` : nothing}
            ${sub && active && isComp ? html`<button type="button" class="danger" data-action="revoke-comp" @click=${(e: Event) => this.open({ kind: 'revoke' }, e)}>${b.revokeComp}</button>` : nothing}
            ${!sub || !active ? html`<button type="button" data-action="grant-comp" @click=${(e: Event) => this.open({ kind: 'comp' }, e)}>${b.compTitle}</button>` : nothing}
          </div>`
          : nothing
      }
      ${panel?.kind === 'cancel' && sub ? this.renderCancel(panel, sub) : nothing}
      ${panel?.kind === 'comp' ? this.renderComp() : nothing}
      ${panel?.kind === 'revoke' ? this.renderRevoke() : nothing}`;
  }

  private renderInvoices(invoices: StaffInvoice[]): TemplateResult {
    const b = this.strings.billing;
    const canWrite = this.can('billing:write');
    const panel = this.panel;
    return html`<h4 id="invoices-title">${b.invoices}</h4>
      ${
        invoices.length === 0
          ? html`<p class="empty">${b.noInvoices}</p>`
          : html`<div class="scroll">
            <table part="invoices" aria-labelledby="invoices-title">
              <thead>
                <tr>
                  <th scope="col">${b.invoiceNumber}</th>
                  <th scope="col">${b.invoiceDate}</th>
                  <th scope="col" class="num">${b.total}</th>
                  <th scope="col" class="num">${b.paid}</th>
                  <th scope="col" class="num">${b.refunded}</th>
                  <th scope="col">${b.status}</th>
                  <th scope="col">${b.links}</th>
                  ${canWrite ? html`<th scope="col"><span class="visually-hidden">${b.refund}</span></th>` : nothing}
                </tr>
              </thead>
              <tbody>
                ${invoices.map((inv) => this.renderInvoice(inv, canWrite))}
              </tbody>
            </table>
          </div>`
      }
      ${panel?.kind === 'refund' ? this.renderRefund(panel) : nothing}`;
  }

  private renderInvoice(inv: StaffInvoice, canWrite: boolean): TemplateResult {
    const b = this.strings.billing;
    const label = b.invoiceLabel(inv.number ?? inv.id);
    return html`<tr data-invoice=${inv.id}>
      <td>${inv.number ?? inv.id}</td>
      <td><time datetime=${inv.created_at}>${this.formatDate(inv.created_at)}</time></td>
      <td class="num">${this.money(inv.total, inv.currency)}</td>
      <td class="num">${this.money(inv.amount_paid, inv.currency)}</td>
      <td class="num refunded">${inv.amount_refunded ? this.money(inv.amount_refunded, inv.currency) : '—'}</td>
      <td><span class="badge" data-invoice-status=${inv.status}>${b.invoiceStatus[inv.status] ?? inv.status}</span></td>
      <td class="links">
        ${inv.hosted_invoice_url ? html`<a href=${inv.hosted_invoice_url} target="_blank" rel="noopener">${b.viewInvoice}<span class="visually-hidden"> ${label}</span></a>` : nothing}
        ${inv.invoice_pdf ? html`<a href=${inv.invoice_pdf} target="_blank" rel="noopener">${b.invoicePdf}<span class="visually-hidden"> ${label}</span></a>` : nothing}
      </td>
      ${
        canWrite
          ? html`<td>
            ${
              refundable(inv) > 0
                ? html`<button type="button" data-action="refund" ?disabled=${Boolean(this.panel)} @click=${(e: Event) => this.open({ kind: 'refund', invoice: inv, step: 'edit', partial: false, amount: refundable(inv), reason: '' }, e)}>
                  ${b.refund}<span class="visually-hidden"> ${label}</span>
                </button>`
                : nothing
            }
          </td>`
          : nothing
      }
    </tr>`;
  }

  private renderPanelError(): TemplateResult | typeof nothing {
    return this.panelError ? html`<p class="error" role="alert" tabindex="-1">${this.panelError}</p>` : nothing;
  }

  private renderRefund(panel: Extract<Panel, { kind: 'refund' }>): TemplateResult {
    const b = this.strings.billing;
    const inv = panel.invoice;
    const number = inv.number ?? inv.id;
    const max = this.money(refundable(inv), inv.currency);
    if (panel.step === 'confirm') {
      return html`<div part="panel" class="panel" role="group" aria-labelledby="panel-title" aria-describedby="panel-question" @keydown=${this.onPanelKeydown}>
        <h5 id="panel-title">${b.refundTitle(number)}</h5>
        <p id="panel-question"><strong>${b.confirmRefund(this.money(panel.amount, inv.currency), number)}</strong> ${b.refundNote}</p>
        ${panel.reason ? html`<p>${b.refundReason}: ${b.refundReasons[panel.reason]}</p>` : nothing} ${this.renderPanelError()}
        <div class="actions">
          <button type="button" @click=${() => this.back({ ...panel, step: 'edit' })} ?disabled=${this.busy}>${b.back}</button>
          <button type="button" class="primary danger-fill" data-confirm @click=${this.onRefundConfirm} ?disabled=${this.busy}>${this.busy ? b.refunding : b.confirmRefundButton}</button>
        </div>
      </div>`;
    }
    const partial = panel.partial;
    return html`<form part="panel" class="panel" aria-labelledby="panel-title" novalidate @submit=${this.onRefundReview} @keydown=${this.onPanelKeydown}>
      <h5 id="panel-title">${b.refundTitle(number)}</h5>
      <fieldset>
        <legend class="visually-hidden">${b.amount}</legend>
        <label class="inline"><input type="radio" name="mode" value="full" ?checked=${!partial} @change=${this.onModeChange} />${b.refundFull(max)}</label>
        <label class="inline"><input type="radio" name="mode" value="partial" ?checked=${partial} @change=${this.onModeChange} />${b.refundPartial}</label>
      </fieldset>
      <label
        >${b.refundAmount(inv.currency.toUpperCase())}
        <input
          name="amount"
          inputmode="decimal"
          autocomplete="off"
          .value=${partial ? moneyInput(panel.amount, inv.currency) : ''}
          ?disabled=${!partial}
          aria-invalid=${this.fieldError ? 'true' : 'false'}
          aria-describedby=${this.fieldError ? 'amount-error' : nothing}
        />
        ${this.fieldError ? html`<span class="error" id="amount-error">${this.fieldError}</span>` : nothing}
      </label>
      <label
        >${b.refundReason}
        <select name="reason">
          <option value="" ?selected=${!panel.reason}>${b.reasonNone}</option>
          ${refundReasons.map((r) => html`<option value=${r} ?selected=${panel.reason === r}>${b.refundReasons[r]}</option>`)}
        </select>
      </label>
      ${this.renderPanelError()}
      <div class="actions">
        <button type="button" @click=${this.close}>${this.strings.cancel}</button>
        <button type="submit" class="primary">${b.review}</button>
      </div>
    </form>`;
  }

  private onModeChange(event: Event): void {
    const panel = this.panel;
    if (panel?.kind !== 'refund') return;
    const partial = (event.currentTarget as HTMLInputElement).value === 'partial';
    this.panel = { ...panel, partial };
    this.fieldError = '';
    if (partial)
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('[name="amount"]')?.focus());
  }

  private renderCancel(panel: Extract<Panel, { kind: 'cancel' }>, sub: StaffSubscription): TemplateResult {
    const b = this.strings.billing;
    const end = this.formatDate(sub.current_period_end);
    if (panel.step === 'confirm') {
      return html`<div part="panel" class="panel" role="group" aria-labelledby="panel-title" aria-describedby="panel-question" @keydown=${this.onPanelKeydown}>
        <h5 id="panel-title">${b.cancelTitle}</h5>
        <p id="panel-question"><strong>${panel.atPeriodEnd ? b.confirmCancelAtEnd(end) : b.confirmCancelNow}</strong></p>
        ${this.renderPanelError()}
        <div class="actions">
          <button type="button" @click=${() => this.back({ ...panel, step: 'edit' })} ?disabled=${this.busy}>${b.back}</button>
          <button type="button" class="primary danger-fill" data-confirm @click=${() => this.onCancelConfirm(sub)} ?disabled=${this.busy}>${this.busy ? b.canceling : b.confirmCancelButton}</button>
        </div>
      </div>`;
    }
    // Already set to end with the period: only ending it now is left to choose.
    const atEndOffered = !sub.cancel_at_period_end;
    return html`<form part="panel" class="panel" aria-labelledby="panel-title" @submit=${this.onCancelReview} @keydown=${this.onPanelKeydown}>
      <h5 id="panel-title">${b.cancelTitle}</h5>
      <fieldset>
        <legend class="visually-hidden">${b.cancelTitle}</legend>
        ${atEndOffered ? html`<label class="inline"><input type="radio" name="when" value="period_end" ?checked=${panel.atPeriodEnd} />${b.cancelAtEnd(end)}</label>` : nothing}
        <label class="inline"><input type="radio" name="when" value="now" ?checked=${!panel.atPeriodEnd || !atEndOffered} />${b.cancelNow}</label>
      </fieldset>
      ${this.renderPanelError()}
      <div class="actions">
        <button type="button" @click=${this.close}>${this.strings.cancel}</button>
        <button type="submit" class="primary">${b.review}</button>
      </div>
    </form>`;
  }

  private renderComp(): TemplateResult {
    const b = this.strings.billing;
    const tomorrow = new Date();
    tomorrow.setDate(tomorrow.getDate() + 1);
    // The API grants at most ten years ahead.
    const latest = new Date();
    latest.setFullYear(latest.getFullYear() + 10);
    const tierError = this.fieldError === b.compTierRequired;
    const endError = this.fieldError === b.compEndRequired;
    return html`<form part="panel" class="panel" aria-labelledby="panel-title" novalidate @submit=${this.onGrantComp} @keydown=${this.onPanelKeydown}>
      <h5 id="panel-title">${b.compTitle}</h5>
      <label
        >${b.compTier}
        <select name="tier_id" aria-invalid=${tierError ? 'true' : 'false'} aria-describedby=${tierError ? 'comp-error' : nothing}>
          <option value="">—</option>
          ${this.tiers.filter((t) => !t.archived).map((t) => html`<option value=${t.id}>${t.name}</option>`)}
        </select>
      </label>
      <label
        >${b.compEnds}
        <input type="date" name="ends_at" min=${isoDay(tomorrow)} max=${isoDay(latest)} aria-invalid=${endError ? 'true' : 'false'} aria-describedby=${endError ? 'comp-error' : nothing} />
      </label>
      ${this.fieldError ? html`<p class="error" id="comp-error">${this.fieldError}</p>` : nothing} ${this.renderPanelError()}
      <div class="actions">
        <button type="button" @click=${this.close} ?disabled=${this.busy}>${this.strings.cancel}</button>
        <button type="submit" class="primary" ?disabled=${this.busy}>${this.busy ? b.granting : b.grantComp}</button>
      </div>
    </form>`;
  }

  private renderRevoke(): TemplateResult {
    const b = this.strings.billing;
    return html`<div part="panel" class="panel" role="group" aria-labelledby="panel-title" aria-describedby="panel-question" @keydown=${this.onPanelKeydown}>
      <h5 id="panel-title">${b.revokeComp}</h5>
      <p id="panel-question"><strong>${b.confirmRevokeComp}</strong></p>
      ${this.renderPanelError()}
      <div class="actions">
        <button type="button" @click=${this.close} ?disabled=${this.busy}>${b.back}</button>
        <button type="button" class="primary danger-fill" data-confirm @click=${this.onRevokeConfirm} ?disabled=${this.busy}>${b.confirmRevokeButton}</button>
      </div>
    </div>`;
  }
}

defineElement('member-admin-billing', MemberAdminBilling);

declare global {
  interface HTMLElementTagNameMap {
    'member-admin-billing': MemberAdminBilling;
  }
}
