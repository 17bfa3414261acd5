import type { SecretBox } from './secret-box.js';
import { canonicalJson } from './canonical-json.js';
import { timingSafeEqual } from './crypto.js';
import { base64UrlDecode, base64UrlEncode } from './encoding.js';
import { ApiError, CommonErrors } from './errors.js';
import { isIdBody } from './ids.js';
import { isUnstorableText } from './validation.js';

/**
 * Keyset pagination cursors: `<base64url JSON of the last row's sort key>.<MAC>`.
 * The MAC (HMAC-SHA-256 under the key the secret box derives from the master key,
 * truncated to 128 bits) covers the sort key and the query the cursor belongs to
 * (scope, filters, sort). A cursor used with another query or tenant, edited, or
 * made up is refused with 400 INVALID_CURSOR: its values reach SQL casts only when
 * this server wrote them. The values are checked against the expected shape too,
 * so even a leaked key cannot turn a cursor into a 500.
 */

/** Sort-key values as a cursor carries them. */
export type CursorValue = string | number | null;

/** Checks one decoded sort-key value, narrowing it to what the query binds. */
export type CursorCheck<T extends CursorValue> = (value: CursorValue) => value is T;

/** What each sort-key value may be. Pass one per value, in sort order, to {@link decodeCursor}. */
export const CursorValues = {
  /** Text (a name, an email), as long as a column could hold and storable by Postgres. */
  text: ((value) =>
    typeof value === 'string' && value.length <= 1024 && !isUnstorableText(value)) as CursorCheck<string>,
  /** An id with this prefix (`mem`, `oidc`, …). */
  id:
    (prefix: string): CursorCheck<string> =>
    (value): value is string =>
      typeof value === 'string' && value.startsWith(`${prefix}_`) && isIdBody(value.slice(prefix.length + 1)),
  /** An integer in `[min, max]` (default: a Postgres `integer`). */
  integer:
    (min = -(2 ** 31), max = 2 ** 31 - 1): CursorCheck<number> =>
    (value): value is number =>
      typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max,
  /** A `timestamptz` as Postgres prints it (`2026-11-27 09:30:00.123456+00`), or ±infinity. */
  timestamp: ((value) =>
    typeof value === 'string' &&
    (value === 'infinity' ||
      value === '-infinity' ||
      /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}(?::?\d{2}){0,2})?$/.test(
        value,
      ))) as CursorCheck<string>,
};

/** What a cursor is bound to: its list and tenant (`scope`) and everything that shapes the result set (`query`). */
export interface CursorBinding {
  scope: string;
  query: Record<string, unknown>;
}

/** The MAC of a cursor's payload for one binding, hex, 128 bits. */
async function macOf(box: Pick<SecretBox, 'digest'>, binding: CursorBinding, payload: string): Promise<string> {
  const digest = await box.digest(`${binding.scope}\n${canonicalJson(binding.query)}\n${payload}`, 'pagination-cursor');
  return digest.slice(0, 32);
}

/** Encodes the cursor of the row after which the next page starts. */
export async function encodeCursor(
  box: Pick<SecretBox, 'digest'>,
  binding: CursorBinding,
  after: readonly CursorValue[],
): Promise<string> {
  const payload = base64UrlEncode(JSON.stringify(after));
  return `${payload}.${await macOf(box, binding, payload)}`;
}

/** The error of a cursor that is malformed, altered or belongs to another query. */
export function invalidCursor(): ApiError {
  return new ApiError(
    CommonErrors.INVALID_CURSOR,
    'The cursor is malformed or belongs to a different query; start again without a cursor.',
  );
}

type CheckedValues<S extends readonly CursorCheck<CursorValue>[]> = {
  -readonly [K in keyof S]: S[K] extends CursorCheck<infer T> ? T : never;
};

/**
 * Decodes a cursor this server issued for this exact query, with one value per
 * check in `shape`, or throws 400 INVALID_CURSOR.
 * @example
 * const [sortOrder, id] = await decodeCursor(deps.secretBox, cursor, { scope, query }, [CursorValues.integer(), CursorValues.id('tier')]);
 */
export async function decodeCursor<const S extends readonly CursorCheck<CursorValue>[]>(
  box: Pick<SecretBox, 'digest'>,
  value: string,
  binding: CursorBinding,
  shape: S,
): Promise<CheckedValues<S>> {
  const dot = value.indexOf('.');
  if (dot < 0) throw invalidCursor();
  const payload = value.slice(0, dot);
  if (!timingSafeEqual(value.slice(dot + 1), await macOf(box, binding, payload))) throw invalidCursor();
  const json = base64UrlDecode(payload);
  if (json === null) throw invalidCursor();
  let after: unknown;
  try {
    after = JSON.parse(json);
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(after) || after.length !== shape.length || !shape.every((check, i) => check(after[i])))
    throw invalidCursor();
  return after as CheckedValues<S>;
}
