import type { components } from './generated/openapi.js';

/** One invalid field of a request, as listed in a problem's `errors`. */
export type FieldError = components['schemas']['FieldError'];

/** The RFC 9457 `application/problem+json` body every API error is sent as. */
export type Problem = components['schemas']['Problem'];

/** Everything a {@link MemberkitError} is built from. */
export interface MemberkitErrorInit {
  /** HTTP status of the response. */
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
}

/**
 * An error response from the Memberkit API. Branch on {@link MemberkitError.code},
 * which is stable; `title` and `detail` are for people.
 *
 * @example
 * try {
 *   await mk.apiKeys.del('key_123');
 * } catch (error) {
 *   if (error instanceof MemberkitError && error.code === 'NOT_FOUND') return;
 *   throw error;
 * }
 */
export class MemberkitError extends Error {
  override readonly name = 'MemberkitError';
  /** HTTP status of the response. */
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

  /** Builds an error from its parts; the SDK itself uses {@link errorFromResponse}. */
  constructor(init: MemberkitErrorInit) {
    super(init.detail || init.title);
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.errors = init.errors ?? [];
    this.type = init.type;
  }
}

function isProblem(value: unknown): value is Partial<Problem> & { code: string } {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string';
}

/**
 * Turns a non-2xx response into a {@link MemberkitError}. Reads the problem+json body
 * when there is one; anything else (a proxy's HTML error page, an empty body) still
 * gives an error with `code` `HTTP_<status>`, the API's own convention for codes it
 * has not named.
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
  if (isProblem(body)) {
    return new MemberkitError({
      status: typeof body.status === 'number' ? body.status : response.status,
      code: body.code,
      title: body.title ?? response.statusText,
      detail: body.detail ?? '',
      requestId: body.request_id ?? headerRequestId,
      errors: Array.isArray(body.errors) ? body.errors : [],
      type: body.type,
    });
  }
  const title = response.statusText || `HTTP ${response.status}`;
  return new MemberkitError({
    status: response.status,
    code: `HTTP_${response.status}`,
    title,
    detail: `The API answered ${response.status} without a problem+json body.`,
    requestId: headerRequestId,
  });
}
