import { z } from '@hono/zod-openapi';
import { DEFAULT_OIDC_SCOPES, oidcCallbackUrl, type OidcProviderRow } from '../../accounts/oidc.js';
import { named } from '../../lib/openapi.js';
import { Timestamp } from '../../lib/schemas.js';

/** An https issuer, or plain http on this machine (development); no query or fragment (OIDC Discovery §2). */
const Issuer = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      if (url.search || url.hash || url.username || url.password) return false;
      if (url.protocol === 'https:') return true;
      return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    } catch {
      return false;
    }
  }, "Must be the provider's issuer URL: https (http only for localhost), without query or fragment.")
  .openapi({
    description: 'The issuer identifier; `<issuer>/.well-known/openid-configuration` must be its discovery document.',
    example: 'https://accounts.google.com',
  });

/** RFC 6749 §3.3 scope tokens. */
const Scope = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/, 'Must be a scope token without spaces or quotes.');
const Scopes = z
  .array(Scope)
  .min(1)
  .max(20)
  .refine((scopes) => scopes.includes('openid'), 'Must include openid.')
  .transform((scopes) => [...new Set(scopes)])
  .openapi({
    description:
      'Scopes to request; must include `openid`. Members are matched by `email`, so include `email` unless the provider sends it anyway.',
    example: [...DEFAULT_OIDC_SCOPES],
  });

const Name = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .openapi({ description: 'Shown to members on the sign-in button.', example: 'Google' });
const ClientSecret = z.string().min(1).max(1000).openapi({
  format: 'password',
  description: 'Stored encrypted; never returned. Omit for a public client (PKCE only).',
});
const AutoCreate = z.boolean().openapi({
  description:
    'Create a member for a verified email that matches none (only when the tenant allows sign-up). Otherwise only existing members can sign in.',
});
const Enabled = z
  .boolean()
  .openapi({ description: 'A disabled provider cannot be used to sign in; its member links are kept.' });

/** A provider as tenant admins see it (`OidcProvider`). */
export const OidcProviderSchema = named(
  z.object({
    id: z.string().openapi({ example: 'oidc_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
    object: z.literal('oidc_provider'),
    name: z.string().openapi({ example: 'Google' }),
    issuer: z.string().openapi({ example: 'https://accounts.google.com' }),
    client_id: z.string().openapi({ example: '1234567890-abc.apps.googleusercontent.com' }),
    has_client_secret: z
      .boolean()
      .openapi({ description: 'Whether a client secret is stored (it is never returned).' }),
    scopes: z.array(z.string()).openapi({ example: [...DEFAULT_OIDC_SCOPES] }),
    auto_create_members: z.boolean(),
    enabled: z.boolean(),
    redirect_uri: z.string().openapi({
      description: 'Register this exact URL as the redirect URI of the client at the provider.',
      example: 'https://api.memberkit.dev/v1/auth/oidc/callback',
    }),
    start_url: z.string().openapi({
      description:
        'Where the sign-in button sends the browser, with `publishable_key` and `redirect_uri` added as query parameters.',
      example: 'https://api.memberkit.dev/v1/auth/oidc/oidc_01jdx3v4k7m9q2w8e5r6t0y1zc/start',
    }),
    created_at: Timestamp,
  }),
  'OidcProvider',
  {
    id: 'oidc_01jdx3v4k7m9q2w8e5r6t0y1zc',
    object: 'oidc_provider',
    name: 'Google',
    issuer: 'https://accounts.google.com',
    client_id: '1234567890-abc.apps.googleusercontent.com',
    has_client_secret: true,
    scopes: ['openid', 'email', 'profile'],
    auto_create_members: true,
    enabled: true,
    redirect_uri: 'https://api.memberkit.dev/v1/auth/oidc/callback',
    start_url: 'https://api.memberkit.dev/v1/auth/oidc/oidc_01jdx3v4k7m9q2w8e5r6t0y1zc/start',
    created_at: '2026-11-27T09:30:00.000Z',
  },
);

/** Body of `POST /v1/tenant/oidc-providers`. */
export const CreateOidcProviderBody = z
  .strictObject({
    name: Name,
    issuer: Issuer,
    client_id: z.string().trim().min(1).max(255).openapi({ example: '1234567890-abc.apps.googleusercontent.com' }),
    client_secret: ClientSecret.optional(),
    scopes: Scopes.optional(),
    auto_create_members: AutoCreate.optional().openapi({ description: 'Default true.' }),
    enabled: Enabled.optional().openapi({ description: 'Default true.' }),
  })
  .openapi('CreateOidcProviderBody', {
    example: {
      name: 'Google',
      issuer: 'https://accounts.google.com',
      client_id: '1234567890-abc.apps.googleusercontent.com',
      client_secret: 'GOCSPX-3xAmPlEsEcReT',
      scopes: ['openid', 'email', 'profile'],
    },
  });

/** Body of `PATCH /v1/tenant/oidc-providers/{id}`: only the fields sent change. */
export const UpdateOidcProviderBody = z
  .strictObject({
    name: Name.optional(),
    client_secret: ClientSecret.nullable()
      .optional()
      .openapi({ description: 'A new secret (rotation), or null to make the client public.' }),
    scopes: Scopes.optional(),
    auto_create_members: AutoCreate.optional(),
    enabled: Enabled.optional(),
  })
  .openapi('UpdateOidcProviderBody', { example: { client_secret: 'GOCSPX-n3wSeCrEt', enabled: true } });

/** A provider id in the path; its shape is checked in the service so a wrong id is a 404. */
export const ProviderIdParam = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'oidc_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
});

/** Path of the login start. */
export const StartParams = z.object({
  provider_id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'provider_id', in: 'path' }, example: 'oidc_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
});

/** Query of the login start: what the sign-in button's link carries. */
export const StartQuery = z.object({
  publishable_key: z.string().min(1).max(200).openapi({
    description: "The tenant's publishable key (`pk_…`): browsers navigate here, so it comes in the query.",
    example: 'pk_01jd…',
  }),
  redirect_uri: z.string().min(1).max(2048).openapi({
    description:
      "The page to return to, on one of the key's allowed origins, without a fragment. The result arrives in its fragment.",
    example: 'https://www.example.org/members/callback',
  }),
  state: z
    .string()
    .regex(/^[\x20-\x7E]{1,200}$/, 'Must be 1 to 200 printable ASCII characters.')
    .optional()
    .openapi({
      description:
        "Any value of the page's own, returned unchanged as `state` in the fragment, so the page can tell a sign-in it started from one pushed on it.",
      example: 'x7Kq2Lm9',
    }),
});

/**
 * Query the provider sends to our callback. Limits are loose on purpose: a valid state should lead back to the page
 * even when the provider adds odd parameters. A loose object, so parameters of its own (`session_state`, `scope`,
 * `authuser`) are ignored rather than refused as unknown.
 */
export const CallbackQuery = z.looseObject({
  state: z.string().max(1000).optional().openapi({ description: 'The state we sent to the provider.' }),
  code: z.string().max(8192).optional().openapi({ description: 'The authorization code.' }),
  error: z
    .string()
    .max(1000)
    .optional()
    .openapi({ description: "The provider's error code, when it did not sign the person in." }),
  error_description: z
    .string()
    .max(8192)
    .optional()
    .openapi({ description: "Not passed on to the page: it is the provider's text." }),
  iss: z
    .string()
    .max(2048)
    .optional()
    .openapi({ description: "The issuer (RFC 9207), checked against the provider's when it advertises it." }),
});

/** The DTO of a provider: never the secret. */
export function toOidcProviderDto(row: OidcProviderRow, issuerBaseUrl: string): z.infer<typeof OidcProviderSchema> {
  return {
    id: row.id,
    object: 'oidc_provider',
    name: row.name,
    issuer: row.issuer,
    client_id: row.clientId,
    has_client_secret: row.clientSecretSealed !== null,
    scopes: row.scopes,
    auto_create_members: row.autoCreateMembers,
    enabled: row.enabled,
    redirect_uri: oidcCallbackUrl(issuerBaseUrl),
    start_url: `${issuerBaseUrl.replace(/\/+$/, '')}/v1/auth/oidc/${row.id}/start`,
    created_at: row.createdAt.toISOString(),
  };
}
