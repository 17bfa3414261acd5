import { createRoute, z } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import { authenticatedErrors, errorResponses, pageOf, SECURITY } from '../../lib/openapi.js';
import { idParam } from '../../lib/schemas.js';
import {
  CreateFeatureBody,
  DeletedMeteredPriceSchema,
  DeleteMeteredPriceQuery,
  ListFeaturesQuery,
  MeteredFeatureSchema,
  PutMeteredPriceBody,
  RecordUsageBody,
  TierMeteredPriceList,
  TierMeteredPriceSchema,
  UpdateFeatureBody,
  UsageRecordSchema,
  UsageSummarySchema,
} from './billing-usage.schemas.js';

const TAGS = ['Billing'];
const featureId = idParam('feat_01jdx3v4k7m9q2w8e5r6t0y1zc');
const json = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});
const bodyErrors = {
  400: errorResponses[400],
  413: errorResponses[413],
  415: errorResponses[415],
  422: errorResponses[422],
} as const;
/** Billing calls Stripe: not set up (409 `BILLING_NOT_CONFIGURED`), Stripe refused or unreachable (502). */
const stripeErrors = {
  409: errorResponses[409],
  502: {
    description: 'Stripe refused the request or could not be reached (`STRIPE_REQUEST_FAILED`, `STRIPE_UNREACHABLE`).',
    content: { 'application/problem+json': { schema: errorResponses[409].content['application/problem+json'].schema } },
  },
} as const;
const tierFeatureParams = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
  feature_id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'feature_id', in: 'path' }, example: 'feat_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
});

export const createFeatureRoute = createRoute({
  method: 'post',
  path: '/v1/billing/features',
  operationId: 'createMeteredFeature',
  middleware: [requireCredential(['secret_key', 'staff'], 'billing:write')] as const,
  tags: TAGS,
  summary: 'Create a metered feature',
  description:
    'Creates a feature members are charged for by usage ("coworking hours", "guest passes") and its Stripe Billing Meter (event name `mk_<key>`, summing `value` per customer). Price it per tier with `PUT /v1/tiers/{id}/metered-prices/{feature_id}`. A key is used once, archived features included (409 `FEATURE_KEY_TAKEN`).',
  security: SECURITY.secretKey,
  request: { body: { required: true, content: { 'application/json': { schema: CreateFeatureBody } } } },
  responses: {
    201: json('The new feature.', MeteredFeatureSchema),
    ...bodyErrors,
    ...authenticatedErrors,
    ...stripeErrors,
  },
});

export const listFeaturesRoute = createRoute({
  method: 'get',
  path: '/v1/billing/features',
  operationId: 'listMeteredFeatures',
  middleware: [requireCredential(['secret_key', 'staff'], 'billing:read')] as const,
  tags: TAGS,
  summary: 'List metered features',
  description: 'Oldest first. Archived features only with `include_archived=true`.',
  security: SECURITY.secretKey,
  request: { query: ListFeaturesQuery },
  responses: {
    200: json('A page of features.', pageOf(MeteredFeatureSchema, 'MeteredFeatureList')),
    400: errorResponses[400],
    422: errorResponses[422],
    ...authenticatedErrors,
  },
});

export const getFeatureRoute = createRoute({
  method: 'get',
  path: '/v1/billing/features/{id}',
  operationId: 'getMeteredFeature',
  middleware: [requireCredential(['secret_key', 'staff'], 'billing:read')] as const,
  tags: TAGS,
  summary: 'Retrieve a metered feature',
  security: SECURITY.secretKey,
  request: { params: featureId },
  responses: { 200: json('The feature.', MeteredFeatureSchema), 404: errorResponses[404], ...authenticatedErrors },
});

export const updateFeatureRoute = createRoute({
  method: 'patch',
  path: '/v1/billing/features/{id}',
  operationId: 'updateMeteredFeature',
  middleware: [requireCredential(['secret_key', 'staff'], 'billing:write')] as const,
  tags: TAGS,
  summary: 'Update a metered feature',
  description:
    'Renames a feature or its unit label (the meter’s display name follows in Stripe). The key cannot change. An archived feature is refused (409 `FEATURE_ARCHIVED`).',
  security: SECURITY.secretKey,
  request: {
    params: featureId,
    body: { required: true, content: { 'application/json': { schema: UpdateFeatureBody } } },
  },
  responses: {
    200: json('The updated feature.', MeteredFeatureSchema),
    404: errorResponses[404],
    ...bodyErrors,
    ...authenticatedErrors,
    409: errorResponses[409],
  },
});

export const archiveFeatureRoute = createRoute({
  method: 'delete',
  path: '/v1/billing/features/{id}',
  operationId: 'archiveMeteredFeature',
  middleware: [requireCredential(['secret_key', 'staff'], 'billing:write')] as const,
  tags: TAGS,
  summary: 'Archive a metered feature',
  description:
    'Archives the feature: its Stripe meter is deactivated and its tier prices archived (existing subscriptions keep theirs, new checkouts leave it out), usage for it is refused (409 `FEATURE_ARCHIVED`), and usage not yet forwarded is skipped. Its history stays. Archiving again changes nothing.',
  security: SECURITY.secretKey,
  request: { params: featureId },
  responses: {
    200: json('The archived feature.', MeteredFeatureSchema),
    404: errorResponses[404],
    ...authenticatedErrors,
    ...stripeErrors,
  },
});

export const listMeteredPricesRoute = createRoute({
  method: 'get',
  path: '/v1/tiers/{id}/metered-prices',
  operationId: 'listTierMeteredPrices',
  middleware: [requireCredential(['secret_key', 'staff'], 'billing:read')] as const,
  tags: TAGS,
  summary: "A tier's metered prices",
  description: 'The active price of each metered feature on the tier, per interval (archived features left out).',
  security: SECURITY.secretKey,
  request: { params: idParam('tier_01jdx3v4k7m9q2w8e5r6t0y1zc') },
  responses: { 200: json('The prices.', TierMeteredPriceList), 404: errorResponses[404], ...authenticatedErrors },
});

export const putMeteredPriceRoute = createRoute({
  method: 'put',
  path: '/v1/tiers/{id}/metered-prices/{feature_id}',
  operationId: 'setTierMeteredPrice',
  middleware: [requireCredential(['secret_key', 'staff'], 'billing:write')] as const,
  tags: TAGS,
  summary: 'Price a metered feature on a tier',
  description:
    'Sets what the feature costs on the tier for one interval: `included_units` free each period, then graduated `steps` (Stripe `tiers_mode: graduated`; `up_to` counts every unit of the period, included ones too; the last step is open-ended). Creates a Stripe Price metered on the feature’s meter; a previous price is archived (subscribers keep it until their subscription changes). New checkouts of the tier for that interval include it. The same values again change nothing (200); new values answer 201.',
  security: SECURITY.secretKey,
  request: {
    params: tierFeatureParams,
    body: { required: true, content: { 'application/json': { schema: PutMeteredPriceBody } } },
  },
  responses: {
    200: json('The price was already set to these values.', TierMeteredPriceSchema),
    201: json('The new price.', TierMeteredPriceSchema),
    404: errorResponses[404],
    ...bodyErrors,
    ...authenticatedErrors,
    ...stripeErrors,
  },
});

export const deleteMeteredPriceRoute = createRoute({
  method: 'delete',
  path: '/v1/tiers/{id}/metered-prices/{feature_id}',
  operationId: 'deleteTierMeteredPrice',
  middleware: [requireCredential(['secret_key', 'staff'], 'billing:write')] as const,
  tags: TAGS,
  summary: 'Stop charging a metered feature on a tier',
  description:
    'Archives the feature’s price on the tier (one `interval`, or both), here and in Stripe. New checkouts leave it out; existing subscriptions keep it until they change. 404 `METERED_PRICE_NOT_FOUND` when there is none.',
  security: SECURITY.secretKey,
  request: { params: tierFeatureParams, query: DeleteMeteredPriceQuery },
  responses: {
    200: json('The price was removed.', DeletedMeteredPriceSchema),
    404: errorResponses[404],
    400: errorResponses[400],
    422: errorResponses[422],
    ...authenticatedErrors,
  },
});

export const recordUsageRoute = createRoute({
  method: 'post',
  path: '/v1/usage',
  operationId: 'recordUsage',
  // member:update, not billing:write: usage is recorded by the tenant's backend as part of running membership
  // (a booking system's manager key), while billing:write (refunds, prices) stays with admins.
  middleware: [requireCredential(['secret_key', 'staff'], 'member:update')] as const,
  tags: TAGS,
  summary: 'Record usage',
  description:
    "Records a member's usage of a metered feature, idempotently by `identifier`: the first request answers 201, the same identifier with the same values 200 with the stored record, with other values 409 `USAGE_IDENTIFIER_REUSED`. The usage is stored, shown in the member's portal, and forwarded to Stripe as a meter event exactly once (in the background; `forward_status` tells). Needs the `member:update` permission (secret keys of role admin or manager, staff likewise): recording usage is part of running membership, so a manager key of a booking system can do it without billing rights. An unknown member or feature key is a 404 naming the field; an archived feature a 409.",
  security: SECURITY.secretKey,
  request: { body: { required: true, content: { 'application/json': { schema: RecordUsageBody } } } },
  responses: {
    200: json('This usage was recorded before (same identifier and values).', UsageRecordSchema),
    201: json('The usage was recorded.', UsageRecordSchema),
    404: errorResponses[404],
    409: errorResponses[409],
    ...bodyErrors,
    ...authenticatedErrors,
  },
});

export const myUsageRoute = createRoute({
  method: 'get',
  path: '/v1/me/billing/usage',
  operationId: 'getMyUsage',
  middleware: [requireCredential(['member'])] as const,
  tags: TAGS,
  summary: 'My usage this period',
  description:
    "The signed-in member's usage this billing period (their subscription's current period, or the calendar month in UTC without one): per metered feature priced on their tier, and any other they used, the units used, the units included and the estimated charge so far under the tier's graduated price.",
  security: [{ memberToken: [] }],
  responses: {
    200: json('Usage this period.', UsageSummarySchema),
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
    429: errorResponses[429],
    503: errorResponses[503],
  },
});
