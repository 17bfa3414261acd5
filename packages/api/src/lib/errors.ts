import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** One invalid field of a request, as listed in a problem's `errors`. */
export interface FieldError {
  /** Dotted path of the field, e.g. `branding.color_primary` or `query.limit`. */
  field: string;
  message: string;
}

/**
 * Error codes shared by every route. Resource modules declare their own with
 * {@link defineErrorCodes} next to the code that raises them.
 */
export const CommonErrors = defineErrorCodes({
  INVALID_JSON: { status: 400, title: 'Malformed JSON body' },
  INVALID_CURSOR: { status: 400, title: 'Invalid pagination cursor' },
  INVALID_IDEMPOTENCY_KEY: { status: 400, title: 'Invalid Idempotency-Key header' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  PERMISSION_DENIED: { status: 403, title: 'Permission denied' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, title: 'Idempotency key reused with a different request' },
  IDEMPOTENCY_REQUEST_IN_PROGRESS: { status: 409, title: 'A request with this idempotency key is in progress' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  VALIDATION_FAILED: { status: 422, title: 'Validation failed' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL_ERROR: { status: 500, title: 'Internal server error' },
  DATABASE_UNAVAILABLE: { status: 503, title: 'Service temporarily unavailable' },
});

export interface ErrorCodeSpec {
  status: ContentfulStatusCode;
  title: string;
}

/**
 * Declares a module's error codes with their HTTP status and a human title.
 * @example
 * export const MemberErrors = defineErrorCodes({ MEMBER_NOT_FOUND: { status: 404, title: 'Member not found' } });
 * throw new ApiError(MemberErrors.MEMBER_NOT_FOUND, `No member ${id}`);
 */
export function defineErrorCodes<const T extends Record<string, ErrorCodeSpec>>(
  specs: T,
): { [K in keyof T]: T[K] & { code: K } } {
  const out = {} as { [K in keyof T]: T[K] & { code: K } };
  for (const key of Object.keys(specs) as (keyof T)[]) out[key] = { ...specs[key], code: key };
  return out;
}

/**
 * The one error type routes and services throw. Rendered once, in `app.onError`,
 * as RFC 9457 `application/problem+json`.
 */
export class ApiError extends HTTPException {
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    spec: ErrorCodeSpec & { code: string | number | symbol },
    detail: string,
    options: { errors?: FieldError[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(spec.status, { message: detail, cause: options.cause });
    this.code = String(spec.code);
    this.title = spec.title;
    this.detail = detail;
    this.errors = options.errors;
    this.headers = options.headers;
  }
}

/** The problem+json body, as documented in OpenAPI (`Problem`). */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  request_id: string;
  errors?: FieldError[];
}

export function problemType(code: string): string {
  return `https://memberkit.dev/errors/${code.toLowerCase().replace(/_/g, '-')}`;
}

export function toProblem(error: ApiError, requestId: string): ProblemBody {
  return {
    type: problemType(error.code),
    title: error.title,
    status: error.status,
    detail: error.detail,
    code: error.code,
    request_id: requestId,
    ...(error.errors ? { errors: error.errors } : {}),
  };
}
