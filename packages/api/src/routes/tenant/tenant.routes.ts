import { requireCredential } from '../../access/require-credential.js';
import { createRoute } from '@hono/zod-openapi';
import { authenticatedErrors, errorResponses, SECURITY } from '../../lib/openapi.js';
import { TenantSchema, UpdateTenantBody } from './tenant.schemas.js';

export const getTenantRoute = createRoute({
  method: 'get',
  path: '/v1/tenant',
  operationId: 'getTenant',
  middleware: [requireCredential(['secret_key', 'staff'], 'tenant:read')] as const,
  tags: ['Tenant'],
  summary: "Retrieve the tenant's settings",
  description: 'The tenant of the API key: name, branding, locales and allowed browser origins.',
  security: SECURITY.secretKey,
  responses: {
    200: { description: 'The tenant.', content: { 'application/json': { schema: TenantSchema } } },
    ...authenticatedErrors,
  },
});

export const updateTenantRoute = createRoute({
  method: 'patch',
  path: '/v1/tenant',
  operationId: 'updateTenant',
  middleware: [requireCredential(['secret_key', 'staff'], 'tenant:update')] as const,
  tags: ['Tenant'],
  summary: "Update the tenant's settings",
  description:
    'Changes only the fields sent. Branding keys merge one by one; `null` resets a branding key to its default.',
  security: SECURITY.secretKey,
  request: { body: { required: true, content: { 'application/json': { schema: UpdateTenantBody } } } },
  responses: {
    200: { description: 'The updated tenant.', content: { 'application/json': { schema: TenantSchema } } },
    400: errorResponses[400],
    ...authenticatedErrors,
    413: errorResponses[413],
    415: errorResponses[415],
    422: errorResponses[422],
  },
});
