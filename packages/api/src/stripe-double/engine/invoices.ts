import type { DoubleState } from '../state.js';
import { newId } from '../store.js';
import { invalidRequest, type Obj } from '../types.js';
import { attemptCharge, type ChargeResult, createPaymentIntent } from './payments.js';

/** One line of an invoice before it exists. */
export interface LineSpec {
  amount: number;
  description: string;
  period: { start: number; end: number };
  price: Obj | null;
  quantity: number | null;
  proration: boolean;
  subscription: string | null;
  subscriptionItem: string | null;
  /** Set for lines coming from pending invoice items (`ii_…`): Stripe types them `invoice_item_details`. */
  invoiceItem?: string | null;
}

/** What an invoice is built from. */
export interface InvoiceSpec {
  customer: Obj;
  subscription: Obj | null;
  lines: LineSpec[];
  billingReason: string;
  currency: string;
  periodStart: number;
  periodEnd: number;
  /** Discount objects applying to this invoice. */
  discounts?: Obj[];
  /** A preview (`create_preview`): not stored, no events, id `upcoming_in_…`. */
  preview?: boolean;
  prorationDate?: number;
  /** The id to use (so pending items can be swept into the invoice before it is built). */
  id?: string;
}

function lineObject(spec: LineSpec, invoiceId: string | null, currency: string): Obj {
  const id = newId('il');
  const parent = spec.invoiceItem
    ? {
        type: 'invoice_item_details',
        invoice_item_details: {
          invoice_item: spec.invoiceItem,
          proration: spec.proration,
          proration_details: { credited_items: null },
          subscription: spec.subscription,
        },
        subscription_item_details: null,
      }
    : {
        type: 'subscription_item_details',
        invoice_item_details: null,
        subscription_item_details: {
          invoice_item: null,
          proration: spec.proration,
          proration_details: { credited_items: null },
          subscription: spec.subscription,
          subscription_item: spec.subscriptionItem,
        },
      };
  return {
    id,
    object: 'line_item',
    amount: spec.amount,
    currency,
    description: spec.description,
    discount_amounts: [],
    discountable: !spec.proration,
    discounts: [],
    invoice: invoiceId,
    livemode: false,
    metadata: {},
    parent: spec.subscription || spec.invoiceItem ? parent : null,
    period: { ...spec.period },
    pretax_credit_amounts: [],
    pricing: spec.price
      ? {
          price_details: { price: spec.price.id, product: spec.price.product },
          type: 'price_details',
          unit_amount_decimal: spec.price.unit_amount_decimal,
        }
      : null,
    quantity: spec.quantity,
    quantity_decimal: spec.quantity === null ? null : String(spec.quantity),
    subscription: spec.subscription,
    subtotal: spec.amount,
    taxes: [],
  };
}

/** The discount in minor units each discount takes off `lines` (percent per discountable line, amount off the total). */
function applyDiscounts(state: DoubleState, account: string, lines: Obj[], discounts: Obj[]): Obj[] {
  const totals: Obj[] = [];
  for (const discount of discounts) {
    const coupon = state.store.find(account, discount.source.coupon, 'coupon');
    if (!coupon) continue;
    let total = 0;
    if (coupon.percent_off !== null) {
      for (const line of lines) {
        if (!line.discountable || line.amount <= 0) continue;
        const amount = Math.round((line.amount * coupon.percent_off) / 100);
        line.discount_amounts.push({ amount, discount: discount.id });
        line.discounts.push(discount.id);
        total += amount;
      }
    } else if (coupon.amount_off !== null) {
      let left = coupon.amount_off as number;
      for (const line of lines) {
        if (!line.discountable || line.amount <= 0 || left <= 0) continue;
        const already = line.discount_amounts.reduce((s: number, d: Obj) => s + d.amount, 0);
        const amount = Math.min(left, line.amount - already);
        line.discount_amounts.push({ amount, discount: discount.id });
        line.discounts.push(discount.id);
        left -= amount;
        total += amount;
      }
    }
    totals.push({ amount: total, discount: discount.id });
  }
  return totals;
}

/**
 * Builds an invoice (status `draft`) from lines, with Stripe's totals: subtotal,
 * discounts, total, and amount due after the customer's credit balance. Stored
 * and announced (`invoice.created`) unless it is a preview.
 */
export function buildInvoice(state: DoubleState, account: string, spec: InvoiceSpec): Obj {
  const id = spec.id ?? (spec.preview ? `upcoming_${newId('in')}` : newId('in'));
  const lines = spec.lines.map((line) => lineObject(line, spec.preview ? null : id, spec.currency));
  const discounts = spec.discounts ?? [];
  const discountTotals = applyDiscounts(state, account, lines, discounts);
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  const discountSum = discountTotals.reduce((sum, d) => sum + d.amount, 0);
  const total = subtotal - discountSum;
  const balance = spec.customer.balance as number;
  const due = Math.max(0, total + balance);
  const now = state.now();
  const sub = spec.subscription;
  const invoice: Obj = {
    id,
    object: 'invoice',
    account_country: 'DE',
    account_name: state.accounts.get(account)?.object.business_profile?.name ?? null,
    account_tax_ids: null,
    amount_due: due,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: due,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: !spec.preview,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: spec.billingReason,
    collection_method: 'charge_automatically',
    created: now,
    currency: spec.currency,
    custom_fields: null,
    customer: spec.customer.id,
    customer_account: null,
    customer_address: null,
    customer_email: spec.customer.email,
    customer_name: spec.customer.name,
    customer_phone: spec.customer.phone,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: discounts.map((d) => d.id),
    due_date: null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: lines, has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: sub
      ? {
          type: 'subscription_details',
          quote_details: null,
          subscription_details: {
            metadata: { ...sub.metadata },
            subscription: sub.id,
            ...(spec.prorationDate !== undefined ? { subscription_proration_date: spec.prorationDate } : {}),
          },
        }
      : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: spec.periodEnd,
    period_start: spec.periodStart,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: balance,
    statement_descriptor: null,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal,
    subtotal_excluding_tax: subtotal,
    test_clock: null,
    total,
    total_discount_amounts: discountTotals,
    total_excluding_tax: total,
    total_pretax_credit_amounts: discountTotals.map((d) => ({
      amount: d.amount,
      discount: d.discount,
      type: 'discount',
    })),
    total_taxes: [],
    webhooks_delivered_at: null,
  };
  if (spec.preview) {
    invoice.ending_balance = Math.min(0, total + balance);
    return invoice;
  }
  state.store.insert(account, invoice);
  state.emit(account, 'invoice.created', invoice);
  return invoice;
}

/**
 * Finalizes a draft: number, hosted page and PDF links, the customer's balance
 * applied (a negative total becomes credit). A zero amount due is paid at once.
 */
export function finalizeInvoice(state: DoubleState, account: string, invoice: Obj): void {
  if (invoice.status !== 'draft')
    throw invalidRequest('This invoice is already finalized.', undefined, 'invoice_not_editable');
  const customer = state.store.get(account, invoice.customer, 'customer');
  const balance = customer.balance as number;
  const sum = invoice.total + balance;
  invoice.starting_balance = balance;
  invoice.amount_due = Math.max(0, sum);
  invoice.amount_remaining = invoice.amount_due;
  invoice.ending_balance = Math.min(0, sum);
  customer.balance = Math.min(0, sum);
  invoice.number = `${customer.invoice_prefix}-${String(customer.next_invoice_sequence++).padStart(4, '0')}`;
  invoice.status = 'open';
  invoice.effective_at = state.now();
  invoice.status_transitions.finalized_at = state.now();
  invoice.hosted_invoice_url = `${state.url}/invoices/${invoice.id}`;
  invoice.invoice_pdf = `${state.url}/invoices/${invoice.id}/pdf`;
  state.emit(account, 'invoice.finalized', invoice);
  if (invoice.amount_due === 0) markPaid(state, account, invoice);
}

function markPaid(state: DoubleState, account: string, invoice: Obj): void {
  invoice.status = 'paid';
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.next_payment_attempt = null;
  invoice.status_transitions.paid_at = state.now();
  state.emit(account, 'invoice.paid', invoice);
  state.emit(account, 'invoice.payment_succeeded', invoice);
}

/** The invoice's payment record (one per invoice), created on the first attempt. */
export function invoicePaymentOf(state: DoubleState, account: string, invoice: Obj): Obj | undefined {
  return state.store.all(account, 'invoice_payment').find((p) => p.invoice === invoice.id);
}

/** The payment method an invoice is charged to: the given one, the subscription's default, or the customer's. */
export function paymentMethodFor(state: DoubleState, account: string, invoice: Obj, given?: Obj): Obj | null {
  if (given) return given;
  const subId = invoice.parent?.subscription_details?.subscription as string | undefined;
  const sub = subId ? state.store.find(account, subId, 'subscription') : undefined;
  const customer = state.store.find(account, invoice.customer, 'customer');
  const id = sub?.default_payment_method ?? customer?.invoice_settings.default_payment_method;
  return id ? (state.store.find(account, id, 'payment_method') ?? null) : null;
}

/**
 * Attempts to collect an open invoice. Paid: `invoice.paid` and
 * `invoice.payment_succeeded`. Declined or no payment method: `invoice.payment_failed`
 * (the caller decides retries and the subscription's status).
 */
export function payInvoice(
  state: DoubleState,
  account: string,
  invoice: Obj,
  given?: Obj,
): { paid: boolean; result: ChargeResult | null } {
  if (invoice.status === 'paid') throw invalidRequest('Invoice is already paid', undefined, 'invoice_already_paid');
  if (invoice.status !== 'open')
    throw invalidRequest(
      `You can only pay an open invoice. This invoice is ${invoice.status}.`,
      undefined,
      'invoice_not_open',
    );
  if (invoice.amount_due === 0) {
    markPaid(state, account, invoice);
    return { paid: true, result: null };
  }
  let record = invoicePaymentOf(state, account, invoice);
  if (!record) {
    const intent = createPaymentIntent(
      state,
      account,
      invoice.amount_due,
      invoice.currency,
      invoice.customer,
      invoice.billing_reason === 'subscription_create' ? 'Subscription creation' : 'Subscription update',
    );
    record = state.store.insert(account, {
      id: newId('inpay'),
      object: 'invoice_payment',
      amount_paid: null,
      amount_requested: invoice.amount_due,
      created: state.now(),
      currency: invoice.currency,
      invoice: invoice.id,
      is_default: true,
      livemode: false,
      payment: { type: 'payment_intent', payment_intent: intent.id },
      status: 'open',
      status_transitions: { canceled_at: null, paid_at: null },
    });
  }
  invoice.attempted = true;
  invoice.attempt_count++;
  const pm = paymentMethodFor(state, account, invoice, given);
  if (!pm) {
    state.emit(account, 'invoice.payment_failed', invoice);
    return { paid: false, result: null };
  }
  const intent = state.store.get(account, record.payment.payment_intent, 'payment_intent');
  const result = attemptCharge(state, account, intent, pm);
  if (!result.succeeded) {
    state.emit(account, 'invoice.payment_failed', invoice);
    return { paid: false, result };
  }
  record.status = 'paid';
  record.amount_paid = invoice.amount_due;
  record.status_transitions.paid_at = state.now();
  state.emit(account, 'invoice_payment.paid', record);
  markPaid(state, account, invoice);
  return { paid: true, result };
}

/** Voids an open invoice (`invoice.voided`); its payment intent is canceled. */
export function voidInvoice(state: DoubleState, account: string, invoice: Obj): void {
  if (invoice.status !== 'open' && invoice.status !== 'draft')
    throw invalidRequest(
      `You can only void an open invoice. This invoice is ${invoice.status}.`,
      undefined,
      'invoice_not_open',
    );
  invoice.status = 'void';
  invoice.amount_remaining = 0;
  invoice.next_payment_attempt = null;
  invoice.status_transitions.voided_at = state.now();
  const record = invoicePaymentOf(state, account, invoice);
  if (record) {
    record.status = 'canceled';
    record.status_transitions.canceled_at = state.now();
    const intent = state.store.find(account, record.payment.payment_intent, 'payment_intent');
    if (intent) {
      intent.status = 'canceled';
      intent.canceled_at = state.now();
    }
  }
  state.emit(account, 'invoice.voided', invoice);
}
