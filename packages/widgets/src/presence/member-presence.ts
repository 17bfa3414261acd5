import { defineElement } from '@memberkit/elements-core';
import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { communityStrings, type CommunityStrings } from '../i18n/community-strings.js';
import { describeError } from '../internal/form-controller.js';
import { MemberWidget } from '../internal/member-widget.js';
import type { PresenceEntry, RealtimeEvent } from '../messages/community-api.js';
import '../messages/community-events.js';
import { communityStyles } from '../messages/community-styles.js';
import { LiveController } from '../messages/live-controller.js';

/**
 * @tagname member-presence
 *
 * Who is online now (and who is away), for members, when the tenant shows presence to
 * members (community settings `presence_visibility: members`); otherwise it says the
 * site does not show it (or, with `hide-when-off`, renders nothing). The signed-in
 * member is online while a page holds a real-time stream; the list follows the
 * `presence` topic live.
 *
 * @fires member-error - Loading failed.
 *
 * @csspart base - The widget's box.
 * @csspart title - The heading.
 * @csspart count - How many are online.
 * @csspart list - The list of members.
 * @csspart person - One member (also `online` or `away`).
 * @csspart dot - The status dot.
 * @csspart message - Status messages.
 *
 * @example
 * <member-provider publishable-key="pk_…" api-url="https://api.example.org">
 *   <member-presence></member-presence>
 * </member-provider>
 */
export class MemberPresence extends MemberWidget {
  static override styles = [
    ...MemberWidget.styles,
    communityStyles,
    css`
      [part~='list'] {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.35rem 0.9rem;
      }
      [part~='person'] {
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
      }
      [part~='dot'] {
        width: 0.6rem;
        height: 0.6rem;
        border-radius: 50%;
        background: #15803d;
        flex: none;
      }
      [part~='away'] [part~='dot'] {
        background: transparent;
        border: 2px solid #a16207;
      }
    `,
  ];

  /** Render nothing when the tenant does not show presence to members. */
  @property({ type: Boolean, attribute: 'hide-when-off' }) hideWhenOff = false;
  /** At most this many members are listed (the count covers everyone loaded). */
  @property({ type: Number }) max = 50;

  @state() private people: PresenceEntry[] = [];
  @state() private loaded = false;
  @state() private enabled: boolean | null = null;
  @state() private error = '';

  readonly #live = new LiveController(this, {
    event: (event) => this.#onEvent(event),
    resync: () => void this.reload(),
    // The list was loaded before the stream started: changes in between (this member's own
    // stream making them online, for one) were not streamed.
    opened: () => void this.reload(),
  });
  #loadedFor: string | null = null;
  /** Counts loads: only the latest one's answer is shown. */
  #loadGeneration = 0;
  /** Changes that arrived while a load was under way: applied again on its answer, which may predate them. */
  #eventsDuringLoad: RealtimeEvent[] | null = null;

  get #s(): CommunityStrings {
    return communityStrings(this.strings, this.config.strings);
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const id = this.member?.id ?? null;
    if (id !== this.#loadedFor && this.client) {
      this.#loadedFor = id;
      this.people = [];
      this.loaded = false;
      this.enabled = null;
      if (id) void this.reload();
    }
    // The stream itself is what makes this member online; `presence` only when the tenant shows it.
    this.#live.sync(this.client, id, this.enabled ? ['presence'] : []);
  }

  /** Loads who is online again. */
  async reload(): Promise<void> {
    const client = this.client;
    if (!client || !this.member) return;
    const generation = ++this.#loadGeneration;
    const during: RealtimeEvent[] = [];
    this.#eventsDuringLoad = during;
    try {
      const settings = await client.community.settings.get();
      if (generation !== this.#loadGeneration) return;
      this.enabled = settings.presence_visibility === 'members';
      if (!this.enabled) {
        this.loaded = true;
        return;
      }
      const people = await client.presence.list({ limit: 100 }).toArray({ limit: 500 });
      if (generation !== this.#loadGeneration) return;
      this.people = people;
      for (const event of during) this.#onEvent(event);
      this.loaded = true;
      this.error = '';
    } catch (error) {
      if (generation !== this.#loadGeneration) return;
      this.error = describeError(error, this.strings, new Set()).message;
      this.reportError('presence', error);
    } finally {
      if (generation === this.#loadGeneration) this.#eventsDuringLoad = null;
    }
  }

  protected override render(): TemplateResult | typeof nothing {
    if (this.setupProblem) return this.renderSetupProblem(this.setupProblem);
    const s = this.#s;
    if (!this.member)
      return this.hideWhenOff
        ? nothing
        : html`<div part="base"><p part="message">${this.sessionReady ? s.t('community.signedOut') : s.t('common.loading')}</p></div>`;
    if (this.enabled === false)
      return this.hideWhenOff ? nothing : html`<div part="base"><p part="message">${s.t('presence.hidden')}</p></div>`;
    const others = this.people.filter((p) => p.status !== 'offline');
    const online = others.filter((p) => p.status === 'online').length;
    return html`<section part="base" aria-labelledby="presence-title">
      <h2 part="title" id="presence-title">${s.t('presence.title')}</h2>
      ${this.error ? html`<p class="alert error" role="alert" part="message">${this.error}</p>` : nothing}
      ${
        !this.loaded
          ? html`<p role="status" part="message">${s.t('common.loading')}</p>`
          : html`<p part="count" role="status">${s.plural('presence.count', online)}</p>
            ${
              others.length === 0
                ? html`<p part="message">${s.t('presence.empty')}</p>`
                : html`<ul part="list">
                  ${others.slice(0, this.max).map(
                    (p) => html`<li part=${`person ${p.status}`} data-id=${p.member_id}>
                      <span part="dot" aria-hidden="true"></span>
                      <span>${p.name}${p.member_id === this.member?.id ? ` (${s.t('messages.you')})` : ''}</span>
                      <span class="visually-hidden">: ${s.t(`presence.status.${p.status}`)}</span>
                    </li>`,
                  )}
                </ul>`
            }`
      }
    </section>`;
  }

  #onEvent(event: RealtimeEvent): void {
    if (event.type !== 'presence.changed') return;
    // Kept for a load under way: its answer may predate this change (re-applying it is harmless).
    if (!this.#eventsDuringLoad?.includes(event)) this.#eventsDuringLoad?.push(event);
    const entry = event.data;
    const rest = this.people.filter((p) => p.member_id !== entry.member_id);
    this.people =
      entry.status === 'offline'
        ? rest
        : [...rest, entry].sort((a, b) => a.name.localeCompare(b.name, this.strings.locale));
  }
}

defineElement('member-presence', MemberPresence);

declare global {
  interface HTMLElementTagNameMap {
    'member-presence': MemberPresence;
  }
}
