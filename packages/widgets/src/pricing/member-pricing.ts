import { defineElement } from '@memberkit/elements-core';
import type { MemberBilling } from '@memberkit/sdk';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { BillingInterval } from '../internal/events.js';
import { describeError } from '../internal/form-controller.js';
import { MemberWidget } from '../internal/member-widget.js';
import { billingStrings, type BillingStrings } from '../i18n/billing-strings.js';
import { assignLocation, currentPageUrl, type Navigate } from '../internal/navigation.js';
import { priceFor, sellableOffers, tierDescription, type TierOffer } from '../internal/tier-offers.js';
import { pricingStyles } from './member-pricing.styles.js';

/**
 * @tagname member-pricing
 *
 * The tiers on offer with their prices, a monthly/yearly switch when tiers are sold
 * both ways, trial days, and the signed-in member's current plan marked. Choosing a
 * paid tier starts Stripe Checkout (`mk.me.billing.checkout`) and sends the browser
 * there; it returns to `success-url` or `cancel-url` (this page by default). A free
 * tier is joined at once. A signed-out visitor's choice fires
 * `member-sign-in-required`, so the page can show sign-in or sign-up. A member who
 * already pays changes plan in `<member-billing>` (with the proration shown first):
 * their choice fires `member-plan-select` and opens `billing-url` with `?plan=<tier>|<interval>`.
 *
 * @fires member-checkout - A checkout started (cancelable: `preventDefault()` and navigate yourself to `detail.url`), or a free tier was joined (`url: null`).
 * @fires member-sign-in-required - A signed-out visitor chose a tier.
 * @fires member-plan-select - A member with a subscription chose another tier: plans change in the billing portal, with the proration shown first (cancelable: `preventDefault()` keeps the widget from going to `billing-url`).
 * @fires member-error - Loading the current plan or starting a checkout failed.
 *
 * @slot header - Replaces the title.
 * @slot footer - Below the tiers (e.g. terms, VAT note).
 *
 * @csspart base - The widget's box.
 * @csspart title - The heading.
 * @csspart switch - The monthly/yearly switch.
 * @csspart tiers - The list of tiers.
 * @csspart tier - One tier.
 * @csspart current - The "current plan" badge.
 * @csspart price - A tier's price.
 * @csspart trial - A tier's trial note.
 * @csspart checkout - The buttons choosing a tier.
 * @csspart message - Status and error messages.
 *
 * @example
 * <member-provider publishable-key="pk_…" api-url="https://api.example.org">
 *   <member-pricing interval="year"></member-pricing>
 * </member-provider>
 */
export class MemberPricing extends MemberWidget {
  static override styles = [...MemberWidget.styles, pricingStyles];

  /** The billing period shown first: `month` (default) or `year`. */
  @property({ reflect: true }) interval: BillingInterval = 'month';
  /** Where Checkout returns after paying; this page by default. */
  @property({ attribute: 'success-url' }) successUrl?: string;
  /** Where Checkout returns when the member gives up; this page by default. */
  @property({ attribute: 'cancel-url' }) cancelUrl?: string;
  /** The page with `<member-billing>`, where a paying member changes plan (it preselects the plan chosen here). */
  @property({ attribute: 'billing-url' }) billingUrl?: string;
  /**
   * How the browser is sent to Checkout; `location.assign` by default. Set it to route
   * in a single-page app (or, in tests, to record the URL).
   */
  @property({ attribute: false }) navigate: Navigate = assignLocation;

  @state() private billing: MemberBilling | null = null;
  @state() private busyTier: string | null = null;
  @state() private error = '';
  @state() private notice = '';

  #loadedFor: string | null = null;

  /** The strings with the billing words (loaded with this element). */
  get #s(): BillingStrings {
    return billingStrings(this.strings, this.config.strings);
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const id = this.member?.id ?? null;
    if (id !== this.#loadedFor && this.client) {
      this.#loadedFor = id;
      this.billing = null;
      if (id) void this.#loadBilling();
    }
  }

  protected override render(): TemplateResult {
    if (this.setupProblem) return this.renderSetupProblem(this.setupProblem);
    const s = this.#s;
    const offers = sellableOffers(this.config.tiers);
    const both =
      offers.some((o) => o.prices.some((p) => p.interval === 'month')) &&
      offers.some((o) => o.prices.some((p) => p.interval === 'year'));
    return html`<div part="base">
      <slot name="header"><h2 part="title">${s.t('pricing.title')}</h2></slot>
      ${both ? this.#renderSwitch() : nothing}
      <div class="alert error" role="alert" part="message">${this.error}</div>
      <p class="alert success" role="status" part="message">${this.notice}</p>
      ${
        offers.length === 0
          ? html`<p part="message">${this.config.tenant.id ? s.t('pricing.empty') : s.t('common.loading')}</p>`
          : html`<ul class="tiers" part="tiers">${offers.map((offer) => this.#renderOffer(offer))}</ul>`
      }
      <slot name="footer"></slot>
    </div>`;
  }

  #renderSwitch(): TemplateResult {
    const s = this.#s;
    const option = (value: BillingInterval, label: string) =>
      html`<label><input type="radio" name="interval" value=${value} .checked=${this.interval === value} @change=${this.#onInterval} />${label}</label>`;
    return html`<fieldset class="switch" part="switch">
      <legend>${s.t('pricing.period')}</legend>
      ${option('month', s.t('pricing.monthly'))} ${option('year', s.t('pricing.yearly'))}
    </fieldset>`;
  }

  #renderOffer(offer: TierOffer): TemplateResult {
    const s = this.#s;
    const { tier } = offer;
    const price = priceFor(offer, this.interval);
    const current = this.#isCurrent(offer, price?.interval ?? null);
    const description = tierDescription(tier, s);
    const headingId = `tier-${tier.id}`;
    return html`<li class="tier" part="tier" aria-labelledby=${headingId} ?data-current=${current}>
      <h3 id=${headingId}>${tier.name}</h3>
      ${current ? html`<span class="badge" part="current">${s.t('pricing.current')}</span>` : nothing}
      <p class="price" part="price">${
        price
          ? s.t(price.interval === 'year' ? 'tier.priceYear' : 'tier.priceMonth', {
              price: s.money(price.amount, price.currency),
            })
          : s.t('tier.free')
      }</p>
      ${offer.trialDays > 0 && price ? html`<p class="hint" part="trial">${s.plural('pricing.trial', offer.trialDays)}</p>` : nothing}
      ${description ? html`<p>${description}</p>` : nothing}
      ${tier.features.length > 0 ? html`<ul class="features">${tier.features.map((f) => html`<li>${f}</li>`)}</ul>` : nothing}
      ${current ? nothing : this.#renderChoose(offer, price?.interval ?? null)}
    </li>`;
  }

  #renderChoose(offer: TierOffer, interval: BillingInterval | null): TemplateResult {
    const s = this.#s;
    const { tier } = offer;
    if (!tier.available) return html`<p class="hint">${s.t('pricing.full')}</p>`;
    const label = offer.free
      ? s.t('pricing.joinFree', { tier: tier.name })
      : this.#paying()
        ? s.t('pricing.switch', { tier: tier.name })
        : s.t('pricing.choose', { tier: tier.name });
    return html`<div class="actions">
      <button type="button" part="checkout" ?disabled=${this.busyTier !== null} @click=${() => this.#choose(offer, interval)}>${label}</button>
    </div>`;
  }

  /** A live subscription (a canceled one does not make a tier current). */
  #subscription(): MemberBilling['subscription'] {
    const sub = this.billing?.subscription ?? null;
    return sub && sub.status !== 'canceled' && sub.status !== 'incomplete_expired' ? sub : null;
  }

  /** A subscription paid through Stripe: plans then change in the portal (a complimentary one may still buy a tier). */
  #paying(): boolean {
    const sub = this.#subscription();
    return sub !== null && sub.status !== 'comp';
  }

  #isCurrent(offer: TierOffer, interval: BillingInterval | null): boolean {
    if (!this.member) return false;
    const sub = this.#subscription();
    if (sub) return sub.tier_id === offer.tier.id && (interval === null || sub.interval === interval);
    return offer.free && this.member.tier_id === offer.tier.id;
  }

  #onInterval = (event: Event): void => {
    this.interval = (event.target as HTMLInputElement).value === 'year' ? 'year' : 'month';
  };

  async #loadBilling(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      this.billing = await client.me.billing.retrieve();
    } catch (error) {
      // The prices still show; only the "current plan" mark is missing.
      this.reportError('billing', error);
    }
  }

  async #choose(offer: TierOffer, interval: BillingInterval | null): Promise<void> {
    const client = this.client;
    const tierId = offer.tier.id;
    this.error = '';
    this.notice = '';
    if (!this.member || !client) {
      this.notice = this.#s.t('pricing.signInFirst');
      this.emit('member-sign-in-required', { action: 'checkout', tierId, interval });
      return;
    }
    if (this.#paying()) {
      // Already paying: a change is previewed and confirmed in the billing portal, not a new checkout.
      const event = this.emit('member-plan-select', { tierId, interval }, { cancelable: true });
      if (!event.defaultPrevented && this.billingUrl) {
        const target = new URL(this.billingUrl, location.href);
        target.searchParams.set('plan', `${tierId}|${interval ?? 'month'}`);
        this.navigate(target.toString());
      }
      return;
    }
    this.busyTier = tierId;
    try {
      const here = currentPageUrl();
      const checkout = await client.me.billing.checkout({
        tier_id: tierId,
        // A free tier has no interval; the API takes the tier's own.
        interval: interval ?? 'month',
        success_url: this.successUrl || here,
        cancel_url: this.cancelUrl || here,
      });
      const url = checkout.url ?? null;
      const event = this.emit('member-checkout', { tierId, interval, url }, { cancelable: true });
      if (url) {
        this.notice = this.#s.t('pricing.redirecting');
        if (!event.defaultPrevented) this.navigate(url);
      } else {
        this.notice = this.#s.t('pricing.joined', { tier: offer.tier.name });
        await this.#loadBilling();
      }
    } catch (error) {
      this.error = describeError(error, this.strings, new Set()).message;
      this.reportError('checkout', error);
    } finally {
      this.busyTier = null;
    }
  }
}

defineElement('member-pricing', MemberPricing);

declare global {
  interface HTMLElementTagNameMap {
    'member-pricing': MemberPricing;
  }
}
