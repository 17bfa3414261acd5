import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { readCustomFields, renderCustomField } from '../internal/custom-fields.js';
import { renderCheckbox, renderInput } from '../internal/fields.js';
import { FormController } from '../internal/form-controller.js';
import { MemberWidget } from '../internal/member-widget.js';
import { defineElement } from '@memberkit/elements-core';
import type { PublicTier } from '../config/public-config.js';
import type { Strings } from '../i18n/strings.js';
import { renderTenantLogo, tenantLogoStyles } from '../login/tenant-logo.js';
import { signupStyles } from './member-signup.styles.js';
import { tierDescription } from '../internal/tier-offers.js';

// Kept where it was first exported; it lives with the other tier helpers.
export { tierDescription };

/** A tier's price in words: "Free", "€15.00 per month". */
export function tierPrice(tier: PublicTier, strings: Strings): string {
  if (tier.free || tier.interval === 'free' || tier.price.amount === 0) return strings.t('tier.free');
  const price = strings.money(tier.price.amount, tier.price.currency);
  const key =
    tier.interval === 'month' ? 'tier.priceMonth' : tier.interval === 'year' ? 'tier.priceYear' : 'tier.priceOnce';
  return strings.t(key, { price });
}

/**
 * @tagname member-signup
 *
 * Sign-up form: email, password, names, the tenant's custom fields for members (by
 * type, with their validation), a free tier when the tenant offers any, and the
 * consent checkbox when the tenant asks for one. Shows "check your inbox" when the
 * tenant requires email verification, else signs the member in.
 *
 * @fires member-signup - Signed up; `detail.member` is null while the email awaits confirmation.
 * @fires member-login - Signed in right after signing up (no verification required).
 * @fires member-error - The sign-up failed; the form shows why.
 *
 * @csspart base - The widget's box.
 * @csspart logo - The tenant's logo (its `logo_url`) above the form; absent when the tenant has none.
 * @csspart title - The heading.
 * @csspart form - The form.
 * @csspart field - Each label-and-input group.
 * @csspart label - Field labels.
 * @csspart input - Inputs and selects.
 * @csspart field-error - Inline field errors.
 * @csspart submit - The submit button.
 * @csspart message - The success and error messages.
 *
 * @example
 * <member-signup publishable-key="pk_…" api-url="https://api.example.org"></member-signup>
 */
export class MemberSignup extends MemberWidget {
  static override styles = [...MemberWidget.styles, tenantLogoStyles, signupStyles];

  @state() private done?: { email: string; verificationRequired: boolean; name: string };

  readonly #form = new FormController(this);

  protected override render(): TemplateResult {
    if (this.setupProblem) return this.renderSetupProblem(this.setupProblem);
    const s = this.strings;
    const c = this.config;
    const f = this.#form;
    if (this.done) {
      return html`<div part="base" role="status" aria-live="polite">
        <p class="alert success" part="message">
          ${this.done.verificationRequired ? s.t('signup.checkEmail', { email: this.done.email }) : s.t('signup.done', { name: this.done.name })}
        </p>
      </div>`;
    }
    if (this.member)
      return html`<div part="base"><p role="status" part="message">${s.t('login.signedIn', { email: this.member.email })}</p></div>`;
    if (!c.auth.signup_enabled) return html`<div part="base"><p part="message">${s.t('signup.closed')}</p></div>`;
    const fields = c.fields.filter((field) => field.member_editable || field.required);
    const freeTiers = c.tiers.filter((tier) => tier.free && tier.available);
    const id = 'signup';
    return html`<div part="base">
      ${renderTenantLogo(c)}
      <h2 part="title">${s.t('signup.title')}</h2>
      <form part="form" novalidate @submit=${this.#submit} aria-busy=${f.busy ? 'true' : 'false'}>
        <div class="alert error" role="alert" part="message">${f.message}</div>
        <div class="row">
          ${renderInput({ idPrefix: id, name: 'first_name', label: s.t('field.firstName'), autocomplete: 'given-name', required: true, error: f.errors.first_name })}
          ${renderInput({ idPrefix: id, name: 'last_name', label: s.t('field.lastName'), autocomplete: 'family-name', required: true, error: f.errors.last_name })}
        </div>
        ${renderInput({ idPrefix: id, name: 'email', type: 'email', inputmode: 'email', label: s.t('field.email'), autocomplete: 'email', required: true, error: f.errors.email })}
        ${renderInput({
          idPrefix: id,
          name: 'password',
          type: 'password',
          label: s.t('field.password'),
          autocomplete: 'new-password',
          required: true,
          minlength: 8,
          hint: s.t('field.passwordHint'),
          error: f.errors.password,
        })}
        ${fields.map((field) => renderCustomField(field, undefined, s, f.errors, id))}
        ${freeTiers.length > 0 ? this.#renderTiers(freeTiers, f.errors.tier_id) : nothing}
        ${c.consent.required ? this.#renderConsent(f.errors.consent) : nothing}
        <button type="submit" part="submit" ?disabled=${f.busy}>${f.busy ? s.t('common.working') : s.t('signup.submit')}</button>
      </form>
    </div>`;
  }

  #renderTiers(tiers: PublicTier[], error: string | undefined): TemplateResult {
    const s = this.strings;
    return html`<fieldset class="field" part="field" aria-describedby=${error ? 'signup-tier-error' : nothing}>
      <legend part="label">${s.t('field.tier')}</legend>
      ${tiers.map((tier, index) => {
        const description = tierDescription(tier, s);
        return html`<label class="check">
          <input type="radio" name="tier_id" value=${tier.id} ?checked=${index === 0} />
          <span>${tier.name} · ${tierPrice(tier, s)}${description ? html`<br /><span class="hint">${description}</span>` : nothing}</span>
        </label>`;
      })}
      ${error ? html`<span class="error" id="signup-tier-error" part="field-error">${error}</span>` : nothing}
    </fieldset>`;
  }

  #renderConsent(error: string | undefined): TemplateResult {
    const s = this.strings;
    const { terms_url: terms, privacy_url: privacy } = this.config.consent;
    const links = [
      terms ? html`<a href=${terms} target="_blank" rel="noopener">${s.t('signup.terms')}</a>` : nothing,
      privacy ? html`<a href=${privacy} target="_blank" rel="noopener">${s.t('signup.privacy')}</a>` : nothing,
    ];
    return html`${renderCheckbox({ idPrefix: 'signup', name: 'consent', label: s.t('signup.consent'), required: true, error: error ? s.t('signup.consentRequired') : undefined })}
    ${terms || privacy ? html`<p class="hint actions">${links}</p>` : nothing}`;
  }

  #submit = async (event: SubmitEvent): Promise<void> => {
    const session = this.session;
    if (!session) return;
    await this.#form.submit(
      event,
      this.strings,
      async (data) => {
        const email = String(data.get('email') ?? '').trim();
        const firstName = String(data.get('first_name') ?? '').trim();
        const customFields = readCustomFields(
          this.config.fields.filter((field) => field.member_editable || field.required),
          data,
        );
        const tier = data.get('tier_id');
        const result = await session.signup({
          email,
          password: String(data.get('password') ?? ''),
          first_name: firstName,
          last_name: String(data.get('last_name') ?? '').trim(),
          ...(Object.keys(customFields).length > 0 ? { custom_fields: customFields } : {}),
          ...(tier ? { tier_id: String(tier) } : {}),
          ...(this.config.consent.required ? { consent: data.get('consent') === 'true' } : {}),
          locale: this.strings.locale.split('-')[0] ?? 'en',
        });
        if (result.status === 'verification_required') {
          this.done = { email, verificationRequired: true, name: firstName };
          this.emit('member-signup', { member: null, email, verificationRequired: true });
        } else {
          this.done = { email, verificationRequired: false, name: result.member.first_name };
          this.emit('member-signup', { member: result.member, email, verificationRequired: false });
          this.emit('member-login', { member: result.member, method: 'password' });
        }
      },
      (error) => this.reportError('signup', error),
    );
  };
}

defineElement('member-signup', MemberSignup);

declare global {
  interface HTMLElementTagNameMap {
    'member-signup': MemberSignup;
  }
}
