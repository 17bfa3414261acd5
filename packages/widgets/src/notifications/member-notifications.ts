import { defineElement } from '@memberkit/elements-core';
import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { communityStrings, type CommunityStrings } from '../i18n/community-strings.js';
import { describeError } from '../internal/form-controller.js';
import { MemberWidget } from '../internal/member-widget.js';
import { safeHref } from '../feed/markdown.js';
import { Pager, type Notification, type RealtimeEvent } from '../messages/community-api.js';
import type { NotificationList } from '@memberkit/sdk';
import '../messages/community-events.js';
import { communityStyles } from '../messages/community-styles.js';
import { LiveController } from '../messages/live-controller.js';

const PAGE = 20;

/**
 * @tagname member-notifications
 *
 * The signed-in member's notifications: a bell button with the unread count as a
 * badge, opening a panel with the list (newest first, unread marked), "Mark as read"
 * and "Delete" per notification, "Mark all as read" and older pages. Live: new
 * notifications, reads and deletions from other tabs and devices arrive through the
 * real-time channel (`me` topic), and a new one is announced to screen readers.
 * Escape closes the panel and returns focus to the bell. Renders nothing signed out.
 * A message notification links to `messages-href?conversation=<cnv_…>` when given.
 *
 * @fires member-notifications-change - The unread count changed (`detail.unreadCount`).
 * @fires member-notification-click - A notification's link was followed (cancelable: `preventDefault()` and navigate yourself).
 * @fires member-error - Loading or an action failed.
 *
 * @csspart bell - The bell button.
 * @csspart badge - The unread count on the bell.
 * @csspart panel - The panel.
 * @csspart title - The panel's heading.
 * @csspart list - The list of notifications.
 * @csspart item - One notification (also `unread` when unread).
 * @csspart action - Buttons in the panel.
 * @csspart message - Status and error messages.
 *
 * @example
 * <member-provider publishable-key="pk_…" api-url="https://api.example.org">
 *   <member-notifications></member-notifications>
 * </member-provider>
 */
export class MemberNotifications extends MemberWidget {
  static override styles = [
    ...MemberWidget.styles,
    communityStyles,
    css`
      :host {
        display: inline-block;
        position: relative;
      }
      [part~='bell'] {
        display: inline-flex;
        gap: 0.4em;
        align-items: center;
        background: transparent;
        color: inherit;
        border-color: var(--_border);
      }
      [part~='bell'] svg {
        width: 1.25em;
        height: 1.25em;
      }
      [part~='panel'] {
        position: absolute;
        right: 0;
        z-index: 10;
        margin-top: 0.25rem;
        width: min(24rem, calc(100vw - 2rem));
        max-height: 70vh;
        overflow: auto;
        box-shadow: 0 8px 24px rgb(0 0 0 / 0.18);
        border: 1px solid var(--_border);
      }
      :host([inline]) [part~='panel'] {
        position: static;
        box-shadow: none;
        width: auto;
      }
      .head {
        display: flex;
        justify-content: space-between;
        gap: 0.5rem;
        align-items: center;
        flex-wrap: wrap;
      }
      [part~='unread'] {
        border-left: 4px solid var(--_primary);
      }
      .item a {
        font-weight: 600;
      }
    `,
  ];

  /** Show the panel in the flow of the page instead of as a drop-down (reflects). */
  @property({ type: Boolean, reflect: true }) inline = false;
  /**
   * Where a message notification leads (the page with `<member-messages>`), given
   * `?conversation=<cnv_…>`; without it, such notifications are not links.
   */
  @property({ attribute: 'messages-href' }) messagesHref?: string;
  /** Whether the panel is open (reflects). */
  @property({ type: Boolean, reflect: true }) open = false;

  @state() private items: Notification[] = [];
  @state() private unread = 0;
  @state() private loaded = false;
  @state() private more = false;
  @state() private error = '';
  @state() private busy = false;
  @state() private announcement = '';

  readonly #live = new LiveController(this, {
    event: (event) => this.#onEvent(event),
    resync: () => void this.reload(),
    // Notifications created between the first load and the stream's start were not streamed.
    opened: () => void this.reload(),
  });
  #loadedFor: string | null = null;
  /** Counts loads: only the latest one's answer is shown. */
  #loadGeneration = 0;
  /** Events that arrived while a load was under way: applied again on its answer, which may predate them. */
  #eventsDuringLoad: RealtimeEvent[] | null = null;
  readonly #pager = new Pager<NotificationList>();

  get #s(): CommunityStrings {
    return communityStrings(this.strings, this.config.strings);
  }

  /** The number of unread notifications. */
  get unreadCount(): number {
    return this.unread;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const id = this.member?.id ?? null;
    if (id !== this.#loadedFor && this.client) {
      this.#loadedFor = id;
      this.items = [];
      this.loaded = false;
      this.#setUnread(0, false);
      if (id) void this.reload();
    }
    this.#live.sync(this.client, id, ['me']);
  }

  /** Loads the first page again. */
  async reload(): Promise<void> {
    const client = this.client;
    if (!client || !this.member) return;
    const generation = ++this.#loadGeneration;
    const during: RealtimeEvent[] = [];
    this.#eventsDuringLoad = during;
    try {
      const page = await this.#pager.first(client.me.notifications.list({ limit: PAGE }));
      if (generation !== this.#loadGeneration) return;
      this.items = page.data;
      this.more = this.#pager.hasMore;
      this.loaded = true;
      this.error = '';
      this.#setUnread(page.unread_count, true);
      // The page may have been read before events that already arrived: they apply on top of it
      // (each only where it still changes something).
      for (const event of during) this.#applyEvent(event, false);
    } catch (error) {
      if (generation !== this.#loadGeneration) return;
      this.error = describeError(error, this.strings, new Set()).message;
      this.reportError('notifications', error);
    } finally {
      if (generation === this.#loadGeneration) this.#eventsDuringLoad = null;
    }
  }

  protected override render(): TemplateResult | typeof nothing {
    if (this.setupProblem) return this.renderSetupProblem(this.setupProblem);
    if (!this.member) return nothing;
    const s = this.#s;
    const label = this.unread > 0 ? s.plural('notifications.buttonUnread', this.unread) : s.t('notifications.button');
    return html`${
      this.inline
        ? nothing
        : html`<button
          type="button"
          part="bell"
          aria-expanded=${this.open ? 'true' : 'false'}
          aria-controls="panel"
          aria-label=${label}
          @click=${this.#toggle}
        >
          <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2">
            <path d="M18 8a6 6 0 1 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
            <path d="M13.73 21a2 2 0 0 1-3.46 0" />
          </svg>
          ${this.unread > 0 ? html`<span part="badge" class="badge" aria-hidden="true">${this.unread > 99 ? '99+' : s.number(this.unread)}</span>` : nothing}
        </button>`
    }
      <p class="visually-hidden" role="status">${this.announcement}</p>
      ${this.open || this.inline ? this.#renderPanel() : nothing}`;
  }

  #renderPanel(): TemplateResult {
    const s = this.#s;
    return html`<div part="base panel" id="panel" role="region" aria-labelledby="title" @keydown=${this.#onKeydown}>
      <div class="head">
        <h2 part="title" id="title" tabindex="-1">
          ${s.t('notifications.title')}
          ${this.unread > 0 ? html`<span class="badge" part="badge">${s.number(this.unread)}</span>` : nothing}
        </h2>
        <div class="actions">
          ${
            this.unread > 0
              ? html`<button type="button" class="secondary small" part="action" ?disabled=${this.busy} @click=${this.#readAll}>${s.t('notifications.markAllRead')}</button>`
              : nothing
          }
          ${
            this.inline
              ? nothing
              : html`<button type="button" class="secondary small" part="action" @click=${() => this.#close(true)}>${s.t('notifications.close')}</button>`
          }
        </div>
      </div>
      ${this.error ? html`<p class="alert error" role="alert" part="message">${this.error}</p>` : nothing}
      ${
        !this.loaded
          ? html`<p role="status" part="message">${s.t('common.loading')}</p>`
          : this.items.length === 0
            ? html`<p part="message">${s.t('notifications.empty')}</p>`
            : html`<ul class="items" part="list">${this.items.map((n) => this.#renderItem(n))}</ul>`
      }
      ${
        this.more
          ? html`<button type="button" class="secondary" part="action" ?disabled=${this.busy} @click=${this.#loadMore}>${s.t('community.loadMore')}</button>`
          : nothing
      }
    </div>`;
  }

  #renderItem(n: Notification): TemplateResult {
    const s = this.#s;
    const href = this.#href(n);
    return html`<li class="item" part=${n.read_at ? 'item' : 'item unread'} data-id=${n.id}>
      ${n.read_at ? nothing : html`<span class="visually-hidden">${s.t('notifications.unread')}:</span>`}
      ${href ? html`<a href=${href} @click=${(e: MouseEvent) => this.#follow(e, n)}>${n.title}</a>` : html`<strong>${n.title}</strong>`}
      ${n.body ? html`<p>${n.body}</p>` : nothing}
      <span class="meta"><time datetime=${n.created_at} title=${s.dateTime(n.created_at)}>${s.ago(n.created_at)}</time></span>
      <div class="actions">
        ${
          n.read_at
            ? nothing
            : html`<button type="button" class="secondary small" part="action" aria-label=${s.t('notifications.markReadLabel', { title: n.title })} @click=${() => this.#read(n)}>${s.t('notifications.markRead')}</button>`
        }
        <button type="button" class="secondary small" part="action" aria-label=${s.t('notifications.deleteLabel', { title: n.title })} @click=${() => this.#delete(n)}>${s.t('notifications.delete')}</button>
      </div>
    </li>`;
  }

  /** The notification's link: its `url`, or for a message the messages page with the conversation. */
  #href(n: Notification): string | null {
    try {
      if (n.url) return safeHref(new URL(n.url, location.href).href);
      const conversation = (n.data as { conversation_id?: unknown } | null)?.conversation_id;
      if (n.type === 'message' && this.messagesHref && typeof conversation === 'string') {
        const url = new URL(this.messagesHref, location.href);
        url.searchParams.set('conversation', conversation);
        return safeHref(url.href);
      }
    } catch {
      // A malformed URL: shown without a link.
    }
    return null;
  }

  #toggle = async (): Promise<void> => {
    if (this.open) {
      this.#close(false);
      return;
    }
    this.open = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#title')?.focus();
  };

  #close(focusBell: boolean): void {
    this.open = false;
    if (focusBell)
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part~="bell"]')?.focus());
  }

  #onKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && !this.inline) {
      event.stopPropagation();
      this.#close(true);
    }
  };

  #follow(event: MouseEvent, n: Notification): void {
    const fired = this.emit('member-notification-click', { notification: n }, { cancelable: true });
    if (fired.defaultPrevented) event.preventDefault();
    if (!n.read_at) void this.#read(n);
  }

  async #action<T>(action: string, run: () => Promise<T>): Promise<T | undefined> {
    this.busy = true;
    this.error = '';
    try {
      return await run();
    } catch (error) {
      this.error = describeError(error, this.strings, new Set()).message;
      this.reportError(action, error);
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  async #read(n: Notification): Promise<void> {
    const client = this.client;
    if (!client) return;
    const result = await this.#action('notification_read', () => client.me.notifications.markRead(n.id));
    if (result === undefined) return;
    const unreadCount = (result as { unread_count?: unknown }).unread_count;
    this.#applyRead(
      [n.id],
      typeof unreadCount === 'number' ? unreadCount : Math.max(0, this.unread - (n.read_at ? 0 : 1)),
    );
  }

  #readAll = async (): Promise<void> => {
    const client = this.client;
    if (!client) return;
    const result = await this.#action('notification_read_all', () => client.me.notifications.markAllRead());
    if (!result) return;
    this.items = this.items.map((n) => (n.read_at ? n : { ...n, read_at: new Date().toISOString() }));
    this.#setUnread(result.unread_count ?? 0, true);
  };

  async #delete(n: Notification): Promise<void> {
    const client = this.client;
    if (!client) return;
    const index = this.items.findIndex((item) => item.id === n.id);
    const done = await this.#action('notification_delete', async () => {
      await client.me.notifications.delete(n.id);
      return true;
    });
    if (!done) return;
    this.#applyDelete(n.id, n.read_at ? this.unread : Math.max(0, this.unread - 1));
    // Focus stays in the list: on the next notification, or the heading when it emptied.
    await this.updateComplete;
    const buttons = this.renderRoot.querySelectorAll<HTMLElement>('li.item');
    const next = buttons[Math.min(index, buttons.length - 1)]?.querySelector<HTMLElement>('button:last-of-type');
    (next ?? this.renderRoot.querySelector<HTMLElement>('#title'))?.focus();
  }

  #loadMore = async (): Promise<void> => {
    const page = await this.#action('notifications', () => this.#pager.next());
    this.more = this.#pager.hasMore;
    if (!page) return;
    const known = new Set(this.items.map((n) => n.id));
    this.items = [...this.items, ...page.data.filter((n) => !known.has(n.id))];
  };

  #onEvent(event: RealtimeEvent): void {
    this.#eventsDuringLoad?.push(event);
    this.#applyEvent(event, true);
  }

  /**
   * Applies a live event. Events and the answers to this element's own requests travel
   * separately, so an event may arrive after an answer that already reflects it (the echo
   * of a read or a deletion made here): an event that changes nothing shown is skipped,
   * its unread count with it, as that count may be older than the one shown.
   */
  #applyEvent(event: RealtimeEvent, announce: boolean): void {
    switch (event.type) {
      case 'notification.created': {
        const { unread_count: unreadCount, ...n } = event.data;
        if (this.items.some((item) => item.id === n.id)) break;
        this.items = [n, ...this.items];
        if (announce) this.announcement = this.#s.t('notifications.new', { title: n.title });
        this.#setUnread(unreadCount, true);
        break;
      }
      case 'notification.read': {
        const ids = event.data.ids ?? [];
        // Ids this element does not show (older pages, other devices) may change the count.
        const changes =
          ids.length === 0
            ? this.items.some((n) => !n.read_at)
            : ids.some((id) => !this.items.find((n) => n.id === id)?.read_at);
        if (changes) this.#applyRead(ids, event.data.unread_count);
        break;
      }
      case 'notification.deleted': {
        const shown = this.items.some((n) => n.id === event.data.id);
        // A deletion here already applied, or one of a notification on a later page.
        if (shown || this.more) this.#applyDelete(event.data.id, event.data.unread_count);
        break;
      }
      default:
        break;
    }
  }

  #applyRead(ids: string[], unreadCount: number): void {
    const now = new Date().toISOString();
    // An empty id list means "all" (mark all read from another tab).
    const all = ids.length === 0;
    this.items = this.items.map((n) => (!n.read_at && (all || ids.includes(n.id)) ? { ...n, read_at: now } : n));
    this.#setUnread(unreadCount, true);
  }

  #applyDelete(id: string, unreadCount: number): void {
    this.items = this.items.filter((n) => n.id !== id);
    this.#setUnread(unreadCount, true);
  }

  #setUnread(count: number, notify: boolean): void {
    if (count === this.unread) return;
    this.unread = count;
    if (notify) this.emit('member-notifications-change', { unreadCount: count });
  }
}

defineElement('member-notifications', MemberNotifications);

declare global {
  interface HTMLElementTagNameMap {
    'member-notifications': MemberNotifications;
  }
}
