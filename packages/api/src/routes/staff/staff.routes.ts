import { createRoute, z } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import { authenticatedErrors, errorResponses, exampleOf, jsonBody, jsonResponse, SECURITY } from '../../lib/openapi.js';
import { idParam } from '../../lib/schemas.js';
import { RefreshBody } from '../auth/auth.schemas.js';
import {
  CurrentStaffSchema,
  InviteOwnerBody,
  InviteStaffBody,
  OwnershipTransferSchema,
  StaffAcceptBody,
  StaffLoginBody,
  StaffSchema,
  StaffSessionSchema,
  UpdateStaffBody,
} from './staff.schemas.js';

const STAFF_SECURITY = SECURITY.secretKey;
const staffId = idParam('stf_01jdx3v4k7m9q2w8e5r6t0y1zc');
const writeErrors = {
  400: errorResponses[400],
  ...authenticatedErrors,
  404: errorResponses[404],
  409: errorResponses[409],
  415: errorResponses[415],
  422: errorResponses[422],
} as const;

export const inviteStaffRoute = createRoute({
  method: 'post',
  path: '/v1/staff',
  operationId: 'inviteStaff',
  middleware: [requireCredential(['secret_key', 'staff'], 'staff:manage')] as const,
  tags: ['Staff'],
  summary: 'Invite a staff user',
  description:
    "Creates the account as `invited` and mails a link (valid 7 days) to set a password. The role is at most the caller's own (403 `ROLE_CEILING`): only owners invite owners, and secret keys never do.",
  security: STAFF_SECURITY,
  request: { body: jsonBody(InviteStaffBody) },
  responses: { 201: jsonResponse(StaffSchema, 'The invited staff user.'), ...writeErrors },
});

export const listStaffRoute = createRoute({
  method: 'get',
  path: '/v1/staff',
  operationId: 'listStaff',
  middleware: [requireCredential(['secret_key', 'staff'], 'staff:read')] as const,
  tags: ['Staff'],
  summary: 'List staff users',
  security: STAFF_SECURITY,
  responses: {
    200: jsonResponse(
      z
        .object({ object: z.literal('list'), data: z.array(StaffSchema) })
        .openapi('StaffList', { example: { object: 'list', data: [exampleOf(StaffSchema)!] } }),
      'The staff.',
    ),
    ...authenticatedErrors,
  },
});

export const getCurrentStaffRoute = createRoute({
  method: 'get',
  path: '/v1/staff/me',
  operationId: 'getCurrentStaff',
  middleware: [requireCredential(['staff'])] as const,
  tags: ['Staff'],
  summary: 'The signed-in staff user and their permissions',
  description:
    'Who the staff access token belongs to and what their role may do now (roles are read on every request), so an admin screen shows only the actions the API would accept.',
  security: [{ staffToken: [] }],
  responses: { 200: jsonResponse(CurrentStaffSchema, 'The staff user.'), ...authenticatedErrors },
});

export const updateStaffRoute = createRoute({
  method: 'patch',
  path: '/v1/staff/{id}',
  operationId: 'updateStaff',
  middleware: [requireCredential(['secret_key', 'staff'], 'staff:manage')] as const,
  tags: ['Staff'],
  summary: "Change a staff user's role",
  description:
    "Takes effect on their next request. The staff user's role and the new one are both at most the caller's own (403 `ROLE_CEILING`): only owners make or change owners. The last owner cannot be demoted; to hand ownership over, use `transferStaffOwnership`.",
  security: STAFF_SECURITY,
  request: { params: staffId, body: jsonBody(UpdateStaffBody) },
  responses: { 200: jsonResponse(StaffSchema, 'The staff user.'), ...writeErrors },
});

export const removeStaffRoute = createRoute({
  method: 'delete',
  path: '/v1/staff/{id}',
  operationId: 'removeStaff',
  middleware: [requireCredential(['secret_key', 'staff'], 'staff:manage')] as const,
  tags: ['Staff'],
  summary: 'Remove a staff user',
  description:
    "Disables the account and ends its sessions at once. Only staff whose role is at most the caller's own (403 `ROLE_CEILING`); the last owner cannot be removed.",
  security: STAFF_SECURITY,
  request: { params: staffId },
  responses: {
    200: jsonResponse(StaffSchema, 'The removed staff user.'),
    ...authenticatedErrors,
    404: errorResponses[404],
    409: errorResponses[409],
  },
});

export const mintStaffSessionRoute = createRoute({
  method: 'post',
  path: '/v1/staff/{id}/sessions',
  operationId: 'createStaffSession',
  middleware: [requireCredential(['secret_key', 'staff'], 'staff:manage')] as const,
  tags: ['Staff'],
  summary: 'Mint a staff session',
  description:
    "For a tenant's backend (secret key) embedding admin elements in its own admin site: returns tokens for the staff user, audited. Only for staff whose role is at most the key's (403 `ROLE_CEILING`), so never for an owner: owners sign in themselves.",
  security: [{ secretKey: [] }],
  request: { params: staffId },
  responses: {
    201: jsonResponse(StaffSessionSchema, 'Tokens for the staff user.'),
    ...authenticatedErrors,
    404: errorResponses[404],
  },
});

export const transferStaffOwnershipRoute = createRoute({
  method: 'post',
  path: '/v1/staff/{id}/transfer-ownership',
  operationId: 'transferStaffOwnership',
  middleware: [requireCredential(['secret_key', 'staff'], 'staff:manage')] as const,
  tags: ['Staff'],
  summary: 'Transfer ownership',
  description:
    "The calling owner hands ownership to an active staff user: in one transaction they become an owner and the caller an admin, audited as `staff.ownership_transferred`. Only an owner's own staff token may; secret keys never act as owner (403 `ROLE_CEILING`).",
  security: STAFF_SECURITY,
  request: { params: staffId },
  responses: {
    200: jsonResponse(OwnershipTransferSchema, 'The new and the previous owner.'),
    ...authenticatedErrors,
    404: errorResponses[404],
    409: errorResponses[409],
  },
});

export const invitePlatformTenantOwnerRoute = createRoute({
  method: 'post',
  path: '/v1/platform/tenants/{id}/owners',
  operationId: 'invitePlatformTenantOwner',
  middleware: [requireCredential(['platform'])] as const,
  tags: ['Platform'],
  summary: 'Invite a tenant owner',
  description:
    "Invites a staff user as the tenant's owner, as `POST /v1/staff` does: how a new tenant gets its first owner (its admin secret key cannot appoint one), or a tenant that lost its owners a new one. Platform operator key required.",
  security: SECURITY.platformKey,
  request: { params: idParam('tnt_01jdx3v4k7m9q2w8e5r6t0y1zc'), body: jsonBody(InviteOwnerBody) },
  responses: { 201: jsonResponse(StaffSchema, 'The invited owner.'), ...writeErrors },
});

const PUBLISHABLE: { [scheme: string]: string[] }[] = [{ publishableKey: [] }];
const authErrors = {
  400: errorResponses[400],
  401: errorResponses[401],
  403: errorResponses[403],
  415: errorResponses[415],
  422: errorResponses[422],
  429: errorResponses[429],
} as const;

export const staffLoginRoute = createRoute({
  method: 'post',
  path: '/v1/auth/staff/login',
  operationId: 'staffLogin',
  middleware: [requireCredential(['publishable_key'])] as const,
  tags: ['Staff'],
  summary: 'Staff sign-in',
  description:
    'Returns staff tokens (audience `memberkit:staff`), which member endpoints refuse, as staff endpoints refuse member tokens.',
  security: PUBLISHABLE,
  request: { body: jsonBody(StaffLoginBody) },
  responses: { 200: jsonResponse(StaffSessionSchema, 'Signed in.'), ...authErrors },
});

export const staffAcceptInviteRoute = createRoute({
  method: 'post',
  path: '/v1/auth/staff/accept-invite',
  operationId: 'acceptStaffInvite',
  middleware: [requireCredential(['publishable_key'])] as const,
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
  middleware: [requireCredential(['publishable_key'])] as const,
  tags: ['Staff'],
  summary: 'Refresh a staff session',
  security: PUBLISHABLE,
  request: { body: jsonBody(RefreshBody) },
  responses: { 200: jsonResponse(StaffSessionSchema, 'New tokens.'), ...authErrors },
});
