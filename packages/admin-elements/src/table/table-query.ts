import type { ListMembersParams } from '@memberkit/sdk';
import type { MemberFilter } from '../internal/admin-api.js';

/** Sort keys the API offers. */
export type SortKey = 'created_at' | 'last_name' | 'email' | 'last_active_at';

/** The state of the table that decides which members are listed. */
export interface TableQuery {
  search: string;
  /** A status, or '' for any. */
  status: string;
  /** A tier id, or '' for any. */
  tier: string;
  tag: string;
  /** YYYY-MM-DD, inclusive, or ''. */
  createdFrom: string;
  /** YYYY-MM-DD, inclusive, or ''. */
  createdTo: string;
  /** Custom field key, or ''. */
  fieldKey: string;
  fieldValue: string;
  sort: SortKey;
  order: 'asc' | 'desc';
  limit: number;
}

/** Page sizes offered. */
export const pageSizes = [10, 25, 50, 100] as const;

/** The query of a fresh table. */
export const defaultQuery: Readonly<TableQuery> = Object.freeze({
  search: '',
  status: '',
  tier: '',
  tag: '',
  createdFrom: '',
  createdTo: '',
  fieldKey: '',
  fieldValue: '',
  sort: 'created_at',
  order: 'desc',
  limit: 25,
});

const sortKeys: readonly SortKey[] = ['created_at', 'last_name', 'email', 'last_active_at'];

/** The day after a YYYY-MM-DD date, at midnight UTC: `created_before` is exclusive, the UI's "to" date inclusive. */
function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

/** The filters of a query, as the list, bulk and export endpoints take them. */
export function toFilter(q: TableQuery): MemberFilter {
  const filter: MemberFilter = {};
  const search = q.search.trim();
  if (search) filter.search = search;
  if (q.status) filter.status = q.status;
  if (q.tier) filter.tier_id = q.tier;
  if (q.tag.trim()) filter.tag = q.tag.trim();
  if (q.createdFrom) filter.created_after = `${q.createdFrom}T00:00:00.000Z`;
  if (q.createdTo) filter.created_before = dayAfter(q.createdTo);
  if (q.fieldKey && q.fieldValue.trim()) filter.custom_field = `${q.fieldKey}:${q.fieldValue.trim()}`;
  return filter;
}

/** The list request of a query, with the total count (the same on every page, so each page's cursor stays valid). */
export function toListParams(q: TableQuery): ListMembersParams {
  return { ...toFilter(q), sort: q.sort, order: q.order, limit: q.limit, include_total: true };
}

/** Whether any filter (not sort or page size) is set. */
export function hasFilters(q: TableQuery): boolean {
  return Object.keys(toFilter(q)).length > 0;
}

const urlKeys: Record<keyof TableQuery, string> = {
  search: 'q',
  status: 'status',
  tier: 'tier',
  tag: 'tag',
  createdFrom: 'from',
  createdTo: 'to',
  fieldKey: 'field',
  fieldValue: 'value',
  sort: 'sort',
  order: 'order',
  limit: 'limit',
};

/** Writes the non-default parts of a query into URL parameters with a prefix (others are kept). */
export function writeQueryToUrl(q: TableQuery, params: URLSearchParams, prefix: string): void {
  for (const key of Object.keys(urlKeys) as (keyof TableQuery)[]) {
    const name = prefix + urlKeys[key];
    if (q[key] === defaultQuery[key]) params.delete(name);
    else params.set(name, String(q[key]));
  }
}

/** Reads a query from URL parameters, ignoring values that are not valid. */
export function readQueryFromUrl(params: URLSearchParams, prefix: string): TableQuery {
  const q: TableQuery = { ...defaultQuery };
  const get = (key: keyof TableQuery): string | null => params.get(prefix + urlKeys[key]);
  for (const key of ['search', 'status', 'tier', 'tag', 'createdFrom', 'createdTo', 'fieldKey', 'fieldValue'] as const)
    q[key] = get(key) ?? '';
  const sort = get('sort');
  if (sort && (sortKeys as readonly string[]).includes(sort)) q.sort = sort as SortKey;
  const order = get('order');
  if (order === 'asc' || order === 'desc') q.order = order;
  const limit = Number(get('limit'));
  if ((pageSizes as readonly number[]).includes(limit)) q.limit = limit;
  return q;
}

/**
 * Whether a member (as a live event carries it) belongs in the list of a query:
 * 'yes' / 'no' where the table can tell from the member alone (status, tier, tag,
 * created range), 'unknown' where only the API can (search, custom field).
 */
export function matchesQuery(
  member: {
    status: string;
    tier_id: string | null;
    tags: readonly string[];
    created_at: string;
    deleted_at?: string | null;
  },
  q: TableQuery,
): 'yes' | 'no' | 'unknown' {
  const f = toFilter(q);
  if (member.deleted_at) return 'no';
  if (f.status && member.status !== f.status) return 'no';
  if (f.tier_id && member.tier_id !== f.tier_id) return 'no';
  if (f.tag && !member.tags.some((t) => t.toLowerCase() === String(f.tag).toLowerCase())) return 'no';
  if (f.created_after && member.created_at < f.created_after) return 'no';
  if (f.created_before && member.created_at >= f.created_before) return 'no';
  if (f.search || f.custom_field) return 'unknown';
  return 'yes';
}
