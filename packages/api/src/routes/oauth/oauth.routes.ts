import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses } from '../../lib/openapi.js';
import { formBodyOnly, OAuthErrorSchema } from './oauth-errors.js';

export const TokenRequest = z
  .object({
    grant_type: z.string().max(100).openapi({ example: 'client_credentials' }),
    client_id: z
      .string()
      .max(64)
      .optional()
      .openapi({ description: "The secret key's id (`key_…`); or use HTTP Basic." }),
    client_secret: z.string().max(200).optional().openapi({ description: 'The secret key itself; or use HTTP Basic.' }),
    scope: z.string().max(200).optional(),
  })
  .openapi('OAuthTokenRequest', {
    example: {
      grant_type: 'client_credentials',
      client_id: 'key_01jdx3v4k7m9q2w8e5r6t0y1zc',
      client_secret: 'sk_01jdx3v4k7m9q2w8e5r6t0y1zc01jdx3v4k8a1b2c3d4e5f6g7h8j9Ab3xKq7Lm2Np5Rs8Tv1Wy4Zc6Df9Gh',
    },
  });

export const TokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int(),
  })
  .openapi('OAuthTokenResponse', {
    example: {
      access_token:
        'eyJhbGciOiJFUzI1NiIsImtpZCI6IjIwMjYtMTEtMjctWGszdlE5cEwybSIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJrZXlfMDFqZHgzdjRrN205cTJ3OGU1cjZ0MHkxemMiLCJhdWQiOiJtZW1iZXJraXQ6YXBpIn0.AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-Pw',
      token_type: 'Bearer',
      expires_in: 600,
    },
  });

const oauthError = (description: string) => ({
  description,
  content: { 'application/json': { schema: OAuthErrorSchema } },
});

export const tokenRoute = createRoute({
  method: 'post',
  path: '/v1/oauth/token',
  operationId: 'createOAuthToken',
  tags: ['Tokens'],
  summary: 'OAuth 2.0 token (client credentials)',
  description:
    "RFC 6749 §4.4: client id = a secret key's id, client secret = the key, sent with HTTP Basic (RFC 6749 §2.3.1: each form-urlencoded) or as form fields, not both. The body is `application/x-www-form-urlencoded`. Returns a 10-minute access token that carries the key's role and stops working when the key is revoked. Errors follow RFC 6749 §5.2 (`application/json` with `error` and `error_description`) and carry the problem fields too.",
  security: [],
  middleware: [formBodyOnly] as const,
  request: {
    // RFC 6749 §3.2: the token endpoint ignores parameters it does not know (a loose query is not refused as unknown).
    query: z.looseObject({}),
    body: { required: true, content: { 'application/x-www-form-urlencoded': { schema: TokenRequest } } },
  },
  responses: {
    200: { description: 'The token.', content: { 'application/json': { schema: TokenResponse } } },
    400: oauthError(
      '`invalid_request` (missing, repeated or malformed parameter, two authentication methods) or `unsupported_grant_type`.',
    ),
    401: oauthError('`invalid_client`: missing, malformed, unknown or wrong client credentials.'),
    413: errorResponses[413],
    415: oauthError('The body is not `application/x-www-form-urlencoded` (`error`: `invalid_request`).'),
    429: errorResponses[429],
  },
});
