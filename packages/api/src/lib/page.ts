import type { SecretBox } from './secret-box.js';
import { CursorValues, decodeCursor, encodeCursor } from './cursor.js';

/**
 * Pagination over id-ordered lists (ids are time-ordered ULIDs, so this is
 * newest-first keyset pagination). Services fetch `limit + 1` rows; the extra
 * row only tells whether another page exists.
 */

/** The id after which the page of `cursor` starts; 400 INVALID_CURSOR unless this server issued it for `scope`. */
export async function idPageCursor(
  box: Pick<SecretBox, 'digest'>,
  scope: string,
  prefix: string,
  cursor: string | undefined,
): Promise<string | undefined> {
  if (cursor === undefined) return undefined;
  const [id] = await decodeCursor(box, cursor, { scope, query: {} }, [CursorValues.id(prefix)]);
  return id;
}

/** Shapes `limit + 1` fetched rows into a list page. */
export async function toIdPage<R extends { id: string }, D>(
  box: Pick<SecretBox, 'digest'>,
  scope: string,
  rows: R[],
  limit: number,
  map: (row: R) => D,
) {
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return {
    object: 'list' as const,
    data: page.map(map),
    has_more: hasMore,
    next_cursor: hasMore && last ? await encodeCursor(box, { scope, query: {} }, [last.id]) : null,
  };
}
