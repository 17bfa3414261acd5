import { createDiscounts, resolveDiscounts } from '../engine/discounts.js';
import { licensedAmount } from '../engine/lines.js';
import { cancelSubscription, createSubscription, updateSubscription } from '../engine/subscriptions.js';
import { filterBy, filterCreated, listObject } from '../lists.js';
import { bool, str } from '../params.js';
import type { Router } from '../router.js';
import { missingParam, type Obj } from '../types.js';
import { searchObjects } from './customers.js';

/** Subscriptions: create, retrieve, update (prorations), cancel, list, search; subscription items read. */
export function registerSubscriptions(router: Router): void {
  router.post('/v1/subscriptions', (ctx) => {
    const p = ctx.params;
    if (!p.customer) throw missingParam('customer');
    const customer = ctx.state.store.get(ctx.account, p.customer, 'customer', 'customer', 'customer');
    const prices = (Array.isArray(p.items) ? p.items : [])
      .map((it: Obj) => ctx.state.store.find(ctx.account, it.price, 'price'))
      .filter(Boolean) as Obj[];
    const applicable = resolveDiscounts(ctx.state, ctx.account, p.discounts, {
      customer,
      currency: prices[0]?.currency ?? 'eur',
      productIds: prices.map((x) => x.product),
      amount: prices.reduce((s, x) => s + licensedAmount({ price: x, quantity: 1 }), 0),
      param: 'discounts',
    });
    const discounts = createDiscounts(ctx.state, ctx.account, applicable, { customer: customer.id });
    return createSubscription(ctx.state, ctx.account, p, discounts);
  });
  router.get('/v1/subscriptions/search', (ctx) => {
    const items = searchObjects(ctx.state.store.all(ctx.account, 'subscription'), String(ctx.params.query ?? ''));
    return {
      object: 'search_result',
      data: items.slice(0, Number(ctx.params.limit ?? 10)),
      has_more: false,
      next_page: null,
      url: '/v1/subscriptions/search',
    };
  });
  router.get('/v1/subscriptions/:id', (ctx) => ctx.state.store.get(ctx.account, ctx.path.id, 'subscription'));
  router.post('/v1/subscriptions/:id', (ctx) => {
    const sub = ctx.state.store.get(ctx.account, ctx.path.id, 'subscription');
    if (ctx.params.discounts !== undefined) {
      const customer = ctx.state.store.get(ctx.account, sub.customer, 'customer');
      const applicable = resolveDiscounts(ctx.state, ctx.account, ctx.params.discounts, {
        customer,
        currency: sub.currency,
        productIds: sub.items.data.map((it: Obj) => it.price.product),
        amount: sub.items.data.reduce((s: number, it: Obj) => s + licensedAmount(it), 0),
        param: 'discounts',
      });
      sub.discounts = createDiscounts(ctx.state, ctx.account, applicable, {
        customer: customer.id,
        subscription: sub.id,
      }).map((d) => d.id);
    }
    return updateSubscription(ctx.state, ctx.account, sub, ctx.params);
  });
  router.delete('/v1/subscriptions/:id', (ctx) => {
    const sub = ctx.state.store.get(ctx.account, ctx.path.id, 'subscription');
    return cancelSubscription(ctx.state, ctx.account, sub, {
      prorate: bool(ctx.params.prorate, 'prorate') ?? false,
      invoiceNow: bool(ctx.params.invoice_now, 'invoice_now') ?? false,
      ...(ctx.params.cancellation_details ? { details: ctx.params.cancellation_details } : {}),
    });
  });
  router.post('/v1/subscriptions/:id/cancel', (ctx) => {
    const sub = ctx.state.store.get(ctx.account, ctx.path.id, 'subscription');
    return cancelSubscription(ctx.state, ctx.account, sub, {
      prorate: bool(ctx.params.prorate, 'prorate') ?? false,
      invoiceNow: bool(ctx.params.invoice_now, 'invoice_now') ?? false,
    });
  });
  router.get('/v1/subscriptions', (ctx) => {
    const p = ctx.params;
    let items = filterBy(ctx.state.store.all(ctx.account, 'subscription'), p, { customer: (s) => s.customer });
    const status = str(p.status, 'status');
    if (!status) items = items.filter((s) => s.status !== 'canceled' && s.status !== 'incomplete_expired');
    else if (status === 'ended')
      items = items.filter((s) => s.status === 'canceled' || s.status === 'incomplete_expired');
    else if (status !== 'all') items = items.filter((s) => s.status === status);
    if (p.price) items = items.filter((s) => s.items.data.some((it: Obj) => it.price.id === p.price));
    return listObject(ctx, '/v1/subscriptions', filterCreated(items, p.created));
  });
  router.get('/v1/subscription_items', (ctx) => {
    const subId = str(ctx.params.subscription, 'subscription');
    if (!subId) throw missingParam('subscription');
    const sub = ctx.state.store.get(ctx.account, subId, 'subscription', 'subscription', 'subscription');
    return listObject(ctx, `/v1/subscription_items?subscription=${sub.id}`, [...sub.items.data].reverse());
  });
  router.get('/v1/subscription_items/:id', (ctx) => {
    for (const sub of ctx.state.store.all(ctx.account, 'subscription')) {
      const item = sub.items.data.find((it: Obj) => it.id === ctx.path.id);
      if (item) return item;
    }
    return ctx.state.store.get(ctx.account, ctx.path.id, 'subscription_item', 'subscription item');
  });
}
