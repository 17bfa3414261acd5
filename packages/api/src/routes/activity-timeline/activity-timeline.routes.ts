import { createRoute } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import { authenticatedErrors, errorResponses, jsonResponse, SECURITY } from '../../lib/openapi.js';
import { idParam } from '../../lib/schemas.js';
import {
  ActivityEventListSchema,
  ActivityTypeListSchema,
  ActivityTypesQuery,
  TimelineQuery,
} from './activity-timeline.schemas.js';

const TIMELINE =
  "Newest first (ties by id), from the raw events: those older than the tenant's `activity_retention_months` are gone. A cursor only works with the query that produced it (400 `INVALID_CURSOR`).";

export const listMemberActivityRoute = createRoute({
  method: 'get',
  path: '/v1/members/{id}/activity',
  operationId: 'listMemberActivity',
  middleware: [requireCredential(['secret_key', 'staff'], 'activity:read')] as const,
  tags: ['Activity'],
  summary: "A member's activity timeline",
  description: `${TIMELINE} Deleted members' timelines are readable too.`,
  security: SECURITY.secretKey,
  request: { params: idParam('mem_01jdx3v4k7m9q2w8e5r6t0y1zc'), query: TimelineQuery },
  responses: {
    200: jsonResponse(ActivityEventListSchema, 'A page of events.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    404: errorResponses[404],
    422: errorResponses[422],
  },
});

export const listMyActivityRoute = createRoute({
  method: 'get',
  path: '/v1/me/activity',
  operationId: 'listMyActivity',
  middleware: [requireCredential(['member'])] as const,
  tags: ['Me'],
  summary: "The signed-in member's activity",
  description: TIMELINE,
  security: [{ memberToken: [] }],
  request: { query: TimelineQuery },
  responses: {
    200: jsonResponse(ActivityEventListSchema, 'A page of events.'),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    422: errorResponses[422],
    429: errorResponses[429],
  },
});

export const listActivityTypesRoute = createRoute({
  method: 'get',
  path: '/v1/activity/types',
  operationId: 'listActivityTypes',
  middleware: [requireCredential(['secret_key', 'staff'], 'activity:read')] as const,
  tags: ['Activity'],
  summary: 'Event types in use',
  description:
    "Every event type recorded in the range (the tenant's local days, default the last 30, at most 366: 422 `ANALYTICS_RANGE_TOO_LONG`), most events first, with its events and distinct members, from the rollups. Labels follow `Accept-Language` (en, de), else the tenant's default locale; tenant-defined types are labelled by their name.",
  security: SECURITY.secretKey,
  request: { query: ActivityTypesQuery },
  responses: {
    200: jsonResponse(ActivityTypeListSchema, 'The event types.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    422: errorResponses[422],
  },
});
