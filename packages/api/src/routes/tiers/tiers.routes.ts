import { createRoute } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import { authenticatedErrors, errorResponses, IdempotencyHeaders, pageOf, SECURITY } from '../../lib/openapi.js';
import { idParam } from '../../lib/schemas.js';
import { CreateTierBody, DeletedTierSchema, ListTiersQuery, TierSchema, UpdateTierBody } from './tiers.schemas.js';

const TAGS = ['Tiers'];
const tierId = idParam('tier_01jdx3v4k7m9q2w8e5r6t0y1zc');
const tierResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: TierSchema } },
});

export const createTierRoute = createRoute({
  method: 'post',
  path: '/v1/tiers',
  operationId: 'createTier',
  middleware: [requireCredential(['secret_key', 'staff'], 'tier:create')] as const,
  tags: TAGS,
  summary: 'Create a tier',
  description:
    'Creates a membership tier. A `free` tier costs 0; any other interval needs a price above 0. Without `sort_order` the tier goes after the last one.',
  security: SECURITY.secretKey,
  request: {
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: CreateTierBody } } },
  },
  responses: {
    201: tierResponse('The new tier.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    409: errorResponses[409],
    413: errorResponses[413],
    415: errorResponses[415],
    422: errorResponses[422],
  },
});

export const listTiersRoute = createRoute({
  method: 'get',
  path: '/v1/tiers',
  operationId: 'listTiers',
  middleware: [requireCredential(['secret_key', 'staff'], 'tier:read')] as const,
  tags: TAGS,
  summary: 'List tiers',
  description:
    "The tenant's tiers in display order (`sort_order`, then id), each with its `member_count`. Archived tiers are left out unless `include_archived=true`. A cursor is valid only with the filters it was issued for.",
  security: SECURITY.secretKey,
  request: { query: ListTiersQuery },
  responses: {
    200: {
      description: 'A page of tiers.',
      content: { 'application/json': { schema: pageOf(TierSchema, 'TierList') } },
    },
    400: errorResponses[400],
    ...authenticatedErrors,
    422: errorResponses[422],
  },
});

export const getTierRoute = createRoute({
  method: 'get',
  path: '/v1/tiers/{id}',
  operationId: 'getTier',
  middleware: [requireCredential(['secret_key', 'staff'], 'tier:read')] as const,
  tags: TAGS,
  summary: 'Retrieve a tier',
  description: 'One tier by id, archived or not.',
  security: SECURITY.secretKey,
  request: { params: tierId },
  responses: {
    200: tierResponse('The tier.'),
    ...authenticatedErrors,
    404: errorResponses[404],
  },
});

export const updateTierRoute = createRoute({
  method: 'patch',
  path: '/v1/tiers/{id}',
  operationId: 'updateTier',
  middleware: [requireCredential(['secret_key', 'staff'], 'tier:update')] as const,
  tags: TAGS,
  summary: 'Update a tier',
  description:
    'Changes only the fields sent. `{"archived": true}` archives the tier: members holding it keep it, but it is hidden from lists and cannot be assigned; `false` restores it. The price rule (a `free` tier costs 0, any other more) applies to the tier as it is after the change. Lowering `capacity` below `member_count` is refused with 409 `TIER_CAPACITY_BELOW_MEMBERS`.',
  security: SECURITY.secretKey,
  request: {
    params: tierId,
    body: { required: true, content: { 'application/json': { schema: UpdateTierBody } } },
  },
  responses: {
    200: tierResponse('The updated tier.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    404: errorResponses[404],
    409: errorResponses[409],
    413: errorResponses[413],
    415: errorResponses[415],
    422: errorResponses[422],
  },
});

export const deleteTierRoute = createRoute({
  method: 'delete',
  path: '/v1/tiers/{id}',
  operationId: 'deleteTier',
  middleware: [requireCredential(['secret_key', 'staff'], 'tier:delete')] as const,
  tags: TAGS,
  summary: 'Delete a tier',
  description:
    'Deletes a tier nobody uses. A tier held by any member (not deleted) or offered by a pending invite is refused with 409 `TIER_IN_USE`: archive it with `PATCH {"archived": true}` instead. Deleted members and accepted or revoked invites that still name the tier lose that reference.',
  security: SECURITY.secretKey,
  request: { params: tierId },
  responses: {
    200: { description: 'The tier was deleted.', content: { 'application/json': { schema: DeletedTierSchema } } },
    ...authenticatedErrors,
    404: errorResponses[404],
    409: errorResponses[409],
  },
});
