import { invalidRequest } from './types.js';
import type { Obj, Params } from './types.js';

/** An integer parameter (`undefined` when absent). @throws 400 naming `param` when not an integer */
export function int(value: unknown, param: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n)) throw invalidRequest(`Invalid integer: ${String(value)}`, param);
  return n;
}

/** A decimal parameter such as `percent_off`. */
export function decimal(value: unknown, param: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw invalidRequest(`Invalid decimal: ${String(value)}`, param);
  return n;
}

/** A boolean parameter (`'true'`/`'false'`). */
export function bool(value: unknown, param: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw invalidRequest(`Invalid boolean: ${String(value)}`, param);
}

/** A string parameter; `''` is kept (Stripe uses it to unset). */
export function str(value: unknown, param: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${JSON.stringify(value)}`, param);
  return value;
}

/** One of `allowed`. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], param: string): T | undefined {
  const s = str(value, param);
  if (s === undefined || s === '') return undefined;
  if (!(allowed as readonly string[]).includes(s))
    throw invalidRequest(`Invalid ${param}: must be one of ${allowed.join(', ')}`, param);
  return s as T;
}

/** An array parameter (absent → []). */
export function list(value: unknown, param: string): Params[] {
  if (value === undefined || value === '') return [];
  if (!Array.isArray(value)) throw invalidRequest(`Invalid array`, param);
  return value;
}

/**
 * Applies a `metadata` parameter Stripe's way: keys merge, a key set to `''`
 * is removed, `metadata=''` clears everything.
 */
export function mergeMetadata(existing: Obj | null | undefined, value: unknown): Obj {
  const out: Obj = { ...(existing ?? {}) };
  if (value === undefined) return out;
  if (value === '') return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidRequest('Invalid metadata: must be a hash', 'metadata');
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === '') delete out[key];
    else out[key] = String(v);
  }
  return out;
}
