import { z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../lib/context.js';
import { ApiError, problemType } from '../../lib/errors.js';
import { validationHook } from '../../lib/validation.js';

/**
 * RFC 6749 §5.2 error codes the token endpoint answers, with their HTTP status and
 * the problem `code` they also carry (our API's convention: RFC 9457 fields beside
 * the RFC 6749 ones, in one body that OAuth clients and our SDK both read).
 */
const OAUTH_ERRORS = {
  invalid_request: { status: 400, title: 'Invalid token request', code: 'OAUTH_INVALID_REQUEST' },
  invalid_client: { status: 401, title: 'Client authentication failed', code: 'OAUTH_INVALID_CLIENT' },
  unsupported_grant_type: { status: 400, title: 'Unsupported grant type', code: 'OAUTH_UNSUPPORTED_GRANT_TYPE' },
} as const;

export type OAuthErrorCode = keyof typeof OAUTH_ERRORS;

/** The error body of `/v1/oauth/token`: RFC 6749 §5.2 `error` and `error_description`, plus the problem fields. */
export const OAuthErrorSchema = z
  .object({
    error: z
      .enum(Object.keys(OAUTH_ERRORS) as [OAuthErrorCode, ...OAuthErrorCode[]])
      .openapi({ example: 'invalid_client' }),
    error_description: z.string().openapi({ example: 'Unknown client or wrong secret.' }),
    type: z.string().openapi({ example: 'https://memberkit.dev/errors/oauth-invalid-client' }),
    title: z.string().openapi({ example: 'Client authentication failed' }),
    status: z.number().int().openapi({ example: 401 }),
    detail: z.string().openapi({ example: 'Unknown client or wrong secret.' }),
    code: z.string().openapi({ example: 'OAUTH_INVALID_CLIENT' }),
    request_id: z.string().openapi({ example: 'req_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
  })
  .openapi('OAuthError');

/** Token responses, errors included, must not be cached (RFC 6749 §5.1). */
export const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

/**
 * An RFC 6749 §5.2 error as `application/json` (what OAuth clients require; the
 * problem fields ride along). `invalid_client` carries `WWW-Authenticate` (§5.2).
 * `status` overrides the error's own (415 for a body that is not a form).
 */
export function oauthError(
  c: Context<AppEnv>,
  error: OAuthErrorCode,
  description: string,
  override?: { status: 415; code: string; title: string },
) {
  const spec = override ?? OAUTH_ERRORS[error];
  const status = spec.status;
  const headers: Record<string, string> = { ...NO_STORE };
  if (error === 'invalid_client') headers['WWW-Authenticate'] = 'Basic realm="memberkit", charset="UTF-8"';
  return c.json(
    {
      error,
      error_description: description,
      type: problemType(spec.code),
      title: spec.title,
      status,
      detail: description,
      code: spec.code,
      request_id: c.get('requestId') ?? 'unknown',
    },
    status,
    headers,
  );
}

// The media type zod-openapi's own gate accepts as a form (a charset parameter allowed), minus multipart: RFC 6749 §4.4.2 names this one.
const FORM_TYPE = /^application\/x-www-form-urlencoded(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

/**
 * Route middleware of the token endpoint, ahead of the body validator: anything
 * but a form body is refused in the RFC's error shape, naming the form encoding
 * (the app-wide 415 speaks of JSON, right everywhere but here).
 */
export const formBodyOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!FORM_TYPE.test(c.req.header('content-type') ?? '')) {
    return oauthError(c, 'invalid_request', 'Send the body as application/x-www-form-urlencoded (RFC 6749 §4.4.2).', {
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      title: 'Unsupported media type',
    });
  }
  try {
    // Parsed (and cached for the validator) here, so a malformed body is an RFC error too.
    await c.req.formData();
  } catch {
    return oauthError(c, 'invalid_request', 'The body is not a valid application/x-www-form-urlencoded form.');
  }
  await next();
};

/**
 * The token endpoint's validation hook: the checks every route makes (the shared
 * hook: schema, NUL, unpaired surrogates), answered as `invalid_request`. Repeated
 * parameters arrive as arrays and fail the schema, as RFC 6749 §3.2 wants.
 */
export const oauthValidationHook = (result: Parameters<typeof validationHook>[0], c: Context<AppEnv>) => {
  try {
    validationHook(result, c);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const fields = (error.errors ?? []).map((e) => `${e.field}: ${e.message}`).join('; ');
    return oauthError(c, 'invalid_request', fields ? `Invalid parameters: ${fields}.` : error.detail);
  }
  return undefined;
};
