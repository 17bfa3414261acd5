import { decodeCursor, encodeCursor } from './cursor.js';

/**
 * Pagination over id-ordered lists (ids are time-ordered ULIDs, so this is
 * newest-first keyset pagination). Services fetch `limit + 1` rows; the extra
 * row only tells whether another page exists.
 */
export function idPageCursor(scope: string, cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const { after } = decodeCursor(cursor, scope, {}, 1);
  const id = after[0];
  return typeof id === 'string' ? id : undefined;
}

/** Shapes `limit + 1` fetched rows into a list page. */
export function toIdPage<R extends { id: string }, D>(scope: string, rows: R[], limit: number, map: (row: R) => D) {
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return {
    object: 'list' as const,
    data: page.map(map),
    has_more: hasMore,
    next_cursor: hasMore && last ? encodeCursor(scope, {}, [last.id]) : null,
  };
}
