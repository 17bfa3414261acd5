import { createRoute } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import {
  authenticatedErrors,
  errorResponses,
  IdempotencyHeaders,
  pageOf,
  PaginationQuery,
  SECURITY,
} from '../../lib/openapi.js';
import { idParam } from '../../lib/schemas.js';
import {
  CreateInviteBody,
  CreateInvitesBulkBody,
  InviteBulkResultSchema,
  InviteSchema,
  ListInvitesQuery,
} from './invites.schemas.js';

const EXAMPLE_ID = 'inv_01jdx3v4k7m9q2w8e5r6t0y1zc';
const invite = (description: string) => ({ description, content: { 'application/json': { schema: InviteSchema } } });

/** `POST /v1/invites` (invite:create). */
export const createInviteRoute = createRoute({
  method: 'post',
  path: '/v1/invites',
  operationId: 'createInvite',
  middleware: [requireCredential(['secret_key', 'staff'], 'invite:create')] as const,
  tags: ['Invites'],
  summary: 'Invite someone to join',
  description:
    'Creates an invite and queues the invitation mail with a single-use link that works for 7 days. The link is never returned by the API. ' +
    'Fails with `MEMBER_EXISTS` when the address already belongs to a member and with `INVITE_PENDING` when it already has a pending or expired invite (resend that one instead).',
  security: SECURITY.secretKey,
  request: {
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: CreateInviteBody } } },
  },
  responses: {
    201: invite('The new invite.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    404: errorResponses[404],
    409: errorResponses[409],
    413: errorResponses[413],
    415: errorResponses[415],
    422: errorResponses[422],
  },
});

/** `POST /v1/invites/bulk` (invite:create). */
export const createInvitesBulkRoute = createRoute({
  method: 'post',
  path: '/v1/invites/bulk',
  operationId: 'createInvitesBulk',
  middleware: [requireCredential(['secret_key', 'staff'], 'invite:create')] as const,
  tags: ['Invites'],
  summary: 'Invite many addresses at once',
  description:
    'Invites up to 1000 addresses in one transaction, each with its own mail. Not all-or-nothing: every address gets a result, `created` with the invite or `error` with a code ' +
    '(invalid, repeated in the list, already a member, already invited). An unknown or archived tier or an unsupported locale fails the whole request.',
  security: SECURITY.secretKey,
  request: {
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: CreateInvitesBulkBody } } },
  },
  responses: {
    200: {
      description: 'One result per address, and totals.',
      content: { 'application/json': { schema: InviteBulkResultSchema } },
    },
    400: errorResponses[400],
    ...authenticatedErrors,
    404: errorResponses[404],
    409: errorResponses[409],
    413: errorResponses[413],
    415: errorResponses[415],
    422: errorResponses[422],
  },
});

/** `GET /v1/invites` (invite:read). */
export const listInvitesRoute = createRoute({
  method: 'get',
  path: '/v1/invites',
  operationId: 'listInvites',
  middleware: [requireCredential(['secret_key', 'staff'], 'invite:read')] as const,
  tags: ['Invites'],
  summary: 'List invites',
  description:
    "The tenant's invites, newest first, optionally filtered by status or address. A cursor only continues the query it came from.",
  security: SECURITY.secretKey,
  request: { query: PaginationQuery.extend(ListInvitesQuery.shape) },
  responses: {
    200: {
      description: 'A page of invites.',
      content: { 'application/json': { schema: pageOf(InviteSchema, 'InviteList') } },
    },
    400: errorResponses[400],
    ...authenticatedErrors,
    422: errorResponses[422],
  },
});

/** `GET /v1/invites/{id}` (invite:read). */
export const getInviteRoute = createRoute({
  method: 'get',
  path: '/v1/invites/{id}',
  operationId: 'getInvite',
  middleware: [requireCredential(['secret_key', 'staff'], 'invite:read')] as const,
  tags: ['Invites'],
  summary: 'Retrieve an invite',
  security: SECURITY.secretKey,
  request: { params: idParam(EXAMPLE_ID) },
  responses: {
    200: invite('The invite.'),
    ...authenticatedErrors,
    404: errorResponses[404],
  },
});

/** `DELETE /v1/invites/{id}` (invite:revoke). */
export const revokeInviteRoute = createRoute({
  method: 'delete',
  path: '/v1/invites/{id}',
  operationId: 'revokeInvite',
  middleware: [requireCredential(['secret_key', 'staff'], 'invite:revoke')] as const,
  tags: ['Invites'],
  summary: 'Revoke an invite',
  description:
    'Withdraws a pending or expired invite: its link stops working and an invitation mail not yet sent is cancelled. The invite is kept, with status `revoked`. ' +
    'Revoking it again returns it unchanged; an accepted invite cannot be revoked (`INVITE_NOT_PENDING`).',
  security: SECURITY.secretKey,
  request: { params: idParam(EXAMPLE_ID) },
  responses: {
    200: invite('The revoked invite.'),
    ...authenticatedErrors,
    404: errorResponses[404],
    409: errorResponses[409],
  },
});

/** `POST /v1/invites/{id}/resend` (invite:create: resending is inviting again). */
export const resendInviteRoute = createRoute({
  method: 'post',
  path: '/v1/invites/{id}/resend',
  operationId: 'resendInvite',
  middleware: [requireCredential(['secret_key', 'staff'], 'invite:create')] as const,
  tags: ['Invites'],
  summary: 'Resend an invite',
  description:
    'Sends the invitation again with a new link valid for 7 days; the previous link stops working at once. Works for pending and expired invites; ' +
    'accepted and revoked ones answer `INVITE_NOT_PENDING`. Pass an `Idempotency-Key` so a retried request does not send twice.',
  security: SECURITY.secretKey,
  request: { headers: IdempotencyHeaders, params: idParam(EXAMPLE_ID) },
  responses: {
    200: invite('The invite with its new expiry and send count.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    404: errorResponses[404],
    409: errorResponses[409],
  },
});
