import { createRoute } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import { authenticatedErrors, errorResponses, jsonResponse, SECURITY } from '../../lib/openapi.js';
import { idParam } from '../../lib/schemas.js';
import { EngagementQuery, EngagementReportSchema, MemberEngagementSchema } from './analytics-engagement.schemas.js';

const TAGS = ['Analytics'];

export const getEngagementRoute = createRoute({
  method: 'get',
  path: '/v1/analytics/engagement',
  operationId: 'getEngagement',
  middleware: [requireCredential(['secret_key', 'staff'], 'analytics:read')] as const,
  tags: TAGS,
  summary: 'Engagement: active members, events and segments',
  description:
    "Active members and events per day, ISO week or month of the tenant's time zone, with a summary (DAU, WAU, MAU, stickiness, top event types, engagement segments) of the window and of the window of equal length before it. Buckets are clipped to the window: a week or month partly outside it counts only its days inside (`partial`). Read from rollups only; events appear once the rollup worker has applied them (seconds). The window is at most 366 days (422 `ANALYTICS_RANGE_TOO_LONG`); `from` after `to` answers 422 `ANALYTICS_INVALID_RANGE`. Labels follow `Accept-Language` (en, de), else the tenant's default locale.",
  security: SECURITY.secretKey,
  request: { query: EngagementQuery },
  responses: {
    200: jsonResponse(EngagementReportSchema, 'The engagement report.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    422: errorResponses[422],
  },
});

export const getMemberEngagementRoute = createRoute({
  method: 'get',
  path: '/v1/analytics/members/{id}/engagement',
  operationId: 'getMemberEngagement',
  middleware: [requireCredential(['secret_key', 'staff'], 'analytics:read')] as const,
  tags: TAGS,
  summary: "A member's engagement",
  description:
    "Events, active days, segment and score over the 30 local days ending today, streaks, last activity and the trend against the 30 days before. Deleted members are answered too; another tenant's member is 404.",
  security: SECURITY.secretKey,
  request: { params: idParam('mem_01jdx3v4k7m9q2w8e5r6t0y1zc') },
  responses: {
    200: jsonResponse(MemberEngagementSchema, "The member's engagement."),
    ...authenticatedErrors,
    404: errorResponses[404],
  },
});
