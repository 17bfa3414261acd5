import { ApiError } from '../lib/errors.js';
import { addDays, addMonths, isLocalDate, localDay, monthStart, weekStart, zonedDayStart } from '../lib/time-zone.js';
import { AnalyticsErrors } from '../services/analytics-errors.js';
import { checkWindow, selectAnalyticsTenant } from '../services/analytics-growth.js';
import type { ServiceDeps } from '../services/service-deps.js';
import { computeRevenue, type RevenueInterval, type RevenueReport } from './revenue-compute.js';
import { loadRevenueRows } from './revenue-load.js';
import { readTenantBilling } from './stripe-account.js';

export type { RevenueBucket, RevenueFigures, RevenueInterval, RevenueReport } from './revenue-compute.js';

export const REVENUE_INTERVALS = ['day', 'week', 'month'] as const satisfies readonly RevenueInterval[];

/** Longest revenue window: three years of days, as growth. */
export const MAX_REVENUE_DAYS = 1096;

/** The currency of a tenant that never set billing up (the `tenant_billing.currency` default). */
export const DEFAULT_BILLING_CURRENCY = 'eur';

export interface RevenueQuery {
  from?: string | undefined;
  to?: string | undefined;
  interval: RevenueInterval;
  tierId?: string | undefined;
}

/** The default window of an interval ending on `to`: 30 days, 12 weeks or 12 months. */
function defaultFrom(to: string, interval: RevenueInterval): string {
  if (interval === 'day') return addDays(to, -29);
  if (interval === 'week') return addDays(weekStart(to), -7 * 11);
  return addMonths(monthStart(to), -11);
}

/**
 * Revenue analytics of a window of local days (tenant time zone) from the local
 * billing history: MRR and ARR, MRR movements, paying members, ARPU, LTV, trials,
 * payments and refunds per bucket, in total and by tier, in the tenant's billing
 * currency (rows in other currencies are left out and counted). Definitions in
 * revenue-compute.ts. One tenant transaction reads everything; the arithmetic
 * runs after it.
 * @throws ApiError 422 ANALYTICS_INVALID_RANGE / ANALYTICS_RANGE_TOO_LONG / ANALYTICS_TIER_NOT_FOUND
 */
export async function revenueReport(deps: ServiceDeps, tenantId: string, query: RevenueQuery): Promise<RevenueReport> {
  const loaded = await deps.db.withTenant(tenantId, async (tx) => {
    const tenant = await selectAnalyticsTenant(tx, tenantId);
    const to = query.to ?? localDay(deps.clock.now(), tenant.timeZone);
    if (!isLocalDate(to)) {
      const message = `to must be a date written YYYY-MM-DD; got ${to}.`;
      throw new ApiError(AnalyticsErrors.ANALYTICS_INVALID_RANGE, message, {
        errors: [{ field: 'query.to', message }],
      });
    }
    const from = query.from ?? defaultFrom(to, query.interval);
    checkWindow(from, to, MAX_REVENUE_DAYS, 'revenue');
    if (query.tierId !== undefined && !tenant.tiers.some((t) => t.id === query.tierId)) {
      const message = `No tier ${query.tierId} in this tenant.`;
      throw new ApiError(AnalyticsErrors.ANALYTICS_TIER_NOT_FOUND, message, {
        errors: [{ field: 'query.tier_id', message }],
      });
    }
    const billing = await readTenantBilling(tx, tenantId);
    const end = zonedDayStart(addDays(to, 1), tenant.timeZone);
    return { tenant, from, to, billing, rows: await loadRevenueRows(tx, tenantId, end) };
  });
  return computeRevenue({
    from: loaded.from,
    to: loaded.to,
    interval: query.interval,
    timeZone: loaded.tenant.timeZone,
    currency: loaded.billing?.currency ?? DEFAULT_BILLING_CURRENCY,
    tiers: loaded.tenant.tiers,
    tierId: query.tierId ?? null,
    ...loaded.rows,
  });
}
