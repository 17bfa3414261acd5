import { MemberkitError } from '@memberkit/sdk';
import { defineElement } from '@memberkit/elements-core';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { MemberAdminElement, errorMessage } from '../internal/admin-element.js';
import {
  loadFields,
  loadTiers,
  localized,
  type AuditEntry,
  type CustomField,
  type Member,
  type Tier,
} from '../internal/admin-api.js';
import {
  allowedMemberStatuses as allowedStatuses,
  MEMBER_STATUSES as memberStatuses,
  type MemberStatus,
} from '@memberkit/sdk';
import { renderAuditParty } from '../audit-log/audit-party.js';
import '../billing/member-admin-billing.js';
import type { BillingApi } from '../billing/billing-api.js';
import type { MemberAdminBillingDetail } from '../billing/billing-events.js';
import { sharedStyles } from '../internal/styles.js';
import type { MemberAdminEditDetail } from '../table/member-admin-table.js';
import { memberAdminEditorStyles } from './member-admin-editor.styles.js';
import {
  sdkRealtime,
  sharedTopic,
  memberChangeTypes,
  type RealtimeEvent,
  type RealtimeSource,
  type Unsubscribe,
} from '../table/realtime.js';

/** Detail of `member-admin-saved`. */
export interface MemberAdminSavedDetail {
  member: Member;
  created: boolean;
}

declare global {
  interface MemberkitEventMap {
    'member-admin-saved': MemberAdminSavedDetail;
  }
  interface HTMLElementEventMap {
    'member-admin-saved': CustomEvent<MemberAdminSavedDetail>;
  }
}

type Values = Record<string, unknown>;

/** Reads a custom field's value from the form, typed as the API expects; undefined when empty. */
function readField(form: HTMLFormElement, field: CustomField): unknown {
  const name = `custom_fields.${field.key}`;
  const data = new FormData(form);
  switch (field.type) {
    case 'boolean':
      return (form.elements.namedItem(name) as HTMLInputElement | null)?.checked ?? false;
    case 'multi_select': {
      const values = data.getAll(name).map(String);
      return values.length ? values : undefined;
    }
    case 'number': {
      const raw = String(data.get(name) ?? '').trim();
      return raw === '' ? undefined : Number(raw);
    }
    default: {
      const raw = String(data.get(name) ?? '').trim();
      return raw === '' ? undefined : raw;
    }
  }
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Creates or edits a member in a side panel: names, email, status (only the
 * transitions the API allows), tier, tags, the tenant's typed custom fields, and
 * the member's billing (`<member-admin-billing>`, for staff with `billing:read`) and
 * audit history. Errors from the API appear on the fields they name.
 *
 * Inside the same `<member-admin-provider>` as a `<member-admin-table>`, it opens
 * when the table's Edit or Add member is chosen (set `manual` to open it yourself
 * with {@link MemberAdminEditor.edit} / {@link MemberAdminEditor.create}).
 *
 * While it shows a member, it follows the `members` topic of the real-time stream: when
 * that member is changed or deleted elsewhere, a banner says so and offers to reload
 * (dropping unsaved edits) or keep the edits (a save then sends only the fields changed here).
 *
 * @fires member-admin-saved - After a save; `detail.member` is the API's member, `detail.created` whether it is new.
 * @csspart changed-elsewhere - The "changed elsewhere" banner.
 * @csspart panel - The side panel.
 */
export class MemberAdminEditor extends MemberAdminElement {
  static override styles = [sharedStyles, memberAdminEditorStyles];

  /** Do not open on `member-admin-edit` events from the page; call `edit()` / `create()` instead. */
  @property({ type: Boolean }) manual = false;

  /** Where the embedded billing section reads and changes billing; defaults to the provider's SDK client. */
  @property({ attribute: false }) billingApi: BillingApi | undefined;

  /** Where live member events come from; defaults to the provider's SDK client (`mk.realtime`). */
  @property({ attribute: false }) realtime: RealtimeSource | undefined;

  /** Whether the panel is open. */
  @property({ type: Boolean, reflect: true }) open = false;

  @state() private member: Member | undefined;
  @state() private loading = false;
  @state() private saving = false;
  @state() private fieldErrors: Record<string, string> = {};
  @state() private formError = '';
  @state() private savedNote = '';
  @state() private tiers: Tier[] = [];
  @state() private fields: CustomField[] = [];
  @state() private history: AuditEntry[] | undefined;
  /** The member as changed elsewhere (or 'deleted') while the panel showed it, until reloaded or dismissed. */
  @state() private remote: Member | 'deleted' | undefined;
  /** Whether the form has edits not saved. */
  @state() private dirty = false;

  @query('dialog') private dialogEl?: HTMLDialogElement;
  @query('form') private form?: HTMLFormElement;

  #host: EventTarget | undefined;
  #lookupsFor: unknown;
  #unsubscribe: Unsubscribe | undefined;
  #liveSource: RealtimeSource | undefined;
  /** Events for the member that came while a save was in flight: judged against what the save returns. */
  #heldDuringSave: RealtimeEvent[] = [];

  readonly #onEdit = (event: Event): void => {
    if (this.manual) return;
    const { memberId } = (event as CustomEvent<MemberAdminEditDetail>).detail;
    void (memberId ? this.edit(memberId) : this.create());
  };

  /** The billing section changed something (a comp sets the tier): show the member as it is now. */
  readonly #onBilling = (event: Event): void => {
    const { memberId } = (event as CustomEvent<MemberAdminBillingDetail>).detail;
    const client = this.admin?.client;
    if (!client || this.member?.id !== memberId) return;
    client.members.retrieve(memberId).then(
      (member) => {
        if (this.member?.id === member.id) this.member = member;
        void this.loadHistory(memberId);
      },
      () => undefined,
    );
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.renderRoot.addEventListener('member-admin-billing', this.#onBilling);
    // Listen where the table's events pass: the provider both sit in.
    this.#host = this.closest('member-admin-provider') ?? document;
    this.#host.addEventListener('member-admin-edit', this.#onEdit);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#host?.removeEventListener('member-admin-edit', this.#onEdit);
    this.#stopLive();
  }

  /** Follows `members` while the panel is open on a member. */
  #syncLive(): void {
    const client = this.admin?.client;
    const source =
      !client || !this.isConnected || !this.open || !this.member ? undefined : (this.realtime ?? sdkRealtime(client));
    if (source === this.#liveSource) return;
    this.#stopLive();
    if (!source) return;
    this.#liveSource = source;
    this.#unsubscribe = sharedTopic(source, 'members', this.#onLive);
  }

  #stopLive(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#liveSource = undefined;
  }

  readonly #onLive = (event: RealtimeEvent): void => {
    const shown = this.member;
    const id = (event.data as { id?: string } | null)?.id;
    if (!shown || !this.open || id !== shown.id) return;
    if (event.type !== 'member.deleted' && !memberChangeTypes.has(event.type)) return;
    if (this.saving) {
      this.#heldDuringSave.push(event);
      return;
    }
    this.#judge(event, shown);
  };

  /** Whether an event for the shown member is news (not this panel's own save echoed back). */
  #judge(event: RealtimeEvent, shown: Member): void {
    if (event.type === 'member.deleted') {
      this.remote = 'deleted';
      return;
    }
    const member = event.data as Member;
    if (member.updated_at && shown.updated_at && member.updated_at <= shown.updated_at) return;
    this.remote = member;
  }

  /** Shows the member as it is now, dropping unsaved edits. */
  private async reloadRemote(): Promise<void> {
    const client = this.admin?.client;
    const id = this.member?.id;
    const remote = this.remote;
    if (!client || !id) return;
    this.remote = undefined;
    this.form?.reset();
    this.dirty = false;
    this.fieldErrors = {};
    this.formError = '';
    try {
      // The event carries the member; the API has the latest (another change may have followed).
      const fresh = await client.members.retrieve(id);
      this.member = fresh;
      this.savedNote = this.strings.live.reloaded;
      void this.loadHistory(id);
    } catch (error) {
      if (remote && remote !== 'deleted') this.member = remote;
      this.formError = errorMessage(error, this.strings);
    }
  }

  /** Keeps the edits; the next save sends what was changed here, over the newer member. */
  private keepMine(): void {
    const remote = this.remote;
    this.remote = undefined;
    if (!remote || remote === 'deleted' || !this.form) return;
    // Diff the save against the member as it is now, keeping what the form holds.
    const values = this.collect(this.form);
    this.member = remote;
    void this.updateComplete.then(() => this.#restore(values));
  }

  /** Puts edited values back into the form after it re-rendered from a newer member. */
  #restore(values: Record<string, unknown>): void {
    const form = this.form;
    if (!form) return;
    for (const [key, value] of Object.entries(values)) {
      if (key === 'custom_fields' || value === undefined) continue;
      const el = form.elements.namedItem(key) as HTMLInputElement | HTMLSelectElement | null;
      if (!el) continue;
      el.value = key === 'tags' && Array.isArray(value) ? value.join(', ') : value === null ? '' : String(value);
    }
    this.dirty = true;
  }

  /** Opens the panel on a member, loading it and its history. */
  async edit(memberId: string): Promise<void> {
    const client = this.admin?.client;
    if (!client) return;
    this.reset();
    this.open = true;
    this.loading = true;
    try {
      await this.loadLookups();
      this.member = await client.members.retrieve(memberId);
      void this.loadHistory(memberId);
    } catch (error) {
      this.formError = errorMessage(error, this.strings);
    } finally {
      this.loading = false;
    }
  }

  /** Opens the panel on a new, empty member. */
  async create(): Promise<void> {
    this.reset();
    this.open = true;
    this.loading = true;
    try {
      await this.loadLookups();
    } catch (error) {
      this.formError = errorMessage(error, this.strings);
    } finally {
      this.loading = false;
    }
  }

  /** Closes the panel. */
  close(): void {
    this.open = false;
  }

  private reset(): void {
    this.member = undefined;
    this.remote = undefined;
    this.dirty = false;
    this.#heldDuringSave = [];
    this.history = undefined;
    this.fieldErrors = {};
    this.formError = '';
    this.savedNote = '';
    this.form?.reset();
  }

  private async loadLookups(): Promise<void> {
    const client = this.admin?.client;
    if (!client || this.#lookupsFor === client) return;
    const [tiers, fields] = await Promise.all([loadTiers(client), loadFields(client)]);
    this.tiers = tiers;
    this.fields = fields;
    this.#lookupsFor = client;
  }

  private async loadHistory(memberId: string): Promise<void> {
    const client = this.admin?.client;
    if (!client || !this.can('audit_log:read')) return;
    try {
      this.history = (await client.auditLog.list({ target: memberId, limit: 20 })).data;
    } catch {
      this.history = [];
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    this.#syncLive();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('open')) {
      if (this.open && this.dialogEl && !this.dialogEl.open) this.dialogEl.showModal();
      if (!this.open && this.dialogEl?.open) this.dialogEl.close();
    }
  }

  /** The body to send: everything for a new member, only what changed for an existing one. */
  private collect(form: HTMLFormElement): Values {
    const data = new FormData(form);
    const text = (name: string): string => String(data.get(name) ?? '').trim();
    const tags = text('tags')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    const custom: Values = {};
    for (const f of this.fields) {
      const value = readField(form, f);
      if (value !== undefined) custom[f.key] = value;
      // Cleared on an existing member: null removes the value.
      else if (this.member && this.member.custom_fields[f.key] !== undefined) custom[f.key] = null;
    }
    const body: Values = {
      first_name: text('first_name'),
      last_name: text('last_name'),
      email: text('email'),
      status: text('status'),
      tier_id: text('tier_id') || null,
      tags,
      custom_fields: custom,
    };
    const m = this.member;
    if (!m) {
      if (!body.tier_id) delete body.tier_id;
      return body;
    }
    const changed: Values = {};
    for (const [key, value] of Object.entries(body)) {
      if (key === 'custom_fields') {
        const diff = Object.fromEntries(Object.entries(custom).filter(([k, v]) => !same(m.custom_fields[k], v)));
        if (Object.keys(diff).length) changed.custom_fields = diff;
      } else if (!same((m as unknown as Values)[key], value)) changed[key] = value;
    }
    return changed;
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const client = this.admin?.client;
    const form = event.currentTarget as HTMLFormElement;
    if (!client) return;
    const body = this.collect(form);
    this.fieldErrors = {};
    this.formError = '';
    this.savedNote = '';
    this.saving = true;
    try {
      const existing = this.member;
      // The body is built from the form, field by field, in the API's shape.
      const saved = existing
        ? await client.members.update(existing.id, body as never)
        : await client.members.create(body as never);
      this.member = saved;
      this.dirty = false;
      this.remote = undefined;
      this.savedNote = this.strings.saved;
      this.emit('member-admin-saved', { member: saved, created: !existing });
      void this.loadHistory(saved.id);
    } catch (error) {
      this.showError(error);
    } finally {
      this.saving = false;
      const held = this.#heldDuringSave;
      this.#heldDuringSave = [];
      const shown = this.member;
      if (shown) for (const e of held) this.#judge(e, shown);
    }
  }

  private showError(error: unknown): void {
    if (error instanceof MemberkitError) {
      const errors: Record<string, string> = {};
      for (const e of error.errors) errors[e.field] = e.message;
      if (error.code === 'MEMBER_EMAIL_TAKEN') errors.email = error.detail || error.title;
      this.fieldErrors = errors;
      this.formError = Object.keys(errors).length ? this.strings.fixErrors : errorMessage(error, this.strings);
      const first = Object.keys(errors)[0];
      if (first)
        void this.updateComplete.then(() =>
          this.renderRoot.querySelector<HTMLElement>(`[name="${CSS.escape(first)}"]`)?.focus(),
        );
    } else {
      this.formError = errorMessage(error, this.strings);
    }
  }

  protected override render(): TemplateResult {
    const s = this.strings;
    const m = this.member;
    const title = m ? s.editMember : s.newMember;
    return html`<dialog part="panel" aria-labelledby="editor-title" @close=${() => (this.open = false)}>
      <header>
        <h2 id="editor-title">${title}</h2>
        <button type="button" data-action="close" @click=${this.close}>${s.close}</button>
      </header>
      ${this.open && !this.loading && this.remote ? this.renderRemote() : nothing}
      ${this.open && !this.loading ? this.renderForm(m) : this.loading ? html`<p>${s.loading}</p>` : nothing}
      ${m && !this.loading && this.can('billing:read') ? html`<member-admin-billing class="billing" member-id=${m.id} .billingApi=${this.billingApi}></member-admin-billing>` : nothing}
      ${m ? this.renderHistory() : nothing}
    </dialog>`;
  }

  private renderRemote(): TemplateResult {
    const s = this.strings.live;
    if (this.remote === 'deleted')
      return html`<div class="changed-elsewhere" part="changed-elsewhere" role="alert">
        <p>${s.deletedElsewhere}</p>
        <div class="actions"><button type="button" data-action="close-deleted" @click=${this.close}>${this.strings.close}</button></div>
      </div>`;
    return html`<div class="changed-elsewhere" part="changed-elsewhere" role="alert">
      <p>${this.dirty ? s.changedElsewhereDirty : s.changedElsewhere}</p>
      <div class="actions">
        <button type="button" class="primary" data-action="reload-remote" @click=${this.reloadRemote}>${s.reload}</button>
        <button type="button" data-action="keep-mine" @click=${this.keepMine}>${s.keepMine}</button>
      </div>
    </div>`;
  }

  private renderForm(m: Member | undefined): TemplateResult {
    const s = this.strings;
    const canWrite = m ? this.can('member:update') : this.can('member:create');
    const statuses: readonly MemberStatus[] = m ? allowedStatuses(m.status) : memberStatuses;
    return html`<form novalidate @submit=${this.onSubmit} @input=${this.markDirty} @change=${this.markDirty} aria-describedby=${this.formError ? 'form-error' : nothing}>
      <fieldset ?disabled=${!canWrite || this.saving}>
        ${this.textField('first_name', s.firstName, m?.first_name ?? '', 'given-name')} ${this.textField('last_name', s.lastName, m?.last_name ?? '', 'family-name')}
        ${this.textField('email', s.email, m?.email ?? '', 'off', 'email')}
        <label
          >${s.filterStatus}
          <select name="status" aria-invalid=${this.fieldErrors.status ? 'true' : 'false'}>
            ${statuses.map((st) => html`<option value=${st} ?selected=${(m?.status ?? 'active') === st}>${s.status[st]}</option>`)}
          </select>
          ${this.errorFor('status')}
        </label>
        <label
          >${s.tier}
          <select name="tier_id" aria-invalid=${this.fieldErrors.tier_id ? 'true' : 'false'}>
            <option value="" ?selected=${!m?.tier_id}>${s.noTier}</option>
            ${this.tiers.filter((t) => !t.archived || t.id === m?.tier_id).map((t) => html`<option value=${t.id} ?selected=${m?.tier_id === t.id}>${t.name}</option>`)}
          </select>
          ${this.errorFor('tier_id')}
        </label>
        ${this.textField('tags', s.tags, m?.tags.join(', ') ?? '', 'off', 'text', s.tagsHint)}
        ${
          this.fields.length
            ? html`<fieldset class="custom">
              <legend>${s.customFields}</legend>
              ${this.fields.map((f) => this.customField(f, m?.custom_fields[f.key]))}
            </fieldset>`
            : nothing
        }
      </fieldset>
      ${this.formError ? html`<p id="form-error" class="error" role="alert">${this.formError}</p>` : nothing}
      ${this.savedNote ? html`<p role="status">${this.savedNote}</p>` : nothing}
      ${
        canWrite
          ? html`<div class="actions">
            <button class="primary" type="submit" ?disabled=${this.saving}>${this.saving ? s.saving : m ? s.save : s.create}</button>
          </div>`
          : nothing
      }
    </form>`;
  }

  private markDirty(): void {
    if (!this.dirty) this.dirty = true;
    // A "Saved." (or "Reloaded") note from before no longer describes the form.
    if (this.savedNote) this.savedNote = '';
  }

  private errorFor(name: string): TemplateResult | typeof nothing {
    const message = this.fieldErrors[name];
    return message ? html`<span class="error" id=${`err-${name}`}>${message}</span>` : nothing;
  }

  private textField(
    name: string,
    label: string,
    value: string,
    autocomplete: string,
    type = 'text',
    hint = '',
  ): TemplateResult {
    const invalid = Boolean(this.fieldErrors[name]);
    return html`<label
      >${label}
      <input
        name=${name}
        type=${type}
        .value=${value}
        autocomplete=${autocomplete}
        aria-invalid=${invalid ? 'true' : 'false'}
        aria-describedby=${invalid ? `err-${name}` : nothing}
      />
      ${hint ? html`<span class="hint">${hint}</span>` : nothing} ${this.errorFor(name)}
    </label>`;
  }

  private customField(f: CustomField, value: unknown): TemplateResult {
    const name = `custom_fields.${f.key}`;
    const label = localized(f.label, this.admin?.locale ?? 'en', f.key) + (f.required ? ' *' : '');
    const invalid = Boolean(this.fieldErrors[name]);
    const described = invalid ? `err-${name}` : nothing;
    const locale = this.admin?.locale ?? 'en';
    switch (f.type) {
      case 'boolean':
        return html`<label class="inline"
          ><input type="checkbox" name=${name} .checked=${value === true} aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${described} />${label}
          ${this.errorFor(name)}</label
        >`;
      case 'select':
        return html`<label
          >${label}
          <select name=${name} aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${described}>
            <option value="" ?selected=${value === undefined}>—</option>
            ${f.options.map((o) => html`<option value=${o.value} ?selected=${value === o.value}>${localized(o.label, locale, o.value)}</option>`)}
          </select>
          ${this.errorFor(name)}
        </label>`;
      case 'multi_select': {
        const chosen = Array.isArray(value) ? (value as string[]) : [];
        return html`<fieldset aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${described}>
          <legend>${label}</legend>
          ${f.options.map(
            (o) =>
              html`<label class="inline"><input type="checkbox" name=${name} value=${o.value} .checked=${chosen.includes(o.value)} />${localized(o.label, locale, o.value)}</label>`,
          )}
          ${this.errorFor(name)}
        </fieldset>`;
      }
      default: {
        const type = f.type === 'number' ? 'number' : f.type === 'date' ? 'date' : 'text';
        return html`<label
          >${label}
          <input name=${name} type=${type} step=${f.type === 'number' ? 'any' : nothing} .value=${value === undefined || value === null ? '' : String(value)} aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${described} />
          ${this.errorFor(name)}
        </label>`;
      }
    }
  }

  private renderHistory(): TemplateResult | typeof nothing {
    if (!this.can('audit_log:read')) return nothing;
    const s = this.strings;
    return html`<section class="history" aria-labelledby="history-title">
      <h3 id="history-title">${s.history}</h3>
      ${
        this.history === undefined
          ? html`<p>${s.loading}</p>`
          : this.history.length === 0
            ? html`<p>${s.noHistory}</p>`
            : html`<ol>
              ${this.history.map(
                (e) => html`<li>
                  <strong>${e.action}</strong> · <time datetime=${e.occurred_at}>${this.formatDateTime(e.occurred_at)}</time> · ${renderAuditParty(e.actor)}
                  ${Object.keys(e.diff).length ? html`<div class="diff">${Object.keys(e.diff).join(', ')}</div>` : nothing}
                </li>`,
              )}
            </ol>`
      }
    </section>`;
  }
}

defineElement('member-admin-editor', MemberAdminEditor);

declare global {
  interface HTMLElementTagNameMap {
    'member-admin-editor': MemberAdminEditor;
  }
}
