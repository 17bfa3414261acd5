import { defineElement } from '@memberkit/elements-core';
import type { ConversationList, DirectoryMember, MessageList, RealtimeTopic } from '@memberkit/sdk';
import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { communityStrings, type CommunityStrings } from '../i18n/community-strings.js';
import { describeError, FormController } from '../internal/form-controller.js';
import { MemberWidget } from '../internal/member-widget.js';
import {
  Pager,
  type CommunitySettings,
  type Conversation,
  type ConversationParticipant,
  type Message,
  type RealtimeEvent,
} from './community-api.js';
import './community-events.js';
import { communityStyles } from './community-styles.js';
import { LiveController } from './live-controller.js';

/** The longest message body the API accepts. */
export const MESSAGE_MAX = 4000;
const PAGE = 30;
/** How often "is typing" is sent while the member types, and how long it shows after the last one. */
const TYPING_SEND_MS = 2500;
const TYPING_SHOW_MS = 6000;

type View = { kind: 'list' } | { kind: 'thread'; id: string } | { kind: 'new'; mode: 'support' | 'direct' };

/** Message ids are ULIDs: they sort by creation time. */
const notAfter = (a: string, b: string) => a <= b;

/**
 * @tagname member-messages
 *
 * The signed-in member's messages: the inbox (conversations with the latest message,
 * unread counts and a total) and a conversation's thread (older messages on demand;
 * send with Enter, Shift+Enter for a new line; edit and delete their own messages;
 * "Seen" under their last message once the others read it; who is typing). Starts a
 * conversation with the tenant's support team, or a direct message to another member,
 * when the tenant enables them. Everything is live through the real-time channel
 * (the `me` topic and the open conversation's topic): new messages, edits, deletions,
 * read receipts, typing and unread counts.
 *
 * @fires member-message-send - The member sent, edited or deleted a message (`detail.action`).
 * @fires member-conversation-open - A conversation was opened or started (`detail.created`).
 * @fires member-messages-unread - The total of unread messages changed (`detail.total`).
 * @fires member-error - Loading or an action failed.
 *
 * @csspart base - The widget's box.
 * @csspart title - The heading.
 * @csspart inbox - The list of conversations.
 * @csspart conversation - One conversation in the list (also `unread` with unread messages).
 * @csspart badge - Unread counts.
 * @csspart thread - The open conversation.
 * @csspart message - One message (also `own` for the member's own).
 * @csspart receipt - "Seen" under the member's last message.
 * @csspart typing - Who is typing.
 * @csspart compose - The message form.
 * @csspart input - Text areas and inputs.
 * @csspart action - Buttons.
 * @csspart status - Status and error messages.
 *
 * @example
 * <member-provider publishable-key="pk_…" api-url="https://api.example.org">
 *   <member-messages></member-messages>
 * </member-provider>
 */
export class MemberMessages extends MemberWidget {
  static override styles = [
    ...MemberWidget.styles,
    communityStyles,
    css`
      .conversation {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 0.15rem 0.5rem;
        width: 100%;
        text-align: left;
        background: transparent;
        color: inherit;
        border: 1px solid var(--_border);
        font-weight: 400;
      }
      .conversation[aria-current='true'] {
        border-color: var(--_primary);
        border-width: 2px;
      }
      .conversation .name {
        font-weight: 600;
      }
      .conversation .preview {
        grid-column: 1 / -1;
        color: var(--_muted);
        font-size: 0.875rem;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .thread-head {
        display: flex;
        gap: 0.5rem;
        align-items: center;
        flex-wrap: wrap;
      }
      [part~='log'] {
        max-height: 28rem;
        overflow-y: auto;
      }
      .log-list {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: calc(var(--_space) * 0.5);
      }
      [part~='message'] {
        max-width: 85%;
        border-radius: var(--_radius);
        padding: calc(var(--_space) * 0.5) calc(var(--_space) * 0.75);
        border: 1px solid var(--_border);
        display: grid;
        gap: 0.2rem;
        overflow-wrap: anywhere;
      }
      [part~='own'] {
        justify-self: end;
        border-color: var(--_primary);
      }
      .text {
        white-space: pre-wrap;
      }
      .deleted {
        font-style: italic;
        color: var(--_muted);
      }
      [part~='receipt'],
      [part~='typing'] {
        color: var(--_muted);
        font-size: 0.875rem;
        min-height: 1.3em;
      }
      [part~='receipt'] {
        justify-self: end;
      }
    `,
  ];

  /** Opens this conversation (id `cnv_…`) when the element loads; reflects the open one. */
  @property({ attribute: 'conversation-id', reflect: true }) conversationId?: string;

  @state() private conversations: Conversation[] = [];
  @state() private loaded = false;
  @state() private moreConversations = false;
  @state() private view: View = { kind: 'list' };
  @state() private thread: Conversation | null = null;
  @state() private messages: Message[] = [];
  @state() private older = false;
  @state() private editing: string | null = null;
  @state() private typing = new Map<string, { name: string; until: number }>();
  @state() private settings: CommunitySettings | null = null;
  @state() private people: DirectoryMember[] = [];
  @state() private error = '';
  @state() private totalUnread = 0;

  readonly #compose = new FormController(this);
  readonly #start = new FormController(this);
  readonly #edit = new FormController(this);
  readonly #live = new LiveController(this, {
    event: (event) => this.#onEvent(event),
    resync: () => void this.reload(),
  });
  #loadedFor: string | null = null;
  readonly #inboxPages = new Pager<ConversationList>();
  readonly #messagePages = new Pager<MessageList>();
  #lastTypingSent = 0;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;

  get #s(): CommunityStrings {
    return communityStrings(this.strings, this.config.strings);
  }

  /** The member's total of unread messages. */
  get unreadTotal(): number {
    return this.totalUnread;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#typingTimer);
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const id = this.member?.id ?? null;
    if (id !== this.#loadedFor && this.client) {
      this.#loadedFor = id;
      this.conversations = [];
      this.thread = null;
      this.messages = [];
      this.loaded = false;
      this.view = { kind: 'list' };
      if (id) void this.reload();
    }
    // A conversation asked for by attribute after the inbox loaded (a page reading `?conversation=`).
    const wanted = this.conversationId;
    if (
      changed.has('conversationId') &&
      wanted &&
      this.loaded &&
      !(this.view.kind === 'thread' && this.view.id === wanted)
    )
      void this.open(wanted, false);
    const topics: RealtimeTopic[] = ['me'];
    if (this.view.kind === 'thread') topics.push(`conversation.${this.view.id}`);
    this.#live.sync(this.client, id, topics);
  }

  /** Loads the inbox (and the open conversation) again. */
  async reload(): Promise<void> {
    const client = this.client;
    if (!client || !this.member) return;
    try {
      const [page, settings] = await Promise.all([
        this.#inboxPages.first(client.conversations.list({ limit: PAGE })),
        client.community.settings.get().catch(() => null),
      ]);
      this.conversations = page.data;
      this.moreConversations = this.#inboxPages.hasMore;
      this.settings = settings;
      this.loaded = true;
      this.error = '';
      this.#updateTotal(this.conversations.reduce((sum, c) => sum + c.unread_count, 0));
      const wanted = this.view.kind === 'thread' ? this.view.id : this.conversationId;
      if (wanted) await this.open(wanted, false);
    } catch (error) {
      this.error = describeError(error, this.strings, new Set()).message;
      this.reportError('conversations', error);
    }
  }

  /** Opens a conversation by id. */
  async open(id: string, focus = true): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      const [conversation, page] = await Promise.all([
        client.conversations.get(id),
        this.#messagePages.first(client.conversations.messages.list(id, { limit: PAGE })),
      ]);
      this.view = { kind: 'thread', id };
      this.conversationId = id;
      this.thread = conversation;
      this.#upsertConversation(conversation);
      this.messages = [...page.data].reverse();
      this.older = this.#messagePages.hasMore;
      this.typing = new Map();
      this.editing = null;
      this.#compose.reset();
      this.emit('member-conversation-open', { conversation, created: false });
      await this.updateComplete;
      this.#scrollToEnd();
      if (focus) this.renderRoot.querySelector<HTMLElement>('#compose-body')?.focus();
      void this.#markRead();
    } catch (error) {
      this.error = describeError(error, this.strings, new Set()).message;
      this.reportError('conversation', error);
    }
  }

  protected override render(): TemplateResult {
    if (this.setupProblem) return this.renderSetupProblem(this.setupProblem);
    const s = this.#s;
    if (!this.member) {
      return html`<div part="base"><p part="status">${this.sessionReady ? s.t('community.signedOut') : s.t('common.loading')}</p></div>`;
    }
    return html`<div part="base">
      <h2 part="title">
        ${s.t('messages.title')}
        ${this.totalUnread > 0 ? html`<span class="badge" part="badge">${s.plural('messages.unread', this.totalUnread)}</span>` : nothing}
      </h2>
      ${this.error ? html`<p class="alert error" role="alert" part="status">${this.error}</p>` : nothing}
      ${this.view.kind === 'thread' && this.thread ? this.#renderThread(this.thread) : this.view.kind === 'new' ? this.#renderNew(this.view.mode) : this.#renderInbox()}
    </div>`;
  }

  #title(c: Conversation): string {
    const s = this.#s;
    if (c.title) return c.title;
    const others = c.participants.filter((p) => !(p.type === 'member' && p.id === this.member?.id) && !p.left_at);
    if (c.kind === 'support' && others.every((p) => p.type !== 'staff')) return s.t('messages.support');
    return others.map((p) => p.name).join(', ') || s.t('messages.support');
  }

  #renderInbox(): TemplateResult {
    const s = this.#s;
    const settings = this.settings;
    return html`<section aria-labelledby="inbox-title" part="inbox">
      <h3 id="inbox-title" class="visually-hidden">${s.t('messages.inbox')}</h3>
      <div class="actions">
        ${settings?.support_inbox ? html`<button type="button" class="secondary" part="action" @click=${() => this.#startNew('support')}>${s.t('messages.newSupport')}</button>` : nothing}
        ${settings?.member_messaging ? html`<button type="button" class="secondary" part="action" @click=${() => this.#startNew('direct')}>${s.t('messages.newDirect')}</button>` : nothing}
      </div>
      ${
        !this.loaded
          ? html`<p role="status" part="status">${s.t('common.loading')}</p>`
          : this.conversations.length === 0
            ? html`<p part="status">${s.t('messages.empty')}</p>`
            : html`<ul class="items">
              ${this.conversations.map(
                (c) => html`<li>
                  <button
                    type="button"
                    class="conversation"
                    part=${c.unread_count > 0 ? 'conversation unread' : 'conversation'}
                    data-id=${c.id}
                    aria-current=${this.conversationId === c.id ? 'true' : 'false'}
                    @click=${() => this.open(c.id)}
                  >
                    <span class="name">${this.#title(c)}</span>
                    ${
                      c.unread_count > 0
                        ? html`<span class="badge" part="badge">${s.plural('messages.unread', c.unread_count)}</span>`
                        : html`<span class="meta">${c.last_message_at ? s.ago(c.last_message_at) : ''}</span>`
                    }
                    <span class="preview">${c.last_message_preview ?? ''}</span>
                  </button>
                </li>`,
              )}
            </ul>`
      }
      ${this.moreConversations ? html`<button type="button" class="secondary" part="action" @click=${this.#moreConversations}>${s.t('community.loadMore')}</button>` : nothing}
    </section>`;
  }

  #renderThread(c: Conversation): TemplateResult {
    const s = this.#s;
    const me = this.member?.id;
    const lastOwn = [...this.messages]
      .reverse()
      .find((m) => m.sender?.type === 'member' && m.sender.id === me && !m.deleted_at);
    const seenBy = lastOwn ? this.#seenBy(c, lastOwn) : [];
    const typingNames = [...this.typing.values()].filter((t) => t.until > Date.now()).map((t) => t.name);
    const c2 = this.#compose;
    return html`<section part="thread" aria-labelledby="thread-title">
      <div class="thread-head">
        <button type="button" class="link" part="action" @click=${this.#back}>${s.t('messages.back')}</button>
        <h3 id="thread-title" tabindex="-1">${this.#title(c)}</h3>
      </div>
      ${this.older ? html`<button type="button" class="secondary small" part="action" @click=${this.#loadOlder}>${s.t('community.loadMore')}</button>` : nothing}
      ${this.messages.length === 0 ? html`<p part="status">${s.t('messages.noMessages')}</p>` : nothing}
      <div part="log" role="log" aria-live="polite" aria-labelledby="thread-title" tabindex="0">
        <ol class="log-list">${this.messages.map((m) => this.#renderMessage(m))}</ol>
      </div>
      <p part="receipt" data-receipt>${lastOwn ? (seenBy.length > 0 ? (c.participants.length > 2 ? s.t('messages.seenBy', { names: seenBy.join(', ') }) : s.t('messages.seen')) : s.t('messages.sent')) : ''}</p>
      <p part="typing" aria-live="polite">${typingNames.length > 0 ? s.t('messages.typing', { names: typingNames.join(', ') }) : ''}</p>
      ${
        c.locked || c.status === 'closed'
          ? html`<p part="status">${s.t('messages.locked')}</p>`
          : html`<form part="compose" novalidate @submit=${this.#send}>
            <div class="alert error" role="alert" part="status">${c2.message}</div>
            <div class="field">
              <label for="compose-body">${s.t('messages.compose')}</label>
              <textarea
                id="compose-body"
                name="body"
                part="input"
                rows="2"
                maxlength=${MESSAGE_MAX}
                required
                @keydown=${this.#composeKey}
                @input=${this.#onInput}
              ></textarea>
            </div>
            <div class="actions"><button type="submit" part="action" ?disabled=${c2.busy}>${s.t('messages.send')}</button></div>
          </form>`
      }
    </section>`;
  }

  #renderMessage(m: Message): TemplateResult {
    const s = this.#s;
    const own = m.sender?.type === 'member' && m.sender.id === this.member?.id;
    const sender = own ? s.t('messages.you') : (m.sender?.name ?? '');
    if (this.editing === m.id) {
      return html`<li part="message own" data-id=${m.id}>
        <form novalidate @submit=${(e: SubmitEvent) => this.#saveEdit(e, m)}>
          <div class="alert error" role="alert" part="status">${this.#edit.message}</div>
          <label for="edit-body">${s.t('messages.edit')}</label>
          <textarea id="edit-body" name="body" part="input" maxlength=${MESSAGE_MAX} required .value=${m.body ?? ''}
            @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.#cancelEdit()}></textarea>
          <div class="actions">
            <button type="submit" class="small" part="action" ?disabled=${this.#edit.busy}>${s.t('messages.save')}</button>
            <button type="button" class="secondary small" part="action" @click=${this.#cancelEdit}>${s.t('messages.cancelEdit')}</button>
          </div>
        </form>
      </li>`;
    }
    return html`<li part=${own ? 'message own' : 'message'} data-id=${m.id}>
      <span class="meta"><strong>${sender}</strong> · <time datetime=${m.created_at} title=${s.dateTime(m.created_at)}>${s.ago(m.created_at)}</time>${m.edited_at && !m.deleted_at ? html` · ${s.t('messages.edited')}` : nothing}</span>
      ${m.deleted_at || m.body === null ? html`<span class="deleted">${s.t('messages.deleted')}</span>` : html`<span class="text">${m.body}</span>`}
      ${
        own && !m.deleted_at
          ? html`<div class="actions">
            <button type="button" class="link small" part="action" aria-label=${`${s.t('messages.edit')}: ${(m.body ?? '').slice(0, 40)}`} @click=${() => this.#startEdit(m)}>${s.t('messages.edit')}</button>
            <button type="button" class="link small" part="action" aria-label=${`${s.t('messages.delete')}: ${(m.body ?? '').slice(0, 40)}`} @click=${() => this.#delete(m)}>${s.t('messages.delete')}</button>
          </div>`
          : nothing
      }
    </li>`;
  }

  #renderNew(mode: 'support' | 'direct'): TemplateResult {
    const s = this.#s;
    const f = this.#start;
    const me = this.member?.id;
    return html`<section part="thread" aria-labelledby="new-title">
      <div class="thread-head">
        <button type="button" class="link" part="action" @click=${this.#back}>${s.t('messages.back')}</button>
        <h3 id="new-title" tabindex="-1">${mode === 'support' ? s.t('messages.newSupport') : s.t('messages.newDirect')}</h3>
      </div>
      <form part="compose" novalidate @submit=${this.#startConversation}>
        <div class="alert error" role="alert" part="status">${f.message}</div>
        ${
          mode === 'direct' && this.people.every((p) => p.id === me)
            ? html`<p part="status">${s.t('messages.noRecipients')}</p>`
            : nothing
        }
        ${
          mode === 'direct'
            ? html`<div class="field">
              <label for="new-recipient">${s.t('messages.recipient')}</label>
              <select id="new-recipient" name="member_id" part="input" required aria-invalid=${f.errors.member_id ? 'true' : 'false'}>
                <option value="">${s.t('messages.recipientPlaceholder')}</option>
                ${this.people
                  .filter((p) => p.id !== me)
                  .map(
                    (p) => html`<option value=${p.id}>${`${p.first_name ?? ''} ${p.last_name ?? ''}`.trim()}</option>`,
                  )}
              </select>
            </div>`
            : html`<div class="field">
              <label for="new-subject">${s.t('messages.subject')} <span class="hint">(${s.t('common.optional')})</span></label>
              <input id="new-subject" name="title" part="input" maxlength="200" />
            </div>`
        }
        <div class="field">
          <label for="new-body">${s.t('messages.compose')}</label>
          <textarea id="new-body" name="body" part="input" maxlength=${MESSAGE_MAX} required aria-invalid=${f.errors.body ? 'true' : 'false'}></textarea>
        </div>
        <div class="actions"><button type="submit" part="action" ?disabled=${f.busy}>${s.t('messages.start')}</button></div>
      </form>
    </section>`;
  }

  #seenBy(c: Conversation, message: Message): string[] {
    const me = this.member?.id;
    return c.participants
      .filter((p) => !(p.type === 'member' && p.id === me) && p.last_read_message_id)
      .filter((p) => notAfter(message.id, p.last_read_message_id as string))
      .map((p) => p.name);
  }

  async #startNew(mode: 'support' | 'direct'): Promise<void> {
    this.#start.reset();
    // The people to write to come from the member directory (loaded before the form shows).
    if (mode === 'direct' && this.people.length === 0 && this.client) {
      try {
        const page = await this.client.directory.list({ limit: 100 });
        this.people = page.data;
      } catch (error) {
        this.reportError('directory', error);
      }
    }
    this.view = { kind: 'new', mode };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#new-title')?.focus();
  }

  #back = async (): Promise<void> => {
    const was = this.view.kind === 'thread' ? this.view.id : null;
    this.view = { kind: 'list' };
    this.thread = null;
    this.messages = [];
    this.conversationId = undefined;
    await this.updateComplete;
    const target = was ? this.renderRoot.querySelector<HTMLElement>(`button[data-id="${was}"]`) : null;
    target?.focus();
  };

  #startConversation = async (event: SubmitEvent): Promise<void> => {
    const client = this.client;
    if (!client || this.view.kind !== 'new') return;
    const mode = this.view.mode;
    const conversation = await this.#start.submit(
      event,
      this.strings,
      (data) => {
        const body = String(data.get('body') ?? '').trim();
        if (mode === 'direct')
          return client.conversations.create({ kind: 'direct', member_id: String(data.get('member_id')), body });
        const title = String(data.get('title') ?? '').trim();
        return client.conversations.create({ kind: 'support', body, ...(title ? { title } : {}) });
      },
      (error) => this.reportError('conversation_create', error),
    );
    if (!conversation) return;
    this.#upsertConversation(conversation);
    this.emit('member-conversation-open', { conversation, created: true });
    await this.open(conversation.id);
  };

  #send = async (event: SubmitEvent): Promise<void> => {
    const client = this.client;
    const thread = this.thread;
    if (!client || !thread) return;
    const form = event.currentTarget as HTMLFormElement;
    const clientId = crypto.randomUUID();
    const message = await this.#compose.submit(
      event,
      this.strings,
      (data) =>
        client.conversations.messages.send(thread.id, {
          body: String(data.get('body') ?? '').trim(),
          client_id: clientId,
        }),
      (error) => this.reportError('message_send', error),
    );
    if (!message) return;
    form.reset();
    this.#addMessage(message);
    this.#lastTypingSent = 0;
    this.emit('member-message-send', { action: 'send', message });
    await this.updateComplete;
    this.#scrollToEnd();
    form.querySelector<HTMLTextAreaElement>('textarea')?.focus();
  };

  #composeKey = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      (event.currentTarget as HTMLTextAreaElement).form?.requestSubmit();
    }
  };

  #onInput = (): void => {
    const client = this.client;
    const thread = this.thread;
    if (!client || !thread) return;
    const now = Date.now();
    if (now - this.#lastTypingSent < TYPING_SEND_MS) return;
    this.#lastTypingSent = now;
    client.conversations.typing(thread.id).catch(() => undefined);
  };

  async #startEdit(m: Message): Promise<void> {
    this.editing = m.id;
    this.#edit.reset();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLTextAreaElement>('#edit-body')?.focus();
  }

  #cancelEdit = async (): Promise<void> => {
    const id = this.editing;
    this.editing = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`li[data-id="${id}"] button`)?.focus();
  };

  async #saveEdit(event: SubmitEvent, m: Message): Promise<void> {
    const client = this.client;
    if (!client) return;
    const updated = await this.#edit.submit(
      event,
      this.strings,
      (data) =>
        client.conversations.messages.update(m.conversation_id, m.id, {
          body: String(data.get('body') ?? '').trim(),
        }),
      (error) => this.reportError('message_edit', error),
    );
    if (!updated) return;
    this.#addMessage(updated);
    this.emit('member-message-send', { action: 'edit', message: updated });
    await this.#cancelEdit();
  }

  async #delete(m: Message): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      const answer = await client.conversations.messages.delete(m.conversation_id, m.id);
      // The API may answer with the tombstone or nothing: the message shown stays whole either way.
      const deleted: Message = {
        ...m,
        ...(answer ?? {}),
        body: null,
        deleted_at: answer?.deleted_at ?? new Date().toISOString(),
      };
      this.#addMessage(deleted);
      this.emit('member-message-send', { action: 'delete', message: deleted });
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#compose-body')?.focus();
    } catch (error) {
      this.#compose.fail(error, this.strings);
      this.reportError('message_delete', error);
    }
  }

  #loadOlder = async (): Promise<void> => {
    try {
      const page = await this.#messagePages.next();
      this.older = this.#messagePages.hasMore;
      if (!page) return;
      const known = new Set(this.messages.map((m) => m.id));
      this.messages = [...[...page.data].reverse().filter((m) => !known.has(m.id)), ...this.messages];
    } catch (error) {
      this.reportError('messages', error);
    }
  };

  #moreConversations = async (): Promise<void> => {
    try {
      const page = await this.#inboxPages.next();
      this.moreConversations = this.#inboxPages.hasMore;
      if (!page) return;
      const known = new Set(this.conversations.map((c) => c.id));
      this.conversations = [...this.conversations, ...page.data.filter((c) => !known.has(c.id))];
    } catch (error) {
      this.reportError('conversations', error);
    }
  };

  /** Marks the newest message of the open conversation read, when it is someone else's and not read yet. */
  async #markRead(): Promise<void> {
    const client = this.client;
    const thread = this.thread;
    const me = this.member?.id;
    if (!client || !thread || !me || document.visibilityState === 'hidden') return;
    const newest = this.messages[this.messages.length - 1];
    if (!newest) return;
    const mine = thread.participants.find((p) => p.type === 'member' && p.id === me);
    if (mine?.last_read_message_id && notAfter(newest.id, mine.last_read_message_id) && thread.unread_count === 0)
      return;
    try {
      await client.conversations.read(thread.id, newest.id);
      this.#setParticipantRead(thread.id, { type: 'member', id: me }, newest.id);
      this.#upsertConversation({ ...(this.thread as Conversation), unread_count: 0 });
    } catch (error) {
      this.reportError('conversation_read', error);
    }
  }

  #onEvent(event: RealtimeEvent): void {
    switch (event.type) {
      case 'conversation.updated':
      case 'conversation.created': {
        const conversation = event.data;
        this.#upsertConversation(conversation);
        // Unread in the conversation on screen: it is being read.
        if (this.thread?.id === conversation.id && conversation.unread_count > 0) void this.#markRead();
        break;
      }
      case 'message.unread':
        this.#updateTotal(event.data.total_unread);
        break;
      case 'message.created':
      case 'message.updated':
      case 'message.deleted': {
        // An edit or deletion may carry only some fields (`{ id, object }`): merged into the message shown.
        const known = this.messages.find((m) => m.id === event.data.id);
        const message: Message = known
          ? {
              ...known,
              ...event.data,
              ...(event.type === 'message.deleted'
                ? { body: null, deleted_at: event.data.deleted_at ?? new Date().toISOString() }
                : {}),
            }
          : event.data;
        if (this.thread && (known || message.conversation_id === this.thread.id) && message.sender) {
          const atEnd = this.#isAtEnd();
          this.#addMessage(message);
          if (event.type === 'message.created') {
            void this.updateComplete.then(() => atEnd && this.#scrollToEnd());
            void this.#markRead();
          }
        }
        break;
      }
      case 'conversation.read':
        if (event.data.last_read_message_id)
          this.#setParticipantRead(event.data.conversation_id, event.data.participant, event.data.last_read_message_id);
        break;
      case 'typing': {
        const p = event.data.participant;
        if (p.type === 'member' && p.id === this.member?.id) break;
        if (this.thread?.id !== event.data.conversation_id) break;
        const typing = new Map(this.typing);
        typing.set(`${p.type}:${p.id}`, { name: p.name, until: Date.now() + TYPING_SHOW_MS });
        this.typing = typing;
        clearTimeout(this.#typingTimer);
        this.#typingTimer = setTimeout(() => (this.typing = new Map(this.typing)), TYPING_SHOW_MS + 50);
        break;
      }
      default:
        break;
    }
  }

  #addMessage(message: Message): void {
    const index = this.messages.findIndex((m) => m.id === message.id);
    if (index >= 0) {
      const next = [...this.messages];
      next[index] = message;
      this.messages = next;
    } else {
      this.messages = [...this.messages, message].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
    if (message.sender && this.typing.has(`${message.sender.type}:${message.sender.id}`)) {
      const typing = new Map(this.typing);
      typing.delete(`${message.sender.type}:${message.sender.id}`);
      this.typing = typing;
    }
  }

  #setParticipantRead(conversationId: string, who: { type: string; id: string }, messageId: string): void {
    const patch = (c: Conversation): Conversation => ({
      ...c,
      participants: c.participants.map(
        (p): ConversationParticipant =>
          p.type === who.type && p.id === who.id ? { ...p, last_read_message_id: messageId } : p,
      ),
    });
    if (this.thread?.id === conversationId) this.thread = patch(this.thread);
    this.conversations = this.conversations.map((c) => (c.id === conversationId ? patch(c) : c));
  }

  #upsertConversation(conversation: Conversation): void {
    if (!conversation?.id) return;
    const rest = this.conversations.filter((c) => c.id !== conversation.id);
    this.conversations = [conversation, ...rest].sort((a, b) =>
      (b.last_message_at ?? b.created_at).localeCompare(a.last_message_at ?? a.created_at),
    );
    if (this.thread?.id === conversation.id) this.thread = { ...this.thread, ...conversation };
    this.#updateTotal(this.conversations.reduce((sum, c) => sum + c.unread_count, 0));
  }

  #updateTotal(total: number): void {
    if (total === this.totalUnread) return;
    this.totalUnread = total;
    this.emit('member-messages-unread', { total });
  }

  #isAtEnd(): boolean {
    const log = this.renderRoot.querySelector<HTMLElement>('[part~="log"]');
    return !log || log.scrollHeight - log.scrollTop - log.clientHeight < 48;
  }

  #scrollToEnd(): void {
    const log = this.renderRoot.querySelector<HTMLElement>('[part~="log"]');
    if (log) log.scrollTop = log.scrollHeight;
  }
}

defineElement('member-messages', MemberMessages);

declare global {
  interface HTMLElementTagNameMap {
    'member-messages': MemberMessages;
  }
}
