import { z, type OpenAPIHono } from '@hono/zod-openapi';

/** RFC 9457 problem details, the body of every error. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'https://memberkit.dev/errors/validation-failed' }),
    title: z.string().openapi({ example: 'Validation failed' }),
    status: z.number().int().openapi({ example: 422 }),
    detail: z
      .string()
      .openapi({ example: 'The request is invalid: name: Too small: expected string to have >=1 characters' }),
    code: z.string().openapi({ description: 'Stable machine-readable error code.', example: 'VALIDATION_FAILED' }),
    request_id: z.string().openapi({ example: 'req_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }).openapi('FieldError'))
      .optional()
      .openapi({ description: 'Invalid fields, for validation errors.' }),
  })
  .openapi('Problem');

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

/** Error responses shared by routes; spread the ones a route can return. */
export const errorResponses = {
  400: problem(
    'Malformed request: invalid JSON, cursor or header, or a query parameter the operation does not declare (`UNKNOWN_QUERY_PARAMETER`, each named in `errors`).',
  ),
  401: problem('Missing, invalid or revoked credential.'),
  403: problem(
    'The credential lacks the permission for this operation, or (publishable keys and member or staff tokens) the request comes from an `Origin` the credential does not allow (`ORIGIN_NOT_ALLOWED`, readable by that page).',
  ),
  404: problem('No such resource for this tenant.'),
  409: problem('Conflict with the current state, or an idempotency key reused.'),
  413: problem('Request body too large.'),
  415: problem('Unsupported content type: send application/json.'),
  422: problem('The request failed validation; `errors` lists each field.'),
  429: {
    ...problem(
      'Rate limit exceeded (`RATE_LIMITED`): `RateLimit` names the policies that refused the request; the same request goes through after `Retry-After` seconds.',
    ),
    headers: {
      'Retry-After': { $ref: '#/components/headers/RetryAfter' },
      RateLimit: { $ref: '#/components/headers/RateLimit' },
      'RateLimit-Policy': { $ref: '#/components/headers/RateLimitPolicy' },
    },
  },
  503: problem('The database is unavailable for the moment (`DATABASE_UNAVAILABLE`); retry after Retry-After.'),
} as const;

/**
 * Registers the response headers the shared error responses refer to (once, as
 * components, rather than repeated in every operation's 429).
 */
export function registerResponseHeaders(registry: OpenAPIHono['openAPIRegistry']): void {
  registry.registerComponent('headers', 'RetryAfter', {
    description: 'Seconds after which the same request goes through (rate limits count over a sliding window).',
    schema: { type: 'string', example: '3' },
  });
  registry.registerComponent('headers', 'RateLimit', {
    description:
      'Per draft-ietf-httpapi-ratelimit-headers: for each policy, what remains (`r`) and for how many seconds no more than that is available (`t`). A 429 lists only the policies that refused it; other `/v1` responses every policy they met.',
    schema: { type: 'string', example: '"login-per-ip";r=0;t=3' },
  });
  registry.registerComponent('headers', 'RateLimitPolicy', {
    description:
      'Per draft-ietf-httpapi-ratelimit-headers: each policy the request met, with its quota (`q`) per window (`w`, seconds).',
    schema: { type: 'string', example: '"api";q=1000;w=10, "login-per-ip";q=5;w=10' },
  });
}

/** The errors every authenticated route can answer with. */
export const authenticatedErrors = {
  401: errorResponses[401],
  403: errorResponses[403],
  429: errorResponses[429],
  503: errorResponses[503],
} as const;

/** Optional `Idempotency-Key` header of POSTs that create. */
export const IdempotencyHeaders = z.object({
  'idempotency-key': z.string().optional().openapi({
    description: 'Makes the request safe to retry: the first response for a key is replayed for 24 hours.',
    example: '2f1c5b8e-6d0a-4a57-9b1e-0c7a4d1e9f33',
  }),
});

/** `limit` and `cursor` of every list. */
export const PaginationQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .openapi({ description: 'Page size, 1 to 100.', example: 20 }),
  cursor: z.string().max(512).optional().openapi({ description: '`next_cursor` of the previous page.' }),
});

/** Examples of named schemas, so a list of one ({@link pageOf}) gets its example without a second copy. */
const examples = new WeakMap<z.ZodType, unknown>();

/**
 * `schema` as the named component `name` with `example` (shown in /docs and as `@example`
 * in the SDK's types), and any other metadata. Every example is checked against its own
 * schema by test/openapi.test.ts.
 * @example
 * export const TierSchema = named(z.object({ … }), 'Tier', TIER_EXAMPLE, { description: 'A membership tier.' });
 */
export function named<T extends z.ZodType>(
  schema: T,
  name: string,
  example: z.input<T>,
  metadata: { description?: string } = {},
): T {
  const out = schema.openapi(name, { ...metadata, example } as Parameters<T['openapi']>[1]);
  examples.set(out, example);
  return out;
}

/** The example {@link named} gave `schema`, if any. */
export function exampleOf<T extends z.ZodType>(schema: T): z.input<T> | undefined {
  return examples.get(schema) as z.input<T> | undefined;
}

/** `{ data, has_more, next_cursor }` around a list of `item`; its example lists the item's (see {@link named}). */
export function pageOf<T extends z.ZodType>(item: T, name: string) {
  const list = z.object({
    object: z.literal('list'),
    data: z.array(item),
    has_more: z.boolean(),
    next_cursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as `cursor` to get the next page; null on the last page.' }),
  });
  const itemExample = exampleOf(item);
  if (itemExample === undefined) return list.openapi(name);
  return named(list, name, {
    object: 'list',
    data: [itemExample],
    has_more: true,
    next_cursor: 'eyJ2IjoxLCJrIjpbMTAsInRpZXJfMDFqZHgzdjRrN205cTJ3OGU1cjZ0MHkxemMiXX0',
  } as z.input<typeof list>);
}

/** Security requirements of routes, by credential. */
export const SECURITY: Record<'secretKey' | 'platformKey', { [scheme: string]: string[] }[]> = {
  /** Staff endpoints: a tenant secret key, or a staff user's access token with the same role-based permissions. */
  secretKey: [{ secretKey: [] }, { staffToken: [] }],
  platformKey: [{ platformKey: [] }],
};

/** A JSON response of `schema`, for `createRoute({ responses })`. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** A required JSON request body of `schema`, for `createRoute({ request: { body } })`. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true as const, content: { 'application/json': { schema } } };
}
