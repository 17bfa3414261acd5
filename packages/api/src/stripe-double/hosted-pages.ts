import { describeDate } from './engine/lines.js';
import { formatAmount } from './engine/money.js';
import { textPdf } from './pdf.js';
import { completeOnboarding } from './resources/accounts.js';
import { completeCheckoutSession, successRedirect } from './resources/checkout.js';
import type { PageHandler, PageResponse } from './server.js';
import type { DoubleState } from './state.js';
import { type Obj, StripeDoubleError } from './types.js';

const CARDS = [
  { value: 'pm_card_visa', label: 'Visa •••• 4242 (succeeds)' },
  { value: 'pm_card_mastercard', label: 'Mastercard •••• 4444 (succeeds)' },
  { value: 'pm_card_chargeDeclined', label: 'Visa •••• 0002 (declined)' },
];

function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function html(status: number, title: string, body: string): PageResponse {
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
table{width:100%;border-collapse:collapse}td{padding:.25rem 0}td.amount{text-align:right}
.note{color:#555}.error{color:#8a1414;font-weight:600}button{font-size:1rem;padding:.6rem 1.4rem}
fieldset{border:1px solid #ccc;margin:1rem 0}label{display:block;margin:.3rem 0}</style></head>
<body><p class="note">Stripe test double — no real payment is made.</p>${body}</body></html>`;
  return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: page };
}

function redirect(location: string): PageResponse {
  return { status: 303, headers: { location }, body: '' };
}

function lookup(state: DoubleState, id: string, object: string): { account: string; obj: Obj } | null {
  const account = state.store.accountOf(id);
  const obj = account ? state.store.find(account, id, object) : undefined;
  return account && obj ? { account, obj } : null;
}

function checkoutPage(state: DoubleState, account: string, session: Obj, error?: string): PageResponse {
  if (session.status !== 'open' || session.expires_at <= state.now())
    return html(
      410,
      'Checkout',
      `<h1>This checkout session is ${escapeHtml(session.status === 'open' ? 'expired' : session.status)}.</h1>`,
    );
  const rows = (session.__line_items as Obj[])
    .map((li) => {
      const price = state.store.find(account, li.price, 'price');
      const product = price ? state.store.find(account, price.product, 'product') : undefined;
      const every = price?.recurring ? ` / ${price.recurring.interval}` : '';
      const amount =
        price?.unit_amount != null
          ? formatAmount(price.unit_amount * (li.quantity ?? 1), price.currency) + every
          : 'usage based';
      return `<tr><td>${escapeHtml(product?.name ?? li.price)}${li.quantity > 1 ? ` × ${li.quantity}` : ''}</td><td class="amount">${escapeHtml(amount)}</td></tr>`;
    })
    .join('');
  const trialDays = session.__subscription_data?.trial_period_days;
  const due = session.amount_total !== null ? formatAmount(session.amount_total, session.currency) : null;
  const action = session.mode === 'setup' ? 'Save card' : trialDays ? 'Start trial' : 'Pay';
  const cards = CARDS.map(
    (card, i) =>
      `<label><input type="radio" name="card" value="${card.value}"${i === 0 ? ' checked' : ''}> ${escapeHtml(card.label)}</label>`,
  ).join('');
  const promo = session.allow_promotion_codes
    ? '<label>Promotion code <input name="promotion_code" autocomplete="off"></label>'
    : '';
  const body = `<main><h1>${session.mode === 'setup' ? 'Add a card' : 'Checkout'}</h1>
${rows ? `<table><tbody>${rows}</tbody></table>` : ''}
${trialDays ? `<p>${escapeHtml(trialDays)}-day free trial.</p>` : ''}
${due !== null ? `<p>Due today: <strong data-testid="amount-due">${escapeHtml(due)}</strong></p>` : ''}
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/checkout/${escapeHtml(session.id)}">
<fieldset><legend>Test card</legend>${cards}</fieldset>${promo}
<button type="submit">${action}</button></form>
${session.cancel_url ? `<p><a href="${escapeHtml(session.cancel_url)}">Cancel and go back</a></p>` : ''}</main>`;
  return html(error ? 402 : 200, 'Checkout', body);
}

function invoiceLines(invoice: Obj): string[] {
  return (invoice.lines.data as Obj[]).map(
    (line) => `${line.description ?? ''}: ${formatAmount(line.amount, invoice.currency)}`,
  );
}

function invoicePage(state: DoubleState, invoice: Obj): PageResponse {
  const rows = (invoice.lines.data as Obj[])
    .map(
      (line) =>
        `<tr><td>${escapeHtml(line.description)}<br><small>${describeDate(line.period.start)} – ${describeDate(line.period.end)}</small></td><td class="amount">${escapeHtml(formatAmount(line.amount, invoice.currency))}</td></tr>`,
    )
    .join('');
  const refunded = refundedAmount(state, invoice);
  const body = `<main><h1>Invoice ${escapeHtml(invoice.number ?? invoice.id)}</h1>
<p>Status: <strong>${escapeHtml(invoice.status)}</strong></p>
<p>${escapeHtml(invoice.customer_email ?? '')}</p>
<table><tbody>${rows}</tbody></table>
<p>Total: <strong>${escapeHtml(formatAmount(invoice.total, invoice.currency))}</strong></p>
<p>Amount paid: ${escapeHtml(formatAmount(invoice.amount_paid, invoice.currency))}</p>
${refunded ? `<p>Refunded: ${escapeHtml(formatAmount(refunded, invoice.currency))}</p>` : ''}
<p><a href="/invoices/${escapeHtml(invoice.id)}/pdf">Download PDF</a></p></main>`;
  return html(200, `Invoice ${invoice.number ?? invoice.id}`, body);
}

function refundedAmount(state: DoubleState, invoice: Obj): number {
  const account = state.store.accountOf(invoice.id)!;
  const record = state.store.all(account, 'invoice_payment').find((p) => p.invoice === invoice.id);
  const intent = record ? state.store.find(account, record.payment.payment_intent, 'payment_intent') : undefined;
  const charge = intent?.latest_charge ? state.store.find(account, intent.latest_charge, 'charge') : undefined;
  return charge?.amount_refunded ?? 0;
}

/** The double's hosted pages: checkout, invoices (HTML and PDF), Connect onboarding, receipts. */
export function createPages(state: DoubleState): PageHandler {
  return (method, url, form) => {
    const [, kind, id, extra] = url.pathname.split('/').map(decodeURIComponent);
    if (kind === 'checkout' && id) {
      const found = lookup(state, id, 'checkout.session');
      if (!found) return html(404, 'Checkout', '<h1>No such checkout session.</h1>');
      if (method === 'POST') {
        try {
          const session = completeCheckoutSession(
            state,
            found.account,
            id,
            form.card || 'pm_card_visa',
            form.promotion_code || undefined,
          );
          return redirect(successRedirect(session));
        } catch (error) {
          if (error instanceof StripeDoubleError) return checkoutPage(state, found.account, found.obj, error.message);
          throw error;
        }
      }
      return checkoutPage(state, found.account, found.obj);
    }
    if (kind === 'invoices' && id) {
      const found = lookup(state, id, 'invoice');
      if (!found || found.obj.status === 'draft') return html(404, 'Invoice', '<h1>No such invoice.</h1>');
      if (extra === 'pdf') {
        const invoice = found.obj;
        const pdf = textPdf([
          `Invoice ${invoice.number ?? invoice.id}`,
          `Status: ${invoice.status}`,
          `Customer: ${invoice.customer_email ?? invoice.customer}`,
          `Date: ${describeDate(invoice.created)}`,
          '',
          ...invoiceLines(invoice),
          '',
          `Total: ${formatAmount(invoice.total, invoice.currency)}`,
          `Amount paid: ${formatAmount(invoice.amount_paid, invoice.currency)}`,
        ]);
        return {
          status: 200,
          headers: {
            'content-type': 'application/pdf',
            'content-disposition': `inline; filename="${invoice.number ?? invoice.id}.pdf"`,
          },
          body: pdf,
        };
      }
      return invoicePage(state, found.obj);
    }
    if (kind === 'connect' && id === 'onboarding' && extra) {
      const record = state.accounts.get(extra);
      if (!record) return html(404, 'Onboarding', '<h1>No such account.</h1>');
      const back = url.searchParams.get('return_url');
      if (method === 'POST') {
        completeOnboarding(state, extra);
        return back ? redirect(back) : html(200, 'Onboarding', '<h1>Onboarding complete.</h1>');
      }
      return html(
        200,
        'Onboarding',
        `<main><h1>Connect ${escapeHtml(extra)} to the platform</h1>
<form method="post" action="${escapeHtml(url.pathname + url.search)}"><button type="submit">Complete onboarding</button></form></main>`,
      );
    }
    if (kind === 'receipts' && id) {
      const found = lookup(state, id, 'payment_intent');
      if (!found) return html(404, 'Receipt', '<h1>No such receipt.</h1>');
      return html(
        200,
        'Receipt',
        `<main><h1>Receipt</h1><p>${escapeHtml(formatAmount(found.obj.amount, found.obj.currency))} — ${escapeHtml(found.obj.status)}</p></main>`,
      );
    }
    return null;
  };
}
