import type { components } from './generated/openapi.js';

/** One invalid field of a request, as listed in a problem's `errors`. */
export type FieldError = components['schemas']['FieldError'];

/** The RFC 9457 `application/problem+json` body every API error is sent as. */
export type Problem = components['schemas']['Problem'];

/** Everything a {@link MemberkitError} is built from. */
export interface MemberkitErrorInit {
  /** HTTP status of the response (0 when no response arrived). */
  status: number;
  /** Stable machine-readable code, e.g. `NOT_FOUND` or `VALIDATION_FAILED`. */
  code: string;
  /** Short human summary of the kind of error. */
  title: string;
  /** Human explanation of this occurrence. */
  detail: string;
  /** The API's request id: quote it when contacting support. */
  requestId?: string | undefined;
  /** Invalid fields, for validation errors; empty otherwise. */
  errors?: FieldError[] | undefined;
  /** The problem's `type` URI, when the API sent one. */
  type?: string | undefined;
  /** Response headers, when a response arrived. */
  headers?: Headers | undefined;
  /** The underlying error (network failure, timeout). */
  cause?: unknown;
}

/**
 * An error from the Memberkit API or from reaching it. Branch on the subclass or on
 * {@link MemberkitError.code}, which is stable; `title` and `detail` are for people.
 *
 * @example
 * try {
 *   await mk.members.retrieve('mem_123');
 * } catch (error) {
 *   if (error instanceof NotFoundError) return null;
 *   throw error;
 * }
 */
export class MemberkitError extends Error {
  override name = 'MemberkitError';
  /** HTTP status of the response; 0 for a {@link ConnectionError}. */
  readonly status: number;
  /** Stable machine-readable code, e.g. `NOT_FOUND` or `VALIDATION_FAILED`. */
  readonly code: string;
  /** Short human summary of the kind of error. */
  readonly title: string;
  /** Human explanation of this occurrence. */
  readonly detail: string;
  /** The API's request id (from the body, else the `X-Request-Id` header). */
  readonly requestId: string | undefined;
  /** Invalid fields, for validation errors; empty otherwise. */
  readonly errors: FieldError[];
  /** The problem's `type` URI, when the API sent one. */
  readonly type: string | undefined;
  /** Response headers, when a response arrived. */
  readonly headers: Headers | undefined;

  /** Builds an error from its parts; the SDK itself uses {@link errorFromResponse}. */
  constructor(init: MemberkitErrorInit) {
    super(init.detail || init.title, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.errors = init.errors ?? [];
    this.type = init.type;
    this.headers = init.headers;
  }
}

/** 400, 413, 415 or 422: the request was malformed or failed validation (see `errors`). */
export class InvalidRequestError extends MemberkitError {
  override name = 'InvalidRequestError';
}

/** 401: the credential is missing, invalid, expired or revoked. */
export class AuthenticationError extends MemberkitError {
  override name = 'AuthenticationError';
}

/** 403: the credential is valid but may not do this. */
export class PermissionError extends MemberkitError {
  override name = 'PermissionError';
}

/** 404 or 410: no such resource for this tenant (or it is gone for good). */
export class NotFoundError extends MemberkitError {
  override name = 'NotFoundError';
}

/** 409: the request conflicts with the current state (a duplicate, a reused idempotency key, …). */
export class ConflictError extends MemberkitError {
  override name = 'ConflictError';
}

/** 429: too many requests. The client already retried; `retryAfter` says how long to wait (seconds). */
export class RateLimitError extends MemberkitError {
  override name = 'RateLimitError';
  /** Seconds the API asked to wait (`Retry-After`), when it said. */
  get retryAfter(): number | undefined {
    return parseRetryAfter(this.headers?.get('retry-after') ?? null);
  }
}

/** 5xx or any other unexpected status: a fault on the API's side. Retried automatically before it reaches you. */
export class ApiError extends MemberkitError {
  override name = 'ApiError';
}

/** No response arrived: a network failure or a timeout (`code` `TIMEOUT`). Retried automatically first. */
export class ConnectionError extends MemberkitError {
  override name = 'ConnectionError';
}

/**
 * Seconds to wait from a `Retry-After` header: delta-seconds or an HTTP date.
 * Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

type ErrorClass = new (init: MemberkitErrorInit) => MemberkitError;

function classFor(status: number): ErrorClass {
  switch (status) {
    case 400:
    case 413:
    case 415:
    case 422:
      return InvalidRequestError;
    case 401:
      return AuthenticationError;
    case 403:
      return PermissionError;
    case 404:
    case 410:
      return NotFoundError;
    case 409:
      return ConflictError;
    case 429:
      return RateLimitError;
    default:
      return ApiError;
  }
}

function isProblem(value: unknown): value is Partial<Problem> & { code: string } {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string';
}

/**
 * Turns a non-2xx response into the {@link MemberkitError} subclass for its status.
 * Reads the problem+json body when there is one; anything else (a proxy's HTML error
 * page, an empty body) still gives an error with `code` `HTTP_<status>`, the API's own
 * convention for codes it has not named.
 */
export async function errorFromResponse(response: Response): Promise<MemberkitError> {
  const headerRequestId = response.headers.get('x-request-id') ?? undefined;
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const ErrorType = classFor(response.status);
  if (isProblem(body)) {
    return new ErrorType({
      status: response.status,
      code: body.code,
      title: body.title ?? response.statusText,
      detail: body.detail ?? '',
      requestId: body.request_id ?? headerRequestId,
      errors: Array.isArray(body.errors) ? body.errors : [],
      type: body.type,
      headers: response.headers,
    });
  }
  return new ErrorType({
    status: response.status,
    code: `HTTP_${response.status}`,
    title: response.statusText || `HTTP ${response.status}`,
    detail: `The API answered ${response.status} without a problem+json body.`,
    requestId: headerRequestId,
    headers: response.headers,
  });
}
