/**
 * The read-mostly sections of `<member-billing>` (cards, invoices, usage) as pure
 * templates: data and callbacks in, markup out. The element owns state and actions.
 */
import type { MemberInvoice, PaymentMethod, UsageSummary } from '@memberkit/sdk';
import { html, nothing, type TemplateResult } from 'lit';
import type { BillingStrings as Strings } from '../i18n/billing-strings.js';
import { cardText, statusText } from './billing-format.js';

/** What the cards section can do. */
export interface CardActions {
  busy: boolean;
  makeDefault(card: PaymentMethod): void;
  remove(card: PaymentMethod): void;
  add(): void;
}

/** Saved cards with "Make default" and "Remove", and "Add a payment method". */
export function renderCards(s: Strings, cards: readonly PaymentMethod[], actions: CardActions): TemplateResult {
  return html`${
    cards.length === 0
      ? html`<p class="hint">${s.t('billing.noCards')}</p>`
      : html`<ul class="plain" part="cards">
          ${cards.map((card) => {
            const label = cardText(s, card);
            return html`<li class="card" part="card">
              <span>${label} ${card.default ? html`<span class="badge">${s.t('billing.default')}</span>` : nothing}</span>
              <span class="actions">
                ${
                  card.default
                    ? nothing
                    : html`<button type="button" class="secondary" ?disabled=${actions.busy} aria-label=${s.t('billing.makeDefaultLabel', { card: label })} @click=${() => actions.makeDefault(card)}>${s.t('billing.makeDefault')}</button>`
                }
                <button type="button" class="secondary" ?disabled=${actions.busy} aria-label=${s.t('billing.removeLabel', { card: label })} @click=${() => actions.remove(card)}>${s.t('billing.remove')}</button>
              </span>
            </li>`;
          })}
        </ul>`
  }
    <div class="actions">
      <button type="button" part="action" ?disabled=${actions.busy} @click=${actions.add}>${s.t('billing.addCard')}</button>
    </div>`;
}

/** The invoices table: date, number, amount, status, hosted page and PDF links. */
export function renderInvoices(
  s: Strings,
  invoices: readonly MemberInvoice[],
  more: { hasMore: boolean; busy: boolean; load(): void },
): TemplateResult {
  if (invoices.length === 0) return html`<p class="hint">${s.t('billing.noInvoices')}</p>`;
  return html`<div class="table-wrap">
      <table part="invoices">
        <thead>
          <tr>
            <th scope="col">${s.t('billing.invoiceDate')}</th>
            <th scope="col">${s.t('billing.invoiceNumber')}</th>
            <th scope="col" class="amount">${s.t('billing.invoiceTotal')}</th>
            <th scope="col">${s.t('billing.invoiceStatus')}</th>
            <th scope="col">${s.t('billing.invoiceLinks')}</th>
          </tr>
        </thead>
        <tbody>
          ${invoices.map((invoice) => {
            const number = invoice.number ?? invoice.id;
            return html`<tr part="invoice">
              <td>${s.date(invoice.created_at)}</td>
              <td>${number}</td>
              <td class="amount">${s.money(invoice.total, invoice.currency)}</td>
              <td>${statusText(s, 'billing.invoiceStatus', invoice.status ?? '')}</td>
              <td class="actions">
                ${invoice.hosted_invoice_url ? html`<a href=${invoice.hosted_invoice_url} target="_blank" rel="noopener" aria-label=${s.t('billing.invoiceViewLabel', { number })}>${s.t('billing.invoiceView')}</a>` : nothing}
                ${invoice.invoice_pdf ? html`<a href=${invoice.invoice_pdf} target="_blank" rel="noopener" aria-label=${s.t('billing.invoicePdfLabel', { number })}>${s.t('billing.invoicePdf')}</a>` : nothing}
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
    </div>
    ${
      more.hasMore
        ? html`<div class="actions"><button type="button" class="secondary" ?disabled=${more.busy} @click=${more.load}>${s.t('billing.moreInvoices')}</button></div>`
        : nothing
    }`;
}

/** This period's usage per metered feature: a bar of used against included units and the estimated extra charge. */
export function renderUsage(s: Strings, usage: UsageSummary): TemplateResult {
  return html`<p class="hint">${s.t('billing.usagePeriod', { from: s.date(usage.period_start), to: s.date(usage.period_end) })}</p>
    <ul class="plain">
      ${usage.features.map((feature, i) => {
        const unit = feature.unit_label ?? '';
        const id = `meter-${i}`;
        const words =
          feature.included > 0
            ? s.t('billing.usedOf', { used: s.number(feature.used), included: s.number(feature.included), unit })
            : s.t('billing.used', { used: s.number(feature.used), unit });
        return html`<li class="meter" part="meter">
          <span id=${id}><strong>${feature.name}</strong>: ${words}</span>
          ${
            feature.included > 0
              ? html`<progress part="meter-bar" aria-labelledby=${id} max=${feature.included} .value=${Math.min(feature.used, feature.included)}></progress>`
              : nothing
          }
          ${feature.estimated_amount > 0 ? html`<span class="hint">${s.t('billing.estimated', { amount: s.money(feature.estimated_amount, feature.currency) })}</span>` : nothing}
        </li>`;
      })}
    </ul>`;
}
