import { base64UrlDecode, base64UrlEncode } from './encoding.js';
import { ApiError, CommonErrors } from './errors.js';

/**
 * Keyset pagination cursors. A cursor carries the sort key of the last row and a
 * fingerprint of the query it belongs to (scope, filters, sort): used with any
 * other query or tenant it is refused with 400 instead of silently paging wrong.
 */
export interface Cursor {
  /** Sort-key values of the last row returned, in sort order. */
  after: (string | number | null)[];
}

function fingerprintOf(scope: string, query: Record<string, unknown>): string {
  // FNV-1a over a canonical JSON: identifies the query, it is not a secret.
  const text = scope + JSON.stringify(query, Object.keys(query).sort());
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

/** Encodes the cursor of the row after which the next page starts. */
export function encodeCursor(scope: string, query: Record<string, unknown>, after: Cursor['after']): string {
  return base64UrlEncode(JSON.stringify({ q: fingerprintOf(scope, query), a: after }));
}

/** The error of a cursor that is malformed or belongs to another query. */
export function invalidCursor(): ApiError {
  return new ApiError(CommonErrors.INVALID_CURSOR, 'The cursor is malformed or belongs to a different query; start again without a cursor.');
}

/** Decodes a cursor for this exact query, or throws 400 INVALID_CURSOR. */
export function decodeCursor(value: string, scope: string, query: Record<string, unknown>, arity: number): Cursor {
  const invalid = invalidCursor;
  const json = base64UrlDecode(value);
  if (json === null) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw invalid();
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !('q' in parsed) ||
    !('a' in parsed) ||
    parsed.q !== fingerprintOf(scope, query) ||
    !Array.isArray(parsed.a) ||
    parsed.a.length !== arity ||
    !parsed.a.every((v: unknown) => v === null || typeof v === 'string' || typeof v === 'number')
  ) {
    throw invalid();
  }
  return { after: parsed.a as Cursor['after'] };
}
