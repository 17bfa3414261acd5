import { defineElement } from '@memberkit/elements-core';
import type { FeedCommentList, FeedPostList } from '@memberkit/sdk';
import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { communityStrings, type CommunityStrings } from '../i18n/community-strings.js';
import { describeError, FormController } from '../internal/form-controller.js';
import { MemberWidget } from '../internal/member-widget.js';
import {
  Pager,
  REACTIONS,
  type CommunitySettings,
  type FeedComment,
  type FeedPost,
  type FeedReaction,
  type RealtimeEvent,
} from '../messages/community-api.js';
import '../messages/community-events.js';
import { communityStyles } from '../messages/community-styles.js';
import { LiveController } from '../messages/live-controller.js';
import { renderMarkdown } from './markdown.js';

const PAGE = 20;
/** The longest post body and comment the API accepts. */
const POST_MAX = 10_000;
const COMMENT_MAX = 2000;
const EMOJI: Record<FeedReaction, string> = {
  like: '👍',
  love: '❤️',
  celebrate: '🎉',
  laugh: '😄',
  wow: '😮',
  sad: '😢',
};

/** Pinned posts first, then newest first (as the API orders the first page). */
function feedOrder(a: FeedPost, b: FeedPost): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  const at = a.publish_at ?? a.created_at;
  const bt = b.publish_at ?? b.created_at;
  return bt.localeCompare(at) || b.id.localeCompare(a.id);
}

/**
 * @tagname member-feed
 *
 * The tenant's activity feed for members: staff announcements (pinned ones first),
 * milestones members chose to share (joined, upgraded, anniversary) and, when the
 * tenant enables them, members' own posts with comments and reactions. Bodies are a
 * Markdown subset (paragraphs, **bold**, *italic*, links, lists, headings, quotes),
 * rendered without ever parsing user text as HTML. Members edit and delete their own
 * posts and comments and report others'. Live through the real-time channel (`feed`
 * topic): new and edited posts, comments and reaction counts appear as they happen.
 *
 * @fires member-feed-post - The member published, edited or deleted a post (`detail.action`).
 * @fires member-feed-comment - The member commented or deleted a comment.
 * @fires member-feed-reaction - The member added or took back a reaction.
 * @fires member-report - The member reported a post or comment.
 * @fires member-error - Loading or an action failed.
 *
 * @csspart base - The widget's box.
 * @csspart title - The heading.
 * @csspart compose - The new post form.
 * @csspart post - One post (also `pinned`, `announcement`, `milestone`).
 * @csspart post-title - A post's title.
 * @csspart body - A post's or comment's text.
 * @csspart link - Links in bodies.
 * @csspart mention - Mentions of members in bodies.
 * @csspart reactions - The reaction buttons.
 * @csspart reaction - One reaction button (`aria-pressed` when the member reacted).
 * @csspart comments - A post's comments.
 * @csspart comment - One comment.
 * @csspart input - Text areas.
 * @csspart action - Buttons.
 * @csspart message - Status and error messages.
 *
 * @example
 * <member-provider publishable-key="pk_…" api-url="https://api.example.org">
 *   <member-feed></member-feed>
 * </member-provider>
 */
export class MemberFeed extends MemberWidget {
  static override styles = [
    ...MemberWidget.styles,
    communityStyles,
    css`
      article {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: var(--_space);
        display: grid;
        gap: calc(var(--_space) * 0.5);
        min-width: 0;
        overflow-wrap: anywhere;
      }
      article[data-pinned] {
        border-color: var(--_primary);
        border-width: 2px;
      }
      article h3 {
        font-size: 1.1rem;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        align-items: center;
      }
      [part~='reactions'] {
        display: flex;
        flex-wrap: wrap;
        gap: 0.35rem;
      }
      [part~='reaction'] {
        background: transparent;
        color: inherit;
        border: 1px solid var(--_border);
        border-radius: 999px;
        padding: 0.1rem 0.6rem;
        font-weight: 500;
      }
      [part~='reaction'][aria-pressed='true'] {
        border-color: var(--_primary);
        border-width: 2px;
        background: color-mix(in srgb, var(--_primary) 12%, var(--_bg));
      }
      [part~='comments'] {
        display: grid;
        gap: calc(var(--_space) * 0.5);
        border-top: 1px solid var(--_border);
        padding-top: calc(var(--_space) * 0.5);
      }
      [part~='comment'] {
        padding-left: calc(var(--_space) * 0.75);
        border-left: 3px solid var(--_border);
        display: grid;
        gap: 0.2rem;
      }
      .milestone {
        font-style: italic;
      }
    `,
  ];

  @state() private posts: FeedPost[] = [];
  @state() private loaded = false;
  @state() private more = false;
  @state() private settings: CommunitySettings | null = null;
  @state() private error = '';
  @state() private notice = '';
  /** Loaded comments of the posts whose comments are open. */
  @state() private comments = new Map<string, FeedComment[]>();
  @state() private editing: string | null = null;
  @state() private reporting: string | null = null;

  readonly #compose = new FormController(this);
  readonly #item = new FormController(this);
  readonly #pager = new Pager<FeedPostList>();
  readonly #live = new LiveController(this, {
    event: (event) => this.#onEvent(event),
    resync: () => void this.reload(),
  });
  #loadedFor: string | null = null;

  get #s(): CommunityStrings {
    return communityStrings(this.strings, this.config.strings);
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const id = this.member?.id ?? null;
    if (id !== this.#loadedFor && this.client) {
      this.#loadedFor = id;
      this.posts = [];
      this.loaded = false;
      this.comments = new Map();
      if (id) void this.reload();
    }
    this.#live.sync(this.client, id, ['feed']);
  }

  /** Loads the first page of the feed (and the tenant's community settings) again. */
  async reload(): Promise<void> {
    const client = this.client;
    if (!client || !this.member) return;
    try {
      const [page, settings] = await Promise.all([
        this.#pager.first(client.feed.list({ limit: PAGE })),
        client.community.settings.get().catch(() => null),
      ]);
      this.posts = page.data;
      this.more = this.#pager.hasMore;
      this.settings = settings;
      this.loaded = true;
      this.error = '';
      // Comments open before the reload are fetched again.
      for (const postId of this.comments.keys()) void this.#loadComments(postId);
    } catch (error) {
      this.error = describeError(error, this.strings, new Set()).message;
      this.reportError('feed', error);
    }
  }

  protected override render(): TemplateResult {
    if (this.setupProblem) return this.renderSetupProblem(this.setupProblem);
    const s = this.#s;
    if (!this.member) {
      return html`<div part="base"><p part="message">${this.sessionReady ? s.t('community.signedOut') : s.t('common.loading')}</p></div>`;
    }
    return html`<div part="base">
      <h2 part="title">${s.t('feed.title')}</h2>
      ${this.error ? html`<p class="alert error" role="alert" part="message">${this.error}</p>` : nothing}
      <p class="alert success" role="status" part="message">${this.notice}</p>
      ${this.settings?.member_posts ? this.#renderCompose() : nothing}
      ${
        !this.loaded
          ? html`<p role="status" part="message">${s.t('common.loading')}</p>`
          : this.posts.length === 0
            ? html`<p part="message">${s.t('feed.empty')}</p>`
            : html`<div class="posts" role="feed" aria-label=${s.t('feed.title')} aria-busy="false">
              ${this.posts.map((post, i) => this.#renderPost(post, i))}
            </div>`
      }
      ${this.more ? html`<button type="button" class="secondary" part="action" @click=${this.#loadMore}>${s.t('community.loadMore')}</button>` : nothing}
    </div>`;
  }

  #renderCompose(): TemplateResult {
    const s = this.#s;
    const c = this.#compose;
    return html`<form part="compose" novalidate @submit=${this.#publish}>
      <div class="alert error" role="alert" part="message">${c.message}</div>
      <div class="field">
        <label for="compose-body">${s.t('feed.composeLabel')}</label>
        <textarea id="compose-body" name="body" part="input" required maxlength=${POST_MAX} placeholder=${s.t('feed.composePlaceholder')}
          aria-invalid=${c.errors.body ? 'true' : 'false'}></textarea>
      </div>
      <div class="actions"><button type="submit" part="action" ?disabled=${c.busy}>${s.t('feed.publish')}</button></div>
    </form>`;
  }

  #isMine(author: { type: string; id: string | null } | null | undefined): boolean {
    return author?.type === 'member' && author.id === this.member?.id;
  }

  #renderPost(post: FeedPost, index: number): TemplateResult {
    const s = this.#s;
    const parts = ['post', post.pinned ? 'pinned' : '', post.kind].filter(Boolean).join(' ');
    const titleId = `post-${post.id}-title`;
    const mine = this.#isMine(post.author);
    const comments = this.comments.get(post.id);
    return html`<article part=${parts} data-id=${post.id} ?data-pinned=${post.pinned} aria-labelledby=${titleId}
      aria-posinset=${index + 1} aria-setsize=${this.more ? -1 : this.posts.length}>
      <div class="head meta">
        ${post.pinned ? html`<span class="tag">${s.t('feed.pinned')}</span>` : nothing}
        ${post.kind === 'announcement' ? html`<span class="tag">${s.t('feed.announcement')}</span>` : nothing}
        <span id=${titleId}>${post.kind === 'milestone' ? this.#milestoneText(post) : post.title ? nothing : s.t('feed.by', { name: post.author?.name ?? '' })}</span>
        ${post.title ? html`<span>${s.t('feed.by', { name: post.author?.name ?? '' })}</span>` : nothing}
        <span>· <time datetime=${post.publish_at ?? post.created_at} title=${s.dateTime(post.publish_at ?? post.created_at)}>${s.ago(post.publish_at ?? post.created_at)}</time></span>
        ${post.updated_at !== post.created_at && post.kind === 'post' ? html`<span>· ${s.t('feed.edited')}</span>` : nothing}
      </div>
      ${post.title ? html`<h3 part="post-title">${post.title}</h3>` : nothing}
      ${
        this.editing === post.id
          ? this.#renderEdit(post)
          : post.kind === 'milestone'
            ? nothing
            : html`<div class="body" part="body">${renderMarkdown(post.body)}</div>`
      }
      ${this.#renderReactions(post)}
      <div class="actions">
        ${
          post.comment_count > 0 || (this.settings?.member_comments && !post.locked)
            ? html`<button type="button" class="link small" part="action" aria-expanded=${comments ? 'true' : 'false'} aria-controls=${`comments-${post.id}`}
              @click=${() => this.#toggleComments(post)}>${comments ? s.t('feed.hideComments') : post.comment_count > 0 ? s.plural('feed.comments', post.comment_count) : s.t('feed.showComments')}</button>`
            : nothing
        }
        ${
          mine && post.kind === 'post' && this.editing !== post.id
            ? html`<button type="button" class="link small" part="action" @click=${() => this.#startEdit(post.id)}>${s.t('feed.edit')}</button>
              <button type="button" class="link small" part="action" @click=${() => this.#deletePost(post)}>${s.t('feed.delete')}</button>`
            : nothing
        }
        ${!mine && post.kind === 'post' ? html`<button type="button" class="link small" part="action" aria-expanded=${this.reporting === post.id ? 'true' : 'false'} @click=${() => this.#startReport(post.id)}>${s.t('feed.report')}</button>` : nothing}
      </div>
      ${this.reporting === post.id ? this.#renderReport('post', post.id) : nothing}
      ${post.locked ? html`<p class="meta">${s.t('feed.locked')}</p>` : nothing}
      ${comments ? this.#renderComments(post, comments) : nothing}
    </article>`;
  }

  #milestoneText(post: FeedPost): string {
    const s = this.#s;
    const name = post.author?.name ?? '';
    const data = (post.data ?? {}) as Record<string, unknown>;
    const which = String(data.milestone ?? data.kind ?? '');
    if (which === 'joined' || which === 'upgraded' || which === 'anniversary')
      return s.t(`feed.milestone.${which}`, { name });
    return post.title ?? post.body ?? name;
  }

  #renderReactions(post: FeedPost): TemplateResult | typeof nothing {
    const s = this.#s;
    const enabled = this.settings?.reactions !== false && !post.locked;
    const shown = REACTIONS.filter((r) => enabled || (post.reactions[r] ?? 0) > 0);
    if (shown.length === 0) return nothing;
    return html`<div part="reactions" role="group" aria-label=${s.t('feed.reactionsLabel')}>
      ${shown.map((reaction) => {
        const count = post.reactions[reaction] ?? 0;
        const mine = post.my_reactions.includes(reaction);
        const label = s.t('feed.reactionCount', { reaction: s.t(`feed.reaction.${reaction}`), count: s.number(count) });
        return html`<button type="button" part="reaction" data-reaction=${reaction} aria-pressed=${mine ? 'true' : 'false'}
          aria-label=${label} ?disabled=${!enabled} @click=${() => this.#react(post, reaction, !mine)}>
          <span aria-hidden="true">${EMOJI[reaction]} ${count > 0 ? s.number(count) : ''}</span>
        </button>`;
      })}
    </div>`;
  }

  #renderEdit(post: FeedPost): TemplateResult {
    const s = this.#s;
    const f = this.#item;
    return html`<form novalidate @submit=${(e: SubmitEvent) => this.#saveEdit(e, post)}>
      <div class="alert error" role="alert" part="message">${f.message}</div>
      <label for="edit-body">${s.t('feed.edit')}</label>
      <textarea id="edit-body" name="body" part="input" required maxlength=${POST_MAX} .value=${post.body ?? ''}
        @keydown=${this.#escapeCloses}></textarea>
      <div class="actions">
        <button type="submit" class="small" part="action" ?disabled=${f.busy}>${s.t('feed.save')}</button>
        <button type="button" class="secondary small" part="action" @click=${() => (this.editing = null)}>${s.t('common.cancel')}</button>
      </div>
    </form>`;
  }

  #renderReport(type: 'post' | 'comment', id: string): TemplateResult {
    const s = this.#s;
    const f = this.#item;
    return html`<form novalidate @submit=${(e: SubmitEvent) => this.#report(e, type, id)}>
      <div class="alert error" role="alert" part="message">${f.message}</div>
      <div class="field">
        <label for="report-reason">${s.t('feed.reportReason')}</label>
        <textarea id="report-reason" name="reason" part="input" required maxlength="500"
          @keydown=${this.#escapeCloses}></textarea>
      </div>
      <div class="actions">
        <button type="submit" class="small" part="action" ?disabled=${f.busy}>${s.t('feed.reportSend')}</button>
        <button type="button" class="secondary small" part="action" @click=${() => (this.reporting = null)}>${s.t('common.cancel')}</button>
      </div>
    </form>`;
  }

  #renderComments(post: FeedPost, comments: FeedComment[]): TemplateResult {
    const s = this.#s;
    const f = this.#item;
    const canComment = Boolean(this.settings?.member_comments) && !post.locked;
    return html`<section part="comments" id=${`comments-${post.id}`} aria-label=${s.plural('feed.comments', post.comment_count)}>
      ${comments.map((c) => {
        const mine = this.#isMine(c.author);
        return html`<div part="comment" data-id=${c.id}>
          <span class="meta"><strong>${c.author?.name ?? ''}</strong> · <time datetime=${c.created_at}>${s.ago(c.created_at)}</time></span>
          <div class="body" part="body">${renderMarkdown(c.body, 5)}</div>
          <div class="actions">
            ${mine ? html`<button type="button" class="link small" part="action" @click=${() => this.#deleteComment(c)}>${s.t('feed.delete')}</button>` : html`<button type="button" class="link small" part="action" @click=${() => this.#startReport(c.id)}>${s.t('feed.report')}</button>`}
          </div>
          ${this.reporting === c.id ? this.#renderReport('comment', c.id) : nothing}
        </div>`;
      })}
      ${
        canComment
          ? html`<form novalidate @submit=${(e: SubmitEvent) => this.#comment(e, post)}>
            <div class="field">
              <label for=${`comment-${post.id}`}>${s.t('feed.commentLabel')}</label>
              <textarea id=${`comment-${post.id}`} name="body" part="input" required maxlength=${COMMENT_MAX}></textarea>
            </div>
            <div class="actions"><button type="submit" class="small" part="action" ?disabled=${f.busy}>${s.t('feed.comment')}</button></div>
          </form>`
          : nothing
      }
    </section>`;
  }

  /** Escape in an edit or report form closes it. */
  #escapeCloses = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    this.editing = null;
    this.reporting = null;
  };

  #publish = async (event: SubmitEvent): Promise<void> => {
    const client = this.client;
    if (!client) return;
    const form = event.currentTarget as HTMLFormElement;
    const post = await this.#compose.submit(
      event,
      this.strings,
      (data) => client.feed.posts.create({ body: String(data.get('body') ?? '').trim() }),
      (error) => this.reportError('feed_post', error),
    );
    if (!post) return;
    form.reset();
    this.#upsertPost(post);
    this.notice = this.#s.t('feed.posted');
    this.emit('member-feed-post', { action: 'create', post });
  };

  async #startEdit(id: string): Promise<void> {
    this.editing = id;
    this.#item.reset();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#edit-body')?.focus();
  }

  async #saveEdit(event: SubmitEvent, post: FeedPost): Promise<void> {
    const client = this.client;
    if (!client) return;
    const updated = await this.#item.submit(
      event,
      this.strings,
      (data) => client.feed.posts.update(post.id, { body: String(data.get('body') ?? '').trim() }),
      (error) => this.reportError('feed_post_update', error),
    );
    if (!updated) return;
    this.editing = null;
    this.#upsertPost(updated);
    this.emit('member-feed-post', { action: 'update', post: updated });
  }

  async #deletePost(post: FeedPost): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      await client.feed.posts.delete(post.id);
      this.#removePost(post.id);
      this.notice = this.#s.t('feed.deleted');
      this.emit('member-feed-post', { action: 'delete', post: { id: post.id } });
    } catch (error) {
      this.error = describeError(error, this.strings, new Set()).message;
      this.reportError('feed_post_delete', error);
    }
  }

  async #react(post: FeedPost, reaction: FeedReaction, active: boolean): Promise<void> {
    const client = this.client;
    if (!client) return;
    // Shown at once; the API's counts follow.
    const before = post;
    const count = (post.reactions[reaction] ?? 0) + (active ? 1 : -1);
    this.#upsertPost({
      ...post,
      reactions: { ...post.reactions, [reaction]: Math.max(0, count) },
      my_reactions: active ? [...post.my_reactions, reaction] : post.my_reactions.filter((r) => r !== reaction),
    });
    try {
      const answer = active
        ? await client.feed.posts.react(post.id, reaction)
        : await client.feed.posts.unreact(post.id, reaction);
      const current = this.posts.find((p) => p.id === post.id);
      const reactions = (answer as { reactions?: FeedPost['reactions'] } | undefined)?.reactions;
      if (current && reactions) this.#upsertPost({ ...current, reactions });
      this.emit('member-feed-reaction', { postId: post.id, reaction, active });
    } catch (error) {
      this.#upsertPost(before);
      this.error = describeError(error, this.strings, new Set()).message;
      this.reportError('feed_reaction', error);
    }
  }

  async #toggleComments(post: FeedPost): Promise<void> {
    if (this.comments.has(post.id)) {
      const next = new Map(this.comments);
      next.delete(post.id);
      this.comments = next;
      return;
    }
    await this.#loadComments(post.id);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#comment-${post.id}`)?.focus();
  }

  async #loadComments(postId: string): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      const page: FeedCommentList = await client.feed.posts.comments.list(postId, { limit: 100 });
      this.comments = new Map(this.comments).set(postId, [...page.data]);
    } catch (error) {
      this.reportError('feed_comments', error);
    }
  }

  async #comment(event: SubmitEvent, post: FeedPost): Promise<void> {
    const client = this.client;
    if (!client) return;
    const form = event.currentTarget as HTMLFormElement;
    const comment = await this.#item.submit(
      event,
      this.strings,
      (data) => client.feed.posts.comments.create(post.id, { body: String(data.get('body') ?? '').trim() }),
      (error) => this.reportError('feed_comment', error),
    );
    if (!comment) return;
    form.reset();
    this.#addComment(comment);
    this.emit('member-feed-comment', { action: 'create', comment });
  }

  async #deleteComment(comment: FeedComment): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      await client.feed.comments.delete(comment.id);
      this.#removeComment(comment.id, comment.post_id);
      this.emit('member-feed-comment', { action: 'delete', comment: { id: comment.id, post_id: comment.post_id } });
    } catch (error) {
      this.error = describeError(error, this.strings, new Set()).message;
      this.reportError('feed_comment_delete', error);
    }
  }

  async #startReport(id: string): Promise<void> {
    this.reporting = this.reporting === id ? null : id;
    this.#item.reset();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#report-reason')?.focus();
  }

  async #report(event: SubmitEvent, type: 'post' | 'comment', id: string): Promise<void> {
    const client = this.client;
    if (!client) return;
    const done = await this.#item.submit(
      event,
      this.strings,
      async (data) => {
        await client.contentReports.create({
          target_type: type,
          target_id: id,
          reason: String(data.get('reason') ?? '').trim(),
        });
        return true;
      },
      (error) => this.reportError('report', error),
    );
    if (!done) return;
    this.reporting = null;
    this.notice = this.#s.t('feed.reported');
    this.emit('member-report', { targetType: type, targetId: id });
  }

  #loadMore = async (): Promise<void> => {
    try {
      const page = await this.#pager.next();
      this.more = this.#pager.hasMore;
      if (!page) return;
      const known = new Set(this.posts.map((p) => p.id));
      this.posts = [...this.posts, ...page.data.filter((p) => !known.has(p.id))];
    } catch (error) {
      this.reportError('feed', error);
    }
  };

  #onEvent(event: RealtimeEvent): void {
    switch (event.type) {
      case 'feed.post_created':
      case 'feed.post_updated': {
        const post = event.data;
        // The stream carries the post as its author sees it: keep this member's own reactions.
        const known = this.posts.find((p) => p.id === post.id);
        this.#upsertPost({
          ...post,
          my_reactions: known?.my_reactions ?? (this.#isMine(post.author) ? post.my_reactions : []),
        });
        break;
      }
      case 'feed.post_deleted':
        this.#removePost(event.data.id);
        break;
      case 'feed.comment_created':
      case 'feed.comment_updated':
        this.#addComment(event.data);
        break;
      case 'feed.comment_deleted':
        this.#removeComment(event.data.id, event.data.post_id);
        break;
      case 'feed.reactions_changed': {
        const post = this.posts.find((p) => p.id === event.data.post_id);
        if (post) this.#upsertPost({ ...post, reactions: event.data.reactions });
        break;
      }
      default:
        break;
    }
  }

  #upsertPost(post: FeedPost): void {
    if (post.hidden) {
      this.#removePost(post.id);
      return;
    }
    this.posts = [...this.posts.filter((p) => p.id !== post.id), post].sort(feedOrder);
  }

  #removePost(id: string): void {
    this.posts = this.posts.filter((p) => p.id !== id);
    if (this.comments.has(id)) {
      const next = new Map(this.comments);
      next.delete(id);
      this.comments = next;
    }
  }

  #addComment(comment: FeedComment): void {
    const list = this.comments.get(comment.post_id);
    const isNew = !list?.some((c) => c.id === comment.id);
    if (list) {
      const next = comment.hidden
        ? list.filter((c) => c.id !== comment.id)
        : [...list.filter((c) => c.id !== comment.id), comment].sort((a, b) => a.id.localeCompare(b.id));
      this.comments = new Map(this.comments).set(comment.post_id, next);
    }
    const post = this.posts.find((p) => p.id === comment.post_id);
    // Without the loaded list, a comment the feed has not seen is counted once by its id.
    if (post && isNew && !comment.hidden && (list || !this.#counted.has(comment.id))) {
      this.#counted.add(comment.id);
      this.#upsertPost({ ...post, comment_count: post.comment_count + 1 });
    }
  }

  readonly #counted = new Set<string>();

  #removeComment(id: string, postId: string): void {
    const list = this.comments.get(postId);
    const known = list?.some((c) => c.id === id);
    if (list)
      this.comments = new Map(this.comments).set(
        postId,
        list.filter((c) => c.id !== id),
      );
    const post = this.posts.find((p) => p.id === postId);
    if (post && (known || this.#counted.has(id))) {
      this.#counted.delete(id);
      this.#upsertPost({ ...post, comment_count: Math.max(0, post.comment_count - 1) });
    }
  }
}

defineElement('member-feed', MemberFeed);

declare global {
  interface HTMLElementTagNameMap {
    'member-feed': MemberFeed;
  }
}
