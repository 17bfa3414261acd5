/** Postgres SQLSTATE of a unique violation. */
const UNIQUE_VIOLATION = '23505';

/**
 * True when `error` (or its cause, as drizzle wraps driver errors) is a unique
 * violation, optionally of one named constraint or index.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const { code, constraint: name } = e as { code?: unknown; constraint?: unknown };
    if (code === UNIQUE_VIOLATION) return constraint === undefined || name === constraint || String((e as Error).message).includes(constraint);
  }
  return false;
}
