/** Postgres SQLSTATE of a unique violation. */
const UNIQUE_VIOLATION = '23505';

/**
 * True when `error` (or its cause, as drizzle wraps driver errors) is a unique
 * violation, optionally of one named constraint or index.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const { code, constraint: name } = e as { code?: unknown; constraint?: unknown };
    if (code === UNIQUE_VIOLATION)
      return constraint === undefined || name === constraint || String((e as Error).message).includes(constraint);
  }
  return false;
}

/** Node socket errors that mean the server cannot be reached or dropped the connection. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/**
 * SQLSTATEs of a server going away or refusing work for now: `57P01` admin_shutdown
 * (pg_terminate_backend, a fast shutdown), `57P02` crash_shutdown, `57P03`
 * cannot_connect_now (starting up), `53300` too_many_connections, `25P03`
 * idle_in_transaction_session_timeout. Class `08` (connection exception) is matched by prefix.
 */
const BROKEN_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '25P03']);
/** `57014` query_canceled: our statement timeout fired. The connection itself is still fine. */
const STATEMENT_TIMEOUT = '57014';
/**
 * Messages node-postgres and Neon's driver (built on the same client code) give
 * these failures without a code: a dead or closed client, a connection attempt
 * or pool checkout that timed out, a query the client gave up on, a dropped WebSocket.
 */
const BROKEN_MESSAGES =
  /Connection terminated|not queryable|timeout exceeded when trying to connect|Query read timeout|Cannot use a pool after calling end|WebSocket|socket hang up|Client network socket disconnected/i;

type ErrorLike = { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };

/** `error`, its causes (drizzle wraps driver errors) and the attempts of an AggregateError (IPv4 and IPv6 connects). */
function* chain(error: unknown): Generator<ErrorLike> {
  for (
    let e: unknown = error, depth = 0;
    e && typeof e === 'object' && depth < 8;
    e = (e as ErrorLike).cause, depth++
  ) {
    yield e as ErrorLike;
    const inner = (e as ErrorLike).errors;
    if (Array.isArray(inner)) for (const x of inner) if (x && typeof x === 'object') yield x as ErrorLike;
  }
}

/**
 * True when `error` says the connection it came from is dead or unusable
 * (server gone, backend terminated, socket reset, the client gave up waiting
 * for an answer). Such a client must be discarded, never returned to a pool.
 */
export function isBrokenConnection(error: unknown): boolean {
  for (const e of chain(error)) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (NETWORK_CODES.has(code) || BROKEN_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
    if (typeof e.message === 'string' && BROKEN_MESSAGES.test(e.message)) return true;
  }
  return false;
}

/** True when `error` is a statement cancelled by our statement timeout. */
export function isStatementTimeout(error: unknown): boolean {
  for (const e of chain(error)) if (e.code === STATEMENT_TIMEOUT) return true;
  return false;
}

/**
 * The database could not serve a request for now: unreachable, restarting,
 * dropped the connection, or too slow to answer within the statement timeout.
 * Thrown by `withTenant` / `withPlatform` in place of the driver's error (kept
 * as `cause`); the HTTP layer answers it 503 with `Retry-After`, since a retry
 * later may succeed. The transaction did not commit.
 */
export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super('The database is unavailable', { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

/** A Postgres SQLSTATE (class `22` data exception, `23` integrity violation, …); Node's own codes (`EPIPE`) are not. */
const SQLSTATE = /^(?:[0-9]{2}|F0|HV|P0|XX)[0-9A-Z]{3}$/;

/** The SQLSTATE of a failed query, from the driver's error drizzle wraps, or undefined when it is not a database error. */
export function sqlStateOf(error: unknown): string | undefined {
  for (const e of chain(error)) if (typeof e.code === 'string' && SQLSTATE.test(e.code)) return e.code;
  return undefined;
}

/** True when `error`, or one of its causes, is a {@link DatabaseUnavailableError}. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const e of chain(error)) if (e instanceof DatabaseUnavailableError) return true;
  return false;
}
