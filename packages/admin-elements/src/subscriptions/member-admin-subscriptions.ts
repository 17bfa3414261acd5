import { defineElement } from '@memberkit/elements-core';
import type { Memberkit } from '@memberkit/sdk';
import { css, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  sdkBillingApi,
  subscriptionStatuses,
  type BillingApi,
  type ListSubscriptionsParams,
  type StaffSubscription,
  type SubscriptionStatus,
} from '../billing/billing-api.js';
import '../billing/billing-events.js';
import { billingBadgeStyles } from '../billing/member-admin-billing.styles.js';
import { formatMoney, monthlyAmount } from '../billing/money.js';
import { problemMessage } from '../billing/problem.js';
import { loadTiers, type Tier } from '../internal/admin-api.js';
import { MemberAdminElement } from '../internal/admin-element.js';
import { sharedStyles } from '../internal/styles.js';
import type { MemberAdminEditDetail } from '../table/member-admin-table.js';

const PAGE_SIZE = 25;

/** A member's name for a row: the list's member, else one looked up, else the id. */
interface MemberName {
  name: string;
  email: string;
}

/**
 * The tenant's subscriptions for staff with `billing:read`: status and tier filters,
 * the columns recurring revenue is made of (amount, interval, MRR, period end), and
 * "Load more" through the API's cursor. Choosing a member opens them in a
 * `<member-admin-editor>` in the same provider (through `member-admin-edit`), where
 * their billing can be changed. Reloads after billing changes made in that editor.
 *
 * @fires member-admin-edit - A row's member was chosen; `detail.memberId`.
 * @csspart filters - The status and tier filters.
 * @csspart table - The `<table>`.
 * @csspart more - The "Load more" button.
 *
 * @example
 * <member-admin-provider api-url="…" token="…">
 *   <member-admin-subscriptions></member-admin-subscriptions>
 *   <member-admin-editor></member-admin-editor>
 * </member-admin-provider>
 */
export class MemberAdminSubscriptions extends MemberAdminElement {
  static override styles = [
    sharedStyles,
    billingBadgeStyles,
    css`
      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: end;
        margin-bottom: 8px;
      }
      h2 {
        margin: 0 0 8px;
        font-size: 1.25em;
      }
      .scroll {
        overflow-x: auto;
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
      th.num,
      td.num {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      tbody tr {
        cursor: pointer;
      }
      tbody tr:hover {
        background: var(--_subtle);
      }
      button.member {
        border: 0;
        padding: 0;
        background: none;
        color: var(--_primary);
        text-align: left;
        font-weight: 600;
      }
      .email,
      .ends {
        display: block;
        color: var(--_muted);
        font-size: 0.9em;
      }
      .footer {
        display: flex;
        gap: 12px;
        align-items: center;
        margin-top: 8px;
      }
    `,
  ];

  /** Where subscriptions are read; defaults to the provider's SDK client. */
  @property({ attribute: false }) billingApi: BillingApi | undefined;

  @state() private status: SubscriptionStatus | '' = '';
  @state() private tierId = '';
  @state() private rows: StaffSubscription[] = [];
  @state() private nextCursor: string | null = null;
  @state() private loading = false;
  @state() private error = '';
  @state() private tiers: Tier[] = [];
  @state() private names = new Map<string, MemberName>();

  #seq = 0;
  #client: Memberkit | undefined;
  #sdkApi: { client: Memberkit; api: BillingApi } | undefined;
  #host: EventTarget | undefined;
  readonly #refresh = (): void => void this.reload();

  private get api(): BillingApi | undefined {
    if (this.billingApi) return this.billingApi;
    const client = this.admin?.client;
    if (!client) return undefined;
    if (this.#sdkApi?.client !== client) this.#sdkApi = { client, api: sdkBillingApi(client) };
    return this.#sdkApi.api;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Billing changed in an editor in the same provider: the list shows it.
    this.#host = this.closest('member-admin-provider') ?? document;
    this.#host.addEventListener('member-admin-billing', this.#refresh);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#host?.removeEventListener('member-admin-billing', this.#refresh);
  }

  protected override willUpdate(): void {
    const client = this.admin?.client;
    if (client && client !== this.#client) {
      const first = this.#client === undefined;
      this.#client = client;
      if (first) {
        void this.loadTierChoices(client);
        void this.reload();
      }
    }
  }

  private async loadTierChoices(client: Memberkit): Promise<void> {
    try {
      this.tiers = await loadTiers(client);
    } catch {
      // The tier filter is a convenience: without it the list still works.
    }
  }

  /** Loads the list again from the first page with the current filters. */
  async reload(): Promise<void> {
    await this.load(undefined);
  }

  private async load(cursor: string | undefined): Promise<void> {
    const api = this.api;
    if (!api || !this.can('billing:read')) return;
    const seq = ++this.#seq;
    this.loading = true;
    this.error = '';
    const params: ListSubscriptionsParams = { limit: PAGE_SIZE };
    if (this.status) params.status = this.status;
    if (this.tierId) params.tier_id = this.tierId;
    if (cursor) params.cursor = cursor;
    try {
      const page = await api.listSubscriptions(params);
      if (seq !== this.#seq) return;
      this.rows = cursor ? [...this.rows, ...page.data] : page.data;
      this.nextCursor = page.has_more ? page.next_cursor : null;
      void this.resolveNames(page.data);
    } catch (error) {
      if (seq === this.#seq) this.error = problemMessage(error, this.strings);
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }

  /** Names of members the list did not include, looked up once each (with member:read). */
  private async resolveNames(subs: StaffSubscription[]): Promise<void> {
    const client = this.admin?.client;
    const unknown = [...new Set(subs.filter((s) => !s.member && !this.names.has(s.member_id)).map((s) => s.member_id))];
    if (!client || unknown.length === 0 || !this.can('member:read')) return;
    const found = await Promise.allSettled(unknown.map((id) => client.members.retrieve(id)));
    const names = new Map(this.names);
    found.forEach((result, i) => {
      if (result.status === 'fulfilled')
        names.set(unknown[i]!, {
          name: `${result.value.first_name} ${result.value.last_name}`.trim(),
          email: result.value.email,
        });
    });
    this.names = names;
  }

  private memberName(sub: StaffSubscription): MemberName {
    if (sub.member) return { name: `${sub.member.first_name} ${sub.member.last_name}`.trim(), email: sub.member.email };
    return this.names.get(sub.member_id) ?? { name: sub.member_id, email: '' };
  }

  private onFilter(event: Event): void {
    const form = (event.currentTarget as HTMLElement).closest('form');
    if (!form) return;
    const data = new FormData(form);
    const status = String(data.get('status') ?? '');
    this.status = subscriptionStatuses.find((st) => st === status) ?? '';
    this.tierId = String(data.get('tier_id') ?? '');
    void this.reload();
  }

  private openMember(memberId: string): void {
    this.emit('member-admin-edit', { memberId } satisfies MemberAdminEditDetail);
  }

  private onRowClick(event: MouseEvent, memberId: string): void {
    // The member button handles its own click (and keyboard); links and selections stay theirs.
    if ((event.target as Element).closest('button, a') || getSelection()?.toString()) return;
    this.openMember(memberId);
  }

  private money(amount: number | null, currency: string): string {
    return amount === null ? '—' : formatMoney(amount, currency, this.admin?.locale ?? 'en');
  }

  protected override render(): TemplateResult {
    const s = this.strings;
    const b = s.billing;
    if (!this.admin) return html`<p>${s.noSession}</p>`;
    if (!this.can('billing:read')) return html`<p>${s.forbidden}</p>`;
    return html`<h2 id="subs-title">${b.subscriptionsTitle}</h2>
      <form part="filters" class="filters" @submit=${(e: Event) => e.preventDefault()}>
        <label
          >${b.status}
          <select name="status" @change=${this.onFilter}>
            <option value="">${s.any}</option>
            ${subscriptionStatuses.map((st) => html`<option value=${st} ?selected=${this.status === st}>${b.subscriptionStatus[st] ?? st}</option>`)}
          </select>
        </label>
        <label
          >${b.tier}
          <select name="tier_id" @change=${this.onFilter}>
            <option value="">${s.any}</option>
            ${this.tiers.map((t) => html`<option value=${t.id} ?selected=${this.tierId === t.id}>${t.name}</option>`)}
          </select>
        </label>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="scroll">
        <table part="table" aria-labelledby="subs-title" aria-busy=${this.loading ? 'true' : 'false'}>
          <thead>
            <tr>
              <th scope="col">${b.member}</th>
              <th scope="col">${b.tier}</th>
              <th scope="col">${b.status}</th>
              <th scope="col">${b.interval}</th>
              <th scope="col" class="num">${b.amount}</th>
              <th scope="col" class="num"><abbr title=${b.mrrHint}>${b.mrr}</abbr></th>
              <th scope="col">${b.periodEnd}</th>
              <th scope="col">${b.started}</th>
            </tr>
          </thead>
          <tbody>
            ${
              this.rows.length === 0 && !this.loading
                ? html`<tr>
                  <td colspan="8">${b.subscriptionsEmpty}</td>
                </tr>`
                : this.rows.map((sub) => this.renderRow(sub))
            }
          </tbody>
        </table>
      </div>
      <div class="footer">
        <span role="status">${this.loading ? nothing : b.shownCount(this.rows.length)}</span>
        ${this.nextCursor ? html`<button type="button" part="more" data-action="more" ?disabled=${this.loading} @click=${() => this.load(this.nextCursor ?? undefined)}>${s.loadMore}</button>` : nothing}
      </div>`;
  }

  private renderRow(sub: StaffSubscription): TemplateResult {
    const b = this.strings.billing;
    const who = this.memberName(sub);
    const isComp = sub.kind === 'comp' || sub.status === 'comp';
    const tierName = sub.tier_name ?? this.tiers.find((t) => t.id === sub.tier_id)?.name ?? sub.tier_id;
    return html`<tr data-id=${sub.id} data-member=${sub.member_id} @click=${(e: MouseEvent) => this.onRowClick(e, sub.member_id)}>
      <td>
        <button type="button" class="member" aria-label=${b.openMember(who.name)} @click=${() => this.openMember(sub.member_id)}>${who.name}</button>
        ${who.email ? html`<span class="email">${who.email}</span>` : nothing}
      </td>
      <td class="tier">${tierName}</td>
      <td>
        <span class="badge" data-sub-status=${sub.status}>${b.subscriptionStatus[sub.status] ?? sub.status}</span>
        ${sub.cancel_at_period_end && sub.current_period_end ? html`<span class="ends">${b.endsOn(this.formatDate(sub.current_period_end))}</span>` : nothing}
        ${isComp && sub.comp_ends_at ? html`<span class="ends">${b.endsOn(this.formatDate(sub.comp_ends_at))}</span>` : nothing}
      </td>
      <td>${sub.interval ? (b.intervals[sub.interval] ?? sub.interval) : '—'}</td>
      <td class="num">${isComp ? '—' : this.money(sub.amount, sub.currency)}</td>
      <td class="num mrr">${isComp ? '—' : this.money(monthlyAmount(sub), sub.currency)}</td>
      <td>${this.formatDate(sub.current_period_end)}</td>
      <td>${this.formatDate(sub.created_at)}</td>
    </tr>`;
  }
}

defineElement('member-admin-subscriptions', MemberAdminSubscriptions);

declare global {
  interface HTMLElementTagNameMap {
    'member-admin-subscriptions': MemberAdminSubscriptions;
  }
}
