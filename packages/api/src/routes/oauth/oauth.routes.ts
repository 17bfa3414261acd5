import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses } from '../../lib/openapi.js';

export const TokenRequest = z
  .object({
    grant_type: z.string().openapi({ example: 'client_credentials' }),
    client_id: z.string().max(64).optional().openapi({ description: 'The secret key\'s id (`key_…`); or use HTTP Basic.' }),
    client_secret: z.string().max(200).optional().openapi({ description: 'The secret key itself; or use HTTP Basic.' }),
    scope: z.string().max(200).optional(),
  })
  .openapi('OAuthTokenRequest');

export const TokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int(),
  })
  .openapi('OAuthTokenResponse');

const OAuthError = z
  .object({ error: z.string().openapi({ example: 'invalid_client' }), error_description: z.string() })
  .openapi('OAuthError');

export const tokenRoute = createRoute({
  method: 'post',
  path: '/v1/oauth/token',
  operationId: 'createOAuthToken',
  tags: ['Tokens'],
  summary: 'OAuth 2.0 token (client credentials)',
  description:
    'RFC 6749 §4.4: client id = a secret key\'s id, client secret = the key. Returns a 10-minute access token that carries the key\'s role and stops working when the key is revoked. Errors follow RFC 6749 §5.2.',
  security: [],
  request: { body: { required: true, content: { 'application/x-www-form-urlencoded': { schema: TokenRequest } } } },
  responses: {
    200: { description: 'The token.', content: { 'application/json': { schema: TokenResponse } } },
    400: { description: 'Invalid request or unsupported grant type.', content: { 'application/json': { schema: OAuthError } } },
    401: { description: 'Invalid client credentials.', content: { 'application/json': { schema: OAuthError } } },
    415: errorResponses[415],
    429: errorResponses[429],
  },
});
