import { defineElement } from '@memberkit/elements-core';
import type {
  BillingPreview,
  CancelSubscriptionParams,
  MemberBilling,
  MemberInvoice,
  MemberInvoiceList,
  Memberkit,
  PaymentMethod,
  UsageSummary,
} from '@memberkit/sdk';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { BillingInterval } from '../internal/events.js';
import { describeError, FormController } from '../internal/form-controller.js';
import { MemberWidget } from '../internal/member-widget.js';
import { billingStrings, type BillingStrings } from '../i18n/billing-strings.js';
import { assignLocation, currentPageUrl, type Navigate } from '../internal/navigation.js';
import { sellableOffers } from '../internal/tier-offers.js';
import { intervalPrice, statusText } from './billing-format.js';
import { renderCards, renderInvoices, renderUsage } from './billing-sections.js';
import { billingStyles } from './member-billing.styles.js';

/** Cancellation reasons offered (Stripe's `cancellation_details.feedback` values). */
const CANCEL_REASONS = [
  'too_expensive',
  'unused',
  'missing_features',
  'too_complex',
  'low_quality',
  'switched_service',
  'customer_service',
  'other',
] as const satisfies readonly NonNullable<CancelSubscriptionParams['reason']>[];

type CancelReason = (typeof CANCEL_REASONS)[number];

const INVOICE_PAGE = 10;

/**
 * @tagname member-billing
 *
 * The signed-in member's self-service billing: plan, status, renewal or end date,
 * trial end and next invoice; change of tier or billing period with the exact
 * proration preview shown before confirming; cancel at period end (with a reason)
 * and resume; payment methods (make default, remove, add through a secure setup
 * page); invoices with their hosted page and PDF; this period's usage of metered
 * features against what the plan includes, with the estimated extra charge.
 *
 * @fires member-plan-change - A previewed change was confirmed.
 * @fires member-subscription-cancel - The member canceled (at period end).
 * @fires member-subscription-resume - The member took a cancellation back.
 * @fires member-payment-method-change - A card was made default or removed, or adding one started (cancelable: `preventDefault()` to navigate yourself).
 * @fires member-error - Loading or an action failed.
 *
 * @slot no-plan - Shown when the member has no subscription (e.g. a `<member-pricing>`).
 *
 * A `?plan=<tier id>|<interval>` in the page URL (what `<member-pricing billing-url>`
 * opens) preselects that plan in "Change plan".
 *
 * @csspart base - The widget's box.
 * @csspart title - The heading.
 * @csspart section - Each section (plan, change, cancel, payment methods, invoices, usage).
 * @csspart plan - The plan summary.
 * @csspart preview - The proration preview.
 * @csspart cards - The list of cards.
 * @csspart card - One card.
 * @csspart invoices - The invoices table.
 * @csspart invoice - One invoice row.
 * @csspart meter - One metered feature.
 * @csspart meter-bar - Its progress bar.
 * @csspart action - Primary buttons.
 * @csspart message - Status and error messages.
 *
 * @example
 * <member-provider publishable-key="pk_…" api-url="https://api.example.org">
 *   <member-billing></member-billing>
 * </member-provider>
 */
export class MemberBillingElement extends MemberWidget {
  static override styles = [...MemberWidget.styles, billingStyles];

  /** Where the card setup page returns to; this page by default. */
  @property({ attribute: 'return-url' }) returnUrl?: string;
  /** How the browser is sent to the card setup page; `location.assign` by default (tests and single-page apps replace it). */
  @property({ attribute: false }) navigate: Navigate = assignLocation;

  @state() private billing: MemberBilling | null = null;
  @state() private cards: PaymentMethod[] = [];
  @state() private invoices: MemberInvoice[] = [];
  @state() private moreInvoices = false;
  @state() private usage: UsageSummary | null = null;
  @state() private loading = false;
  @state() private loadError = '';
  @state() private preview: BillingPreview | null = null;
  @state() private cancelOpen = false;

  readonly #change = new FormController(this);
  readonly #cancel = new FormController(this);
  readonly #cards = new FormController(this);
  readonly #invoices = new FormController(this);
  #loadedFor: string | null = null;

  /** The strings with the billing words (loaded with this element). */
  get #s(): BillingStrings {
    return billingStrings(this.strings, this.config.strings);
  }
  /** The pages after the first of the invoice list being shown. */
  #invoicePages?: AsyncGenerator<MemberInvoiceList, void, undefined>;

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const id = this.member?.id ?? null;
    if (id !== this.#loadedFor && this.client) {
      this.#loadedFor = id;
      if (id) void this.reload();
    }
  }

  /** Loads everything again (after returning from a checkout, for instance). */
  async reload(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.loading = true;
    this.loadError = '';
    const [billing, cards, invoices, usage] = await Promise.allSettled([
      client.me.billing.retrieve(),
      client.me.billing.paymentMethods.list(),
      this.#firstInvoices(client),
      client.me.billing.usage(),
    ]);
    this.loading = false;
    if (billing.status === 'rejected') {
      this.loadError = describeError(billing.reason, this.strings, new Set()).message;
      this.reportError('billing', billing.reason);
      return;
    }
    this.billing = billing.value;
    this.cards = cards.status === 'fulfilled' ? cards.value.data : [];
    if (invoices.status === 'fulfilled') this.#showInvoices(invoices.value);
    // No metered features (or no subscription): the section is left out.
    this.usage = usage.status === 'fulfilled' && usage.value.features.length > 0 ? usage.value : null;
    for (const failed of [cards, invoices].filter((r) => r.status === 'rejected'))
      this.reportError('billing', (failed as PromiseRejectedResult).reason);
  }

  protected override render(): TemplateResult {
    if (this.setupProblem) return this.renderSetupProblem(this.setupProblem);
    const s = this.#s;
    if (!this.member) {
      return html`<div part="base"><p part="message">${this.sessionReady ? s.t('billing.signedOut') : s.t('common.loading')}</p></div>`;
    }
    if (this.loadError) {
      return html`<div part="base">
        <p class="alert error" role="alert" part="message">${this.loadError}</p>
        <div class="actions"><button type="button" part="action" @click=${() => this.reload()}>${s.t('billing.retry')}</button></div>
      </div>`;
    }
    if (!this.billing) {
      return html`<div part="base"><p role="status" part="message">${s.t('common.loading')}</p></div>`;
    }
    const sub = this.billing.subscription;
    // A Stripe subscription the member can change or cancel (a complimentary one is staff's to end).
    const live = sub && !['canceled', 'incomplete_expired', 'comp'].includes(sub.status) ? sub : null;
    return html`<div part="base" aria-busy=${this.loading ? 'true' : 'false'}>
      <h2 part="title">${s.t('billing.title')}</h2>
      ${this.#renderPlan()}
      ${live ? this.#renderChange(live) : nothing}
      ${live ? this.#renderCancel(live) : nothing}
      ${this.usage ? this.#section('usage', s.t('billing.usageTitle'), renderUsage(s, this.usage)) : nothing}
      ${this.#section(
        'cards',
        s.t('billing.cardsTitle'),
        html`${this.#messages(this.#cards)}
        ${renderCards(s, this.cards, {
          busy: this.#cards.busy,
          makeDefault: (card) => void this.#makeDefault(card),
          remove: (card) => void this.#removeCard(card),
          add: () => void this.#addCard(),
        })}`,
      )}
      ${this.#section(
        'invoices',
        s.t('billing.invoicesTitle'),
        html`${this.#messages(this.#invoices)}
        ${renderInvoices(s, this.invoices, { hasMore: this.moreInvoices, busy: this.#invoices.busy, load: () => void this.#moreInvoices() })}`,
      )}
    </div>`;
  }

  #section(id: string, title: string, body: TemplateResult): TemplateResult {
    return html`<section part="section" aria-labelledby=${`${id}-title`}>
      <h3 id=${`${id}-title`}>${title}</h3>
      ${body}
    </section>`;
  }

  #messages(form: FormController): TemplateResult {
    return html`<div class="alert error" role="alert" part="message">${form.message}</div>
      <p class="alert success" role="status" part="message">${form.status}</p>`;
  }

  #renderPlan(): TemplateResult {
    const s = this.#s;
    const billing = this.billing as MemberBilling;
    const sub = billing.subscription;
    if (!sub) {
      return this.#section(
        'plan',
        s.t('billing.planTitle'),
        html`<p part="plan">${s.t('billing.noPlan')}</p><slot name="no-plan"></slot>`,
      );
    }
    const upcoming = billing.upcoming_invoice;
    return this.#section(
      'plan',
      s.t('billing.planTitle'),
      html`<div part="plan">
        <p><strong>${s.t('billing.planLine', { tier: sub.tier_name, price: intervalPrice(s, sub.amount, sub.currency, sub.interval) })}</strong></p>
        <p>${s.t('billing.status', { status: statusText(s, 'billing.status', sub.status) })}</p>
        ${sub.trial_end && sub.status === 'trialing' ? html`<p>${s.t('billing.trialEnds', { date: s.date(sub.trial_end) })}</p>` : nothing}
        ${this.#renderPeriodEnd(sub)}
        ${
          upcoming?.date && !sub.cancel_at_period_end
            ? html`<p>${s.t('billing.nextInvoice', { amount: s.money(upcoming.amount_due, upcoming.currency), date: s.date(upcoming.date) })}</p>`
            : nothing
        }
      </div>`,
    );
  }

  /** When the plan renews or ends (a complimentary one ends on its end date). */
  #renderPeriodEnd(sub: NonNullable<MemberBilling['subscription']>): TemplateResult | typeof nothing {
    const s = this.#s;
    if (sub.status === 'canceled') return nothing;
    const end = sub.cancel_at_period_end || sub.status === 'comp' ? (sub.cancel_at ?? sub.current_period_end) : null;
    if (end) return html`<p>${s.t('billing.ends', { date: s.date(end) })}</p>`;
    return sub.current_period_end
      ? html`<p>${s.t('billing.renews', { date: s.date(sub.current_period_end) })}</p>`
      : nothing;
  }

  #renderChange(sub: NonNullable<MemberBilling['subscription']>): TemplateResult {
    const s = this.#s;
    const c = this.#change;
    const options = sellableOffers(this.config.tiers)
      .filter((offer) => !offer.free)
      .flatMap((offer) => offer.prices.map((price) => ({ offer, price })))
      .filter(({ offer, price }) => !(offer.tier.id === sub.tier_id && price.interval === sub.interval));
    if (options.length === 0) return html``;
    const preview = this.preview;
    // The plan chosen in <member-pricing> (its billing-url carries `?plan=<tier>|<interval>`).
    const wanted = new URLSearchParams(location.search).get('plan');
    return this.#section(
      'change',
      s.t('billing.changeTitle'),
      html`<form part="form" novalidate @submit=${this.#previewChange}>
        ${this.#messages(c)}
        <div class="field">
          <label for="change-plan">${s.t('billing.changeTier')}</label>
          <select id="change-plan" name="plan" required @change=${() => (this.preview = null)}>
            ${options.map(({ offer, price }) => {
              const value = `${offer.tier.id}|${price.interval}`;
              return html`<option value=${value} ?selected=${value === wanted}>${offer.tier.name} · ${intervalPrice(s, price.amount, price.currency, price.interval)}</option>`;
            })}
          </select>
        </div>
        <div class="actions"><button type="submit" class="secondary" ?disabled=${c.busy}>${s.t('billing.preview')}</button></div>
      </form>
      ${
        preview
          ? html`<div class="panel" part="preview" role="group" aria-labelledby="preview-title">
            <h4 id="preview-title" tabindex="-1">${s.t('billing.previewTitle')}</h4>
            <div class="table-wrap"><table>
              <tbody>
                ${preview.lines.map(
                  (line) => html`<tr>
                    <td>${line.description ?? (line.amount < 0 ? s.t('billing.credit') : '')}</td>
                    <td class="amount">${s.money(line.amount, preview.currency)}</td>
                  </tr>`,
                )}
              </tbody>
            </table></div>
            <p><strong id="due-now">${s.t('billing.dueNow', { amount: s.money(preview.amount_due, preview.currency) })}</strong></p>
            <div class="actions">
              <button type="button" part="action" ?disabled=${c.busy} @click=${this.#confirmChange}>${s.t('billing.confirmChange')}</button>
              <button type="button" class="secondary" @click=${() => (this.preview = null)}>${s.t('common.cancel')}</button>
            </div>
          </div>`
          : nothing
      }`,
    );
  }

  #renderCancel(sub: NonNullable<MemberBilling['subscription']>): TemplateResult {
    const s = this.#s;
    const c = this.#cancel;
    if (sub.cancel_at_period_end) {
      return this.#section(
        'cancel',
        s.t('billing.cancelTitle'),
        html`${this.#messages(c)}
        <div class="actions"><button type="button" part="action" ?disabled=${c.busy} @click=${this.#resume}>${s.t('billing.resume')}</button></div>`,
      );
    }
    return this.#section(
      'cancel',
      s.t('billing.cancelTitle'),
      html`${this.#messages(c)}
      <p>${s.t('billing.cancelIntro')}</p>
      ${
        this.cancelOpen
          ? html`<form class="panel danger" part="form" novalidate @submit=${this.#confirmCancel}>
            <div class="field">
              <label for="cancel-reason">${s.t('billing.cancelReason')} <span class="hint">(${s.t('common.optional')})</span></label>
              <select id="cancel-reason" name="reason">
                <option value="">${s.t('field.selectPlaceholder')}</option>
                ${CANCEL_REASONS.map((reason) => html`<option value=${reason}>${s.t(`billing.reason.${reason}`)}</option>`)}
              </select>
            </div>
            <div class="field">
              <label for="cancel-comment">${s.t('billing.cancelComment')} <span class="hint">(${s.t('common.optional')})</span></label>
              <textarea id="cancel-comment" name="comment" maxlength="500"></textarea>
            </div>
            <div class="actions">
              <button type="submit" class="danger" ?disabled=${c.busy}>${s.t('billing.cancelConfirm')}</button>
              <button type="button" class="secondary" @click=${() => (this.cancelOpen = false)}>${s.t('billing.keep')}</button>
            </div>
          </form>`
          : html`<div class="actions"><button type="button" class="danger" @click=${this.#openCancel}>${s.t('billing.cancelStart')}</button></div>`
      }`,
    );
  }

  #previewChange = async (event: SubmitEvent): Promise<void> => {
    const client = this.client;
    if (!client) return;
    this.preview = null;
    const preview = await this.#change.submit(
      event,
      this.strings,
      async (data) => {
        const [tierId = '', interval = 'month'] = String(data.get('plan') ?? '').split('|');
        return client.me.billing.preview({ tier_id: tierId, interval: interval as BillingInterval });
      },
      (error) => this.reportError('billing_preview', error),
    );
    if (!preview) return;
    this.preview = preview;
    await this.updateComplete;
    // Keyboard and screen-reader users land on what the change costs.
    this.renderRoot.querySelector<HTMLElement>('#preview-title')?.focus();
  };

  #confirmChange = async (): Promise<void> => {
    const client = this.client;
    const preview = this.preview;
    const form = this.renderRoot.querySelector<HTMLFormElement>('#change-title ~ form');
    if (!client || !preview || !form) return;
    const billing = await this.#change.run(
      form,
      this.strings,
      () => client.me.billing.change({ preview_id: preview.id }),
      (error) => this.reportError('billing_change', error),
    );
    if (!billing) return;
    this.preview = null;
    this.billing = billing;
    this.#change.status = this.#s.t('billing.changed');
    this.emit('member-plan-change', {
      billing,
      previewId: preview.id,
      amountDue: preview.amount_due,
      currency: preview.currency,
    });
    void this.#refreshLists();
  };

  #openCancel = async (): Promise<void> => {
    this.cancelOpen = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#cancel-reason')?.focus();
  };

  #confirmCancel = async (event: SubmitEvent): Promise<void> => {
    const client = this.client;
    if (!client) return;
    let reason: CancelReason | null = null;
    const billing = await this.#cancel.submit(
      event,
      this.strings,
      (data) => {
        const chosen = String(data.get('reason') ?? '');
        reason = CANCEL_REASONS.find((r) => r === chosen) ?? null;
        const comment = String(data.get('comment') ?? '').trim();
        return client.me.billing.cancel({
          at_period_end: true,
          ...(reason ? { reason } : {}),
          ...(comment ? { comment } : {}),
        });
      },
      (error) => this.reportError('billing_cancel', error),
    );
    if (!billing) return;
    this.cancelOpen = false;
    this.billing = billing;
    const end = billing.subscription?.cancel_at ?? billing.subscription?.current_period_end;
    this.#cancel.status = end ? this.#s.t('billing.canceled', { date: this.#s.date(end) }) : '';
    this.emit('member-subscription-cancel', { billing, atPeriodEnd: true, reason });
  };

  #resume = async (): Promise<void> => {
    const billing = await this.#action(this.#cancel, 'billing_resume', (client) => client.me.billing.resume());
    if (!billing) return;
    this.billing = billing;
    this.#cancel.status = this.#s.t('billing.resumed');
    this.emit('member-subscription-resume', { billing });
  };

  async #makeDefault(card: PaymentMethod): Promise<void> {
    const cards = await this.#action(this.#cards, 'payment_method_default', (client) =>
      client.me.billing.paymentMethods.setDefault(card.id),
    );
    if (!cards) return;
    this.cards = cards.data;
    this.#cards.status = this.#s.t('billing.cardDefaulted');
    this.emit('member-payment-method-change', { action: 'default', paymentMethodId: card.id, url: null });
  }

  async #removeCard(card: PaymentMethod): Promise<void> {
    const cards = await this.#action(this.#cards, 'payment_method_remove', (client) =>
      client.me.billing.paymentMethods.del(card.id),
    );
    if (!cards) return;
    this.cards = cards.data;
    this.#cards.status = this.#s.t('billing.cardRemoved');
    this.emit('member-payment-method-change', { action: 'remove', paymentMethodId: card.id, url: null });
    // The focused button went with its row: focus moves to the section's heading.
    await this.updateComplete;
    const heading = this.renderRoot.querySelector<HTMLElement>('#cards-title');
    heading?.setAttribute('tabindex', '-1');
    heading?.focus();
  }

  async #addCard(): Promise<void> {
    const here = this.returnUrl || currentPageUrl();
    const setup = await this.#action(this.#cards, 'payment_method_setup', (client) =>
      client.me.billing.paymentMethods.setup({ success_url: here, cancel_url: here }),
    );
    if (!setup) return;
    const event = this.emit(
      'member-payment-method-change',
      { action: 'setup', paymentMethodId: null, url: setup.url },
      { cancelable: true },
    );
    if (!event.defaultPrevented) this.navigate(setup.url);
  }

  /** The first page of invoices; the list's page iterator is kept for "Show more". */
  async #firstInvoices(client: Memberkit): Promise<MemberInvoiceList> {
    this.#invoicePages = client.me.billing.invoices.list({ limit: INVOICE_PAGE }).pages();
    const first = await this.#invoicePages.next();
    // pages() always yields the first page before it can be done.
    return first.value as MemberInvoiceList;
  }

  #showInvoices(page: MemberInvoiceList): void {
    this.invoices = page.data;
    this.moreInvoices = page.has_more;
  }

  async #moreInvoices(): Promise<void> {
    const pages = this.#invoicePages;
    if (!pages) return;
    const next = await this.#action(this.#invoices, 'invoices', () => pages.next());
    if (!next || next.done) return;
    this.invoices = [...this.invoices, ...next.value.data];
    this.moreInvoices = next.value.has_more;
  }

  /** After a change: the new invoice and the new plan's usage allowance. */
  async #refreshLists(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      const [invoices, usage] = await Promise.all([
        this.#firstInvoices(client),
        client.me.billing.usage().catch(() => null),
      ]);
      this.#showInvoices(invoices);
      this.usage = usage && usage.features.length > 0 ? usage : null;
    } catch (error) {
      this.reportError('billing', error);
    }
  }

  /** Runs a button action with its section's busy flag and messages; undefined when it failed. */
  async #action<T>(
    form: FormController,
    action: string,
    run: (client: Memberkit) => Promise<T>,
  ): Promise<T | undefined> {
    const client = this.client;
    if (!client || form.busy) return undefined;
    form.busy = true;
    form.message = '';
    form.status = '';
    this.requestUpdate();
    try {
      return await run(client);
    } catch (error) {
      form.fail(error, this.strings);
      this.reportError(action, error);
      return undefined;
    } finally {
      form.busy = false;
      this.requestUpdate();
    }
  }
}

defineElement('member-billing', MemberBillingElement);

declare global {
  interface HTMLElementTagNameMap {
    'member-billing': MemberBillingElement;
  }
}
