import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { MemberWidget } from '../internal/member-widget.js';
import { defineElement } from '@memberkit/elements-core';
import type { Member } from '../runtime/widget-session.js';
import type { PublicTier } from '../config/public-config.js';

/** The tenant's tier a `tiers` entry names (by id or, case-insensitively, by name), if it is a public one. */
function findTier(entry: string, known: readonly PublicTier[]): PublicTier | undefined {
  return known.find((k) => k.id === entry || k.name.toLowerCase() === entry.toLowerCase());
}

/** Whether a member may see gated content: active, and of one of `tiers` when any are given (ids or names). */
export function gateAllows(member: Member | null, tiers: readonly string[], known: readonly PublicTier[]): boolean {
  if (member?.status !== 'active') return false;
  if (tiers.length === 0) return true;
  const ids = new Set(tiers.map((tier) => findTier(tier, known)?.id ?? tier));
  return member.tier_id !== null && ids.has(member.tier_id);
}

/**
 * @tagname member-gate
 *
 * Shows its content only to signed-in members (optionally of given tiers), the
 * `fallback` slot to visitors, and to a signed-in member who may not see it (another
 * tier, or a membership not active) the `member-fallback` slot, by default a note
 * naming the tiers the page is for and the member's own, with a link to change tier
 * when `change-tier-href` is set. A member is never asked to sign in again. Nothing
 * shows until the stored session has been restored, so members do not see the
 * fallback flash. Hiding content here is a convenience, not protection: content that
 * must stay secret must come from a server that checks the member's token.
 *
 * @slot - Content for members.
 * @slot fallback - Content for visitors (e.g. `<member-login>`); defaults to a short note (on a page whose
 *   origin the key does not allow, to the reason, for the site owner).
 * @slot member-fallback - Content for a signed-in member without the tier or with a membership not active;
 *   defaults to a note saying which tiers the page is for and the member's tier.
 *
 * @fires member-error - The tenant's config or the session could not be loaded.
 *
 * @csspart fallback - The default fallback notes (visitors' and members').
 * @csspart change-tier - The link to change tier (with `change-tier-href`).
 *
 * @example
 * <member-gate tiers="tier_01jd… Supporter">
 *   <p>Members' news</p>
 *   <member-login slot="fallback"></member-login>
 * </member-gate>
 */
export class MemberGate extends MemberWidget {
  static override styles = [
    ...MemberWidget.styles,
    css`
      :host {
        display: block;
      }
    `,
  ];

  /** Tier ids or names (space or comma separated) whose members may see the content; empty for any member. */
  @property() tiers = '';

  /** Where a member of another tier can change it (the site's membership page); no link when empty. */
  @property({ attribute: 'change-tier-href' }) changeTierHref = '';

  /** Whether the content is shown now (reflects the gate's decision, for page CSS and tests). */
  @property({ type: Boolean, reflect: true }) open = false;

  private get tierList(): string[] {
    return this.tiers.split(/[\s,]+/).filter(Boolean);
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    this.open = this.sessionReady && gateAllows(this.member, this.tierList, this.config.tiers);
  }

  protected override render(): TemplateResult {
    if (!this.sessionReady) return html``;
    if (this.open) return html`<slot></slot>`;
    // On a page the key does not allow, nobody can sign in: the default note says why, for the site owner.
    if (this.setupProblem) return html`<slot name="fallback">${this.renderSetupProblem(this.setupProblem)}</slot>`;
    if (this.member) return html`<slot name="member-fallback">${this.renderMemberNote(this.member)}</slot>`;
    return html`<slot name="fallback"><p part="fallback">${this.strings.t('gate.fallback')}</p></slot>`;
  }

  /** Why a signed-in member does not see the content: the tiers it is for and theirs, or an inactive membership. */
  private renderMemberNote(member: Member): TemplateResult {
    const t = this.strings.t;
    if (member.status !== 'active') return html`<p part="fallback">${t('gate.inactive')}</p>`;
    const known = this.config.tiers;
    const names = this.tierList.map((entry) => findTier(entry, known)?.name ?? entry);
    const tiers = new Intl.ListFormat(this.strings.locale, { type: 'disjunction' }).format(names);
    const own = known.find((k) => k.id === member.tier_id)?.name;
    // A tier the public config does not list (a private one) is not named: the note says what the page needs.
    const yours = own ? t('gate.yourTier', { tier: own }) : member.tier_id === null ? t('gate.noTier') : '';
    return html`<p part="fallback">${t('gate.tierRequired', { tiers })} ${yours}</p>
      ${this.changeTierHref ? html`<a part="change-tier" href=${this.changeTierHref}>${t('gate.changeTier')}</a>` : nothing}`;
  }
}

defineElement('member-gate', MemberGate);

declare global {
  interface HTMLElementTagNameMap {
    'member-gate': MemberGate;
  }
}
