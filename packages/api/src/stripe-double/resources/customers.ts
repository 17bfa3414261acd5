import { filterBy, filterCreated, listObject } from '../lists.js';
import { mergeMetadata, str } from '../params.js';
import type { Ctx, Router } from '../router.js';
import type { DoubleState } from '../state.js';
import { newId } from '../store.js';
import { invalidRequest, type Obj, type Params } from '../types.js';
import { previousAttributes } from './events.js';
import { attachPaymentMethod } from './payment-methods.js';

/** Creates a customer (with `payment_method` attached and optionally made the invoice default). */
export function createCustomer(state: DoubleState, account: string, params: Params): Obj {
  const customer = state.store.insert(account, {
    id: newId('cus', 14),
    object: 'customer',
    address: null,
    balance: 0,
    created: state.now(),
    currency: null,
    default_source: null,
    delinquent: false,
    description: str(params.description, 'description') || null,
    discount: null,
    email: str(params.email, 'email') || null,
    invoice_prefix: newId('X', 6).slice(2).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: mergeMetadata({}, params.metadata),
    name: str(params.name, 'name') || null,
    next_invoice_sequence: 1,
    phone: str(params.phone, 'phone') || null,
    preferred_locales: Array.isArray(params.preferred_locales) ? params.preferred_locales : [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  });
  const pm = str(params.payment_method, 'payment_method');
  if (pm) attachPaymentMethod(state, account, pm, customer.id);
  if (params.invoice_settings?.default_payment_method)
    setDefaultPaymentMethod(state, account, customer, params.invoice_settings.default_payment_method);
  state.emit(account, 'customer.created', customer);
  return customer;
}

/** Sets `invoice_settings.default_payment_method` (must be attached to the customer, as Stripe requires). */
export function setDefaultPaymentMethod(state: DoubleState, account: string, customer: Obj, pmId: string): void {
  if (pmId === '') {
    customer.invoice_settings.default_payment_method = null;
    return;
  }
  const pm = state.store.find(account, pmId, 'payment_method');
  if (!pm || pm.customer !== customer.id)
    throw invalidRequest(
      `The customer does not have a payment method with the ID ${pmId}. The payment method must be attached to the customer.`,
      'invoice_settings[default_payment_method]',
      'resource_missing',
    );
  customer.invoice_settings.default_payment_method = pmId;
}

function updateCustomer(ctx: Ctx): Obj {
  const customer = ctx.state.store.get(ctx.account, ctx.path.id, 'customer');
  const before = structuredClone(customer);
  const p = ctx.params;
  for (const field of ['email', 'name', 'phone', 'description'] as const)
    if (p[field] !== undefined) customer[field] = str(p[field], field) || null;
  if (Array.isArray(p.preferred_locales)) customer.preferred_locales = p.preferred_locales;
  customer.metadata = mergeMetadata(customer.metadata, p.metadata);
  if (p.invoice_settings?.default_payment_method !== undefined)
    setDefaultPaymentMethod(ctx.state, ctx.account, customer, p.invoice_settings.default_payment_method);
  ctx.state.emit(ctx.account, 'customer.updated', customer, previousAttributes(before, customer));
  return customer;
}

/** Customers: create, retrieve, update, list (`email`), delete, search (`metadata['k']:'v'`, `email:'x'`). */
export function registerCustomers(router: Router): void {
  router.post('/v1/customers', (ctx) => createCustomer(ctx.state, ctx.account, ctx.params));
  router.get('/v1/customers/search', (ctx) => {
    const items = searchObjects(ctx.state.store.all(ctx.account, 'customer'), String(ctx.params.query ?? ''));
    return {
      object: 'search_result',
      data: items.slice(0, Number(ctx.params.limit ?? 10)),
      has_more: false,
      next_page: null,
      url: '/v1/customers/search',
    };
  });
  router.get('/v1/customers/:id', (ctx) => {
    const found = ctx.state.store.find(ctx.account, ctx.path.id!, 'customer');
    if (!found) {
      const deleted = ctx.state.store.find(ctx.account, ctx.path.id!, 'deleted_customer');
      if (deleted) return { id: deleted.id, object: 'customer', deleted: true };
    }
    return ctx.state.store.get(ctx.account, ctx.path.id, 'customer');
  });
  router.post('/v1/customers/:id', updateCustomer);
  router.get('/v1/customers', (ctx) => {
    const items = filterBy(ctx.state.store.all(ctx.account, 'customer'), ctx.params, { email: (c) => c.email });
    return listObject(ctx, '/v1/customers', filterCreated(items, ctx.params.created));
  });
  router.delete('/v1/customers/:id', (ctx) => {
    const customer = ctx.state.store.get(ctx.account, ctx.path.id, 'customer');
    ctx.state.store.delete(customer.id);
    ctx.state.store.insert(ctx.account, { id: customer.id, object: 'deleted_customer' });
    ctx.state.emit(ctx.account, 'customer.deleted', customer);
    return { id: customer.id, object: 'customer', deleted: true };
  });
}

/**
 * A small subset of Stripe's search query language: clauses `field:'value'` or
 * `metadata['key']:'value'` joined by AND.
 */
export function searchObjects(items: Obj[], query: string): Obj[] {
  const clauses = query.split(/\s+AND\s+/i).filter(Boolean);
  return items.filter((item) =>
    clauses.every((clause) => {
      const meta = /^metadata\[['"]([^'"]+)['"]\]:['"]([^'"]*)['"]$/.exec(clause.trim());
      if (meta) return item.metadata?.[meta[1]!] === meta[2];
      const field = /^(\w+):['"]([^'"]*)['"]$/.exec(clause.trim());
      if (field) return String(item[field[1]!]) === field[2];
      return false;
    }),
  );
}
