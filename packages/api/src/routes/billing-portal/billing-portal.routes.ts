import { createRoute } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import {
  authenticatedErrors,
  errorResponses,
  IdempotencyHeaders,
  jsonBody,
  jsonResponse,
  pageOf,
  PaginationQuery,
} from '../../lib/openapi.js';
import {
  CancelBody,
  ChangeBody,
  CheckoutBody,
  CheckoutSchema,
  MemberBillingSchema,
  MemberInvoiceSchema,
  PaymentMethodListSchema,
  PaymentMethodParam,
  PreviewBody,
  PreviewSchema,
  SetupBody,
  SetupSchema,
} from './billing-portal.schemas.js';

const TAGS = ['Billing'];
const MEMBER = [{ memberToken: [] }];
/** Errors of every portal call that reaches Stripe: billing not set up (409), Stripe unreachable or refusing (502), none on this server (503). */
const stripeErrors = {
  409: errorResponses[409],
  502: {
    ...errorResponses[503],
    description: 'Stripe could not be reached or refused the request (`STRIPE_UNREACHABLE`, `STRIPE_REQUEST_FAILED`).',
  },
} as const;
const billing = jsonResponse(MemberBillingSchema, "The member's billing after the change.");
const bodyErrors = { 400: errorResponses[400], 415: errorResponses[415], 422: errorResponses[422] } as const;

export const startCheckoutRoute = createRoute({
  method: 'post',
  path: '/v1/me/billing/checkout',
  operationId: 'startCheckout',
  middleware: [requireCredential(['member'])] as const,
  tags: TAGS,
  summary: 'Buy a tier',
  description:
    "Opens a Stripe Checkout page (subscription mode) for the tier's price of `interval`, with the tier's trial; send the member to `url`. A `promotion_code` is checked first (422 `PROMOTION_CODE_INVALID` if it does not apply); without one, Stripe's page offers a code field when the tenant allows codes. `success_url` and `cancel_url` must be on an allowed origin (422 `REDIRECT_URL_NOT_ALLOWED`). A free tier is joined at once (`id` and `url` null). A member who already subscribes gets 409 `SUBSCRIPTION_EXISTS`: they change plan with a preview instead. Unknown or unavailable tiers, tiers without a price (`TIER_NOT_FOR_SALE`) or without one for `interval` (`PRICE_NOT_FOUND`) are 422.",
  security: MEMBER,
  request: { headers: IdempotencyHeaders, body: jsonBody(CheckoutBody) },
  responses: {
    200: jsonResponse(CheckoutSchema, 'Where to pay, or the free tier joined.'),
    ...authenticatedErrors,
    ...bodyErrors,
    ...stripeErrors,
  },
});

export const getMemberBillingRoute = createRoute({
  method: 'get',
  path: '/v1/me/billing',
  operationId: 'getMemberBilling',
  middleware: [requireCredential(['member'])] as const,
  tags: TAGS,
  summary: 'My plan and billing',
  description:
    "The member's subscription (status, tier, interval, period, trial, cancellation), default payment method and next invoice. `subscription` is null for a member who never subscribed or whose subscription ended.",
  security: MEMBER,
  responses: { 200: jsonResponse(MemberBillingSchema, "The member's billing."), ...authenticatedErrors },
});

export const previewChangeRoute = createRoute({
  method: 'post',
  path: '/v1/me/billing/preview',
  operationId: 'previewPlanChange',
  middleware: [requireCredential(['member'])] as const,
  tags: TAGS,
  summary: 'Preview a change of plan',
  description:
    "What changing to another tier or interval costs now, from Stripe's invoice preview at a fixed proration date: the unused time is credited and the new plan charged at once. Confirm within 10 minutes with `POST /v1/me/billing/change`; the member then pays exactly `amount_due`. A new preview replaces the member's earlier unconfirmed one.",
  security: MEMBER,
  request: { body: jsonBody(PreviewBody) },
  responses: {
    200: jsonResponse(PreviewSchema, 'The preview.'),
    ...authenticatedErrors,
    ...bodyErrors,
    ...stripeErrors,
  },
});

export const confirmChangeRoute = createRoute({
  method: 'post',
  path: '/v1/me/billing/change',
  operationId: 'confirmPlanChange',
  middleware: [requireCredential(['member'])] as const,
  tags: TAGS,
  summary: 'Change plan as previewed',
  description:
    "Applies a preview: the subscription moves to the previewed price with the preview's proration date, and the amount shown is charged. A preview is confirmed once (409 `PREVIEW_ALREADY_CONFIRMED`), within 10 minutes (410 `PREVIEW_EXPIRED`); another member's preview is 404.",
  security: MEMBER,
  request: { headers: IdempotencyHeaders, body: jsonBody(ChangeBody) },
  responses: {
    200: billing,
    ...authenticatedErrors,
    ...bodyErrors,
    404: errorResponses[404],
    410: { ...errorResponses[404], description: 'The preview expired (`PREVIEW_EXPIRED`); preview again.' },
    ...stripeErrors,
  },
});

export const cancelSubscriptionRoute = createRoute({
  method: 'post',
  path: '/v1/me/billing/cancel',
  operationId: 'cancelMySubscription',
  middleware: [requireCredential(['member'])] as const,
  tags: TAGS,
  summary: 'Cancel my subscription',
  description:
    'At period end (the default) the member keeps the plan until the paid period ends and can resume until then. `at_period_end: false` ends it now, only where the tenant allows it (403 `CANCEL_NOW_NOT_ALLOWED` otherwise). The optional reason and comment go to Stripe. 409 `NO_SUBSCRIPTION` without a live subscription.',
  security: MEMBER,
  request: { headers: IdempotencyHeaders, body: jsonBody(CancelBody) },
  responses: { 200: billing, ...authenticatedErrors, ...bodyErrors, ...stripeErrors },
});

export const resumeSubscriptionRoute = createRoute({
  method: 'post',
  path: '/v1/me/billing/resume',
  operationId: 'resumeMySubscription',
  middleware: [requireCredential(['member'])] as const,
  tags: TAGS,
  summary: 'Take back a cancellation',
  description:
    'A subscription set to cancel at period end renews again. One that is not set to cancel is returned as it is; 409 `NO_SUBSCRIPTION` once it has ended.',
  security: MEMBER,
  request: { headers: IdempotencyHeaders },
  responses: { 200: billing, ...authenticatedErrors, ...stripeErrors },
});

export const listPaymentMethodsRoute = createRoute({
  method: 'get',
  path: '/v1/me/billing/payment-methods',
  operationId: 'listMyPaymentMethods',
  middleware: [requireCredential(['member'])] as const,
  tags: TAGS,
  summary: 'My payment methods',
  description:
    'Saved cards (brand, last four digits, expiry), the default one marked. Empty before the first purchase.',
  security: MEMBER,
  responses: {
    200: jsonResponse(PaymentMethodListSchema, 'The payment methods.'),
    ...authenticatedErrors,
    ...stripeErrors,
  },
});

export const setupPaymentMethodRoute = createRoute({
  method: 'post',
  path: '/v1/me/billing/payment-methods/setup',
  operationId: 'setupPaymentMethod',
  middleware: [requireCredential(['member'])] as const,
  tags: TAGS,
  summary: 'Add a payment method',
  description:
    'Opens a Stripe Checkout page in setup mode where the member saves a card; send them to `url`. The return pages must be on an allowed origin (422 `REDIRECT_URL_NOT_ALLOWED`).',
  security: MEMBER,
  request: { headers: IdempotencyHeaders, body: jsonBody(SetupBody) },
  responses: {
    200: jsonResponse(SetupSchema, 'Where to add the card.'),
    ...authenticatedErrors,
    ...bodyErrors,
    ...stripeErrors,
  },
});

export const setDefaultPaymentMethodRoute = createRoute({
  method: 'post',
  path: '/v1/me/billing/payment-methods/{id}/default',
  operationId: 'setDefaultPaymentMethod',
  middleware: [requireCredential(['member'])] as const,
  tags: TAGS,
  summary: 'Charge this payment method',
  description: 'Future invoices (and the live subscription) are charged to this payment method.',
  security: MEMBER,
  request: { params: PaymentMethodParam },
  responses: {
    200: jsonResponse(PaymentMethodListSchema, 'The payment methods after the change.'),
    ...authenticatedErrors,
    404: errorResponses[404],
    ...stripeErrors,
  },
});

export const removePaymentMethodRoute = createRoute({
  method: 'delete',
  path: '/v1/me/billing/payment-methods/{id}',
  operationId: 'removePaymentMethod',
  middleware: [requireCredential(['member'])] as const,
  tags: TAGS,
  summary: 'Remove a payment method',
  description:
    'Removes a saved card. The default one cannot be removed while a subscription is live (409 `PAYMENT_METHOD_IN_USE`): make another one the default first.',
  security: MEMBER,
  request: { params: PaymentMethodParam },
  responses: {
    200: jsonResponse(PaymentMethodListSchema, 'The payment methods left.'),
    ...authenticatedErrors,
    404: errorResponses[404],
    ...stripeErrors,
  },
});

export const listMemberInvoicesRoute = createRoute({
  method: 'get',
  path: '/v1/me/billing/invoices',
  operationId: 'listMyInvoices',
  middleware: [requireCredential(['member'])] as const,
  tags: TAGS,
  summary: 'My invoices',
  description: "The member's invoices, newest first, with links to Stripe's hosted page and PDF.",
  security: MEMBER,
  request: { query: PaginationQuery },
  responses: {
    200: jsonResponse(pageOf(MemberInvoiceSchema, 'MemberInvoiceList'), 'A page of invoices.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    422: errorResponses[422],
  },
});
