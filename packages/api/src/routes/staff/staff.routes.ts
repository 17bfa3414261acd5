import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission, requirePublishableKey } from '../../auth/require.js';
import { authenticatedErrors, errorResponses, jsonBody, jsonResponse, SECURITY } from '../../lib/openapi.js';
import { idParam } from '../../lib/schemas.js';
import { RefreshBody } from '../auth/auth.schemas.js';
import { InviteStaffBody, StaffAcceptBody, StaffLoginBody, StaffSchema, StaffSessionSchema, UpdateStaffBody } from './staff.schemas.js';

const STAFF_SECURITY = SECURITY.secretKey;
const staffId = idParam('stf_01jdx3v4k7m9q2w8e5r6t0y1zc');
const writeErrors = { 400: errorResponses[400], ...authenticatedErrors, 404: errorResponses[404], 409: errorResponses[409], 415: errorResponses[415], 422: errorResponses[422] } as const;

export const inviteStaffRoute = createRoute({
  method: 'post',
  path: '/v1/staff',
  operationId: 'inviteStaff',
  middleware: [requirePermission('staff:manage')] as const,
  tags: ['Staff'],
  summary: 'Invite a staff user',
  description: 'Creates the account as `invited` and mails a link (valid 7 days) to set a password. Only owners may invite owners.',
  security: STAFF_SECURITY,
  request: { body: jsonBody(InviteStaffBody) },
  responses: { 201: jsonResponse(StaffSchema, 'The invited staff user.'), ...writeErrors },
});

export const listStaffRoute = createRoute({
  method: 'get',
  path: '/v1/staff',
  operationId: 'listStaff',
  middleware: [requirePermission('staff:read')] as const,
  tags: ['Staff'],
  summary: 'List staff users',
  security: STAFF_SECURITY,
  responses: { 200: jsonResponse(z.object({ object: z.literal('list'), data: z.array(StaffSchema) }).openapi('StaffList'), 'The staff.'), ...authenticatedErrors },
});

export const updateStaffRoute = createRoute({
  method: 'patch',
  path: '/v1/staff/{id}',
  operationId: 'updateStaff',
  middleware: [requirePermission('staff:manage')] as const,
  tags: ['Staff'],
  summary: 'Change a staff user\'s role',
  description: 'Takes effect on their next request. The last owner cannot be demoted.',
  security: STAFF_SECURITY,
  request: { params: staffId, body: jsonBody(UpdateStaffBody) },
  responses: { 200: jsonResponse(StaffSchema, 'The staff user.'), ...writeErrors },
});

export const removeStaffRoute = createRoute({
  method: 'delete',
  path: '/v1/staff/{id}',
  operationId: 'removeStaff',
  middleware: [requirePermission('staff:manage')] as const,
  tags: ['Staff'],
  summary: 'Remove a staff user',
  description: 'Disables the account and ends its sessions at once. The last owner cannot be removed.',
  security: STAFF_SECURITY,
  request: { params: staffId },
  responses: { 200: jsonResponse(StaffSchema, 'The removed staff user.'), ...authenticatedErrors, 404: errorResponses[404], 409: errorResponses[409] },
});

export const mintStaffSessionRoute = createRoute({
  method: 'post',
  path: '/v1/staff/{id}/sessions',
  operationId: 'createStaffSession',
  middleware: [requirePermission('staff:manage')] as const,
  tags: ['Staff'],
  summary: 'Mint a staff session',
  description: 'For a tenant\'s backend (secret key) embedding admin elements in its own admin site: returns tokens for the staff user, audited.',
  security: [{ secretKey: [] }],
  request: { params: staffId },
  responses: { 201: jsonResponse(StaffSessionSchema, 'Tokens for the staff user.'), ...authenticatedErrors, 404: errorResponses[404] },
});

const PUBLISHABLE: { [scheme: string]: string[] }[] = [{ publishableKey: [] }];
const authErrors = { 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 415: errorResponses[415], 422: errorResponses[422], 429: errorResponses[429] } as const;

export const staffLoginRoute = createRoute({
  method: 'post',
  path: '/v1/auth/staff/login',
  operationId: 'staffLogin',
  middleware: [requirePublishableKey] as const,
  tags: ['Staff'],
  summary: 'Staff sign-in',
  description: 'Returns staff tokens (audience `memberkit:staff`), which member endpoints refuse, as staff endpoints refuse member tokens.',
  security: PUBLISHABLE,
  request: { body: jsonBody(StaffLoginBody) },
  responses: { 200: jsonResponse(StaffSessionSchema, 'Signed in.'), ...authErrors },
});

export const staffAcceptInviteRoute = createRoute({
  method: 'post',
  path: '/v1/auth/staff/accept-invite',
  operationId: 'acceptStaffInvite',
  middleware: [requirePublishableKey] as const,
  tags: ['Staff'],
  summary: 'Accept a staff invitation',
  security: PUBLISHABLE,
  request: { body: jsonBody(StaffAcceptBody) },
  responses: { 200: jsonResponse(StaffSessionSchema, 'Password set; signed in.'), ...authErrors },
});

export const staffRefreshRoute = createRoute({
  method: 'post',
  path: '/v1/auth/staff/refresh',
  operationId: 'refreshStaffSession',
  middleware: [requirePublishableKey] as const,
  tags: ['Staff'],
  summary: 'Refresh a staff session',
  security: PUBLISHABLE,
  request: { body: jsonBody(RefreshBody) },
  responses: { 200: jsonResponse(StaffSessionSchema, 'New tokens.'), ...authErrors },
});
