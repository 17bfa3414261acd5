import { type Hook, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { ZodError, ZodType } from 'zod';
import type { AppEnv } from './context.js';
import { ApiError, CommonErrors, defineErrorCodes, type FieldError } from './errors.js';

/** Turns zod issues into `errors[]` entries; fields outside the JSON body are named by where they came from. */
export function fieldErrorsFromZod(error: ZodError, target: string): FieldError[] {
  const prefix = targetPrefix(target);
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push({ field: prefix + (path ? `${path}.${key}` : key), message: 'Unknown field.' });
      continue;
    }
    out.push({ field: prefix + (path || (prefix ? target : 'body')), message: issue.message });
  }
  return out;
}

/** Body fields are named bare (`first_name`); everything else by where it came from (`query.limit`, `param.id`). */
function targetPrefix(target: string): string {
  return target === 'json' || target === 'form' ? '' : `${target}.`;
}

/**
 * NUL and unpaired UTF-16 surrogates. Both are legal in a JavaScript string (JSON
 * `"\u0000"`, `"\ud800"`, a query's `%00`) but not in Postgres `text` or `jsonb`, nor
 * in UTF-8: left through they fail deep in a query as a 500, or are silently
 * replaced by U+FFFD.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this rejects
const UNSTORABLE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Stops listing after this many: a body of 100,000 bad strings gets a short answer. */
const MAX_TEXT_ERRORS = 20;

/** True when `value` holds a character no Postgres text column or UTF-8 encoder can take. */
export function isUnstorableText(value: string): boolean {
  return UNSTORABLE_TEXT.test(value);
}

/**
 * Every string (object keys included) in `value` that holds NUL or an unpaired
 * surrogate, as `errors[]` entries named like zod's. Walks iteratively: a deeply
 * nested JSON body must not overflow the stack.
 */
export function unstorableTextErrors(value: unknown, target: string): FieldError[] {
  const prefix = targetPrefix(target);
  const out: FieldError[] = [];
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  const nameOf = (path: string) => prefix + (path || (prefix ? target : 'body'));
  while (stack.length > 0 && out.length < MAX_TEXT_ERRORS) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (isUnstorableText(current))
        out.push({ field: nameOf(path), message: 'Must not contain NUL characters or unpaired UTF-16 surrogates.' });
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--)
        stack.push({ value: current[i], path: path ? `${path}.${i}` : String(i) });
    } else if (current !== null && typeof current === 'object' && isPlainObject(current)) {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const childPath = path ? `${path}.${key}` : key;
        if (isUnstorableText(key)) {
          out.push({
            field: nameOf(path),
            message: 'Field names must not contain NUL characters or unpaired UTF-16 surrogates.',
          });
          continue;
        }
        stack.push({ value: child, path: childPath });
      }
    }
  }
  return out;
}

/** A parsed JSON object or a parameter map (some routers build those without a prototype); not a Date, Map or class instance. */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The one validation failure every route raises: 422 with every invalid field listed. */
export function validationError(errors: FieldError[], detail?: string): ApiError {
  const summary = errors
    .slice(0, 3)
    .map((e) => `${e.field}: ${e.message}`)
    .join('; ');
  return new ApiError(
    CommonErrors.VALIDATION_FAILED,
    detail ?? `The request is invalid: ${summary}${errors.length > 3 ? '; …' : ''}`,
    { errors },
  );
}

/**
 * The `defaultHook` of every router (and of the root app): schema failures become
 * 422 problems, and so does any string (body, query, path, header, cookie) that
 * Postgres could not store, whatever its schema says. Here, once, rather than a
 * refinement on each `z.string()`, so a route added tomorrow is covered and the
 * OpenAPI document stays as the schemas describe it.
 */
// biome-ignore lint/suspicious/noExplicitAny: the hook serves every route, whatever its input type, as OpenAPIHono's own `defaultHook` option is typed
export const validationHook: Hook<any, AppEnv, any, void> = (result) => {
  // On failure zod-validator still passes the raw input as `data` (the type omits it): check it too, so one answer lists both.
  const data = result.success ? result.data : (result as { data?: unknown }).data;
  const errors = inputErrors(result.success ? undefined : result.error, data, result.target);
  if (errors.length > 0) throw validationError(errors);
};

/** Schema issues and unstorable text of one input, as `errors[]`. */
function inputErrors(error: ZodError | undefined, data: unknown, target: string): FieldError[] {
  return [...(error ? fieldErrorsFromZod(error, target) : []), ...unstorableTextErrors(data, target)];
}

/**
 * Validates `input` exactly as a route's validator does (the schema, then text
 * Postgres cannot store), for input that arrives outside the route's schema, such
 * as the rows of an import.
 * @example
 * const row = parseInput(CreateMemberBody, values, 'json');
 * if (!row.ok) rowErrors.push(...row.errors);
 */
export function parseInput<T>(
  schema: ZodType<T>,
  input: unknown,
  target: string,
): { ok: true; value: T } | { ok: false; errors: FieldError[] } {
  const parsed = schema.safeParse(input);
  const errors = inputErrors(parsed.success ? undefined : parsed.error, parsed.success ? parsed.data : input, target);
  return parsed.success && errors.length === 0 ? { ok: true, value: parsed.data } : { ok: false, errors };
}

/** Errors of the query-string check, declared beside it. */
export const QueryErrors = defineErrorCodes({
  UNKNOWN_QUERY_PARAMETER: { status: 400, title: 'Unknown query parameter' },
});

/** How to write a query parameter whose value has a syntax of its own, keyed by its schema (see {@link withQuerySyntax}). */
const querySyntax = new WeakMap<ZodType, string>();

/**
 * Records how a query parameter's value is written (`custom_field=city:London`), for
 * the answer to a request that tried another syntax (`custom_field.city=London`).
 * Kept beside the schema, not in its OpenAPI metadata, which the document would show twice.
 * @example
 * const CustomFieldFilter = withQuerySyntax(z.string(), 'custom_field=<key>:<value>, e.g. custom_field=city:London');
 */
export function withQuerySyntax<T extends ZodType>(schema: T, syntax: string): T {
  querySyntax.set(schema, syntax);
  return schema;
}

/** The syntax recorded for `schema` or the schema it wraps (`.optional()`, `.default()`). */
function querySyntaxOf(schema: ZodType | undefined): string | undefined {
  for (let s = schema; s; s = (s._zod.def as { innerType?: ZodType }).innerType) {
    const syntax = querySyntax.get(s);
    if (syntax) return syntax;
  }
  return undefined;
}

/**
 * The parameters a route's query schema declares, or `null` when it accepts any
 * (a `z.looseObject`, as a callback whose sender adds parameters of its own, or a
 * schema that is not an object). No schema: no parameters.
 */
function declaredQuery(schema: ZodType | undefined): Record<string, ZodType> | null {
  if (!schema) return {};
  if (!(schema instanceof z.ZodObject)) return null;
  const catchall = schema._zod.def.catchall;
  if (catchall && catchall._zod.def.type !== 'never') return null;
  return schema.shape as Record<string, ZodType>;
}

/**
 * Middleware that answers 400 `UNKNOWN_QUERY_PARAMETER` to a query-string key the
 * route does not declare. Zod drops unknown keys, so without it a misspelt or
 * invented filter (`custom_field.city=London`) silently filtered nothing and
 * returned every member. `null` when the route accepts any key.
 */
export function rejectUnknownQuery(querySchema: ZodType | undefined): MiddlewareHandler<AppEnv> | null {
  const declared = declaredQuery(querySchema);
  if (!declared) return null;
  const known = Object.keys(declared);
  return async (c, next) => {
    const unknown = Object.keys(c.req.queries()).filter((key) => !Object.hasOwn(declared, key));
    if (unknown.length > 0) throw unknownQueryError(unknown, declared, known);
    await next();
  };
}

function unknownQueryError(unknown: string[], declared: Record<string, ZodType>, known: string[]): ApiError {
  const errors: FieldError[] = [];
  const hints = new Set<string>();
  for (const key of unknown) {
    // `custom_field.city`, `status[]`, `tag[0]`: a declared parameter written in another syntax.
    const base = /^([^.[\]]+)[.[]/.exec(key)?.[1];
    const near = base !== undefined && Object.hasOwn(declared, base) ? base : undefined;
    const syntax = near ? querySyntaxOf(declared[near]) : undefined;
    if (syntax) hints.add(`Write ${near} as ${syntax}.`);
    else if (near)
      hints.add(`Write ${near} as ${near}=<value>; repeat it (${near}=a&${near}=b) where it takes several.`);
    errors.push({
      field: `query.${key}`,
      message: near ? `Unknown query parameter; did you mean ${near}?` : 'Unknown query parameter.',
    });
  }
  const accepted =
    known.length > 0 ? `This operation accepts ${known.join(', ')}.` : 'This operation takes no query parameters.';
  const names = unknown.map((key) => `\`${key}\``).join(', ');
  return new ApiError(
    QueryErrors.UNKNOWN_QUERY_PARAMETER,
    [`Unknown query parameter${unknown.length > 1 ? 's' : ''} ${names}.`, ...hints, accepted].join(' '),
    { errors },
  );
}
