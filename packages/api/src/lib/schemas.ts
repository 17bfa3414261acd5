import { z } from '@hono/zod-openapi';

/** Field schemas shared by several resources. */

export const Timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-27T09:30:00.000Z' });

/** An origin exactly as browsers send it: scheme, host and optional port; no path. */
export const Origin = z
  .string()
  .max(255)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
    } catch {
      return false;
    }
  }, 'Must be an origin such as https://example.org (scheme and host, no path or trailing slash).')
  .openapi({ example: 'https://www.example.org' });

/** A BCP 47 language tag of the simple kind we translate to: `en`, `de`, `de-AT`, `pt-BR`. */
export const LocaleTag = z
  .string()
  .regex(/^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?$/, 'Must be a language tag such as en, de or de-AT.')
  .openapi({ example: 'de' });

export const HexColor = z
  .string()
  .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/, 'Must be a hex color such as #4f46e5.')
  .openapi({ example: '#4f46e5' });

/** An http(s) URL; plain http only for local development hosts. */
export const WebUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      if (url.protocol === 'https:') return true;
      return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    } catch {
      return false;
    }
  }, 'Must be an https URL (http only for localhost).')
  .openapi({ example: 'https://www.example.org/logo.svg' });

/** A path parameter holding a prefixed id. Shape is checked in the handler so a wrong id is a 404, not a 422. */
export function idParam(example: string) {
  return z.object({
    id: z
      .string()
      .max(64)
      .openapi({ param: { name: 'id', in: 'path' }, example }),
  });
}

/**
 * `schema` restricted to `pattern`, written into the OpenAPI document as the regex's
 * `source`. The generator writes `toString()` without its slashes, which keeps the
 * flags: `/^\p{L}+$/u` came out as `^\p{L}+$/u`, a pattern nothing matches. JSON
 * Schema patterns are ECMA-262 in Unicode mode already, so `u` (or `v`) is the only
 * flag that can be dropped without changing what matches; any other throws here.
 * @example
 * const Tag = withPattern(z.string().max(50), /^[\p{L}\p{N}]+$/u, 'Letters and digits.');
 */
export function withPattern<T extends z.ZodString>(schema: T, pattern: RegExp, message: string) {
  if (/[^uv]/.test(pattern.flags))
    throw new Error(`${pattern}: flags other than u or v have no JSON Schema equivalent; write them into the pattern.`);
  return schema.regex(pattern, message).openapi({ pattern: pattern.source });
}

/**
 * An IANA time zone name. Only its shape is checked here; the service checks it
 * against the runtime's zone list and stores the list's spelling (422 naming the
 * field when it is none).
 */
export const TimeZoneName = z.string().trim().min(1).max(64).openapi({
  description: 'IANA time zone, such as `Europe/Berlin` or `UTC`.',
  example: 'Europe/Berlin',
});
