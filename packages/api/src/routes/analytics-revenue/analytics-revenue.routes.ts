import { createRoute } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import { authenticatedErrors, errorResponses, jsonResponse, SECURITY } from '../../lib/openapi.js';
import { MAX_REVENUE_DAYS, RevenueQuery, RevenueSchema } from './analytics-revenue.schemas.js';

export const getRevenueRoute = createRoute({
  method: 'get',
  path: '/v1/analytics/revenue',
  operationId: 'getRevenue',
  // Revenue is billing data (amounts members paid), so billing:read rather than analytics:read: the role
  // table already grants it to admin, manager and viewer alike, and a key scoped to analytics sees no money.
  middleware: [requireCredential(['secret_key', 'staff'], 'billing:read')] as const,
  tags: ['Analytics'],
  summary: 'Revenue: MRR, movements, payments',
  description: [
    `Revenue per day, ISO week or month of a window of local days (\`from\` to \`to\`, both included, tenant time zone, at most ${MAX_REVENUE_DAYS} days), from the local subscription, invoice, payment and refund history, in the tenant's billing currency (\`currency\`; rows in another currency are left out and counted in \`skipped_other_currency\`). Needs \`billing:read\`.`,
    '',
    '**MRR** of a subscription at an instant: its recurring amount per interval at its newest recorded change, a yearly amount divided by 12 (trials, comps and ended subscriptions are 0). Sums are kept exact as annual amounts; each figure is rounded once, half up (ties toward +∞) to minor units. **ARR** = 12 × MRR, exact. Levels (`mrr_amount`, `paying_members`, `arpu_amount`) are at the end of the span.',
    '',
    "**Movements** are classified once per member and local day: the member's MRR (all their subscriptions) at the end of the day against the end of the day before. 0 → above 0 is `new`, or `reactivated` when the member had MRR at the end of any earlier day; above 0 → 0 is `churned`; a rise `expansion`, a fall staying above 0 `contraction`. So `mrr_at_start + net = mrr` at the end of the window (before rounding).",
    '',
    "**ARPU** = MRR / paying members. **LTV** = ARPU / monthly churn rate, the rate being churned members / paying members at the span's start, scaled to a month of 30.4375 days; null when nobody churned. **Trials**: subscriptions entering `trialing`, and going from `trialing` to `active`. **Payments**: every succeeded attempt (`collected`), invoices whose first attempt failed (`failed`), invoices paid after a failed attempt (`recovered`); **refunds** by their creation time. By tier, and with `tier_id`, a member's MRR counts in the tier of each subscription, and payments and refunds in the tier their subscription held at the time.",
    '',
    '`from` after `to` answers 422 `ANALYTICS_INVALID_RANGE`, a longer window 422 `ANALYTICS_RANGE_TOO_LONG`, an unknown `tier_id` 422 `ANALYTICS_TIER_NOT_FOUND`.',
  ].join('\n'),
  security: SECURITY.secretKey,
  request: { query: RevenueQuery },
  responses: {
    200: jsonResponse(RevenueSchema, 'Revenue of the window.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    422: errorResponses[422],
  },
});
