import { createRoute, z } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import { authenticatedErrors, errorResponses, IdempotencyHeaders, jsonResponse, SECURITY } from '../../lib/openapi.js';
import { idParam } from '../../lib/schemas.js';
import {
  BulkMembersBody,
  BulkResultSchema,
  CreateMemberBody,
  ExportMembersQuery,
  ImportMembersQuery,
  ImportResultSchema,
  ListMembersQuery,
  MemberListSchema,
  MemberSchema,
  UpdateMemberBody,
} from './members.schemas.js';

const memberId = idParam('mem_01jdx3v4k7m9q2w8e5r6t0y1zc');
const writeErrors = {
  400: errorResponses[400],
  ...authenticatedErrors,
  404: errorResponses[404],
  409: errorResponses[409],
  413: errorResponses[413],
  415: errorResponses[415],
  422: errorResponses[422],
} as const;

export const createMemberRoute = createRoute({
  method: 'post',
  path: '/v1/members',
  operationId: 'createMember',
  middleware: [requireCredential(['secret_key', 'staff'], 'member:create')] as const,
  tags: ['Members'],
  summary: 'Create a member',
  description:
    "Emails are unique per tenant, case-insensitively (409 `MEMBER_EMAIL_TAKEN`). Custom fields are validated against the tenant's definitions (422 naming the field). A full tier answers 409 `TIER_FULL`.",
  security: SECURITY.secretKey,
  request: {
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: CreateMemberBody } } },
  },
  responses: { 201: jsonResponse(MemberSchema, 'The new member.'), ...writeErrors },
});

export const listMembersRoute = createRoute({
  method: 'get',
  path: '/v1/members',
  operationId: 'listMembers',
  middleware: [requireCredential(['secret_key', 'staff'], 'member:read')] as const,
  tags: ['Members'],
  summary: 'List and search members',
  description:
    'Keyset pagination: every page costs the same. A cursor only works with the query that produced it (400 `INVALID_CURSOR` otherwise). Deleted members are not listed.',
  security: SECURITY.secretKey,
  request: { query: ListMembersQuery },
  responses: {
    200: jsonResponse(MemberListSchema, 'A page of members.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    422: errorResponses[422],
  },
});

export const getMemberRoute = createRoute({
  method: 'get',
  path: '/v1/members/{id}',
  operationId: 'getMember',
  middleware: [requireCredential(['secret_key', 'staff'], 'member:read')] as const,
  tags: ['Members'],
  summary: 'Retrieve a member',
  description: 'Soft-deleted members are returned too, with `deleted_at` set.',
  security: SECURITY.secretKey,
  request: { params: memberId },
  responses: { 200: jsonResponse(MemberSchema, 'The member.'), ...authenticatedErrors, 404: errorResponses[404] },
});

export const updateMemberRoute = createRoute({
  method: 'patch',
  path: '/v1/members/{id}',
  operationId: 'updateMember',
  middleware: [requireCredential(['secret_key', 'staff'], 'member:update')] as const,
  tags: ['Members'],
  summary: 'Update a member',
  description:
    'Changes only the fields sent. An illegal status change answers 409 `MEMBER_INVALID_TRANSITION`; status and tier changes are recorded as member events.',
  security: SECURITY.secretKey,
  request: {
    params: memberId,
    body: { required: true, content: { 'application/json': { schema: UpdateMemberBody } } },
  },
  responses: { 200: jsonResponse(MemberSchema, 'The updated member.'), ...writeErrors },
});

export const deleteMemberRoute = createRoute({
  method: 'delete',
  path: '/v1/members/{id}',
  operationId: 'deleteMember',
  middleware: [requireCredential(['secret_key', 'staff'], 'member:delete')] as const,
  tags: ['Members'],
  summary: 'Delete a member',
  description: 'Soft delete: the member disappears from lists and can be restored for 30 days.',
  security: SECURITY.secretKey,
  request: { params: memberId },
  responses: {
    200: jsonResponse(MemberSchema, 'The deleted member, with `deleted_at` set.'),
    ...authenticatedErrors,
    404: errorResponses[404],
  },
});

export const restoreMemberRoute = createRoute({
  method: 'post',
  path: '/v1/members/{id}/restore',
  operationId: 'restoreMember',
  middleware: [requireCredential(['secret_key', 'staff'], 'member:delete')] as const,
  tags: ['Members'],
  summary: 'Restore a deleted member',
  description:
    'Within 30 days of deletion (410 after, or once the member was erased). 409 when the member is not deleted or its email is in use again.',
  security: SECURITY.secretKey,
  request: { params: memberId, headers: IdempotencyHeaders },
  responses: {
    200: jsonResponse(MemberSchema, 'The restored member.'),
    ...authenticatedErrors,
    404: errorResponses[404],
    409: errorResponses[409],
    410: {
      description:
        'The 30-day restore window has passed (`MEMBER_RESTORE_EXPIRED`), or the member was erased (`MEMBER_ERASED`).',
      content: {
        'application/problem+json': { schema: errorResponses[404].content['application/problem+json'].schema },
      },
    },
  },
});

export const bulkMembersRoute = createRoute({
  method: 'post',
  path: '/v1/members/bulk',
  operationId: 'bulkMembers',
  middleware: [requireCredential(['secret_key', 'staff'], 'member:update')] as const,
  tags: ['Members'],
  summary: 'Apply an action to many members',
  description:
    "Changes status or tier, adds or removes tags, or deletes up to 10,000 members chosen by id or by filter, in one transaction. Atomic by default: one failure (or an unknown id) and nothing changes; the report lists each member's outcome. `delete` also needs member:delete.",
  security: SECURITY.secretKey,
  request: {
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: BulkMembersBody } } },
  },
  responses: { 200: jsonResponse(BulkResultSchema, 'What happened to each member.'), ...writeErrors },
});

export const importMembersRoute = createRoute({
  method: 'post',
  path: '/v1/members/import',
  operationId: 'importMembers',
  middleware: [requireCredential(['secret_key', 'staff'], 'member:create')] as const,
  tags: ['Members'],
  summary: 'Import members from CSV or NDJSON',
  description:
    'Streams the body: any number of rows in one request, in constant memory. Every row is validated; when any row fails nothing is written and each error is reported with its line. A field over 64 KiB or a row (NDJSON: a line) over 1 MiB is a row error, and the rows after it are still read; a file that ends inside a quoted field ends with a row error. `dry_run=true` reports what would happen. Rows whose email exists are skipped or updated (`on_duplicate`; `update` also needs member:update). Takes no `Idempotency-Key` (400): sending the same file again is safe, as existing members are skipped.',
  security: SECURITY.secretKey,
  request: {
    query: ImportMembersQuery,
    body: {
      required: true,
      content: {
        'text/csv': {
          schema: z
            .string()
            .openapi({ example: 'email,first_name,last_name,tags\nada@example.org,Ada,Lovelace,board;mentor\n' }),
        },
        'application/x-ndjson': {
          schema: z
            .string()
            .openapi({ example: '{"email":"ada@example.org","first_name":"Ada","last_name":"Lovelace"}\n' }),
        },
      },
    },
  },
  responses: {
    200: jsonResponse(ImportResultSchema, 'What the import did (or would do), with row errors.'),
    ...writeErrors,
  },
});

export const exportMembersRoute = createRoute({
  method: 'get',
  path: '/v1/members/export',
  operationId: 'exportMembers',
  middleware: [requireCredential(['secret_key', 'staff'], 'member:read')] as const,
  tags: ['Members'],
  summary: 'Export members as CSV or NDJSON',
  description:
    'Streams every member matching the filters (the same as listing), oldest first, in constant memory. The CSV imports back unchanged.',
  security: SECURITY.secretKey,
  request: { query: ExportMembersQuery },
  responses: {
    200: {
      description: 'The members, streamed.',
      content: {
        'text/csv': {
          schema: z.string().openapi({
            example:
              'id,email,first_name,last_name,status,tier_id,tags,created_at\nmem_01jdx3v4k7m9q2w8e5r6t0y1zc,ada@example.org,Ada,Lovelace,active,tier_01jdx3v4k7m9q2w8e5r6t0y1zc,board;mentor,2026-11-27T09:30:00.000Z\n',
          }),
        },
        'application/x-ndjson': {
          schema: z.string().openapi({
            example:
              '{"id":"mem_01jdx3v4k7m9q2w8e5r6t0y1zc","email":"ada@example.org","first_name":"Ada","last_name":"Lovelace","status":"active"}\n',
          }),
        },
      },
    },
    ...authenticatedErrors,
    422: errorResponses[422],
  },
});

export const eraseMemberRoute = createRoute({
  method: 'post',
  path: '/v1/members/{id}/erase',
  operationId: 'eraseMember',
  middleware: [requireCredential(['secret_key', 'staff'], 'member:delete')] as const,
  tags: ['Members'],
  summary: 'Erase a member (GDPR Art. 17)',
  description:
    "Removes or anonymises the member's personal data and ends their sessions, for good (unlike delete, it cannot be restored). The audit entry names no personal data.",
  security: SECURITY.secretKey,
  request: { params: memberId },
  responses: { 204: { description: 'Erased.' }, ...authenticatedErrors, 404: errorResponses[404] },
});
