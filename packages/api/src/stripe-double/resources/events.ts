import Stripe from 'stripe';
import { filterBy, filterCreated, listObject } from '../lists.js';
import type { Router } from '../router.js';
import type { DoubleState } from '../state.js';
import { newId } from '../store.js';
import type { Obj } from '../types.js';

/**
 * Builds and stores an event of `account` (a snapshot of `object`), the way
 * Stripe does: `account` is set for connected accounts, `previous_attributes`
 * for updates.
 */
export function createEvent(state: DoubleState, account: string, type: string, object: Obj, previous?: Obj): Obj {
  const connected = state.accounts.get(account)?.platform ? { account } : {};
  const event: Obj = {
    id: newId('evt'),
    object: 'event',
    ...connected,
    api_version: Stripe.API_VERSION,
    created: state.now(),
    data: { object: structuredClone(object), ...(previous ? { previous_attributes: structuredClone(previous) } : {}) },
    livemode: false,
    pending_webhooks: 0,
    request: { id: null, idempotency_key: null },
    type,
  };
  return state.store.insert(account, event);
}

/** `/v1/events`: list (by `type`, `types[]`, `created`) and retrieve. */
export function registerEvents(router: Router): void {
  router.get('/v1/events', (ctx) => {
    let items = ctx.state.store.all(ctx.account, 'event');
    items = filterCreated(filterBy(items, ctx.params, { type: (e) => e.type }), ctx.params.created);
    const types = ctx.params.types as string[] | undefined;
    if (Array.isArray(types)) items = items.filter((e) => types.includes(e.type));
    return listObject(ctx, '/v1/events', items);
  });
  router.get('/v1/events/:id', (ctx) => ctx.state.store.get(ctx.account, ctx.path.id, 'event'));
}

/**
 * The fields of `after` that differ from `before` with their old values, as
 * Stripe's `data.previous_attributes` (top level, deep-compared).
 */
export function previousAttributes(before: Obj, after: Obj): Obj {
  const out: Obj = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = before[key] ?? null;
  }
  return out;
}
