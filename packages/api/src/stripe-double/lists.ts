import type { Ctx } from './router.js';
import { int } from './params.js';
import { invalidRequest, type Obj } from './types.js';

/**
 * A Stripe list object over `items` (newest first), paged by `limit` (1–100,
 * default 10), `starting_after` and `ending_before`.
 */
export function listObject(ctx: Ctx, url: string, items: Obj[]): Obj {
  const limit = int(ctx.params.limit, 'limit') ?? 10;
  if (limit < 1 || limit > 100) throw invalidRequest('This value must be between 1 and 100.', 'limit');
  const after = ctx.params.starting_after as string | undefined;
  const before = ctx.params.ending_before as string | undefined;
  let data: Obj[];
  let hasMore: boolean;
  if (after) {
    const index = items.findIndex((item) => item.id === after);
    if (index === -1) throw invalidRequest(`No such object: '${after}'`, 'starting_after', 'resource_missing');
    const rest = items.slice(index + 1);
    data = rest.slice(0, limit);
    hasMore = rest.length > limit;
  } else if (before) {
    const index = items.findIndex((item) => item.id === before);
    if (index === -1) throw invalidRequest(`No such object: '${before}'`, 'ending_before', 'resource_missing');
    const head = items.slice(0, index);
    data = head.slice(Math.max(0, head.length - limit));
    hasMore = head.length > limit;
  } else {
    data = items.slice(0, limit);
    hasMore = items.length > limit;
  }
  return { object: 'list', data, has_more: hasMore, url };
}

/** Keeps items whose `field` equals the parameter of the same name, when given. */
export function filterBy(
  items: Obj[],
  params: Record<string, unknown>,
  fields: Record<string, (item: Obj) => unknown>,
) {
  return items.filter((item) =>
    Object.entries(fields).every(([param, read]) => {
      const wanted = params[param];
      if (wanted === undefined || wanted === '') return true;
      const actual = read(item);
      if (typeof actual === 'boolean') return String(actual) === wanted;
      return actual === wanted;
    }),
  );
}

/** Applies `created[gte]`/`created[lte]`/… or `created=<n>` filters. */
export function filterCreated(items: Obj[], created: unknown): Obj[] {
  if (created === undefined) return items;
  if (typeof created === 'string') return items.filter((item) => item.created === Number(created));
  const range = created as Record<string, string>;
  return items.filter((item) => {
    const c = item.created as number;
    if (range.gt !== undefined && !(c > Number(range.gt))) return false;
    if (range.gte !== undefined && !(c >= Number(range.gte))) return false;
    if (range.lt !== undefined && !(c < Number(range.lt))) return false;
    if (range.lte !== undefined && !(c <= Number(range.lte))) return false;
    return true;
  });
}
