import { css, html, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { MemberWidget } from '../internal/member-widget.js';
import { defineElement } from '@memberkit/elements-core';
import type { Member } from '../runtime/widget-session.js';
import type { PublicTier } from '../config/public-config.js';

/** Whether a member may see gated content: active, and of one of `tiers` when any are given (ids or names). */
export function gateAllows(member: Member | null, tiers: readonly string[], known: readonly PublicTier[]): boolean {
  if (member?.status !== 'active') return false;
  if (tiers.length === 0) return true;
  const ids = new Set(tiers.map((tier) => known.find((k) => k.name.toLowerCase() === tier.toLowerCase())?.id ?? tier));
  return member.tier_id !== null && ids.has(member.tier_id);
}

/**
 * @tagname member-gate
 *
 * Shows its content only to signed-in members (optionally of given tiers) and the
 * `fallback` slot to everyone else. Nothing shows until the stored session has been
 * restored, so members do not see the fallback flash. Hiding content here is a
 * convenience, not protection: content that must stay secret must come from a server
 * that checks the member's token.
 *
 * @slot - Content for members.
 * @slot fallback - Content for visitors and members without the tier; defaults to a short note (on a page whose
 *   origin the key does not allow, to the reason, for the site owner).
 *
 * @fires member-error - The tenant's config or the session could not be loaded.
 *
 * @csspart fallback - The default fallback note.
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

  /** Whether the content is shown now (reflects the gate's decision, for page CSS and tests). */
  @property({ type: Boolean, reflect: true }) open = false;

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const tiers = this.tiers.split(/[\s,]+/).filter(Boolean);
    this.open = this.sessionReady && gateAllows(this.member, tiers, this.config.tiers);
  }

  protected override render(): TemplateResult {
    if (!this.sessionReady) return html``;
    if (this.open) return html`<slot></slot>`;
    // On a page the key does not allow, nobody can sign in: the default note says why, for the site owner.
    if (this.setupProblem) return html`<slot name="fallback">${this.renderSetupProblem(this.setupProblem)}</slot>`;
    const note = this.member ? this.strings.t('gate.tierFallback') : this.strings.t('gate.fallback');
    return html`<slot name="fallback"><p part="fallback">${note}</p></slot>`;
  }
}

defineElement('member-gate', MemberGate);

declare global {
  interface HTMLElementTagNameMap {
    'member-gate': MemberGate;
  }
}
