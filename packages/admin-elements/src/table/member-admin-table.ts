import { defineElement } from '@memberkit/elements-core';
import { html, nothing, render, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { MemberAdminElement, errorMessage } from '../internal/admin-element.js';
import type { AdminContextValue } from '../internal/context.js';
import {
  loadFields,
  loadTiers,
  localized,
  type BulkMembersBody,
  type BulkResult,
  type CustomField,
  type Member,
  type MemberFilter,
  type MemberList,
  type Tier,
} from '../internal/admin-api.js';
import {
  MEMBER_STATUSES as memberStatuses,
  MEMBER_STATUS_TRANSITIONS as statusTransitions,
  type MemberStatus,
} from '@memberkit/sdk';
import type { MemberAdminBillingDetail } from '../billing/billing-events.js';
import { sharedStyles } from '../internal/styles.js';
import { memberAdminTableStyles } from './member-admin-table.styles.js';
import { splitTags } from './tag-overflow.js';
import {
  memberChangeTypes,
  sdkRealtime,
  sharedTopic,
  type LiveStatus,
  type RealtimeEvent,
  type RealtimeSource,
  type Unsubscribe,
} from './realtime.js';
import {
  defaultQuery,
  hasFilters,
  matchesQuery,
  pageSizes,
  readQueryFromUrl,
  toFilter,
  toListParams,
  writeQueryToUrl,
  type SortKey,
  type TableQuery,
} from './table-query.js';

/** Columns of the table, in display order. */
export const tableColumns = ['member', 'tier', 'status', 'tags', 'last_active_at', 'created_at'] as const;
/** One column of the table. */
export type TableColumn = (typeof tableColumns)[number];
const sortOf: Partial<Record<TableColumn, SortKey>> = {
  member: 'last_name',
  last_active_at: 'last_active_at',
  created_at: 'created_at',
};

type BulkAction = BulkMembersBody['action'];

/** Detail of `member-admin-edit`: the member to edit, or null to create one. */
export interface MemberAdminEditDetail {
  memberId: string | null;
}

declare global {
  interface MemberkitEventMap {
    'member-admin-edit': MemberAdminEditDetail;
    'member-admin-bulk': { result: BulkResult };
  }
  interface HTMLElementEventMap {
    'member-admin-edit': CustomEvent<MemberAdminEditDetail>;
    'member-admin-bulk': CustomEvent<{ result: BulkResult }>;
  }
}

const SEARCH_DEBOUNCE_MS = 250;
/** How long a row a live event changed keeps its highlight (the CSS animation's length). */
const HIGHLIGHT_MS = 2400;
/** Live events arrive in bursts (a bulk change): the total is asked for once per burst. */
const TOTAL_REFRESH_MS = 300;

/**
 * Which of the avatar hues (`.avatar[data-hue]` in the styles: dark, so white text stays
 * readable) a member's initials get, stable per member. A data attribute, not a style
 * attribute: pages with a strict Content-Security-Policy refuse inline styles.
 */
function avatarHue(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return h % 7;
}

/**
 * Whether this page has prepared the rows' code, templates and formatters
 * (see `prepareRows`). Lit caches a template per page for every element using
 * it, so once per page is enough.
 */
let rowsPrepared = false;

/** Members `prepareRows` renders out of sight: each status (row actions differ), with and without tier, tags and last activity. */
function sampleMembers(): Member[] {
  const at = new Date().toISOString();
  return Array.from({ length: 8 }, (_, i) => memberStatuses[i % memberStatuses.length]!).map((status, i) => ({
    id: `mem_prepare${i}`,
    object: 'member',
    email: 'sample@example.org',
    first_name: 'Sample',
    last_name: 'Member',
    status,
    tier_id: i < 4 ? 'tier_prepare' : null,
    custom_fields: {},
    // One with more tags than a row shows, so the "+N" chip's template is prepared too.
    tags: i === 0 ? ['sample', 'sample', 'sample'] : i < 4 ? ['sample'] : [],
    last_active_at: i < 4 ? at : null,
    created_at: at,
    updated_at: at,
    deleted_at: null,
  }));
}

function initials(m: Member): string {
  return ((m.first_name[0] ?? '') + (m.last_name[0] ?? '')).toUpperCase() || (m.email[0] ?? '?').toUpperCase();
}

/**
 * The staff's member table: search, filters, sorting, cursor pagination with a total,
 * a column chooser, selection (up to every member matching the filter), bulk actions
 * with confirmation and per-row results, inline row actions and keyboard navigation.
 * Must sit inside `<member-admin-provider>`; shows only the actions the staff role allows.
 *
 * Keyboard: Tab reaches the rows once; ↑/↓, Home/End move between rows, Space
 * selects the focused row, Enter edits it.
 *
 * @fires member-admin-edit - A row's Edit (or Add member) was chosen; `detail.memberId` is null for a new member. Pair with `<member-admin-editor>`.
 * @fires member-admin-bulk - A bulk action finished; `detail.result` is the API's report.
 *
 * Live: it subscribes to the `members` topic of the tenant's real-time stream. A
 * member changed elsewhere changes in place in its row (with a short highlight, a
 * static tint under `prefers-reduced-motion`); one that no longer matches the filter
 * leaves the page; a new member that matches appears on top of the first page when the
 * list is newest first, else a "N new members — refresh" notice offers to reload; the
 * total follows (asked from the API once per burst of events).
 * @cssproperty --mk-color-highlight - Tint of a row changed live (default amber).
 * @csspart live-notice - The "new members — refresh" notice.
 * @csspart table - The `<table>`.
 * @csspart toolbar - Search, filters and column chooser.
 * @csspart bulk-bar - The selection and bulk action bar.
 * @csspart pager - Page size and page buttons.
 *
 * @example
 * <member-admin-provider api-url="…" token="…">
 *   <member-admin-table sync-url></member-admin-table>
 * </member-admin-provider>
 */
export class MemberAdminTable extends MemberAdminElement {
  static override styles = [sharedStyles, memberAdminTableStyles];

  /** Keep the search, filters, sort and page size in the page URL (`history.replaceState`), so a reload or shared link shows the same list. */
  @property({ type: Boolean, attribute: 'sync-url' }) syncUrl = false;

  /** Prefix of the URL parameters when `sync-url` is set, to keep two tables apart. */
  @property({ attribute: 'url-prefix' }) urlPrefix = 'm_';

  /** Columns shown, in table order; change with the column chooser or this property. */
  @property({ attribute: false }) visibleColumns: TableColumn[] = [...tableColumns];

  /** Where live member events come from; defaults to the provider's SDK client (`mk.realtime`). */
  @property({ attribute: false }) realtime: RealtimeSource | undefined;

  /** Do not follow changes live (no subscription to the `members` topic). */
  @property({ type: Boolean, attribute: 'no-live' }) noLive = false;

  /** Where the live subscription is (`open` once events flow); set by the table, reflected for styling and tests. */
  @property({ reflect: true, attribute: 'live-status' }) liveStatus: LiveStatus | undefined;

  @state() private query: TableQuery = { ...defaultQuery };
  @state() private rows: Member[] = [];
  @state() private loading = false;
  @state() private loadError = '';
  @state() private total: number | undefined;
  @state() private hasMore = false;
  /** Index of the page shown (0 is the first). */
  @state() private page = 0;
  @state() private selected = new Set<string>();
  @state() private allMatching = false;
  @state() private activeRow = 0;
  @state() private tiers: Tier[] = [];
  @state() private fields: CustomField[] = [];
  @state() private bulkAction: BulkAction = 'update_status';
  @state() private bulkStatus: MemberStatus = 'active';
  @state() private bulkTier = '';
  @state() private bulkTag = '';
  @state() private dialog:
    | { kind: 'confirm'; count: number }
    | { kind: 'result'; result: BulkResult }
    | { kind: 'error'; message: string }
    | undefined;
  @state() private busy = false;
  @state() private announcement = '';
  /** Members that appeared or came to match elsewhere, not shown until a refresh. */
  @state() private pendingNew = 0;
  /** Members changed elsewhere may have come to match the filter. */
  @state() private pendingChanged = false;
  /** Rows a live event just changed (highlighted). */
  @state() private changedIds: ReadonlySet<string> = new Set();

  @query('dialog') private dialogEl?: HTMLDialogElement;

  /** Pages of the current query, fetched as the staff page forward; going back reuses them. */
  #pages: MemberList[] = [];
  #pager: AsyncGenerator<MemberList, void, undefined> | undefined;
  #loadSeq = 0;
  #searchTimer: ReturnType<typeof setTimeout> | undefined;
  #session: AdminContextValue | undefined;
  #measure = false;
  #unsubscribe: Unsubscribe | undefined;
  #liveSource: RealtimeSource | undefined;
  #highlightTimers = new Map<string, ReturnType<typeof setTimeout>>();
  #totalTimer: ReturnType<typeof setTimeout> | undefined;
  /** The hidden sample rows of `prepareRows`, while they are in the shadow root. */
  #prepared: HTMLElement | undefined;

  /** The current search and filters, as the bulk and export endpoints take them. */
  get filter(): MemberFilter {
    return toFilter(this.query);
  }

  /** Loads the list afresh from the first page (e.g. after members were added elsewhere). */
  reload(): Promise<void> {
    return this.load(true);
  }

  /** Shows a changed member in place (e.g. after `<member-admin-editor>` saved it). */
  replaceMember(member: Member): void {
    const swap = (list: Member[]): Member[] => list.map((r) => (r.id === member.id ? member : r));
    this.rows = swap(this.rows);
    this.#pages = this.#pages.map((p) => ({ ...p, data: swap(p.data) }));
  }

  #host: EventTarget | undefined;
  readonly #onSaved = (event: Event): void => {
    const { member, created } = (event as CustomEvent<{ member: Member; created: boolean }>).detail;
    if (created) void this.reload();
    else this.replaceMember(member);
  };

  /** A billing change (a comp grants a tier, a cancellation can end one): the member's row shows it. */
  readonly #onBilling = (event: Event): void => {
    const { memberId } = (event as CustomEvent<MemberAdminBillingDetail>).detail;
    const client = this.admin?.client;
    if (!client || !this.rows.some((r) => r.id === memberId)) return;
    client.members.retrieve(memberId).then(
      (member) => this.replaceMember(member),
      () => undefined,
    );
  };

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.syncUrl) this.query = readQueryFromUrl(new URLSearchParams(location.search), this.urlPrefix);
    // An editor in the same provider saved a member: show it.
    this.#host = this.closest('member-admin-provider') ?? document;
    this.#host.addEventListener('member-admin-saved', this.#onSaved);
    this.#host.addEventListener('member-admin-billing', this.#onBilling);
    // Back on the page (moved in the DOM): follow changes again.
    if (this.hasUpdated) this.#syncLive();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#searchTimer);
    clearTimeout(this.#totalTimer);
    for (const t of this.#highlightTimers.values()) clearTimeout(t);
    this.#highlightTimers.clear();
    this.#stopLive();
    this.#host?.removeEventListener('member-admin-saved', this.#onSaved);
    this.#host?.removeEventListener('member-admin-billing', this.#onBilling);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('syncUrl') && this.syncUrl && !this.hasUpdated)
      this.query = readQueryFromUrl(new URLSearchParams(location.search), this.urlPrefix);
    // A new session (sign-in, or another staff user) loads everything afresh; a refreshed token does not.
    const admin = this.admin;
    if (admin && (!this.#session || this.#session.staffId !== admin.staffId || this.#session.role !== admin.role)) {
      this.#session = admin;
      void this.loadLookups();
      void this.load(true);
    }
    this.#syncLive();
  }

  /** Subscribes to `members` (or resubscribes after a change of source or session), or stops. */
  #syncLive(): void {
    const client = this.admin?.client;
    const source = this.noLive || !client || !this.isConnected ? undefined : (this.realtime ?? sdkRealtime(client));
    if (source === this.#liveSource) return;
    this.#stopLive();
    if (!source) return;
    this.#liveSource = source;
    this.#unsubscribe = sharedTopic(source, 'members', this.#onLive, (status) => {
      this.liveStatus = status;
    });
  }

  #stopLive(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#liveSource = undefined;
    this.liveStatus = undefined;
  }

  readonly #onLive = (event: RealtimeEvent): void => {
    if (event.type === 'resync') {
      this.pendingNew = 0;
      this.pendingChanged = false;
      void this.load(true, this.page);
      return;
    }
    if (event.type === 'member.deleted') {
      const id = (event.data as { id?: string } | null)?.id;
      if (id) this.#removeLive(id);
      this.#scheduleTotal();
      return;
    }
    if (!memberChangeTypes.has(event.type)) return;
    const member = event.data as Member;
    if (!member || typeof member.id !== 'string') return;
    const shown = this.rows.find((r) => r.id === member.id);
    const match = matchesQuery(member, this.query);
    if (shown) {
      // An echo of what this page already shows (its own save), or an older state: nothing to do.
      if (shown.updated_at && member.updated_at && member.updated_at <= shown.updated_at) return;
      if (match === 'no') this.#removeLive(member.id);
      else {
        this.replaceMember(member);
        this.#highlight(member.id);
        this.announcement = this.strings.live.memberChanged(
          `${member.first_name} ${member.last_name}`,
          this.strings.status[member.status],
        );
      }
    } else if (match !== 'no') {
      const created = event.type === 'member.created';
      const newestFirst = this.query.sort === 'created_at' && this.query.order === 'desc';
      if (created && match === 'yes' && newestFirst && this.page === 0 && this.pendingNew === 0) {
        // On top of the first page; the next page's cursor (after this page's last row) stays right.
        this.rows = [member, ...this.rows];
        const first = this.#pages[0];
        if (first) this.#pages[0] = { ...first, data: [member, ...first.data] };
        if (this.total !== undefined) this.total += 1;
        this.#highlight(member.id);
        this.announcement = this.strings.live.memberAdded(`${member.first_name} ${member.last_name}`);
      } else if (created || event.type === 'member.restored') {
        this.pendingNew += 1;
      } else if (hasFilters(this.query)) {
        // It may have come to match the filter (a status, tier or tag changed into it): offer a refresh.
        this.pendingChanged = true;
      }
    } else {
      // Not shown and not matching: a cached page may still show it.
      this.#pages = this.#pages.map((p) => ({ ...p, data: p.data.filter((r) => r.id !== member.id) }));
    }
    this.#scheduleTotal();
  };

  /** Takes a member off the page (deleted, or no longer matching the filter). */
  #removeLive(id: string): void {
    const shown = this.rows.find((r) => r.id === id);
    this.#pages = this.#pages.map((p) => ({ ...p, data: p.data.filter((r) => r.id !== id) }));
    if (!shown) return;
    this.rows = this.rows.filter((r) => r.id !== id);
    if (this.selected.has(id)) {
      const next = new Set(this.selected);
      next.delete(id);
      this.selected = next;
    }
    if (this.total !== undefined) this.total = Math.max(0, this.total - 1);
    this.activeRow = Math.min(this.activeRow, Math.max(0, this.rows.length - 1));
    this.announcement = this.strings.live.memberLeft(`${shown.first_name} ${shown.last_name}`);
  }

  #highlight(id: string): void {
    clearTimeout(this.#highlightTimers.get(id));
    this.changedIds = new Set([...this.changedIds, id]);
    this.#highlightTimers.set(
      id,
      setTimeout(() => {
        this.#highlightTimers.delete(id);
        const next = new Set(this.changedIds);
        next.delete(id);
        this.changedIds = next;
      }, HIGHLIGHT_MS),
    );
  }

  /** Asks the API for the total of the current filter, once per burst of live events. */
  #scheduleTotal(): void {
    clearTimeout(this.#totalTimer);
    this.#totalTimer = setTimeout(() => void this.#refreshTotal(), TOTAL_REFRESH_MS);
  }

  async #refreshTotal(): Promise<void> {
    const client = this.admin?.client;
    if (!client || this.total === undefined) return;
    const seq = this.#loadSeq;
    try {
      const page = await client.members.list({ ...toFilter(this.query), limit: 1, include_total: true });
      if (seq === this.#loadSeq && page.total_count !== undefined) this.total = page.total_count;
    } catch {
      // The next load shows the total; a failed count changes nothing shown.
    }
  }

  /** Loads the list afresh after a live notice. */
  private refreshLive(): void {
    this.pendingNew = 0;
    this.pendingChanged = false;
    void this.load(true);
  }

  protected override updated(): void {
    if (this.dialog && this.dialogEl && !this.dialogEl.open) this.dialogEl.showModal();
    if (!this.dialog && this.dialogEl?.open) this.dialogEl.close();
    if (this.rows.length > 0) this.#dropPrepared();
    if (this.#measure) {
      this.#measure = false;
      // Response → rows in the DOM; then → style and layout done. Reading one size after
      // all writes is a single layout the browser would do for the next frame anyway.
      performance.measure('member-admin-table:render', 'member-admin-table:response');
      void this.renderRoot.querySelector('table')?.offsetHeight;
      performance.measure('member-admin-table:layout', 'member-admin-table:response');
    }
  }

  private async loadLookups(): Promise<void> {
    const client = this.admin?.client;
    if (!client) return;
    const [tiers, fields] = await Promise.allSettled([loadTiers(client), loadFields(client)]);
    if (tiers.status === 'fulfilled') this.tiers = tiers.value;
    if (fields.status === 'fulfilled') this.fields = fields.value;
  }

  /**
   * Shows the next page of the current query (`fresh`: the first page of a new
   * query, with a new total), fetching it unless it was seen before.
   */
  private async load(fresh = false, index = fresh ? 0 : this.page): Promise<void> {
    const client = this.admin?.client;
    if (!client) return;
    const seq = ++this.#loadSeq;
    if (fresh || !this.#pager) {
      if (fresh) {
        this.pendingNew = 0;
        this.pendingChanged = false;
      }
      this.#pager = client.members.list(toListParams(this.query)).pages();
      this.#pages = [];
      this.selected = new Set();
      this.allMatching = false;
      this.activeRow = 0;
    }
    const pager = this.#pager;
    // Nothing rendered yet: use the wait for the first response to prepare the rows.
    if (!rowsPrepared && this.rows.length === 0) setTimeout(() => this.prepareRows(), 0);
    this.loading = true;
    this.loadError = '';
    try {
      while (this.#pages.length <= index) {
        const next = await pager.next();
        if (seq !== this.#loadSeq) return;
        if (next.done) break;
        this.#pages.push(next.value);
      }
      const list = this.#pages[Math.min(index, this.#pages.length - 1)];
      if (!list) return;
      performance.mark('member-admin-table:response');
      this.#measure = true;
      this.page = Math.min(index, this.#pages.length - 1);
      this.rows = list.data;
      this.hasMore = list.has_more;
      if (list.total_count !== undefined) this.total = list.total_count;
      this.activeRow = Math.min(this.activeRow, Math.max(0, list.data.length - 1));
      this.announcement = this.total !== undefined ? this.strings.totalCount(this.total) : '';
    } catch (error) {
      if (seq !== this.#loadSeq) return;
      this.rows = [];
      this.#pager = undefined;
      this.loadError = errorMessage(error, this.strings);
    } finally {
      if (seq === this.#loadSeq) this.loading = false;
    }
  }

  /**
   * Renders a few sample rows out of sight and formats a count, once per page,
   * while the first list request is in flight (the main thread is idle then). The
   * first render of a page load otherwise pays, inside its 50 rows, for what later
   * pages get for free: Lit's template preparation for the row and each cell, the
   * first (lazily compiled, interpreted) run of the row code and of Lit's commit
   * paths, the creation of the `Intl` formatters (ICU data), and the first style
   * resolution of the row's elements. Measured (first page load vs later loads) by
   * bench/admin-table.ts.
   */
  private prepareRows(): void {
    // The response came first (or the element left the page): nothing to gain.
    if (rowsPrepared || this.rows.length > 0 || !this.admin || !this.isConnected) return;
    rowsPrepared = true;
    this.strings.totalCount(200_000);
    // In the shadow root (so style resolution and layout are prepared too), out of
    // sight, out of the accessibility tree and not focusable; removed after one frame.
    const box = document.createElement('div');
    box.setAttribute('aria-hidden', 'true');
    box.inert = true;
    box.style.cssText =
      'position:absolute;left:0;top:0;width:100%;height:0;overflow:hidden;visibility:hidden;pointer-events:none';
    const cols = [...tableColumns];
    render(
      html`<table>
        <tbody>
          ${repeat(
            sampleMembers(),
            (m) => m.id,
            (m, i) => this.renderRow(m, i + 1, cols, true, true),
          )}
        </tbody>
      </table>`,
      box,
      { host: this },
    );
    this.renderRoot.appendChild(box);
    this.#prepared = box;
    // Kept for one frame (style and layout happen there), or until the real rows render.
    requestAnimationFrame(() => setTimeout(() => this.#dropPrepared(), 0));
  }

  #dropPrepared(): void {
    this.#prepared?.remove();
    this.#prepared = undefined;
  }

  private setQuery(patch: Partial<TableQuery>, debounce = false): void {
    this.query = { ...this.query, ...patch };
    if (this.syncUrl) {
      const url = new URL(location.href);
      writeQueryToUrl(this.query, url.searchParams, this.urlPrefix);
      history.replaceState(history.state, '', url);
    }
    clearTimeout(this.#searchTimer);
    if (debounce) this.#searchTimer = setTimeout(() => void this.load(true), SEARCH_DEBOUNCE_MS);
    else void this.load(true);
  }

  private sortBy(key: SortKey): void {
    const order =
      this.query.sort === key && this.query.order === 'asc'
        ? 'desc'
        : this.query.sort === key
          ? 'asc'
          : key === 'created_at' || key === 'last_active_at'
            ? 'desc'
            : 'asc';
    this.setQuery({ sort: key, order });
  }

  private goPage(delta: 1 | -1): void {
    if ((delta === 1 && !this.hasMore) || (delta === -1 && this.page === 0)) return;
    this.selected = new Set();
    this.allMatching = false;
    this.activeRow = 0;
    void this.load(false, this.page + delta);
  }

  private toggleRow(id: string, on?: boolean): void {
    const next = new Set(this.selected);
    if (on ?? !next.has(id)) next.add(id);
    else next.delete(id);
    this.selected = next;
    this.allMatching = false;
  }

  private togglePage(on: boolean): void {
    this.selected = on ? new Set(this.rows.map((r) => r.id)) : new Set();
    this.allMatching = false;
  }

  private get selectionCount(): number {
    return this.allMatching && this.total !== undefined ? this.total : this.selected.size;
  }

  private bulkLabel(action: BulkAction): string {
    const s = this.strings;
    return {
      update_status: s.bulkChangeStatus,
      change_tier: s.bulkChangeTier,
      add_tags: s.bulkAddTag,
      remove_tags: s.bulkRemoveTag,
      delete: s.bulkDelete,
    }[action];
  }

  private askBulk(): void {
    if ((this.bulkAction === 'add_tags' || this.bulkAction === 'remove_tags') && !this.bulkTag.trim()) {
      this.renderRoot.querySelector<HTMLInputElement>('#bulk-tag')?.focus();
      return;
    }
    this.dialog = { kind: 'confirm', count: this.selectionCount };
  }

  private async runBulk(): Promise<void> {
    const client = this.admin?.client;
    if (!client) return;
    const action = this.bulkAction;
    const params: NonNullable<BulkMembersBody['params']> =
      action === 'update_status'
        ? { status: this.bulkStatus }
        : action === 'change_tier'
          ? { tier_id: this.bulkTier || null }
          : action === 'delete'
            ? {}
            : { tags: [this.bulkTag.trim()] };
    // Not atomic: staff expect the members that can change to change, and a report of the rest.
    const body: BulkMembersBody = this.allMatching
      ? { action, filter: toFilter(this.query), params, atomic: false }
      : { action, member_ids: [...this.selected], params, atomic: false };
    this.busy = true;
    try {
      const result = await client.members.bulk(body);
      this.dialog = { kind: 'result', result };
      this.announcement = this.strings.bulkDone(
        result.totals.succeeded,
        result.totals.failed + result.totals.not_found,
      );
      this.emit('member-admin-bulk', { result });
      // Members may no longer match the filter: the list starts over.
      await this.load(true);
    } catch (error) {
      this.dialog = { kind: 'error', message: errorMessage(error, this.strings) };
    } finally {
      this.busy = false;
    }
  }

  private async setStatus(member: Member, status: MemberStatus): Promise<void> {
    const client = this.admin?.client;
    if (!client) return;
    try {
      this.replaceMember(await client.members.update(member.id, { status }));
      this.announcement = `${member.first_name} ${member.last_name}: ${this.strings.status[status]}`;
    } catch (error) {
      this.dialog = { kind: 'error', message: errorMessage(error, this.strings) };
    }
  }

  private edit(memberId: string | null): void {
    this.emit('member-admin-edit', { memberId });
  }

  private onRowKeydown(event: KeyboardEvent): void {
    const rows = [
      ...this.renderRoot.querySelectorAll<HTMLTableRowElement>('table[part="table"] > tbody > tr[data-id]'),
    ];
    const rowEl = (event.target as HTMLElement).closest('tr');
    if (!rowEl) return;
    const index = rows.indexOf(rowEl);
    if (index < 0) return;
    let next = index;
    switch (event.key) {
      case 'ArrowDown':
        next = Math.min(rows.length - 1, index + 1);
        break;
      case 'ArrowUp':
        next = Math.max(0, index - 1);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = rows.length - 1;
        break;
      case ' ':
        if (event.target !== rowEl || !this.canSelect) return;
        event.preventDefault();
        this.toggleRow(rowEl.dataset.id ?? '');
        return;
      case 'Enter':
        if (event.target !== rowEl || !this.can('member:update')) return;
        event.preventDefault();
        this.edit(rowEl.dataset.id ?? null);
        return;
      default:
        return;
    }
    event.preventDefault();
    this.activeRow = next;
    rows[next]?.focus();
  }

  private get canSelect(): boolean {
    return this.can('member:update') || this.can('member:delete');
  }

  protected override render(): TemplateResult {
    const s = this.strings;
    if (!this.admin) return html`<p class="state">${s.noSession}</p>`;
    return html`
      ${this.renderToolbar()} ${this.selectionCount > 0 ? this.renderBulkBar() : nothing}
      <p class="summary-line" role="status">${this.total !== undefined ? s.totalCount(this.total) : nothing}</p>
      ${
        this.pendingNew > 0 || this.pendingChanged
          ? html`<div class="live-notice" part="live-notice" role="status">
            <span>${this.pendingNew > 0 ? s.live.newMembers(this.pendingNew) : s.live.listChanged}</span>
            <button type="button" data-action="live-refresh" @click=${this.refreshLive}>${s.live.refresh}</button>
          </div>`
          : nothing
      }
      <div class="visually-hidden" aria-live="polite">${this.announcement}</div>
      ${this.loadError ? this.renderError() : this.renderTable()} ${this.renderPager()} ${this.renderDialog()}
    `;
  }

  private renderToolbar(): TemplateResult {
    const s = this.strings;
    const q = this.query;
    return html`<div class="toolbar" part="toolbar">
      <label class="search"
        >${s.search}
        <input
          type="search"
          name="search"
          .value=${q.search}
          placeholder=${s.searchPlaceholder}
          @input=${(e: Event) => this.setQuery({ search: (e.target as HTMLInputElement).value }, true)}
      /></label>
      <details class="filters">
        <summary>${s.filters}${hasFilters(q) ? ` (${Object.keys(toFilter(q)).length})` : ''}</summary>
        <div class="popover">
          <label
            >${s.filterStatus}
            <select name="status" @change=${(e: Event) => this.setQuery({ status: (e.target as HTMLSelectElement).value })}>
              <option value="" ?selected=${q.status === ''}>${s.any}</option>
              ${memberStatuses.map((st) => html`<option value=${st} ?selected=${q.status === st}>${s.status[st]}</option>`)}
            </select></label
          >
          <label
            >${s.filterTier}
            <select name="tier" @change=${(e: Event) => this.setQuery({ tier: (e.target as HTMLSelectElement).value })}>
              <option value="" ?selected=${q.tier === ''}>${s.any}</option>
              ${this.tiers.map((t) => html`<option value=${t.id} ?selected=${q.tier === t.id}>${t.name}</option>`)}
            </select></label
          >
          <label
            >${s.filterTag}
            <input name="tag" .value=${q.tag} @change=${(e: Event) => this.setQuery({ tag: (e.target as HTMLInputElement).value })}
          /></label>
          <label
            >${s.createdFrom}
            <input type="date" name="created-from" .value=${q.createdFrom} @change=${(e: Event) => this.setQuery({ createdFrom: (e.target as HTMLInputElement).value })}
          /></label>
          <label
            >${s.createdTo}
            <input type="date" name="created-to" .value=${q.createdTo} @change=${(e: Event) => this.setQuery({ createdTo: (e.target as HTMLInputElement).value })}
          /></label>
          ${
            this.fields.length
              ? html`<label
                  >${s.customFieldFilter}
                  <select name="field-key" @change=${(e: Event) => this.setQuery({ fieldKey: (e.target as HTMLSelectElement).value })}>
                    <option value="" ?selected=${q.fieldKey === ''}>${s.any}</option>
                    ${this.fields.map((f) => html`<option value=${f.key} ?selected=${q.fieldKey === f.key}>${this.fieldLabel(f)}</option>`)}
                  </select></label
                >
                <label
                  >${s.customFieldValue}
                  <input name="field-value" .value=${q.fieldValue} @change=${(e: Event) => this.setQuery({ fieldValue: (e.target as HTMLInputElement).value })}
                /></label>`
              : nothing
          }
          <button type="button" @click=${() => this.setQuery({ ...defaultQuery, sort: q.sort, order: q.order, limit: q.limit })}>${s.clearFilters}</button>
        </div>
      </details>
      <details class="columns">
        <summary>${s.columns}</summary>
        <div class="popover" role="group" aria-label=${s.columns}>
          ${tableColumns.map(
            (c) => html`<label
              ><input
                type="checkbox"
                name="column-${c}"
                .checked=${this.visibleColumns.includes(c)}
                ?disabled=${c === 'member'}
                @change=${(e: Event) => this.toggleColumn(c, (e.target as HTMLInputElement).checked)}
              />${s.column[c]}</label
            >`,
          )}
        </div>
      </details>
      <span class="spacer"></span>
      ${this.can('member:create') ? html`<button class="primary" type="button" data-action="add" @click=${() => this.edit(null)}>${s.addMember}</button>` : nothing}
    </div>`;
  }

  private fieldLabel(f: CustomField): string {
    return localized(f.label, this.admin?.locale ?? 'en', f.key);
  }

  private toggleColumn(column: TableColumn, on: boolean): void {
    this.visibleColumns = tableColumns.filter((c) => (c === column ? on : this.visibleColumns.includes(c)));
  }

  private renderBulkBar(): TemplateResult {
    const s = this.strings;
    const pageAll = this.rows.length > 0 && this.rows.every((r) => this.selected.has(r.id));
    const canOfferAll = pageAll && !this.allMatching && this.total !== undefined && this.total > this.rows.length;
    const actions: BulkAction[] = [
      ...(this.can('member:update') ? (['update_status', 'change_tier', 'add_tags', 'remove_tags'] as const) : []),
      ...(this.can('member:delete') ? (['delete'] as const) : []),
    ];
    return html`<div class="bulk" part="bulk-bar" role="region" aria-label=${s.bulkActions}>
      <strong>${s.selectedCount(this.selectionCount)}</strong>
      ${this.allMatching && this.total !== undefined ? html`<span>${s.allMatchingSelected(this.total)}</span>` : nothing}
      ${canOfferAll ? html`<button type="button" data-action="select-all-matching" @click=${() => (this.allMatching = true)}>${s.selectAllMatching(this.total ?? 0)}</button>` : nothing}
      <button type="button" data-action="clear-selection" @click=${() => this.togglePage(false)}>${s.clearSelection}</button>
      <label
        >${s.bulkActions}
        <select id="bulk-action" @change=${(e: Event) => (this.bulkAction = (e.target as HTMLSelectElement).value as BulkAction)}>
          ${actions.map((a) => html`<option value=${a} ?selected=${this.bulkAction === a}>${this.bulkLabel(a)}</option>`)}
        </select></label
      >
      ${
        this.bulkAction === 'update_status'
          ? html`<label
            >${s.filterStatus}
            <select id="bulk-status" @change=${(e: Event) => (this.bulkStatus = (e.target as HTMLSelectElement).value as MemberStatus)}>
              ${memberStatuses.filter((st) => st !== 'pending').map((st) => html`<option value=${st} ?selected=${this.bulkStatus === st}>${s.status[st]}</option>`)}
            </select></label
          >`
          : this.bulkAction === 'change_tier'
            ? html`<label
              >${s.filterTier}
              <select id="bulk-tier" @change=${(e: Event) => (this.bulkTier = (e.target as HTMLSelectElement).value)}>
                <option value="" ?selected=${this.bulkTier === ''}>${s.noTier}</option>
                ${this.tiers.map((t) => html`<option value=${t.id} ?selected=${this.bulkTier === t.id}>${t.name}</option>`)}
              </select></label
            >`
            : this.bulkAction === 'delete'
              ? nothing
              : html`<label>${s.tagName} <input id="bulk-tag" .value=${this.bulkTag} @input=${(e: Event) => (this.bulkTag = (e.target as HTMLInputElement).value)} /></label>`
      }
      <button class="primary" type="button" data-action="bulk-apply" ?disabled=${actions.length === 0} @click=${this.askBulk}>${s.bulkApply}</button>
    </div>`;
  }

  private renderError(): TemplateResult {
    return html`<div class="state" role="alert">
      <p>${this.strings.loadError}</p>
      <p class="hint">${this.loadError}</p>
      <button type="button" @click=${() => this.load(true)}>${this.strings.retry}</button>
    </div>`;
  }

  private renderTable(): TemplateResult {
    const s = this.strings;
    const cols = tableColumns.filter((c) => this.visibleColumns.includes(c));
    const select = this.canSelect;
    const rowActions = this.can('member:update');
    const span = cols.length + (select ? 1 : 0) + (rowActions ? 1 : 0);
    const pageAll = this.rows.length > 0 && this.rows.every((r) => this.selected.has(r.id));
    const showSkeleton = this.loading && this.rows.length === 0;
    return html`<div class="scroll">
      <table part="table" aria-busy=${this.loading ? 'true' : 'false'} aria-rowcount=${this.total ?? -1}>
        <caption class="visually-hidden">
          ${s.membersLabel}
        </caption>
        <thead>
          <tr>
            ${
              select
                ? html`<th class="check" scope="col">
                  <input
                    type="checkbox"
                    aria-label=${s.selectPage}
                    .checked=${pageAll}
                    .indeterminate=${!pageAll && this.selected.size > 0}
                    @change=${(e: Event) => this.togglePage((e.target as HTMLInputElement).checked)}
                  />
                </th>`
                : nothing
            }
            ${cols.map((c) => this.renderHeader(c))} ${rowActions ? html`<th class="col-actions" scope="col"><span class="visually-hidden">${s.edit}</span></th>` : nothing}
          </tr>
        </thead>
        <tbody @keydown=${this.onRowKeydown}>
          ${
            showSkeleton
              ? Array.from(
                  { length: Math.min(this.query.limit, 10) },
                  () => html`<tr class="skeleton" aria-hidden="true">
                  ${Array.from({ length: span }, () => html`<td><span></span></td>`)}
                </tr>`,
                )
              : this.rows.length === 0 && !this.loading
                ? html`<tr>
                  <td colspan=${span} class="state">
                    <p>${s.empty}</p>
                    <p class="hint">${s.emptyHint}</p>
                  </td>
                </tr>`
                : repeat(
                    this.rows,
                    (m) => m.id,
                    (m, i) => this.renderRow(m, i, cols, select, rowActions),
                  )
          }
        </tbody>
      </table>
    </div>`;
  }

  private renderHeader(c: TableColumn): TemplateResult {
    const s = this.strings;
    const key = sortOf[c];
    const cls = `col-${c}`;
    if (!key) return html`<th class=${cls} scope="col">${s.column[c]}</th>`;
    const active = this.query.sort === key;
    const ariaSort = active ? (this.query.order === 'asc' ? 'ascending' : 'descending') : 'none';
    return html`<th class=${cls} scope="col" aria-sort=${ariaSort}>
      <button type="button" data-sort=${key} @click=${() => this.sortBy(key)}>
        ${s.column[c]} <span aria-hidden="true">${active ? (this.query.order === 'asc' ? '▲' : '▼') : '↕'}</span>
      </button>
    </th>`;
  }

  private renderRow(m: Member, i: number, cols: TableColumn[], select: boolean, rowActions: boolean): TemplateResult {
    const s = this.strings;
    const name = `${m.first_name} ${m.last_name}`;
    const selected = this.allMatching || this.selected.has(m.id);
    const focusable = i === this.activeRow;
    const inner = focusable ? 0 : -1;
    const cls = `${selected ? 'selected' : ''}${this.changedIds.has(m.id) ? ' live-changed' : ''}`;
    return html`<tr data-id=${m.id} class=${cls} tabindex=${focusable ? 0 : -1} @focus=${() => (this.activeRow = i)}>
      ${
        select
          ? html`<td class="check">
            <input type="checkbox" tabindex=${inner} aria-label=${s.selectRow(name)} .checked=${selected} @change=${(e: Event) => this.toggleRow(m.id, (e.target as HTMLInputElement).checked)} />
          </td>`
          : nothing
      }
      ${cols.map((c) => this.renderCell(m, c, name))}
      ${
        rowActions
          ? html`<td>
            <div class="row-actions" role="group" aria-label=${s.rowActions(name)}>
              <button type="button" tabindex=${inner} data-action="edit" @click=${() => this.edit(m.id)}>${s.edit}</button>
              ${
                statusTransitions[m.status].includes('suspended')
                  ? html`<button type="button" class="danger" tabindex=${inner} data-action="suspend" @click=${() => this.setStatus(m, 'suspended')}>${s.suspend}</button>`
                  : statusTransitions[m.status].includes('active')
                    ? html`<button type="button" tabindex=${inner} data-action="activate" @click=${() => this.setStatus(m, 'active')}>${s.activate}</button>`
                    : nothing
              }
            </div>
          </td>`
          : nothing
      }
    </tr>`;
  }

  private renderCell(m: Member, c: TableColumn, name: string): TemplateResult {
    const s = this.strings;
    switch (c) {
      case 'member':
        return html`<td>
          <div class="member">
            <span class="avatar" aria-hidden="true" data-hue=${avatarHue(m.id)}>${initials(m)}</span>
            <span class="who"><span class="name" title=${name}>${name}</span><span class="email" title=${m.email}>${m.email}</span></span>
          </div>
        </td>`;
      case 'tier': {
        const tier = m.tier_id ? (this.tiers.find((t) => t.id === m.tier_id)?.name ?? '') : '—';
        return html`<td title=${tier}>${tier}</td>`;
      }
      case 'status':
        return html`<td><span class="badge" data-status=${m.status}>${s.status[m.status]}</span></td>`;
      case 'tags': {
        // One line whatever the tags: the first few, then a "+N" chip naming the rest (tag-overflow.ts).
        const { shown, hidden } = splitTags(m.tags);
        return html`<td><span class="tag-line"
          >${shown.map((t) => html`<span class="tag" title=${t}>${t}</span>`)}${
            hidden.length
              ? html`<span class="tag more" role="img" title=${hidden.join(', ')} aria-label=${s.moreTags(hidden)}>+${hidden.length}</span>`
              : nothing
          }</span
        ></td>`;
      }
      case 'last_active_at': {
        const date = this.formatDate(m.last_active_at, s.never);
        return html`<td title=${date}>${date}</td>`;
      }
      case 'created_at': {
        const date = this.formatDate(m.created_at);
        return html`<td title=${date}>${date}</td>`;
      }
    }
  }

  private renderPager(): TemplateResult {
    const s = this.strings;
    const page = this.page + 1;
    return html`<div class="pager" part="pager">
      <label
        >${s.pageSize}
        <select name="page-size" @change=${(e: Event) => this.setQuery({ limit: Number((e.target as HTMLSelectElement).value) })}>
          ${pageSizes.map((n) => html`<option value=${n} ?selected=${this.query.limit === n}>${n}</option>`)}
        </select></label
      >
      <span>${s.pageOf(page)}</span>
      <button type="button" data-action="prev" ?disabled=${page <= 1 || this.loading} @click=${() => this.goPage(-1)}>${s.previousPage}</button>
      <button type="button" data-action="next" ?disabled=${!this.hasMore || this.loading} @click=${() => this.goPage(1)}>${s.nextPage}</button>
    </div>`;
  }

  private renderDialog(): TemplateResult {
    const s = this.strings;
    const d = this.dialog;
    const body = !d
      ? nothing
      : d.kind === 'confirm'
        ? html`<h2 id="dialog-title">${this.bulkLabel(this.bulkAction)}</h2>
            <p>${s.confirmBulk(this.bulkLabel(this.bulkAction), d.count)}</p>
            <div class="actions">
              <button type="button" data-action="cancel" @click=${() => (this.dialog = undefined)}>${s.cancel}</button>
              <button type="button" class="primary" data-action="confirm" ?disabled=${this.busy} @click=${this.runBulk}>${s.confirm}</button>
            </div>`
        : d.kind === 'result'
          ? this.renderBulkResult(d.result)
          : html`<h2 id="dialog-title">${s.genericError}</h2>
              <p role="alert">${d.message}</p>
              <div class="actions"><button type="button" @click=${() => (this.dialog = undefined)}>${s.close}</button></div>`;
    return html`<dialog aria-labelledby="dialog-title" @close=${() => (this.dialog = undefined)}>${body}</dialog>`;
  }

  private renderBulkResult(result: BulkResult): TemplateResult {
    const s = this.strings;
    const names = new Map(this.rows.map((r) => [r.id, `${r.first_name} ${r.last_name}`]));
    const failed = result.results.filter((r) => r.status !== 'ok');
    return html`<h2 id="dialog-title">${this.bulkLabel(result.action)}</h2>
      <p data-result>${result.applied ? s.bulkDone(result.totals.succeeded, result.totals.failed + result.totals.not_found) : s.bulkRolledBack}</p>
      ${
        failed.length
          ? html`<ul>
            ${failed.slice(0, 100).map((r) => html`<li>${s.bulkResultRow(names.get(r.id) ?? r.id, r.error?.message ?? s.outcome[r.status] ?? r.status)}</li>`)}
          </ul>`
          : nothing
      }
      <div class="actions"><button type="button" class="primary" data-action="close" @click=${() => (this.dialog = undefined)}>${s.close}</button></div>`;
  }
}

defineElement('member-admin-table', MemberAdminTable);

declare global {
  interface HTMLElementTagNameMap {
    'member-admin-table': MemberAdminTable;
  }
}
