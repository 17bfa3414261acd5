import { MemberkitError } from '@memberkit/sdk';
import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { PublicField } from '../config/public-config.js';
import { MemberWidget } from '../internal/member-widget.js';
import { defineElement } from '@memberkit/elements-core';
import type { DirectoryMember } from '../runtime/widget-session.js';

/**
 * @tagname member-list
 *
 * The tenant's member directory: a search box and a list that loads more as the
 * visitor scrolls (and with a "Show more" button, for keyboards and screen readers).
 * It shows only what the API returns for the viewer: fields the tenant marked
 * `public`, plus `members` fields to signed-in members. When the tenant has the
 * directory off it says so.
 *
 * @fires member-error - Loading failed.
 *
 * @csspart base - The widget's box.
 * @csspart search - The search input.
 * @csspart list - The list of members.
 * @csspart item - One member.
 * @csspart name - A member's name.
 * @csspart more - The "Show more" button.
 * @csspart message - Empty, disabled and error messages.
 *
 * @example
 * <member-list page-size="20"></member-list>
 */
export class MemberList extends MemberWidget {
  static override styles = [
    ...MemberWidget.styles,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: calc(var(--_space) * 0.5);
      }
      li {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: calc(var(--_space) * 0.75);
        overflow-wrap: anywhere;
      }
      dl {
        margin: 0;
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0 calc(var(--_space) * 0.5);
        font-size: 0.95rem;
      }
      dt {
        color: var(--_muted);
      }
      dd {
        margin: 0;
      }
    `,
  ];

  /** Members per request (1–100). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 20;

  @state() private items: DirectoryMember[] = [];
  @state() private cursor: string | null = null;
  @state() private hasMore = false;
  @state() private loading = false;
  @state() private disabled = false;
  @state() private error = '';
  @state() private query = '';

  #loadedKey = '';
  #loadedSession?: unknown;
  #generation = 0;
  #observer?: IntersectionObserver;
  #debounce?: ReturnType<typeof setTimeout>;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#observer?.disconnect();
    this.#observer = undefined;
    clearTimeout(this.#debounce);
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // Reload when what the viewer may see changes: the session, who is signed in, the search.
    const key = `${this.member?.id ?? ''}|${this.query}`;
    if (this.session && this.sessionReady && (key !== this.#loadedKey || this.session !== this.#loadedSession)) {
      this.#loadedKey = key;
      this.#loadedSession = this.session;
      void this.#load(true);
    }
    this.#observeSentinel();
  }

  protected override render(): TemplateResult {
    if (this.setupProblem) return this.renderSetupProblem(this.setupProblem);
    const s = this.strings;
    if (this.disabled || (this.config.tenant.id && !this.config.directory.enabled)) {
      return html`<div part="base"><p part="message">${s.t('list.disabled')}</p></div>`;
    }
    return html`<div part="base">
      <div class="field">
        <label for="search">${s.t('list.search')}</label>
        <input id="search" part="search" type="search" autocomplete="off" .value=${this.query} @input=${this.#onSearch} />
      </div>
      <div class="alert error" role="alert" part="message">${this.error}</div>
      <p class="visually-hidden" role="status">${this.loading ? s.t('common.loading') : s.plural('list.count', this.items.length)}</p>
      ${this.items.length === 0 && !this.loading && this.sessionReady ? html`<p part="message">${s.t('list.empty')}</p>` : nothing}
      <ul part="list" aria-label=${s.t('list.title')}>
        ${this.items.map((item) => this.#renderItem(item))}
      </ul>
      ${
        this.hasMore
          ? html`<div class="actions">
            <button type="button" class="secondary" part="more" ?disabled=${this.loading} @click=${() => this.#load(false)}>${s.t('list.more')}</button>
          </div>`
          : nothing
      }
      <div id="sentinel" aria-hidden="true"></div>
    </div>`;
  }

  #renderItem(item: DirectoryMember): TemplateResult {
    const fields = this.config.fields.filter(
      (field) => item.custom_fields?.[field.key] !== undefined && item.custom_fields[field.key] !== null,
    );
    return html`<li part="item">
      <strong part="name">${`${item.first_name ?? ''} ${item.last_name ?? ''}`.trim()}</strong>
      ${
        fields.length > 0
          ? html`<dl>
            ${fields.map((field) => html`<dt>${this.strings.pick(field.label)}</dt><dd>${this.#display(field, item.custom_fields[field.key])}</dd>`)}
          </dl>`
          : nothing
      }
    </li>`;
  }

  #display(field: PublicField, value: unknown): string {
    const s = this.strings;
    const option = (v: unknown) => s.pick(field.options.find((o) => o.value === v)?.label) || String(v);
    if (field.type === 'boolean') return value ? s.t('common.yes') : s.t('common.no');
    if (field.type === 'select') return option(value);
    if (field.type === 'multi_select' && Array.isArray(value)) return value.map(option).join(', ');
    if (field.type === 'number' && typeof value === 'number') return s.number(value);
    if (field.type === 'date' && typeof value === 'string') return s.date(value);
    return String(value);
  }

  #onSearch = (event: InputEvent): void => {
    const value = (event.target as HTMLInputElement).value;
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => (this.query = value.trim()), 250);
  };

  async #load(reset: boolean): Promise<void> {
    const session = this.session;
    if (!session || (this.loading && !reset)) return;
    const generation = ++this.#generation;
    this.loading = true;
    this.error = '';
    try {
      const page = await session.directory({
        search: this.query || undefined,
        limit: Math.min(100, Math.max(1, this.pageSize)),
        cursor: reset ? undefined : (this.cursor ?? undefined),
      });
      if (generation !== this.#generation) return;
      this.items = reset ? page.data : [...this.items, ...page.data];
      this.cursor = page.next_cursor;
      this.hasMore = page.has_more;
      this.disabled = false;
    } catch (error) {
      if (generation !== this.#generation) return;
      if (error instanceof MemberkitError && error.code === 'DIRECTORY_DISABLED') this.disabled = true;
      else {
        this.error = this.strings.t('common.error');
        this.reportError('directory', error);
      }
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  #observeSentinel(): void {
    const sentinel = this.renderRoot.querySelector('#sentinel');
    if (!sentinel || typeof IntersectionObserver === 'undefined') return;
    this.#observer ??= new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && this.hasMore && !this.loading) void this.#load(false);
    });
    this.#observer.disconnect();
    this.#observer.observe(sentinel);
  }
}

defineElement('member-list', MemberList);

declare global {
  interface HTMLElementTagNameMap {
    'member-list': MemberList;
  }
}
