import { createRoute, z } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import { authenticatedErrors, errorResponses, SECURITY } from '../../lib/openapi.js';

export const JwksSchema = z
  .object({
    keys: z.array(z.record(z.string(), z.unknown()).openapi({ description: 'A public JWK (EC P-256, ES256).' })),
  })
  .openapi('Jwks', {
    example: {
      keys: [
        {
          kty: 'EC',
          crv: 'P-256',
          x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
          y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
          kid: '2026-11-27-Xk3vQ9pL2m',
          alg: 'ES256',
          use: 'sig',
        },
      ],
    },
  });

export const IssuerMetadataSchema = z
  .object({
    issuer: z.string(),
    jwks_uri: z.string(),
    id_token_signing_alg_values_supported: z.array(z.string()),
    token_endpoint_auth_methods_supported: z.array(z.string()),
  })
  .openapi('IssuerMetadata', {
    example: {
      issuer: 'https://api.memberkit.dev/v1/tenants/tnt_01jdx3v4k7m9q2w8e5r6t0y1zc',
      jwks_uri: 'https://api.memberkit.dev/v1/tenants/tnt_01jdx3v4k7m9q2w8e5r6t0y1zc/.well-known/jwks.json',
      id_token_signing_alg_values_supported: ['ES256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    },
  });

const tenantParam = z.object({
  tenant_id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'tenant_id', in: 'path' }, example: 'tnt_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
});
const cached = {
  'Cache-Control': {
    schema: { type: 'string' as const },
    description: 'Public, 5 minutes: rotated keys appear within that time.',
  },
};

export const tenantJwksRoute = createRoute({
  method: 'get',
  path: '/v1/tenants/{tenant_id}/.well-known/jwks.json',
  operationId: 'getTenantJwks',
  tags: ['Tokens'],
  summary: "A tenant's token signing keys (JWKS)",
  description:
    "Public keys that verify the tenant's member and staff access tokens offline, including retired keys until their last tokens expire.",
  security: [],
  request: { params: tenantParam },
  responses: {
    200: { description: 'The JWKS.', headers: cached, content: { 'application/json': { schema: JwksSchema } } },
    404: errorResponses[404],
    429: errorResponses[429],
  },
});

export const issuerMetadataRoute = createRoute({
  method: 'get',
  path: '/v1/tenants/{tenant_id}/.well-known/openid-configuration',
  operationId: 'getIssuerMetadata',
  tags: ['Tokens'],
  summary: "A tenant's token issuer metadata",
  security: [],
  request: { params: tenantParam },
  responses: {
    200: { description: 'Issuer metadata.', content: { 'application/json': { schema: IssuerMetadataSchema } } },
    404: errorResponses[404],
    429: errorResponses[429],
  },
});

export const jwksRoute = createRoute({
  method: 'get',
  path: '/v1/.well-known/jwks.json',
  operationId: 'getJwks',
  middleware: [requireCredential(['publishable_key'])] as const,
  tags: ['Tokens'],
  summary: "The JWKS of the publishable key's tenant",
  security: [{ publishableKey: [] }],
  responses: {
    200: { description: 'The JWKS.', content: { 'application/json': { schema: JwksSchema } } },
    401: errorResponses[401],
    403: errorResponses[403],
  },
});

export const rotateSigningKeyRoute = createRoute({
  method: 'post',
  path: '/v1/tenant/signing-keys/rotate',
  operationId: 'rotateSigningKey',
  middleware: [requireCredential(['secret_key', 'staff'], 'tenant:update')] as const,
  tags: ['Tokens'],
  summary: 'Rotate the token signing key',
  description:
    'New tokens are signed with a new key at once; the old key stays in the JWKS until tokens it signed have expired.',
  security: SECURITY.secretKey,
  responses: {
    200: {
      description: 'The new key id.',
      content: {
        'application/json': {
          schema: z.object({ object: z.literal('signing_key'), kid: z.string() }).openapi('SigningKey', {
            example: { object: 'signing_key', kid: '2026-12-07-Rt5wY7zA1b' },
          }),
        },
      },
    },
    ...authenticatedErrors,
  },
});
