import { createRoute } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import {
  authenticatedErrors,
  errorResponses,
  IdempotencyHeaders,
  jsonBody,
  jsonResponse,
  pageOf,
  SECURITY,
} from '../../lib/openapi.js';
import { idParam } from '../../lib/schemas.js';
import {
  CancelSubscriptionBody,
  CompBody,
  InvoiceParam,
  RefundBody,
  RefundSchema,
  StaffMemberBillingSchema,
  StaffSubscriptionSchema,
  SubscriptionListQuery,
} from './billing-staff.schemas.js';

const TAGS = ['Billing'];
const STAFF = ['secret_key', 'staff'] as const;
/** Errors of calls that reach Stripe: billing not set up (409), Stripe unreachable or refusing (502), none on this server (503). */
const stripeErrors = {
  502: {
    ...errorResponses[503],
    description: 'Stripe could not be reached or refused the request (`STRIPE_UNREACHABLE`, `STRIPE_REQUEST_FAILED`).',
  },
} as const;
const bodyErrors = { 400: errorResponses[400], 415: errorResponses[415], 422: errorResponses[422] } as const;

export const listSubscriptionsRoute = createRoute({
  method: 'get',
  path: '/v1/billing/subscriptions',
  operationId: 'listSubscriptions',
  middleware: [requireCredential([...STAFF], 'billing:read')] as const,
  tags: TAGS,
  summary: 'List subscriptions',
  description:
    'Subscriptions of the tenant (Stripe subscriptions as last synced, and complimentary memberships), newest first, filtered by `status` and `tier_id`. The cursor is bound to the filters.',
  security: SECURITY.secretKey,
  request: { query: SubscriptionListQuery },
  responses: {
    200: jsonResponse(pageOf(StaffSubscriptionSchema, 'StaffSubscriptionList'), 'A page of subscriptions.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    422: errorResponses[422],
  },
});

export const getMemberBillingRoute = createRoute({
  method: 'get',
  path: '/v1/members/{id}/billing',
  operationId: 'getMemberBillingForStaff',
  middleware: [requireCredential([...STAFF], 'billing:read')] as const,
  tags: TAGS,
  summary: "A member's billing",
  description: "The member's current subscription, all their subscriptions and their invoices with refunds.",
  security: SECURITY.secretKey,
  request: { params: idParam('mem_01jdx3v4k7m9q2w8e5r6t0y1zc') },
  responses: {
    200: jsonResponse(StaffMemberBillingSchema, "The member's billing."),
    ...authenticatedErrors,
    404: errorResponses[404],
  },
});

export const refundInvoiceRoute = createRoute({
  method: 'post',
  path: '/v1/billing/invoices/{id}/refund',
  operationId: 'refundInvoice',
  middleware: [requireCredential([...STAFF], 'billing:write')] as const,
  tags: TAGS,
  summary: 'Refund an invoice',
  description:
    "Refunds the payment of a paid invoice, in full (no `amount`) or in part, through Stripe. At most what is still refundable (paid minus refunded): more answers 422 `REFUND_EXCEEDS_REFUNDABLE`; an unpaid or fully refunded invoice 409 `INVOICE_NOT_REFUNDABLE`. Updates the invoice's `amount_refunded` and writes an audit entry. Retry safely with an `Idempotency-Key`.",
  security: SECURITY.secretKey,
  request: { params: InvoiceParam, headers: IdempotencyHeaders, body: jsonBody(RefundBody) },
  responses: {
    201: jsonResponse(RefundSchema, 'The refund.'),
    ...bodyErrors,
    ...authenticatedErrors,
    404: errorResponses[404],
    409: errorResponses[409],
    ...stripeErrors,
  },
});

export const cancelSubscriptionRoute = createRoute({
  method: 'post',
  path: '/v1/billing/subscriptions/{id}/cancel',
  operationId: 'cancelSubscription',
  middleware: [requireCredential([...STAFF], 'billing:write')] as const,
  tags: TAGS,
  summary: 'Cancel a subscription',
  description:
    'Cancels a Stripe subscription at the end of the paid period (`at_period_end: true`, the default) or at once (the member lapses to the tenant lapse tier or inactive). Whatever the tenant allows members. A complimentary membership answers 409 `SUBSCRIPTION_IS_COMP` (revoke it instead), an ended subscription 409 `SUBSCRIPTION_ENDED`. Audited.',
  security: SECURITY.secretKey,
  request: {
    params: idParam('msub_01jdx3v4k7m9q2w8e5r6t0y1zc'),
    headers: IdempotencyHeaders,
    body: jsonBody(CancelSubscriptionBody),
  },
  responses: {
    200: jsonResponse(StaffSubscriptionSchema, 'The subscription after the cancellation.'),
    ...bodyErrors,
    ...authenticatedErrors,
    404: errorResponses[404],
    409: errorResponses[409],
    ...stripeErrors,
  },
});

export const grantCompRoute = createRoute({
  method: 'post',
  path: '/v1/members/{id}/billing/comp',
  operationId: 'grantComp',
  middleware: [requireCredential([...STAFF], 'billing:write')] as const,
  tags: TAGS,
  summary: 'Grant a complimentary membership',
  description:
    'Gives the member `tier_id` free of charge until `ends_at` (no Stripe object; revenue analytics counts no MRR for it): the member is moved to the tier, active. An unknown or archived tier or an `ends_at` not in the future answers 422; a member who already has a comp or pays through a live subscription 409. Audited.',
  security: SECURITY.secretKey,
  request: {
    params: idParam('mem_01jdx3v4k7m9q2w8e5r6t0y1zc'),
    headers: IdempotencyHeaders,
    body: jsonBody(CompBody),
  },
  responses: {
    201: jsonResponse(StaffSubscriptionSchema, 'The complimentary membership.'),
    ...bodyErrors,
    ...authenticatedErrors,
    404: errorResponses[404],
    409: errorResponses[409],
  },
});

export const revokeCompRoute = createRoute({
  method: 'delete',
  path: '/v1/members/{id}/billing/comp',
  operationId: 'revokeComp',
  middleware: [requireCredential([...STAFF], 'billing:write')] as const,
  tags: TAGS,
  summary: 'Revoke a complimentary membership',
  description:
    "Ends the member's complimentary membership now; the member lapses (the tenant lapse tier, or inactive) unless another subscription still gives access. 404 `COMP_NOT_FOUND` when there is none. Audited.",
  security: SECURITY.secretKey,
  request: { params: idParam('mem_01jdx3v4k7m9q2w8e5r6t0y1zc') },
  responses: {
    200: jsonResponse(StaffSubscriptionSchema, 'The ended complimentary membership.'),
    ...authenticatedErrors,
    404: errorResponses[404],
  },
});
