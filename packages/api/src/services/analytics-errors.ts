import { defineErrorCodes } from '../lib/errors.js';

/** Errors every analytics query shares (engagement, growth, retention). */
export const AnalyticsErrors = defineErrorCodes({
  ANALYTICS_INVALID_RANGE: { status: 422, title: 'Invalid date range' },
  ANALYTICS_RANGE_TOO_LONG: { status: 422, title: 'Date range too long' },
  ANALYTICS_TIER_NOT_FOUND: { status: 422, title: 'Unknown tier' },
});
