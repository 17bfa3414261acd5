import { requireCredential } from '../../access/require-credential.js';
import { createRoute } from '@hono/zod-openapi';
import {
  authenticatedErrors,
  errorResponses,
  IdempotencyHeaders,
  pageOf,
  PaginationQuery,
  SECURITY,
} from '../../lib/openapi.js';
import { idParam } from '../../lib/schemas.js';
import { ApiKeySchema, CreateApiKeyBody, CreatedApiKeySchema } from './api-keys.schemas.js';

export const createApiKeyRoute = createRoute({
  method: 'post',
  path: '/v1/api-keys',
  operationId: 'createApiKey',
  middleware: [requireCredential(['secret_key', 'staff'], 'api_key:create')] as const,
  tags: ['API keys'],
  summary: 'Create an API key',
  description:
    "Creates a secret key with a role, or a publishable key bound to browser origins. The full key is in this response only. A secret key's role is at most the caller's own (403 `ROLE_CEILING` otherwise).",
  security: SECURITY.secretKey,
  request: {
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: CreateApiKeyBody } } },
  },
  responses: {
    201: {
      description: 'The new key, with its secret.',
      content: { 'application/json': { schema: CreatedApiKeySchema } },
    },
    400: errorResponses[400],
    ...authenticatedErrors,
    409: errorResponses[409],
    413: errorResponses[413],
    415: errorResponses[415],
    422: errorResponses[422],
  },
});

export const listApiKeysRoute = createRoute({
  method: 'get',
  path: '/v1/api-keys',
  operationId: 'listApiKeys',
  middleware: [requireCredential(['secret_key', 'staff'], 'api_key:read')] as const,
  tags: ['API keys'],
  summary: 'List API keys',
  description: "The tenant's keys, newest first, revoked ones included. Secrets are never returned.",
  security: SECURITY.secretKey,
  request: { query: PaginationQuery },
  responses: {
    200: {
      description: 'A page of keys.',
      content: { 'application/json': { schema: pageOf(ApiKeySchema, 'ApiKeyList') } },
    },
    400: errorResponses[400],
    ...authenticatedErrors,
    422: errorResponses[422],
  },
});

export const revokeApiKeyRoute = createRoute({
  method: 'delete',
  path: '/v1/api-keys/{id}',
  operationId: 'revokeApiKey',
  middleware: [requireCredential(['secret_key', 'staff'], 'api_key:revoke')] as const,
  tags: ['API keys'],
  summary: 'Revoke an API key',
  description:
    "Requests with the key fail with 401 from now on. Revoking the tenant's last admin secret key is refused, as is revoking a key whose role is above the caller's own (403 `ROLE_CEILING`).",
  security: SECURITY.secretKey,
  request: { params: idParam('key_01jdx3v4k7m9q2w8e5r6t0y1zc') },
  responses: {
    200: { description: 'The revoked key.', content: { 'application/json': { schema: ApiKeySchema } } },
    ...authenticatedErrors,
    404: errorResponses[404],
    409: errorResponses[409],
  },
});
