import { createRoute } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import { authenticatedErrors, errorResponses, jsonResponse, SECURITY } from '../../lib/openapi.js';
import { GrowthQuery, GrowthSchema, RetentionQuery, RetentionSchema } from './analytics-cohorts.schemas.js';

const TAGS = ['Analytics'];

export const getGrowthRoute = createRoute({
  method: 'get',
  path: '/v1/analytics/growth',
  operationId: 'getGrowth',
  middleware: [requireCredential(['secret_key', 'staff'], 'analytics:read')] as const,
  tags: TAGS,
  summary: 'Membership growth',
  description:
    'New, churned, reactivated and net members per day, ISO week or month of a window of local days (`from` to `to`, both included, tenant time zone, at most 1096 days), with members per status at the end of each bucket, by tier (the tier held at the time) and by source (`signup`, `invite`, `import`, `staff`, `api`, `oidc`). A week or month only partly inside the window counts only its days inside. `from` after `to` answers 422 `ANALYTICS_INVALID_RANGE`, a longer window 422 `ANALYTICS_RANGE_TOO_LONG`. Source labels follow `Accept-Language` (en, de), else the tenant default locale.',
  security: SECURITY.secretKey,
  request: { query: GrowthQuery },
  responses: {
    200: jsonResponse(GrowthSchema, 'Growth of the window.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    422: errorResponses[422],
  },
});

export const getRetentionRoute = createRoute({
  method: 'get',
  path: '/v1/analytics/retention',
  operationId: 'getRetention',
  middleware: [requireCredential(['secret_key', 'staff'], 'analytics:read')] as const,
  tags: TAGS,
  summary: 'Retention cohorts and churn',
  description:
    "The last `periods` sign-up cohorts (local ISO weeks or months of member creation, ending with the current one): each cohort's size and, for every period since it joined that has begun, how many of its members had any activity in it (platform events such as sign-ins included), as count and share. `average` weighs every cohort that reached an offset. `churn` gives, for the same periods, the members who went from pending or active to inactive or suspended or were deleted, against the pending and active members at the period's start. `tier_id` keeps members who joined with that tier.",
  security: SECURITY.secretKey,
  request: { query: RetentionQuery },
  responses: {
    200: jsonResponse(RetentionSchema, 'Retention cohorts.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    422: errorResponses[422],
  },
});
