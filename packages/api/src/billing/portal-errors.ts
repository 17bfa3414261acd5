import { defineErrorCodes } from '../lib/errors.js';

/** Errors of the member's self-service billing (beyond the shared `BillingErrors`). */
export const PortalErrors = defineErrorCodes({
  TIER_NOT_AVAILABLE: { status: 422, title: 'Tier not available' },
  SUBSCRIPTION_EXISTS: { status: 409, title: 'Already subscribed' },
  PLAN_UNCHANGED: { status: 422, title: 'Already on this plan' },
  CANCEL_NOW_NOT_ALLOWED: { status: 403, title: 'Immediate cancellation not allowed' },
  PAYMENT_METHOD_NOT_FOUND: { status: 404, title: 'Payment method not found' },
  PAYMENT_METHOD_IN_USE: { status: 409, title: 'Payment method in use' },
});
