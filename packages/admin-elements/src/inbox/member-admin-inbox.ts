import { defineElement } from '@memberkit/elements-core';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { problemMessage } from '../billing/problem.js';
import { MemberAdminElement } from '../internal/admin-element.js';
import type { AdminContextValue } from '../internal/context.js';
import { sharedStyles } from '../internal/styles.js';
import {
  sdkRealtime,
  sharedTopic,
  type LiveStatus,
  type RealtimeEvent,
  type RealtimeSource,
  type Unsubscribe,
} from '../table/realtime.js';
import {
  MAX_MESSAGE_LENGTH,
  sdkInboxApi,
  type Conversation,
  type InboxApi,
  type ListSupportParams,
  type Message,
} from './inbox-api.js';
import { memberAdminInboxStyles } from './member-admin-inbox.styles.js';

/** What staff did in the inbox. */
export type InboxAction =
  | 'replied'
  | 'assigned'
  | 'unassigned'
  | 'closed'
  | 'reopened'
  | 'locked'
  | 'unlocked'
  | 'message_deleted';

/** Detail of `member-admin-conversation`. */
export interface MemberAdminConversationDetail {
  conversationId: string;
  action: InboxAction;
}

declare global {
  interface MemberkitEventMap {
    'member-admin-conversation': MemberAdminConversationDetail;
  }
  interface HTMLElementEventMap {
    'member-admin-conversation': CustomEvent<MemberAdminConversationDetail>;
  }
}

/** The inbox's filters. */
export interface InboxFilter {
  status: 'open' | 'closed' | 'all';
  assigned: 'me' | 'unassigned' | 'all';
  unreadOnly: boolean;
}

const PAGE = 30;
/** A typing indicator without a new `typing` event goes away after this long (the sender repeats it every few seconds). */
const TYPING_SHOWN_MS = 6000;
/** Staff typing is announced at most this often. */
const TYPING_SEND_MS = 3000;

const memberOf = (c: Conversation): string => c.participants.find((p) => p.type === 'member')?.name ?? c.title ?? c.id;

/**
 * The tenant's support inbox for staff: support conversations filtered by status
 * (open / closed), assignee (me / unassigned / anyone) and unread; a thread view with
 * older messages on demand, a reply box (Enter sends, Shift+Enter a new line), assign
 * to me / unassign, close / reopen, lock / unlock, and deleting a message (moderation,
 * for staff with `message:moderate`). Live through the `inbox` topic (new and changed
 * conversations) and `conversation.<id>` of the open thread (messages, typing).
 * Must sit inside `<member-admin-provider>`.
 *
 * Keyboard: ↑/↓ (Home/End) move between conversations in the list, Enter or Space opens one.
 *
 * @fires member-admin-conversation - Staff replied, assigned, closed, reopened, locked or deleted a message; `detail.action` says which.
 * @csspart list - The conversation list.
 * @csspart thread - The open conversation.
 * @csspart reply - The reply form.
 *
 * @example
 * <member-admin-provider api-url="…" token="…">
 *   <member-admin-inbox></member-admin-inbox>
 * </member-admin-provider>
 */
export class MemberAdminInbox extends MemberAdminElement {
  static override styles = [sharedStyles, memberAdminInboxStyles];

  /** Where conversations are read and changed; defaults to the provider's SDK client. */
  @property({ attribute: false }) api: InboxApi | undefined;

  /** Where live events come from; defaults to the provider's SDK client (`mk.realtime`). */
  @property({ attribute: false }) realtime: RealtimeSource | undefined;

  /** The open conversation (`cnv_…`); set it to open one, it follows the staff's choice. */
  @property({ attribute: 'conversation-id', reflect: true }) conversationId = '';

  /** Where the live subscriptions are (`open` once the inbox's and the open thread's events flow); set by the element, reflected. */
  @property({ reflect: true, attribute: 'live-status' }) liveStatus: LiveStatus | undefined;

  @state() private filter: InboxFilter = { status: 'open', assigned: 'all', unreadOnly: false };
  @state() private conversations: Conversation[] = [];
  @state() private listCursor: string | null = null;
  @state() private listHasMore = false;
  @state() private listLoading = false;
  @state() private listError = '';
  @state() private current: Conversation | undefined;
  /** The open conversation's messages, oldest first. */
  @state() private messages: Message[] = [];
  @state() private olderCursor: string | null = null;
  @state() private olderHasMore = false;
  @state() private threadLoading = false;
  @state() private threadError = '';
  @state() private draft = '';
  @state() private sending = false;
  @state() private replyError = '';
  @state() private confirmDelete = '';
  @state() private typingNames: ReadonlyMap<string, string> = new Map();
  @state() private announcement = '';
  @state() private activeIndex = 0;

  #session: AdminContextValue | undefined;
  #stopInbox: Unsubscribe | undefined;
  #stopThread: Unsubscribe | undefined;
  #threadTopic = '';
  #liveSource: RealtimeSource | undefined;
  #listSeq = 0;
  #threadSeq = 0;
  /** The conversation `openThread` last opened (or is opening). */
  #opening = '';
  #typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  #lastTypingSent = 0;
  #inboxStatus: LiveStatus | undefined;
  #threadStatus: LiveStatus | undefined;

  private get inboxApi(): InboxApi | undefined {
    const client = this.admin?.client;
    return this.api ?? (client ? sdkInboxApi(client) : undefined);
  }

  /** Loads the list afresh (and the open thread). */
  reload(): Promise<void> {
    if (this.conversationId) void this.openThread(this.conversationId);
    return this.loadList(true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopLive();
    for (const t of this.#typingTimers.values()) clearTimeout(t);
    this.#typingTimers.clear();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.#syncLive();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const admin = this.admin;
    if (admin && (!this.#session || this.#session.staffId !== admin.staffId || this.#session.role !== admin.role)) {
      this.#session = admin;
      void this.loadList(true);
      if (this.conversationId) void this.openThread(this.conversationId);
    } else if (changed.has('conversationId') && admin && this.conversationId !== this.#opening) {
      if (this.conversationId) void this.openThread(this.conversationId);
      else {
        this.#opening = '';
        this.current = undefined;
      }
    }
    this.#syncLive();
  }

  #syncLive(): void {
    const client = this.admin?.client;
    const source = !client || !this.isConnected ? undefined : (this.realtime ?? sdkRealtime(client));
    if (source !== this.#liveSource) {
      this.#stopLive();
      this.#liveSource = source;
      if (source)
        this.#stopInbox = sharedTopic(source, 'inbox', this.#onInbox, (status) => {
          this.#inboxStatus = status;
          this.#combineStatus();
        });
    }
    const topic = source && this.conversationId ? `conversation.${this.conversationId}` : '';
    if (topic !== this.#threadTopic) {
      this.#stopThread?.();
      this.#stopThread = undefined;
      this.#threadTopic = topic;
      this.typingNames = new Map();
      this.#threadStatus = undefined;
      if (source && topic)
        this.#stopThread = sharedTopic(source, topic, this.#onThread, (status) => {
          this.#threadStatus = status;
          this.#combineStatus();
        });
      this.#combineStatus();
    }
  }

  /** The inbox's status, and the thread's when one is open: open only when both are. */
  #combineStatus(): void {
    const all = [this.#inboxStatus, ...(this.#threadTopic ? [this.#threadStatus] : [])];
    const order: (LiveStatus | undefined)[] = [undefined, 'closed', 'connecting', 'reconnecting', 'open'];
    this.liveStatus = all.reduce(
      (worst, s) => (order.indexOf(s) < order.indexOf(worst) ? s : worst),
      'open' as LiveStatus | undefined,
    );
  }

  #stopLive(): void {
    this.#stopInbox?.();
    this.#stopThread?.();
    this.#stopInbox = undefined;
    this.#stopThread = undefined;
    this.#threadTopic = '';
    this.#liveSource = undefined;
    this.#inboxStatus = undefined;
    this.#threadStatus = undefined;
    this.liveStatus = undefined;
  }

  private params(cursor: string | null): ListSupportParams {
    const f = this.filter;
    return {
      status: f.status === 'all' ? undefined : f.status,
      assigned: f.assigned === 'all' ? undefined : f.assigned,
      limit: PAGE,
      cursor: cursor ?? undefined,
    };
  }

  private async loadList(fresh: boolean): Promise<void> {
    const api = this.inboxApi;
    if (!api) return;
    const seq = ++this.#listSeq;
    this.listLoading = true;
    this.listError = '';
    try {
      const page = await api.list(this.params(fresh ? null : this.listCursor));
      if (seq !== this.#listSeq) return;
      this.conversations = fresh ? page.data : [...this.conversations, ...page.data.filter((c) => !this.#has(c.id))];
      this.listCursor = page.next_cursor;
      this.listHasMore = page.has_more;
      if (fresh) this.activeIndex = 0;
    } catch (error) {
      if (seq === this.#listSeq) this.listError = problemMessage(error, this.strings);
    } finally {
      if (seq === this.#listSeq) this.listLoading = false;
    }
  }

  #has(id: string): boolean {
    return this.conversations.some((c) => c.id === id);
  }

  /** Whether a conversation belongs in the list under the current filter. */
  #matches(c: Conversation): boolean {
    const f = this.filter;
    if (c.kind !== 'support') return false;
    if (f.status !== 'all' && c.status !== f.status) return false;
    if (f.assigned === 'me' && c.assigned_staff_id !== (this.admin?.staffId ?? null)) return false;
    if (f.assigned === 'unassigned' && c.assigned_staff_id !== null) return false;
    return true;
  }

  /** Puts a conversation (new or changed) where it belongs: newest activity first, or out when it no longer matches. */
  #upsert(c: Conversation): void {
    if (this.current?.id === c.id) this.current = c;
    const rest = this.conversations.filter((x) => x.id !== c.id);
    if (!this.#matches(c)) {
      if (rest.length !== this.conversations.length) this.conversations = rest;
      return;
    }
    const at = (x: Conversation): string => x.last_message_at ?? x.created_at;
    const index = rest.findIndex((x) => at(x) < at(c));
    this.conversations = index < 0 ? [...rest, c] : [...rest.slice(0, index), c, ...rest.slice(index)];
  }

  readonly #onInbox = (event: RealtimeEvent): void => {
    if (event.type === 'resync') {
      void this.reload();
      return;
    }
    if (event.type === 'conversation.created' || event.type === 'conversation.updated') {
      const c = event.data as Conversation;
      if (!c?.id) return;
      // The open thread is being read: what arrives there is read.
      const open = this.current?.id === c.id;
      this.#upsert(open ? { ...c, unread_count: 0 } : c);
      if (event.type === 'conversation.created') this.announcement = this.strings.inbox.newMessageFrom(memberOf(c));
    } else if (event.type === 'message.created') {
      const m = event.data as Message;
      if (!m?.conversation_id) return;
      const known = this.conversations.find((c) => c.id === m.conversation_id);
      // A `conversation.updated` that already counted this message (it may come first) leaves it alone.
      const counted =
        known?.last_message_at !== null &&
        known?.last_message_at !== undefined &&
        known.last_message_at >= m.created_at;
      if (known && m.sender.type === 'member' && !counted) {
        const open = this.current?.id === known.id;
        this.#upsert({
          ...known,
          last_message_at: m.created_at,
          last_message_preview: m.body ?? known.last_message_preview,
          unread_count: open ? 0 : known.unread_count + 1,
        });
      } else if (!known) {
        // A conversation not loaded (older, or filtered): its `conversation.updated` follows; fetch it if it fits.
        void this.inboxApi?.get(m.conversation_id).then(
          (c) => this.#upsert(c),
          () => undefined,
        );
      }
      if (m.sender.type === 'member' && this.current?.id !== m.conversation_id)
        this.announcement = this.strings.inbox.newMessageFrom(m.sender.name);
    }
  };

  readonly #onThread = (event: RealtimeEvent): void => {
    const current = this.current;
    if (event.type === 'resync') {
      if (current) void this.openThread(current.id);
      return;
    }
    if (event.type === 'typing') {
      const p = (event.data as { participant?: { type: string; id: string; name: string } } | null)?.participant;
      if (!p || (p.type === 'staff' && p.id === this.admin?.staffId)) return;
      this.#showTyping(`${p.type}:${p.id}`, p.name);
      return;
    }
    const m = event.data as Message;
    if (!current || m?.conversation_id !== current.id) return;
    if (event.type === 'message.created') {
      this.#clearTyping(`${m.sender.type}:${m.sender.id}`);
      this.#addMessage(m);
      if (m.sender.type === 'member') {
        this.announcement = this.strings.inbox.newMessageFrom(m.sender.name);
        void this.markRead(m.id);
      }
    } else if (event.type === 'message.updated' || event.type === 'message.deleted') {
      if (!m.id) return;
      this.messages = this.messages.map((x) => (x.id === m.id ? { ...x, ...m } : x));
    }
  };

  #addMessage(m: Message): void {
    // The stream and the reply's own answer both bring a sent message: keep one.
    const i = this.messages.findIndex((x) => x.id === m.id || (m.client_id !== null && x.client_id === m.client_id));
    if (i >= 0) this.messages = this.messages.map((x, j) => (j === i ? m : x));
    else
      this.messages = [...this.messages, m].sort((a, b) =>
        a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0,
      );
  }

  #showTyping(key: string, name: string): void {
    clearTimeout(this.#typingTimers.get(key));
    if (this.typingNames.get(key) !== name) this.typingNames = new Map([...this.typingNames, [key, name]]);
    this.#typingTimers.set(
      key,
      setTimeout(() => this.#clearTyping(key), TYPING_SHOWN_MS),
    );
  }

  #clearTyping(key: string): void {
    clearTimeout(this.#typingTimers.get(key));
    this.#typingTimers.delete(key);
    if (!this.typingNames.has(key)) return;
    const next = new Map(this.typingNames);
    next.delete(key);
    this.typingNames = next;
  }

  private async openThread(id: string): Promise<void> {
    const api = this.inboxApi;
    if (!api) return;
    const seq = ++this.#threadSeq;
    this.#opening = id;
    this.conversationId = id;
    this.threadLoading = true;
    this.threadError = '';
    this.replyError = '';
    this.confirmDelete = '';
    if (this.current?.id !== id) {
      this.messages = [];
      this.draft = '';
      this.current = this.conversations.find((c) => c.id === id);
    }
    try {
      const [conversation, page] = await Promise.all([api.get(id), api.messages(id, { limit: PAGE })]);
      if (seq !== this.#threadSeq) return;
      this.current = conversation;
      this.messages = [...page.data].reverse();
      this.olderCursor = page.next_cursor;
      this.olderHasMore = page.has_more;
      const newest = this.messages.at(-1);
      if (newest) void this.markRead(newest.id);
    } catch (error) {
      if (seq === this.#threadSeq) this.threadError = problemMessage(error, this.strings);
    } finally {
      if (seq === this.#threadSeq) this.threadLoading = false;
    }
  }

  private async loadOlder(): Promise<void> {
    const api = this.inboxApi;
    const current = this.current;
    if (!api || !current || !this.olderCursor) return;
    try {
      const page = await api.messages(current.id, { limit: PAGE, cursor: this.olderCursor });
      if (this.current?.id !== current.id) return;
      const known = new Set(this.messages.map((m) => m.id));
      this.messages = [...[...page.data].reverse().filter((m) => !known.has(m.id)), ...this.messages];
      this.olderCursor = page.next_cursor;
      this.olderHasMore = page.has_more;
    } catch (error) {
      this.threadError = problemMessage(error, this.strings);
    }
  }

  private async markRead(messageId: string): Promise<void> {
    const api = this.inboxApi;
    const current = this.current;
    if (!api || !current) return;
    if (current.unread_count > 0) this.#upsert({ ...current, unread_count: 0 });
    try {
      await api.read(current.id, messageId);
    } catch {
      // Read state is a nicety: the next read catches up.
    }
  }

  private async send(): Promise<void> {
    const api = this.inboxApi;
    const current = this.current;
    const body = this.draft.trim();
    if (!api || !current || !body || this.sending) return;
    if (body.length > MAX_MESSAGE_LENGTH) {
      this.replyError = this.strings.inbox.tooLong(MAX_MESSAGE_LENGTH);
      return;
    }
    this.sending = true;
    this.replyError = '';
    try {
      const message = await api.send(current.id, { body, client_id: `adm_${crypto.randomUUID()}` });
      this.#addMessage(message);
      this.draft = '';
      this.emit('member-admin-conversation', { conversationId: current.id, action: 'replied' });
    } catch (error) {
      this.replyError = problemMessage(error, this.strings);
    } finally {
      this.sending = false;
    }
  }

  private async change(body: Parameters<InboxApi['update']>[1], action: InboxAction): Promise<void> {
    const api = this.inboxApi;
    const current = this.current;
    if (!api || !current) return;
    this.threadError = '';
    try {
      const updated = await api.update(current.id, body);
      this.#upsert(updated);
      this.current = updated;
      this.announcement = this.strings.inbox.conversationUpdated;
      this.emit('member-admin-conversation', { conversationId: current.id, action });
    } catch (error) {
      this.threadError = problemMessage(error, this.strings);
    }
  }

  private async deleteMessage(messageId: string): Promise<void> {
    const api = this.inboxApi;
    const current = this.current;
    if (!api || !current) return;
    this.confirmDelete = '';
    try {
      await api.deleteMessage(current.id, messageId);
      const at = new Date().toISOString();
      this.messages = this.messages.map((m) =>
        m.id === messageId ? { ...m, body: null, deleted_at: m.deleted_at ?? at } : m,
      );
      this.emit('member-admin-conversation', { conversationId: current.id, action: 'message_deleted' });
    } catch (error) {
      this.threadError = problemMessage(error, this.strings);
    }
  }

  private setFilter(patch: Partial<InboxFilter>): void {
    this.filter = { ...this.filter, ...patch };
    if (!('unreadOnly' in patch) || Object.keys(patch).length > 1) void this.loadList(true);
  }

  private onDraftInput(event: Event): void {
    this.draft = (event.target as HTMLTextAreaElement).value;
    if (this.replyError && this.draft.length <= MAX_MESSAGE_LENGTH) this.replyError = '';
    const now = Date.now();
    const current = this.current;
    if (current && this.draft && now - this.#lastTypingSent > TYPING_SEND_MS) {
      this.#lastTypingSent = now;
      void this.inboxApi?.typing(current.id).catch(() => undefined);
    }
  }

  private onDraftKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void this.send();
    }
  }

  private onListKeydown(event: KeyboardEvent): void {
    const items = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('[part="list"] li > button')];
    const index = items.indexOf(event.target as HTMLButtonElement);
    if (index < 0) return;
    const next =
      event.key === 'ArrowDown'
        ? Math.min(items.length - 1, index + 1)
        : event.key === 'ArrowUp'
          ? Math.max(0, index - 1)
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? items.length - 1
              : -1;
    if (next < 0) return;
    event.preventDefault();
    this.activeIndex = next;
    items[next]?.focus();
  }

  private get visible(): Conversation[] {
    return this.filter.unreadOnly ? this.conversations.filter((c) => c.unread_count > 0) : this.conversations;
  }

  protected override render(): TemplateResult {
    const s = this.strings;
    if (!this.admin) return html`<p class="state">${s.noSession}</p>`;
    return html`<div class="inbox">
      ${this.renderList()} ${this.renderThread()}
      <div class="visually-hidden" aria-live="polite">${this.announcement}</div>
    </div>`;
  }

  private renderList(): TemplateResult {
    const s = this.strings.inbox;
    const f = this.filter;
    const list = this.visible;
    return html`<section class="list-pane" aria-labelledby="inbox-title">
      <h2 id="inbox-title">${s.title}</h2>
      <div class="filters">
        <label
          >${s.status}
          <select name="status" @change=${(e: Event) => this.setFilter({ status: (e.target as HTMLSelectElement).value as InboxFilter['status'] })}>
            ${(['open', 'closed', 'all'] as const).map((v) => html`<option value=${v} ?selected=${f.status === v}>${s.statuses[v]}</option>`)}
          </select></label
        >
        <label
          >${s.assigned}
          <select name="assigned" @change=${(e: Event) => this.setFilter({ assigned: (e.target as HTMLSelectElement).value as InboxFilter['assigned'] })}>
            ${(['all', 'me', 'unassigned'] as const).map((v) => html`<option value=${v} ?selected=${f.assigned === v}>${s.assignedTo[v]}</option>`)}
          </select></label
        >
        <label class="inline"
          ><input type="checkbox" name="unread" .checked=${f.unreadOnly} @change=${(e: Event) => this.setFilter({ unreadOnly: (e.target as HTMLInputElement).checked })} />${s.unreadOnly}</label
        >
      </div>
      ${
        this.listError
          ? html`<div class="state" role="alert">
            <p>${s.loadError}</p>
            <p class="hint">${this.listError}</p>
            <button type="button" @click=${() => this.loadList(true)}>${this.strings.retry}</button>
          </div>`
          : this.listLoading && this.conversations.length === 0
            ? html`<p class="state">${s.loading}</p>`
            : list.length === 0
              ? html`<p class="state">${s.empty}</p>`
              : html`<ul part="list" aria-label=${s.conversations} aria-busy=${this.listLoading ? 'true' : 'false'} @keydown=${this.onListKeydown}>
                ${repeat(
                  list,
                  (c) => c.id,
                  (c, i) => this.renderItem(c, i),
                )}
              </ul>`
      }
      ${this.listHasMore && !this.listError ? html`<button type="button" data-action="more" ?disabled=${this.listLoading} @click=${() => this.loadList(false)}>${s.loadMore}</button>` : nothing}
    </section>`;
  }

  private renderItem(c: Conversation, i: number): TemplateResult {
    const s = this.strings.inbox;
    const active = c.id === this.conversationId;
    const focusable = i === Math.min(this.activeIndex, this.visible.length - 1);
    const assigned =
      c.assigned_staff_id === null
        ? s.unassigned
        : c.assigned_staff_id === this.admin?.staffId
          ? s.assignedToYou
          : s.assignedToOther;
    return html`<li>
      <button
        type="button"
        data-id=${c.id}
        class=${c.unread_count > 0 ? 'unread' : ''}
        aria-current=${active ? 'true' : 'false'}
        tabindex=${focusable ? 0 : -1}
        @focus=${() => (this.activeIndex = i)}
        @click=${() => {
          this.activeIndex = i;
          void this.openThread(c.id);
        }}
      >
        <span class="row1"
          ><span class="who">${memberOf(c)}</span
          ><time datetime=${c.last_message_at ?? c.created_at}>${this.formatDateTime(c.last_message_at ?? c.created_at)}</time></span
        >
        ${c.title ? html`<span class="subject">${c.title}</span>` : nothing}
        <span class="preview">${c.last_message_preview ?? s.noMessagesYet}</span>
        <span class="meta"
          >${c.unread_count > 0 ? html`<span class="count" aria-hidden="true">${c.unread_count}</span><span class="visually-hidden">${s.unread(c.unread_count)}</span>` : nothing}
          <span>${assigned}</span> ${c.status === 'closed' ? html`<span class="badge" data-status="inactive">${s.closedBadge}</span>` : nothing}
          ${c.locked ? html`<span class="badge" data-status="suspended">${s.lockedBadge}</span>` : nothing}</span
        >
      </button>
    </li>`;
  }

  private renderThread(): TemplateResult {
    const s = this.strings.inbox;
    const c = this.current;
    if (!c)
      return html`<section class="thread-pane" part="thread" aria-label=${s.thread}>
        ${this.threadLoading ? html`<p class="state">${s.loadingMessages}</p>` : html`<p class="state">${this.threadError || s.chooseConversation}</p>`}
      </section>`;
    const mine = c.assigned_staff_id !== null && c.assigned_staff_id === this.admin?.staffId;
    const canWrite = this.can('message:write');
    const typing = [...this.typingNames.values()];
    return html`<section class="thread-pane" part="thread" aria-labelledby="thread-title">
      <header>
        <div>
          <h3 id="thread-title">${c.title ?? memberOf(c)}</h3>
          <p class="hint">${s.member}: ${memberOf(c)}</p>
        </div>
        ${
          canWrite
            ? html`<div class="thread-actions" role="group" aria-label=${s.thread}>
              ${
                mine
                  ? html`<button type="button" data-action="unassign" @click=${() => this.change({ assigned_staff_id: null }, 'unassigned')}>${s.unassign}</button>`
                  : html`<button type="button" data-action="assign" ?disabled=${!this.admin?.staffId} @click=${() => this.change({ assigned_staff_id: this.admin?.staffId ?? null }, 'assigned')}>${s.assignToMe}</button>`
              }
              ${
                c.status === 'closed'
                  ? html`<button type="button" data-action="reopen" @click=${() => this.change({ status: 'open' }, 'reopened')}>${s.reopen}</button>`
                  : html`<button type="button" data-action="close" @click=${() => this.change({ status: 'closed' }, 'closed')}>${s.close}</button>`
              }
              <button type="button" data-action=${c.locked ? 'unlock' : 'lock'} aria-pressed=${c.locked ? 'true' : 'false'} @click=${() => this.change({ locked: !c.locked }, c.locked ? 'unlocked' : 'locked')}>
                ${c.locked ? s.unlock : s.lock}
              </button>
            </div>`
            : nothing
        }
      </header>
      ${this.threadError ? html`<p class="error" role="alert">${this.threadError}</p>` : nothing}
      ${this.olderHasMore ? html`<button type="button" class="older" data-action="older" @click=${this.loadOlder}>${s.olderMessages}</button>` : nothing}
      <ol class="messages" aria-label=${s.thread} aria-busy=${this.threadLoading ? 'true' : 'false'}>
        ${repeat(
          this.messages,
          (m) => m.id,
          (m) => this.renderMessage(m),
        )}
      </ol>
      ${this.threadLoading && this.messages.length === 0 ? html`<p class="state">${s.loadingMessages}</p>` : nothing}
      <p class="typing" aria-live="polite">${typing.length ? s.typing(typing.join(', ')) : nothing}</p>
      ${c.locked ? html`<p class="hint" role="note">${s.lockedNotice}</p>` : nothing}
      ${canWrite && !c.locked ? this.renderReply() : nothing}
    </section>`;
  }

  private renderMessage(m: Message): TemplateResult {
    const s = this.strings.inbox;
    const own = m.sender.type === 'staff' && m.sender.id === this.admin?.staffId;
    const deleted = m.deleted_at !== null || m.body === null;
    const canDelete = !deleted && (this.can('message:moderate') || own);
    return html`<li class=${`message ${m.sender.type}${own ? ' own' : ''}`} data-id=${m.id}>
      <div class="head">
        <strong>${own ? s.you : m.sender.name}</strong>
        <time datetime=${m.created_at}>${this.formatDateTime(m.created_at)}</time>
        ${m.edited_at && !deleted ? html`<span class="hint">(${s.edited})</span>` : nothing}
      </div>
      ${deleted ? html`<p class="body deleted">${s.deletedMessage}</p>` : html`<p class="body">${m.body}</p>`}
      ${
        canDelete
          ? this.confirmDelete === m.id
            ? html`<div class="confirm" role="group" aria-label=${s.confirmDelete}>
              <span>${s.confirmDelete}</span>
              <button type="button" class="danger" data-action="confirm-delete" @click=${() => this.deleteMessage(m.id)}>${s.confirm}</button>
              <button type="button" data-action="cancel-delete" @click=${() => (this.confirmDelete = '')}>${s.cancel}</button>
            </div>`
            : html`<button type="button" class="link danger" data-action="delete-message" aria-label=${`${s.deleteMessage}: ${m.sender.name}`} @click=${() => (this.confirmDelete = m.id)}>
              ${s.deleteMessage}
            </button>`
          : nothing
      }
    </li>`;
  }

  private renderReply(): TemplateResult {
    const s = this.strings.inbox;
    const over = this.draft.length > MAX_MESSAGE_LENGTH;
    return html`<form
      part="reply"
      class="reply"
      @submit=${(e: Event) => {
        e.preventDefault();
        void this.send();
      }}
    >
      <label
        >${s.reply}
        <textarea
          name="reply"
          rows="3"
          .value=${this.draft}
          placeholder=${s.replyPlaceholder}
          aria-invalid=${this.replyError || over ? 'true' : 'false'}
          aria-describedby=${this.replyError ? 'reply-error' : nothing}
          @input=${this.onDraftInput}
          @keydown=${this.onDraftKeydown}
        ></textarea>
      </label>
      ${this.replyError ? html`<p id="reply-error" class="error" role="alert">${this.replyError}</p>` : nothing}
      <div class="actions">
        <button type="submit" class="primary" ?disabled=${this.sending || !this.draft.trim()}>${this.sending ? s.sending : s.send}</button>
      </div>
    </form>`;
  }
}

defineElement('member-admin-inbox', MemberAdminInbox);

declare global {
  interface HTMLElementTagNameMap {
    'member-admin-inbox': MemberAdminInbox;
  }
}
