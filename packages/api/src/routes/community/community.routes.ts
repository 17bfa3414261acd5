import { createRoute } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import { authenticatedErrors, errorResponses, jsonBody, jsonResponse, SECURITY } from '../../lib/openapi.js';
import {
  CommunitySettingsSchema,
  HeartbeatBody,
  ListPresenceQuery,
  MemberCommunityPrefsSchema,
  PresenceList,
  PresenceSchema,
  UpdateCommunitySettingsBody,
  UpdateMemberCommunityPrefsBody,
} from './community.schemas.js';

const TAGS = ['Community'];
const MEMBER = [{ memberToken: [] }];
const bodyErrors = {
  400: errorResponses[400],
  413: errorResponses[413],
  415: errorResponses[415],
  422: errorResponses[422],
} as const;

export const getCommunitySettingsRoute = createRoute({
  method: 'get',
  path: '/v1/community/settings',
  operationId: 'getCommunitySettings',
  middleware: [requireCredential(['secret_key', 'staff', 'member'], 'tenant:read')] as const,
  tags: TAGS,
  summary: 'Retrieve the community settings',
  description:
    'Staff (`tenant:read`) and members (read-only, so their pages know what is enabled) read the same settings; the defaults until staff change them.',
  security: [...SECURITY.secretKey, ...MEMBER],
  responses: { 200: jsonResponse(CommunitySettingsSchema, 'The settings.'), ...authenticatedErrors },
});

export const updateCommunitySettingsRoute = createRoute({
  method: 'patch',
  path: '/v1/community/settings',
  operationId: 'updateCommunitySettings',
  middleware: [requireCredential(['secret_key', 'staff'], 'tenant:update')] as const,
  tags: TAGS,
  summary: 'Update the community settings',
  description: 'Changes the fields given (audited as `community_settings.updated`, the changed fields as the diff).',
  security: SECURITY.secretKey,
  request: { body: jsonBody(UpdateCommunitySettingsBody) },
  responses: { 200: jsonResponse(CommunitySettingsSchema, 'The settings now.'), ...bodyErrors, ...authenticatedErrors },
});

export const getMyCommunityRoute = createRoute({
  method: 'get',
  path: '/v1/me/community',
  operationId: 'getMyCommunityPrefs',
  middleware: [requireCredential(['member'])] as const,
  tags: TAGS,
  summary: 'My community choices',
  security: MEMBER,
  responses: { 200: jsonResponse(MemberCommunityPrefsSchema, 'The choices.'), ...authenticatedErrors },
});

export const updateMyCommunityRoute = createRoute({
  method: 'patch',
  path: '/v1/me/community',
  operationId: 'updateMyCommunityPrefs',
  middleware: [requireCredential(['member'])] as const,
  tags: TAGS,
  summary: 'Change my community choices',
  description: '`share_milestones`: whether joining, upgrading and membership anniversaries appear in the tenant feed.',
  security: MEMBER,
  request: { body: jsonBody(UpdateMemberCommunityPrefsBody) },
  responses: {
    200: jsonResponse(MemberCommunityPrefsSchema, 'The choices now.'),
    ...bodyErrors,
    ...authenticatedErrors,
  },
});

export const presenceHeartbeatRoute = createRoute({
  method: 'post',
  path: '/v1/presence/heartbeat',
  operationId: 'sendPresenceHeartbeat',
  middleware: [requireCredential(['member'])] as const,
  tags: TAGS,
  summary: 'Report my presence',
  description:
    'For clients without an open stream (an open stream reports presence by itself): send every 30–60 s while the page is open. A member without a heartbeat for 90 s is offline. A change of status is announced on the `presence` topic (`presence.changed`).',
  security: MEMBER,
  request: { body: jsonBody(HeartbeatBody) },
  responses: { 200: jsonResponse(PresenceSchema, 'My presence now.'), ...bodyErrors, ...authenticatedErrors },
});

export const listPresenceRoute = createRoute({
  method: 'get',
  path: '/v1/presence',
  operationId: 'listPresence',
  middleware: [requireCredential(['secret_key', 'staff', 'member'], 'member:read')] as const,
  tags: TAGS,
  summary: 'Who is online',
  description:
    'Members online or away now. Staff with `member:read` unless the tenant turned presence off; members when presence is visible to members. Off (or staff-only, for members): 403 `PRESENCE_DISABLED`.',
  security: [...SECURITY.secretKey, ...MEMBER],
  request: { query: ListPresenceQuery },
  responses: {
    200: jsonResponse(PresenceList, 'A page of members online or away.'),
    400: errorResponses[400],
    422: errorResponses[422],
    ...authenticatedErrors,
  },
});
