import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './context.js';
import { isDatabaseUnavailable, sqlStateOf } from '../db/errors.js';
import { ApiError, CommonErrors, toProblem } from './errors.js';

/** `Retry-After` of a 503 for an unavailable database: short, as a restart or failover takes seconds. */
const DATABASE_RETRY_AFTER_SECONDS = '1';

/** Writes an {@link ApiError} as `application/problem+json`. */
export function problemResponse(c: Context<AppEnv>, error: ApiError): Response {
  const requestId = c.get('requestId') ?? 'unknown';
  return c.body(JSON.stringify(toProblem(error, requestId)), error.status, {
    'Content-Type': 'application/problem+json',
    ...error.headers,
  });
}

/** Maps Hono's own exceptions (malformed JSON, wrong content type, body limit) to our codes. */
function fromHttpException(error: HTTPException): ApiError {
  switch (error.status) {
    case 400:
      return /json/i.test(error.message)
        ? new ApiError(CommonErrors.INVALID_JSON, 'The request body is not valid JSON.')
        : new ApiError({ status: 400, title: 'Bad request', code: 'BAD_REQUEST' }, error.message || 'Bad request.');
    case 413:
      return new ApiError(CommonErrors.PAYLOAD_TOO_LARGE, 'The request body is too large.');
    case 415:
      return new ApiError(CommonErrors.UNSUPPORTED_MEDIA_TYPE, 'Send the body as application/json.');
    default:
      return new ApiError(
        { status: error.status, title: error.message || 'Error', code: `HTTP_${error.status}` },
        error.message || 'Error.',
      );
  }
}

/** The driver's own message for a failed query, without drizzle's echo of the SQL parameters (they may hold personal data). */
function safeMessage(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  const message = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
  return message.split('\nparams:')[0]!.slice(0, 500);
}

/** What each common class 22 condition means for the client; the driver's message is not shown (it echoes values). */
const DATA_EXCEPTIONS: Record<string, string> = {
  '22001': 'A value is too long.',
  '22003': 'A number is out of range.',
  '22007': 'A date or time is not valid.',
  '22008': 'A date or time is out of range.',
  '22021': 'A value contains a character that cannot be stored (such as NUL).',
  '22P02': 'A value is not valid for its type.',
  '22P05': 'A value contains a character that cannot be stored (such as NUL or an unpaired surrogate).',
};

/**
 * A Postgres data exception (SQLSTATE class 22: a cast, range or encoding failure)
 * is the client's input that validation let through: a 422, never a 500. Logged as
 * a warning, as the validation it reveals belongs in the route's schema.
 */
function fromDataException(error: unknown, c: Context<AppEnv>): ApiError | undefined {
  const state = sqlStateOf(error);
  if (!state?.startsWith('22')) return undefined;
  c.get('deps').logger.warn('data exception from input', {
    request_id: c.get('requestId'),
    path: c.req.path,
    sqlstate: state,
    message: safeMessage(error),
  });
  // No `errors[]`: the database does not say which field it was.
  return new ApiError(
    CommonErrors.VALIDATION_FAILED,
    `The request is invalid: ${DATA_EXCEPTIONS[state] ?? 'A value is not valid for its type.'}`,
  );
}

/** `app.onError`: every error becomes problem+json; unexpected ones are logged and answered with a bare 500. */
export const handleError: ErrorHandler<AppEnv> = (error, c) => {
  if (error instanceof ApiError) return problemResponse(c, error);
  if (error instanceof HTTPException) return problemResponse(c, fromHttpException(error));
  if (isDatabaseUnavailable(error)) {
    c.get('deps').logger.warn('database unavailable', {
      request_id: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      reason: safeMessage(error.cause),
    });
    // The failed transaction did not commit; a retry after a restart or failover usually succeeds.
    const detail = 'The database is unavailable for the moment; retry the request shortly.';
    return problemResponse(
      c,
      new ApiError(CommonErrors.DATABASE_UNAVAILABLE, detail, {
        headers: { 'Retry-After': DATABASE_RETRY_AFTER_SECONDS },
      }),
    );
  }
  const dataException = fromDataException(error, c);
  if (dataException) return problemResponse(c, dataException);
  c.get('deps').logger.error('unhandled error', {
    request_id: c.get('requestId'),
    method: c.req.method,
    path: c.req.path,
    error: error instanceof Error ? error.name : 'Error',
    message: safeMessage(error),
  });
  return problemResponse(
    c,
    new ApiError(
      CommonErrors.INTERNAL_ERROR,
      'An unexpected error occurred. Quote the request id when contacting support.',
    ),
  );
};

/**
 * `app.notFound`: 405 with `Allow` when the path exists under other methods,
 * 404 otherwise.
 */
export function createNotFoundHandler(routes: () => { method: string; path: string }[]): NotFoundHandler<AppEnv> {
  let table: { pattern: RegExp; method: string }[] | undefined;
  return (c) => {
    table ??= routes()
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({
        method: r.method,
        pattern: new RegExp(
          `^${r.path
            .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
            .replace(/:[A-Za-z0-9_]+/g, '[^/]+')
            .replace(/\*/g, '.*')}/?$`,
        ),
      }));
    const allowed = [...new Set(table.filter((r) => r.pattern.test(c.req.path)).map((r) => r.method))];
    // A route that matched but found nothing (c.notFound()) is a 404, not a 405.
    if (allowed.length > 0 && !allowed.includes(c.req.method)) {
      return problemResponse(
        c,
        new ApiError(
          CommonErrors.METHOD_NOT_ALLOWED,
          `${c.req.method} is not allowed on ${c.req.path}; use ${allowed.join(', ')}.`,
          {
            headers: { Allow: allowed.join(', ') },
          },
        ),
      );
    }
    return problemResponse(c, new ApiError(CommonErrors.NOT_FOUND, `No route ${c.req.method} ${c.req.path}.`));
  };
}
