import { createRoute } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import {
  authenticatedErrors,
  errorResponses,
  jsonBody,
  jsonResponse,
  ProblemSchema,
  SECURITY,
} from '../../lib/openapi.js';
import { idParam } from '../../lib/schemas.js';
import {
  MigrateSubscribersBody,
  SubscriberMigrationSchema,
  TenantBillingQuery,
  TenantBillingSchema,
  UpdateTenantBillingBody,
} from './billing-settings.schemas.js';

const TAGS = ['Billing'];

const stripeErrors = {
  502: {
    description: 'Stripe refused the request or could not be reached (`STRIPE_REQUEST_FAILED`, `STRIPE_UNREACHABLE`).',
    content: { 'application/problem+json': { schema: ProblemSchema } },
  },
} as const;

export const getTenantBillingRoute = createRoute({
  method: 'get',
  path: '/v1/tenant/billing',
  operationId: 'getTenantBilling',
  middleware: [requireCredential(['secret_key', 'staff'], 'billing:read')] as const,
  tags: TAGS,
  summary: "Retrieve the tenant's billing settings",
  description:
    'The Stripe connection (mode, account, whether it can take charges), the billing rules, and `missing`: what still blocks selling. Nothing secret is returned. While a Connect account is not onboarded, `onboarding_url` links to Stripe to finish it.',
  security: SECURITY.secretKey,
  request: { query: TenantBillingQuery },
  responses: {
    200: jsonResponse(TenantBillingSchema, 'The billing settings.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    422: errorResponses[422],
  },
});

export const updateTenantBillingRoute = createRoute({
  method: 'put',
  path: '/v1/tenant/billing',
  operationId: 'updateTenantBilling',
  middleware: [requireCredential(['secret_key', 'staff'], 'billing:write')] as const,
  tags: TAGS,
  summary: "Connect Stripe or change the tenant's billing settings",
  description:
    "`mode: connect` creates the tenant's connected account (once) and answers with an onboarding link; `mode: direct` with `secret_key` verifies the key with Stripe, stores it sealed and creates the webhook endpoint Stripe delivers the tenant's events to (a new key or mode replaces the old endpoint). Other fields change only what is sent. A Stripe refusal stores nothing. Connecting (or a new currency or tax behaviour) creates the tier catalog in Stripe. The currency can change only while no subscription is charged (422 on `currency`).",
  security: SECURITY.secretKey,
  request: { body: jsonBody(UpdateTenantBillingBody) },
  responses: {
    200: jsonResponse(TenantBillingSchema, 'The billing settings after the change.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    413: errorResponses[413],
    415: errorResponses[415],
    422: errorResponses[422],
    ...stripeErrors,
  },
});

export const migrateTierSubscribersRoute = createRoute({
  method: 'post',
  path: '/v1/tiers/{id}/migrate-subscribers',
  operationId: 'migrateTierSubscribers',
  middleware: [requireCredential(['secret_key', 'staff'], 'billing:write')] as const,
  tags: TAGS,
  summary: "Move a tier's subscribers to its current price",
  description:
    "After a price change, subscribers keep the price they bought. This moves every subscription on an archived price of the tier (of `interval`, or both) to the tier's current price of the same interval, settling the difference as `proration_behavior` says. Subscriptions Stripe refuses to move are listed in `failed` and keep their price.",
  security: SECURITY.secretKey,
  request: {
    params: idParam('tier_01jdx3v4k7m9q2w8e5r6t0y1zc'),
    body: jsonBody(MigrateSubscribersBody),
  },
  responses: {
    200: jsonResponse(SubscriberMigrationSchema, 'What was moved.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    404: errorResponses[404],
    409: errorResponses[409],
    413: errorResponses[413],
    415: errorResponses[415],
    422: errorResponses[422],
    ...stripeErrors,
  },
});
