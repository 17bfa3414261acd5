import { buildInvoice, finalizeInvoice, invoicePaymentOf, payInvoice, voidInvoice } from '../engine/invoices.js';
import { periodLine } from '../engine/lines.js';
import { periodEnd } from '../engine/periods.js';
import { itemObject, itemPrice, previewSubscriptionInvoice } from '../engine/subscriptions.js';
import { registerIncludable } from '../expand.js';
import { filterBy, filterCreated, listObject } from '../lists.js';
import { bool, mergeMetadata, str } from '../params.js';
import type { Router } from '../router.js';
import type { DoubleState } from '../state.js';
import { invalidRequest, missingParam, type Obj, type Params, StripeDoubleError } from '../types.js';
import { previousAttributes } from './events.js';
import { resolvePaymentMethod } from './payment-methods.js';

/** After an invoice is paid through the API, its subscription recovers (`active`), as on Stripe. */
function reviveSubscription(state: DoubleState, account: string, invoice: Obj): void {
  const subId = invoice.parent?.subscription_details?.subscription;
  const sub = subId ? state.store.find(account, subId, 'subscription') : undefined;
  if (!sub || !['incomplete', 'past_due', 'unpaid'].includes(sub.status)) return;
  const stillOpen = state.store
    .all(account, 'invoice')
    .some(
      (inv) =>
        inv.id !== invoice.id && inv.status === 'open' && inv.parent?.subscription_details?.subscription === sub.id,
    );
  if (stillOpen) return;
  const before = structuredClone(sub);
  sub.status = 'active';
  state.emit(account, 'customer.subscription.updated', sub, previousAttributes(before, sub));
}

/** `create_preview` of a subscription that does not exist yet (customer + `subscription_details[items]`). */
function previewNewSubscription(state: DoubleState, account: string, customer: Obj, details: Params): Obj {
  const now = state.now();
  const raw = Array.isArray(details.items) ? details.items : [];
  if (raw.length === 0) throw missingParam('subscription_details[items]');
  const prices = raw.map((it: Params, i: number) =>
    itemPrice(state, account, it.price, `subscription_details[items][${i}][price]`),
  );
  const first = prices[0]!.recurring;
  const trialEnd = details.trial_end && details.trial_end !== 'now' ? Number(details.trial_end) : null;
  const end = trialEnd ?? periodEnd(now, first.interval, first.interval_count);
  const sub = { id: null, customer: customer.id, metadata: {}, currency: prices[0]!.currency, status: 'incomplete' };
  const items = prices.map((price, i) =>
    itemObject(state, 'sub_preview', price, raw[i]!.quantity ? Number(raw[i]!.quantity) : undefined, now, end),
  );
  return buildInvoice(state, account, {
    customer,
    subscription: null,
    lines: items
      .filter((it) => it.price.recurring.usage_type !== 'metered')
      .map((it) => periodLine(state, account, sub, it, now, end, trialEnd !== null)),
    billingReason: 'subscription_create',
    currency: prices[0]!.currency,
    periodStart: now,
    periodEnd: now,
    preview: true,
  });
}

/** Invoices (preview, retrieve, list, lines, pay, void, finalize, mark uncollectible), invoice items, invoice payments. */
export function registerInvoices(router: Router): void {
  registerIncludable('invoice', 'payments', (state, account, invoice) => {
    const record = state.store.find(account, invoice.id, 'invoice')
      ? invoicePaymentOf(state, account, invoice)
      : undefined;
    return {
      object: 'list',
      data: record ? [record] : [],
      has_more: false,
      url: `/v1/invoice_payments?invoice=${invoice.id}`,
    };
  });

  registerIncludable('invoice', 'confirmation_secret', (state, account, invoice) => {
    const record = state.store.find(account, invoice.id, 'invoice')
      ? invoicePaymentOf(state, account, invoice)
      : undefined;
    const intent = record ? state.store.find(account, record.payment.payment_intent, 'payment_intent') : undefined;
    return intent ? { client_secret: intent.client_secret, type: 'payment_intent' } : null;
  });

  router.post('/v1/invoices/create_preview', (ctx) => {
    const p = ctx.params;
    const subId = str(p.subscription, 'subscription');
    if (subId) {
      const sub = ctx.state.store.get(ctx.account, subId, 'subscription', 'subscription', 'subscription');
      if (p.customer && p.customer !== sub.customer)
        throw invalidRequest('The subscription does not belong to this customer.', 'customer');
      return previewSubscriptionInvoice(ctx.state, ctx.account, sub, p.subscription_details);
    }
    const customerId = str(p.customer, 'customer');
    if (!customerId) throw missingParam('customer');
    const customer = ctx.state.store.get(ctx.account, customerId, 'customer', 'customer', 'customer');
    if (p.subscription_details?.items)
      return previewNewSubscription(ctx.state, ctx.account, customer, p.subscription_details);
    const sub = ctx.state.store
      .all(ctx.account, 'subscription')
      .find((s) => s.customer === customer.id && !['canceled', 'incomplete_expired'].includes(s.status));
    if (!sub)
      throw new StripeDoubleError(404, 'invalid_request_error', `No upcoming invoices for customer: ${customer.id}`, {
        code: 'invoice_upcoming_none',
      });
    return previewSubscriptionInvoice(ctx.state, ctx.account, sub, undefined);
  });
  router.get('/v1/invoices/:id', (ctx) => ctx.state.store.get(ctx.account, ctx.path.id, 'invoice'));
  router.get('/v1/invoices/:id/lines', (ctx) => {
    const invoice = ctx.state.store.get(ctx.account, ctx.path.id, 'invoice');
    return listObject(ctx, `/v1/invoices/${invoice.id}/lines`, invoice.lines.data);
  });
  router.post('/v1/invoices/:id', (ctx) => {
    const invoice = ctx.state.store.get(ctx.account, ctx.path.id, 'invoice');
    invoice.metadata = mergeMetadata(invoice.metadata, ctx.params.metadata);
    if (ctx.params.description !== undefined) invoice.description = str(ctx.params.description, 'description') || null;
    return invoice;
  });
  router.get('/v1/invoices', (ctx) => {
    const p = ctx.params;
    const items = filterBy(ctx.state.store.all(ctx.account, 'invoice'), p, {
      customer: (i) => i.customer,
      status: (i) => i.status,
      subscription: (i) => i.parent?.subscription_details?.subscription,
      collection_method: (i) => i.collection_method,
    });
    return listObject(ctx, '/v1/invoices', filterCreated(items, p.created));
  });
  router.post('/v1/invoices/:id/finalize', (ctx) => {
    const invoice = ctx.state.store.get(ctx.account, ctx.path.id, 'invoice');
    finalizeInvoice(ctx.state, ctx.account, invoice);
    return invoice;
  });
  router.post('/v1/invoices/:id/pay', (ctx) => {
    const invoice = ctx.state.store.get(ctx.account, ctx.path.id, 'invoice');
    if (invoice.status === 'draft') finalizeInvoice(ctx.state, ctx.account, invoice);
    if (bool(ctx.params.paid_out_of_band, 'paid_out_of_band')) {
      if (invoice.status !== 'open') throw invalidRequest('Invoice is already paid', undefined, 'invoice_already_paid');
      invoice.status = 'paid';
      invoice.amount_paid = invoice.amount_due;
      invoice.amount_remaining = 0;
      invoice.status_transitions.paid_at = ctx.state.now();
      ctx.state.emit(ctx.account, 'invoice.paid', invoice);
    } else if (invoice.status !== 'paid') {
      const pm = ctx.params.payment_method
        ? resolvePaymentMethod(ctx.state, ctx.account, ctx.params.payment_method)
        : undefined;
      const { paid, result } = payInvoice(ctx.state, ctx.account, invoice, pm);
      if (!paid) {
        throw new StripeDoubleError(402, 'card_error', 'Your card was declined.', {
          code: result ? 'card_declined' : 'invoice_payment_intent_requires_action',
          ...(result ? { decline_code: result.declineCode ?? undefined, charge: result.charge.id } : {}),
        });
      }
    } else throw invalidRequest('Invoice is already paid', undefined, 'invoice_already_paid');
    invoice.next_payment_attempt = null;
    ctx.state.firstFailure.delete(invoice.id);
    reviveSubscription(ctx.state, ctx.account, invoice);
    return invoice;
  });
  router.post('/v1/invoices/:id/void', (ctx) => {
    const invoice = ctx.state.store.get(ctx.account, ctx.path.id, 'invoice');
    voidInvoice(ctx.state, ctx.account, invoice);
    return invoice;
  });
  router.post('/v1/invoices/:id/mark_uncollectible', (ctx) => {
    const invoice = ctx.state.store.get(ctx.account, ctx.path.id, 'invoice');
    if (invoice.status !== 'open')
      throw invalidRequest('You can only mark an open invoice as uncollectible.', undefined, 'invoice_not_open');
    invoice.status = 'uncollectible';
    invoice.next_payment_attempt = null;
    invoice.status_transitions.marked_uncollectible_at = ctx.state.now();
    ctx.state.emit(ctx.account, 'invoice.marked_uncollectible', invoice);
    return invoice;
  });

  router.get('/v1/invoiceitems', (ctx) => {
    let items = filterBy(ctx.state.store.all(ctx.account, 'invoiceitem'), ctx.params, {
      customer: (i) => i.customer,
      invoice: (i) => i.invoice,
    });
    if (ctx.params.pending === 'true') items = items.filter((i) => i.invoice === null);
    return listObject(ctx, '/v1/invoiceitems', items);
  });
  router.get('/v1/invoiceitems/:id', (ctx) => ctx.state.store.get(ctx.account, ctx.path.id, 'invoiceitem'));

  router.get('/v1/invoice_payments', (ctx) => {
    const items = filterBy(ctx.state.store.all(ctx.account, 'invoice_payment'), ctx.params, {
      invoice: (i) => i.invoice,
      status: (i) => i.status,
    });
    const pi = ctx.params.payment?.payment_intent;
    return listObject(ctx, '/v1/invoice_payments', pi ? items.filter((i) => i.payment.payment_intent === pi) : items);
  });
  router.get('/v1/invoice_payments/:id', (ctx) => ctx.state.store.get(ctx.account, ctx.path.id, 'invoice_payment'));

  router.get('/v1/payment_intents/:id', (ctx) => ctx.state.store.get(ctx.account, ctx.path.id, 'payment_intent'));
  router.get('/v1/payment_intents', (ctx) =>
    listObject(
      ctx,
      '/v1/payment_intents',
      filterBy(ctx.state.store.all(ctx.account, 'payment_intent'), ctx.params, { customer: (i) => i.customer }),
    ),
  );
  router.get('/v1/charges/:id', (ctx) => ctx.state.store.get(ctx.account, ctx.path.id, 'charge'));
  router.get('/v1/charges', (ctx) =>
    listObject(
      ctx,
      '/v1/charges',
      filterBy(ctx.state.store.all(ctx.account, 'charge'), ctx.params, {
        customer: (c) => c.customer,
        payment_intent: (c) => c.payment_intent,
      }),
    ),
  );
}
