import { createRoute } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import { authenticatedErrors, errorResponses, SECURITY } from '../../lib/openapi.js';
import { CustomFieldListSchema, ReplaceCustomFieldsBody } from './fields.schemas.js';

const TAGS = ['Custom fields'];

export const listCustomFieldsRoute = createRoute({
  method: 'get',
  path: '/v1/tenant/fields',
  operationId: 'listCustomFields',
  middleware: [requireCredential(['secret_key', 'staff'], 'field:read')] as const,
  tags: TAGS,
  summary: 'List custom fields',
  description:
    'Every custom field the tenant defines for its members, in `sort_order`. The set is small (at most 100), so it is not paginated.',
  security: SECURITY.secretKey,
  responses: {
    200: { description: "The tenant's fields.", content: { 'application/json': { schema: CustomFieldListSchema } } },
    ...authenticatedErrors,
  },
});

export const replaceCustomFieldsRoute = createRoute({
  method: 'put',
  path: '/v1/tenant/fields',
  operationId: 'replaceCustomFields',
  middleware: [requireCredential(['secret_key', 'staff'], 'field:update')] as const,
  tags: TAGS,
  summary: 'Replace the custom fields',
  description: [
    "Replaces the whole set of custom fields with `fields`, atomically; each field's position becomes its `sort_order`. Send every field you want to keep: a field left out is removed.",
    '',
    "**Member values follow, in the same transaction:** removing a key also removes its values from every member of the tenant (deleted members included); changing a field's `type` removes its values; removing an option of a `select` field removes the values that used it, and of a `multi_select` field removes it from the lists. This cannot be undone.",
    '',
    'Making a field `required` does not fill in the values existing members lack. Fields sent unchanged keep their `updated_at`. The body `GET /v1/tenant/fields` answers is accepted unchanged (the set under `data`, read-only properties ignored): read, edit, write back.',
  ].join('\n'),
  security: SECURITY.secretKey,
  request: { body: { required: true, content: { 'application/json': { schema: ReplaceCustomFieldsBody } } } },
  responses: {
    200: { description: 'The new set.', content: { 'application/json': { schema: CustomFieldListSchema } } },
    400: errorResponses[400],
    ...authenticatedErrors,
    413: errorResponses[413],
    415: errorResponses[415],
    422: errorResponses[422],
  },
});
