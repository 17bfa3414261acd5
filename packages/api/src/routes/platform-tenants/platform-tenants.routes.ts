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
import { TenantSchema } from '../tenant/tenant.schemas.js';
import { CreatedTenantSchema, CreateTenantBody } from './platform-tenants.schemas.js';

export const createPlatformTenantRoute = createRoute({
  method: 'post',
  path: '/v1/platform/tenants',
  operationId: 'createPlatformTenant',
  middleware: [requireCredential(['platform'])] as const,
  tags: ['Platform'],
  summary: 'Create a tenant',
  description:
    'Creates a tenant with an admin secret key and a publishable key, returned in this response only. Platform operator key required.',
  security: SECURITY.platformKey,
  request: {
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: CreateTenantBody } } },
  },
  responses: {
    201: {
      description: 'The tenant and its first keys.',
      content: { 'application/json': { schema: CreatedTenantSchema } },
    },
    400: errorResponses[400],
    ...authenticatedErrors,
    409: errorResponses[409],
    413: errorResponses[413],
    415: errorResponses[415],
    422: errorResponses[422],
  },
});

export const listPlatformTenantsRoute = createRoute({
  method: 'get',
  path: '/v1/platform/tenants',
  operationId: 'listPlatformTenants',
  middleware: [requireCredential(['platform'])] as const,
  tags: ['Platform'],
  summary: 'List tenants',
  description: 'Every tenant, newest first. Platform operator key required.',
  security: SECURITY.platformKey,
  request: { query: PaginationQuery },
  responses: {
    200: {
      description: 'A page of tenants.',
      content: { 'application/json': { schema: pageOf(TenantSchema, 'TenantList') } },
    },
    400: errorResponses[400],
    ...authenticatedErrors,
    422: errorResponses[422],
  },
});
