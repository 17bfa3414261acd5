import { defineErrorCodes } from '../lib/errors.js';

/** Errors of the staff billing endpoints (refunds, cancellations, comps). */
export const StaffBillingErrors = defineErrorCodes({
  INVOICE_NOT_REFUNDABLE: { status: 409, title: 'Invoice cannot be refunded' },
  REFUND_EXCEEDS_REFUNDABLE: { status: 422, title: 'Refund larger than what is refundable' },
  SUBSCRIPTION_ENDED: { status: 409, title: 'Subscription has ended' },
  SUBSCRIPTION_IS_COMP: { status: 409, title: 'Complimentary membership' },
  COMP_TIER_INVALID: { status: 422, title: 'Tier cannot be granted' },
  COMP_ENDS_AT_INVALID: { status: 422, title: 'Invalid end of the complimentary membership' },
  COMP_EXISTS: { status: 409, title: 'Member already has a complimentary membership' },
  MEMBER_HAS_SUBSCRIPTION: { status: 409, title: 'Member has a paid subscription' },
  COMP_NOT_FOUND: { status: 404, title: 'No complimentary membership' },
});
