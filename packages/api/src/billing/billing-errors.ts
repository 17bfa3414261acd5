import { defineErrorCodes } from '../lib/errors.js';

/** Errors the billing endpoints share. */
export const BillingErrors = defineErrorCodes({
  BILLING_NOT_CONFIGURED: { status: 409, title: 'Billing is not set up for this tenant' },
  BILLING_UNAVAILABLE: { status: 503, title: 'Billing is not available on this server' },
  STRIPE_UNREACHABLE: { status: 502, title: 'Stripe could not be reached' },
  STRIPE_REQUEST_FAILED: { status: 502, title: 'Stripe refused the request' },
  PAYMENT_FAILED: { status: 402, title: 'Payment failed' },
  TIER_NOT_FOR_SALE: { status: 422, title: 'Tier has no price' },
  PRICE_NOT_FOUND: { status: 422, title: 'Tier has no price for this interval' },
  NO_SUBSCRIPTION: { status: 409, title: 'No active subscription' },
  SUBSCRIPTION_NOT_FOUND: { status: 404, title: 'Subscription not found' },
  INVOICE_NOT_FOUND: { status: 404, title: 'Invoice not found' },
  PREVIEW_NOT_FOUND: { status: 404, title: 'Preview not found' },
  PREVIEW_EXPIRED: { status: 410, title: 'Preview expired' },
  PREVIEW_ALREADY_CONFIRMED: { status: 409, title: 'Preview already confirmed' },
  PROMOTION_CODE_INVALID: { status: 422, title: 'Promotion code does not apply' },
  REDIRECT_URL_NOT_ALLOWED: { status: 422, title: 'Redirect URL not on an allowed origin' },
  FEATURE_NOT_FOUND: { status: 404, title: 'Metered feature not found' },
  USAGE_IDENTIFIER_REUSED: { status: 409, title: 'Usage identifier reused with different values' },
  WEBHOOK_SIGNATURE_INVALID: { status: 400, title: 'Invalid Stripe signature' },
});
