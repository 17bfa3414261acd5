import { createRoute } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import {
  authenticatedErrors,
  errorResponses,
  IdempotencyHeaders,
  jsonBody,
  jsonResponse,
  SECURITY,
} from '../../lib/openapi.js';
import { ActivityIngestResultSchema, CreateActivityBody } from './activity.schemas.js';

/** A secret key or staff token (`activity:create`), or a member's access token for the member's own events. */
const ACTIVITY_SECURITY: { [scheme: string]: string[] }[] = [...SECURITY.secretKey, { memberToken: [] }];

export const createActivityRoute = createRoute({
  method: 'post',
  path: '/v1/activity',
  operationId: 'createActivity',
  middleware: [requireCredential(['secret_key', 'staff', 'member'], 'activity:create')] as const,
  tags: ['Activity'],
  summary: 'Record activity events',
  description: [
    "Ingests a batch of up to 1,000 activity events. A secret key (or staff token) with `activity:create` sends events for any member of its tenant; a member access token sends its own member's (from the browser, with the origin check of the key it signed in through), e.g. `page.viewed` from the widgets.",
    '',
    "The answer is 200 with one result per event (like a 207): `accepted`, `duplicate` (its `id` was seen within 35 days: counted once) or `rejected` with a code (`INVALID_EVENT_TYPE`, `RESERVED_EVENT_TYPE`, `INVALID_EVENT_ID`, `INVALID_OCCURRED_AT`, `EVENT_TOO_OLD`, `EVENT_IN_FUTURE`, `INVALID_PROPERTIES`, `PROPERTIES_TOO_LARGE`, `MEMBER_ID_REQUIRED`, `MEMBER_NOT_FOUND` — also for another tenant's member —, `MEMBER_NOT_ALLOWED`). The valid events are written even when others are rejected, unless `atomic` is true: then one invalid event answers 422 `ACTIVITY_BATCH_REJECTED` and nothing is written.",
    '',
    'Analytics (rollups) follow within seconds. `Idempotency-Key` replays the first response of a retried request; per-event `id`s make every retry safe even without it.',
  ].join('\n'),
  security: ACTIVITY_SECURITY,
  request: { headers: IdempotencyHeaders, body: jsonBody(CreateActivityBody) },
  responses: {
    200: jsonResponse(ActivityIngestResultSchema, 'One result per event.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    409: errorResponses[409],
    413: errorResponses[413],
    415: errorResponses[415],
    422: {
      ...errorResponses[422],
      description:
        'A malformed body (`VALIDATION_FAILED`), no events (`ACTIVITY_BATCH_EMPTY`), over 1,000 (`ACTIVITY_BATCH_TOO_LARGE`), or an atomic batch with invalid events (`ACTIVITY_BATCH_REJECTED`, `errors` naming each `events[i].field` with its code).',
    },
  },
});
