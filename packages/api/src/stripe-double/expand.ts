import type { DoubleState } from './state.js';
import { invalidRequest, type Obj } from './types.js';

/** Fields Stripe includes only when expanded (`invoice.payments`, `checkout.session.line_items`). */
type Includer = (state: DoubleState, account: string, owner: Obj) => unknown;
const includable = new Map<string, Includer>();

/** Registers a field computed only when a request expands it. */
export function registerIncludable(object: string, field: string, compute: Includer): void {
  includable.set(`${object}.${field}`, compute);
}

/**
 * Applies `expand[]` to a response (already a copy): each dotted path replaces
 * an id with the object it names (in the same account), through lists and arrays.
 * @throws 400 when a path names a field that cannot be expanded
 */
export function applyExpand(state: DoubleState, account: string, response: Obj, paths: unknown): Obj {
  if (paths === undefined) return response;
  const list = Array.isArray(paths) ? paths : [paths];
  for (const path of list) {
    if (typeof path !== 'string') throw invalidRequest('Invalid expand', 'expand');
    const segments = path.split('.');
    if (segments.length > 4) throw invalidRequest(`You cannot expand more than 4 levels of a property.`, 'expand');
    expandInto(state, account, response, segments, path);
  }
  return response;
}

function expandInto(state: DoubleState, account: string, holder: unknown, segments: string[], path: string): void {
  if (Array.isArray(holder)) {
    for (const item of holder) expandInto(state, account, item, segments, path);
    return;
  }
  if (typeof holder !== 'object' || holder === null) return;
  const obj = holder as Obj;
  const [field, ...rest] = segments as [string, ...string[]];
  let value = obj[field];
  const include = includable.get(`${obj.object}.${field}`);
  if (include && (value === undefined || rest.length === 0)) {
    value = structuredClone(include(state, account, obj));
    obj[field] = value;
  } else if (typeof value === 'string' && field !== 'id') {
    value = resolve(state, account, value);
    obj[field] = value;
  } else if (Array.isArray(value) && value.some((v) => typeof v === 'string')) {
    // Arrays of ids (`discounts`) expand element by element.
    value = value.map((v) => (typeof v === 'string' ? resolve(state, account, v) : v));
    obj[field] = value;
  } else if (value === undefined && !(field in obj)) {
    throw invalidRequest(
      `This property cannot be expanded (${path}). You may want to try expanding 'data.${path}' instead.`,
      'expand',
    );
  }
  if (rest.length > 0) expandInto(state, account, value, rest, path);
}

function resolve(state: DoubleState, account: string, id: string): Obj | string {
  const found = state.store.find(account, id) ?? state.accounts.get(id)?.object;
  return found ? structuredClone(found) : id;
}
