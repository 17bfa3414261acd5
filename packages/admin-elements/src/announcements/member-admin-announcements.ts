import { defineElement } from '@memberkit/elements-core';
import { MemberkitError } from '@memberkit/sdk';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { problemMessage } from '../billing/problem.js';
import { loadTiers, type Tier } from '../internal/admin-api.js';
import { MemberAdminElement } from '../internal/admin-element.js';
import type { AdminContextValue } from '../internal/context.js';
import { sharedStyles } from '../internal/styles.js';
import {
  sdkRealtime,
  sharedTopic,
  type RealtimeEvent,
  type RealtimeSource,
  type Unsubscribe,
} from '../table/realtime.js';
import {
  MAX_BODY_LENGTH,
  MAX_TITLE_LENGTH,
  sdkAnnouncementsApi,
  type AnnouncementsApi,
  type CreateAnnouncementBody,
  type FeedPost,
  type UpdateAnnouncementBody,
} from './announcements-api.js';
import { renderMarkdown } from './markdown.js';
import { memberAdminAnnouncementsStyles } from './member-admin-announcements.styles.js';

/** What happened to an announcement. */
export type AnnouncementAction = 'published' | 'scheduled' | 'updated' | 'deleted';

/** Detail of `member-admin-announcement`. */
export interface MemberAdminAnnouncementDetail {
  postId: string;
  action: AnnouncementAction;
}

declare global {
  interface MemberkitEventMap {
    'member-admin-announcement': MemberAdminAnnouncementDetail;
  }
  interface HTMLElementEventMap {
    'member-admin-announcement': CustomEvent<MemberAdminAnnouncementDetail>;
  }
}

type Tab = 'scheduled' | 'published';
const TABS: readonly Tab[] = ['scheduled', 'published'];
const PAGE = 20;

interface Draft {
  title: string;
  body: string;
  /** `YYYY-MM-DDTHH:mm` in the browser's time zone, or ''. */
  publishAt: string;
  tiers: string[];
  pinned: boolean;
  notify: boolean;
}

const emptyDraft = (): Draft => ({ title: '', body: '', publishAt: '', tiers: [], pinned: false, notify: true });

/** An ISO time as a `datetime-local` value in the browser's time zone. */
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * Staff announcements on the tenant's activity feed: compose (title, Markdown text with
 * a preview, publish now or at a time, the tiers whose members see it, pinned, notify the
 * members it reaches), the scheduled and published announcements with edit and delete.
 * Live through the `feed` topic (another staff user's changes show). Must sit inside
 * `<member-admin-provider>`; composing needs `feed:manage`.
 *
 * Keyboard: the tabs are one Tab stop, ←/→ switch between them.
 *
 * @fires member-admin-announcement - An announcement was published, scheduled, updated or deleted.
 * @csspart composer - The compose / edit form.
 * @csspart preview - The rendered Markdown preview.
 * @csspart list - The list of announcements.
 *
 * @example
 * <member-admin-provider api-url="…" token="…">
 *   <member-admin-announcements></member-admin-announcements>
 * </member-admin-provider>
 */
export class MemberAdminAnnouncements extends MemberAdminElement {
  static override styles = [sharedStyles, memberAdminAnnouncementsStyles];

  /** Where announcements are read and written; defaults to the provider's SDK client. */
  @property({ attribute: false }) api: AnnouncementsApi | undefined;

  /** Where live feed events come from; defaults to the provider's SDK client (`mk.realtime`). */
  @property({ attribute: false }) realtime: RealtimeSource | undefined;

  @state() private tab: Tab = 'scheduled';
  @state() private posts: FeedPost[] = [];
  @state() private cursor: string | null = null;
  @state() private hasMore = false;
  @state() private loading = false;
  @state() private loadError = '';
  @state() private tiers: Tier[] = [];
  @state() private draft: Draft = emptyDraft();
  /** The announcement being edited, or undefined when composing a new one. */
  @state() private editing: FeedPost | undefined;
  @state() private previewing = false;
  @state() private saving = false;
  @state() private errors: Partial<Record<'title' | 'body' | 'publish_at' | 'form', string>> = {};
  @state() private note = '';
  @state() private confirmDelete = '';

  #session: AdminContextValue | undefined;
  #loadSeq = 0;
  #unsubscribe: Unsubscribe | undefined;
  #liveSource: RealtimeSource | undefined;
  #reloadTimer: ReturnType<typeof setTimeout> | undefined;

  private get feedApi(): AnnouncementsApi | undefined {
    const client = this.admin?.client;
    return this.api ?? (client ? sdkAnnouncementsApi(client) : undefined);
  }

  /** Loads the current tab afresh. */
  reload(): Promise<void> {
    return this.load(true);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.#syncLive();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#reloadTimer);
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#liveSource = undefined;
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    const admin = this.admin;
    if (admin && (!this.#session || this.#session.staffId !== admin.staffId || this.#session.role !== admin.role)) {
      this.#session = admin;
      void this.load(true);
      void loadTiers(admin.client).then(
        (tiers) => (this.tiers = tiers),
        () => undefined,
      );
    }
    this.#syncLive();
  }

  #syncLive(): void {
    const client = this.admin?.client;
    const source = !client || !this.isConnected ? undefined : (this.realtime ?? sdkRealtime(client));
    if (source === this.#liveSource) return;
    this.#unsubscribe?.();
    this.#liveSource = source;
    this.#unsubscribe = source ? sharedTopic(source, 'feed', this.#onLive) : undefined;
  }

  readonly #onLive = (event: RealtimeEvent): void => {
    if (event.type !== 'resync' && !event.type.startsWith('feed.post_')) return;
    const post = event.data as Partial<FeedPost> | null;
    if (event.type !== 'resync' && event.type !== 'feed.post_deleted' && post?.kind !== 'announcement') return;
    if (event.type === 'feed.post_deleted' && !this.posts.some((p) => p.id === post?.id)) return;
    // A burst (a scheduled batch going out) reloads once.
    clearTimeout(this.#reloadTimer);
    this.#reloadTimer = setTimeout(() => void this.load(true), 200);
  };

  private async load(fresh: boolean): Promise<void> {
    const api = this.feedApi;
    if (!api || !this.can('feed:read')) return;
    const seq = ++this.#loadSeq;
    this.loading = true;
    this.loadError = '';
    try {
      const page = await api.list({
        status: this.tab,
        limit: PAGE,
        cursor: fresh ? undefined : (this.cursor ?? undefined),
      });
      if (seq !== this.#loadSeq) return;
      const announcements = page.data.filter((p) => p.kind === 'announcement');
      this.posts = fresh
        ? announcements
        : [...this.posts, ...announcements.filter((p) => !this.posts.some((x) => x.id === p.id))];
      this.cursor = page.next_cursor;
      this.hasMore = page.has_more;
    } catch (error) {
      if (seq === this.#loadSeq) this.loadError = problemMessage(error, this.strings);
    } finally {
      if (seq === this.#loadSeq) this.loading = false;
    }
  }

  private selectTab(tab: Tab, focus = false): void {
    if (tab === this.tab) return;
    this.tab = tab;
    this.posts = [];
    void this.load(true);
    if (focus)
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLElement>(`[role="tab"][data-tab="${tab}"]`)?.focus(),
      );
  }

  private onTabKeydown(event: KeyboardEvent): void {
    const i = TABS.indexOf(this.tab);
    const next =
      event.key === 'ArrowRight'
        ? (i + 1) % TABS.length
        : event.key === 'ArrowLeft'
          ? (i + TABS.length - 1) % TABS.length
          : -1;
    if (next < 0) return;
    event.preventDefault();
    this.selectTab(TABS[next]!, true);
  }

  private patchDraft(patch: Partial<Draft>): void {
    this.draft = { ...this.draft, ...patch };
    const cleared = { ...this.errors };
    if ('title' in patch) delete cleared.title;
    if ('body' in patch) delete cleared.body;
    if ('publishAt' in patch) delete cleared.publish_at;
    this.errors = cleared;
  }

  private startEdit(post: FeedPost): void {
    this.editing = post;
    this.previewing = false;
    this.errors = {};
    this.note = '';
    this.draft = {
      title: post.title ?? '',
      body: post.body ?? '',
      publishAt: post.published ? '' : toLocalInput(post.publish_at),
      tiers: [...(post.audience_tier_ids ?? [])],
      pinned: post.pinned,
      notify: false,
    };
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLInputElement>('input[name="title"]')?.focus(),
    );
  }

  private cancelEdit(): void {
    this.editing = undefined;
    this.draft = emptyDraft();
    this.errors = {};
    this.previewing = false;
  }

  /** Checks what the API would refuse anyway, to say it on the field at once. */
  private validate(): boolean {
    const s = this.strings.announcements;
    const d = this.draft;
    const errors: typeof this.errors = {};
    if (!d.title.trim()) errors.title = s.titleRequired;
    else if (d.title.trim().length > MAX_TITLE_LENGTH) errors.title = s.tooLong(MAX_TITLE_LENGTH);
    if (!d.body.trim()) errors.body = s.bodyRequired;
    else if (d.body.length > MAX_BODY_LENGTH) errors.body = s.tooLong(MAX_BODY_LENGTH);
    this.errors = errors;
    const first = (['title', 'body'] as const).find((k) => errors[k]);
    if (first) {
      this.previewing = false;
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[name="${first}"]`)?.focus());
    }
    return !first;
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    const api = this.feedApi;
    if (!api || this.saving || !this.validate()) return;
    const d = this.draft;
    const publishAt = d.publishAt ? new Date(d.publishAt).toISOString() : undefined;
    this.saving = true;
    this.note = '';
    const s = this.strings.announcements;
    try {
      const editing = this.editing;
      let post: FeedPost;
      let action: AnnouncementAction;
      if (editing) {
        const body: UpdateAnnouncementBody = {
          title: d.title.trim(),
          body: d.body,
          pinned: d.pinned,
          audience_tier_ids: d.tiers.length ? d.tiers : null,
          // A published announcement keeps its time; a scheduled one moves, or goes out now when cleared.
          ...(editing.published ? {} : { publish_at: publishAt ?? new Date().toISOString() }),
        };
        post = await api.update(editing.id, body);
        action = 'updated';
        this.note = s.updated;
      } else {
        const body: CreateAnnouncementBody = {
          title: d.title.trim(),
          body: d.body,
          pinned: d.pinned,
          notify: d.notify,
          ...(d.tiers.length ? { audience_tier_ids: d.tiers } : {}),
          ...(publishAt ? { publish_at: publishAt } : {}),
        };
        post = await api.create(body);
        action = post.published ? 'published' : 'scheduled';
        this.note = post.published ? s.published : s.scheduled;
      }
      this.editing = undefined;
      this.draft = emptyDraft();
      this.previewing = false;
      this.emit('member-admin-announcement', { postId: post.id, action });
      const tab: Tab = post.published ? 'published' : 'scheduled';
      if (tab !== this.tab) this.selectTab(tab);
      else void this.load(true);
    } catch (error) {
      this.showError(error);
    } finally {
      this.saving = false;
    }
  }

  private showError(error: unknown): void {
    const errors: typeof this.errors = {};
    if (error instanceof MemberkitError) {
      for (const e of error.errors) {
        const field = e.field.replace(/^body\./, '');
        if (field === 'title' || field === 'body' || field === 'publish_at') errors[field] = e.message;
      }
    }
    errors.form = problemMessage(error, this.strings);
    this.errors = errors;
  }

  private async deletePost(post: FeedPost): Promise<void> {
    const api = this.feedApi;
    if (!api) return;
    this.confirmDelete = '';
    try {
      await api.delete(post.id);
      this.posts = this.posts.filter((p) => p.id !== post.id);
      if (this.editing?.id === post.id) this.cancelEdit();
      this.note = this.strings.announcements.deleted;
      this.emit('member-admin-announcement', { postId: post.id, action: 'deleted' });
    } catch (error) {
      this.loadError = problemMessage(error, this.strings);
    }
  }

  protected override render(): TemplateResult {
    if (!this.admin) return html`<p class="state">${this.strings.noSession}</p>`;
    const s = this.strings.announcements;
    return html`<section aria-labelledby="ann-title">
      <h2 id="ann-title">${s.title}</h2>
      ${this.can('feed:manage') ? this.renderComposer() : nothing}
      <p class="note" role="status">${this.note}</p>
      ${this.renderList()}
    </section>`;
  }

  private renderComposer(): TemplateResult {
    const s = this.strings.announcements;
    const d = this.draft;
    const e = this.errors;
    const scheduledLater = Boolean(d.publishAt);
    const submitLabel = this.editing ? s.saveChanges : scheduledLater ? s.schedule : s.publish;
    return html`<form part="composer" class="composer" novalidate aria-labelledby="composer-title" @submit=${this.submit}>
      <h3 id="composer-title">${this.editing ? s.editing : s.compose}</h3>
      <label
        >${s.postTitle}
        <input
          name="title"
          .value=${d.title}
          maxlength=${MAX_TITLE_LENGTH + 50}
          aria-invalid=${e.title ? 'true' : 'false'}
          aria-describedby=${e.title ? 'err-title' : nothing}
          @input=${(ev: Event) => this.patchDraft({ title: (ev.target as HTMLInputElement).value })}
        />
        ${e.title ? html`<span class="error" id="err-title">${e.title}</span>` : nothing}
      </label>
      <div class="body-field">
        <div class="mode" role="group" aria-label=${s.body}>
          <button type="button" data-action="write" aria-pressed=${this.previewing ? 'false' : 'true'} @click=${() => (this.previewing = false)}>${s.write}</button>
          <button type="button" data-action="preview" aria-pressed=${this.previewing ? 'true' : 'false'} @click=${() => (this.previewing = true)}>${s.preview}</button>
        </div>
        ${
          this.previewing
            ? html`<div part="preview" class="preview" role="region" aria-label=${s.preview} tabindex="0">
              ${d.body.trim() ? renderMarkdown(d.body) : html`<p class="hint">${s.emptyPreview}</p>`}
            </div>`
            : html`<label
              >${s.body}
              <textarea
                name="body"
                rows="8"
                .value=${d.body}
                aria-invalid=${e.body ? 'true' : 'false'}
                aria-describedby=${e.body ? 'err-body body-hint' : 'body-hint'}
                @input=${(ev: Event) => this.patchDraft({ body: (ev.target as HTMLTextAreaElement).value })}
              ></textarea>
              <span class="hint" id="body-hint">${s.bodyHint}</span>
              ${e.body ? html`<span class="error" id="err-body">${e.body}</span>` : nothing}
            </label>`
        }
      </div>
      <div class="row">
        ${
          this.editing?.published
            ? nothing
            : html`<label
              >${s.publishAt}
              <input
                type="datetime-local"
                name="publish_at"
                .value=${d.publishAt}
                aria-invalid=${e.publish_at ? 'true' : 'false'}
                aria-describedby=${e.publish_at ? 'err-publish-at publish-hint' : 'publish-hint'}
                @input=${(ev: Event) => this.patchDraft({ publishAt: (ev.target as HTMLInputElement).value })}
              />
              <span class="hint" id="publish-hint">${s.publishAtHint}</span>
              ${e.publish_at ? html`<span class="error" id="err-publish-at">${e.publish_at}</span>` : nothing}
            </label>`
        }
        <fieldset class="tiers">
          <legend>${s.audience}</legend>
          <p class="hint">${d.tiers.length ? s.tiersHint : `${s.everyone}. ${s.tiersHint}`}</p>
          ${this.tiers
            .filter((t) => !t.archived || d.tiers.includes(t.id))
            .map(
              (t) => html`<label class="inline"
                ><input
                  type="checkbox"
                  name="tier"
                  value=${t.id}
                  .checked=${d.tiers.includes(t.id)}
                  @change=${(ev: Event) =>
                    this.patchDraft({
                      tiers: (ev.target as HTMLInputElement).checked
                        ? [...d.tiers, t.id]
                        : d.tiers.filter((x) => x !== t.id),
                    })}
                />${t.name}</label
              >`,
            )}
        </fieldset>
      </div>
      <label class="inline"
        ><input type="checkbox" name="pinned" .checked=${d.pinned} @change=${(ev: Event) => this.patchDraft({ pinned: (ev.target as HTMLInputElement).checked })} />${s.pinned}</label
      >
      ${
        this.editing
          ? nothing
          : html`<label class="inline"
            ><input type="checkbox" name="notify" .checked=${d.notify} @change=${(ev: Event) => this.patchDraft({ notify: (ev.target as HTMLInputElement).checked })} />${s.notify}</label
          >`
      }
      ${e.form ? html`<p class="error" role="alert">${e.form}</p>` : nothing}
      <div class="actions">
        ${this.editing ? html`<button type="button" data-action="cancel-edit" @click=${this.cancelEdit}>${s.cancelEdit}</button>` : nothing}
        <button type="submit" class="primary" ?disabled=${this.saving}>${this.saving ? s.saving : submitLabel}</button>
      </div>
    </form>`;
  }

  private renderList(): TemplateResult {
    const s = this.strings.announcements;
    return html`<div class="list-head">
        <div role="tablist" aria-label=${s.listLabel} @keydown=${this.onTabKeydown}>
          ${TABS.map(
            (t) => html`<button
              type="button"
              role="tab"
              id=${`tab-${t}`}
              data-tab=${t}
              aria-selected=${this.tab === t ? 'true' : 'false'}
              aria-controls="ann-panel"
              tabindex=${this.tab === t ? 0 : -1}
              @click=${() => this.selectTab(t)}
            >
              ${s.tabs[t]}
            </button>`,
          )}
        </div>
      </div>
      <div id="ann-panel" role="tabpanel" aria-labelledby=${`tab-${this.tab}`}>
        ${
          this.loadError
            ? html`<div class="state" role="alert">
              <p>${s.loadError}</p>
              <p class="hint">${this.loadError}</p>
              <button type="button" @click=${() => this.load(true)}>${this.strings.retry}</button>
            </div>`
            : this.loading && this.posts.length === 0
              ? html`<p class="state">${s.loading}</p>`
              : this.posts.length === 0
                ? html`<p class="state">${s.empty}</p>`
                : html`<ul part="list" aria-busy=${this.loading ? 'true' : 'false'}>
                  ${repeat(
                    this.posts,
                    (p) => p.id,
                    (p) => this.renderPost(p),
                  )}
                </ul>`
        }
        ${this.hasMore && !this.loadError ? html`<button type="button" data-action="more" ?disabled=${this.loading} @click=${() => this.load(false)}>${s.loadMore}</button>` : nothing}
      </div>`;
  }

  private renderPost(p: FeedPost): TemplateResult {
    const s = this.strings.announcements;
    const audience = p.audience_tier_ids ?? [];
    const names = audience.map((id) => this.tiers.find((t) => t.id === id)?.name ?? id).join(', ');
    const headingId = `post-${p.id}`;
    return html`<li data-id=${p.id}>
      <article aria-labelledby=${headingId}>
        <header>
          <h4 id=${headingId}>${p.title}</h4>
          <span class="meta">
            ${p.published ? s.publishedAt(this.formatDateTime(p.publish_at ?? p.created_at)) : s.scheduledFor(this.formatDateTime(p.publish_at))}
            ${p.pinned ? html`<span class="badge" data-status="active">${s.pinnedBadge}</span>` : nothing}
            ${p.hidden ? html`<span class="badge" data-status="inactive">${s.hiddenBadge}</span>` : nothing}
            <span>${audience.length ? s.forTiers(names) : s.everyone}</span>
            ${p.published ? html`<span>${s.comments(p.comment_count)}</span>` : nothing}
          </span>
        </header>
        <div class="body">${renderMarkdown(p.body ?? '')}</div>
        ${
          this.can('feed:manage')
            ? this.confirmDelete === p.id
              ? html`<div class="confirm" role="group" aria-label=${s.delete}>
                <span>${s.confirmDelete(p.title ?? '')}</span>
                <button type="button" class="danger" data-action="confirm-delete" @click=${() => this.deletePost(p)}>${s.confirm}</button>
                <button type="button" data-action="cancel-delete" @click=${() => (this.confirmDelete = '')}>${s.cancel}</button>
              </div>`
              : html`<div class="post-actions">
                <button type="button" data-action="edit" aria-label=${`${s.edit}: ${p.title ?? ''}`} @click=${() => this.startEdit(p)}>${s.edit}</button>
                <button type="button" class="danger" data-action="delete" aria-label=${`${s.delete}: ${p.title ?? ''}`} @click=${() => (this.confirmDelete = p.id)}>${s.delete}</button>
              </div>`
            : nothing
        }
      </article>
    </li>`;
  }
}

defineElement('member-admin-announcements', MemberAdminAnnouncements);

declare global {
  interface HTMLElementTagNameMap {
    'member-admin-announcements': MemberAdminAnnouncements;
  }
}
