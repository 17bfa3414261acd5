import { sql } from 'drizzle-orm';
import { executeRows } from '../db/database.js';
import { ALL_TIERS } from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import { addDays, localDay } from '../lib/time-zone.js';
import { AnalyticsErrors } from './analytics-errors.js';
import { bucketOf, bucketSql, nextBucket, selectAnalyticsTenant } from './analytics-growth.js';
import type { ServiceDeps } from './service-deps.js';

export const RETENTION_GRAINS = ['week', 'month'] as const;
export type RetentionGrain = (typeof RETENTION_GRAINS)[number];

/** Most cohorts (and periods after joining) one answer covers. */
export const MAX_RETENTION_PERIODS = 36;

export interface RetentionQuery {
  grain: RetentionGrain;
  periods: number;
  /** Join tier: a tier id, `''` for members who joined without one, undefined for all. */
  tierKey?: string | undefined;
}

export interface RetentionCell {
  offset: number;
  period: string;
  retained: number;
  share: number;
}

export interface RetentionCohort {
  cohort: string;
  size: number;
  retention: RetentionCell[];
}

export interface RetentionAverage {
  offset: number;
  cohorts: number;
  size: number;
  retained: number;
  share: number;
}

export interface ChurnPeriod {
  period: string;
  churned: number;
  /** Pending and active members when the period began. */
  membersAtStart: number;
  rate: number;
}

export interface RetentionReport {
  grain: RetentionGrain;
  periods: number;
  tierKey: string | undefined;
  timeZone: string;
  defaultLocale: string;
  currentPeriod: string;
  cohorts: RetentionCohort[];
  average: RetentionAverage[];
  churn: ChurnPeriod[];
}

/** `part / whole` to 4 decimals, 0 for an empty whole. */
export function share(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}

/**
 * Sign-up cohorts × periods since joining, from rollups only: the last `periods`
 * cohorts (local ISO weeks or months of `members.created_at`) ending with the current
 * one; each cohort's size (members joined then, by join tier, from `membership_daily`)
 * and, for every period since that has begun, the members of the cohort active in it
 * (`activity_cohort_counts`) as count and share. Churn per period (members who went
 * from pending/active to inactive or suspended, or were deleted) comes from
 * `membership_daily`, with the pending and active members at the period's start.
 * Three statements: the tenant, the cohort counts, the membership rollup.
 */
export async function retentionReport(
  deps: ServiceDeps,
  tenantId: string,
  query: RetentionQuery,
): Promise<RetentionReport> {
  const { grain, periods, tierKey } = query;
  if (!Number.isInteger(periods) || periods < 1 || periods > MAX_RETENTION_PERIODS) {
    const message = `periods must be a whole number from 1 to ${MAX_RETENTION_PERIODS}; got ${periods}.`;
    throw new ApiError(AnalyticsErrors.ANALYTICS_INVALID_RANGE, message, {
      errors: [{ field: 'query.periods', message }],
    });
  }
  if (tierKey === ALL_TIERS) throw new Error('the all-tiers key is no join tier');
  return deps.db.withTenant(tenantId, async (tx) => {
    const tenant = await selectAnalyticsTenant(tx, tenantId);
    const today = localDay(deps.clock.now(), tenant.timeZone);
    const current = bucketOf(today, grain);
    const starts: string[] = [current];
    for (let i = 1; i < periods; i++) starts.unshift(bucketOf(addDays(starts[0]!, -1), grain));
    const first = starts[0]!;
    const tierFilter = (column: 'join_tier_key' | 'tier_key') =>
      tierKey === undefined ? sql`` : sql` and ${sql.identifier(column)} = ${tierKey}`;

    const retained = await executeRows<{ cohort: string; period: string; members: number }>(
      tx.execute(sql`
        select to_char(cohort, 'YYYY-MM-DD') as cohort, to_char(period, 'YYYY-MM-DD') as period,
          sum(members)::int as members
        from activity_cohort_counts
        where tenant_id = ${tenantId} and grain = ${grain} and cohort >= ${first}::date
          and period <= ${today}::date${tierFilter('join_tier_key')}
        group by 1, 2`),
    );
    const flows = await executeRows<{ bucket: string; joined: number; churned: number; live: number }>(
      tx.execute(sql`
        select case when day < ${first}::date then '' else ${bucketSql(grain)} end as bucket,
          sum(joined)::int as joined, sum(churned)::int as churned, sum(pending + active)::int as live
        from membership_daily
        where tenant_id = ${tenantId} and day <= ${today}::date${tierFilter('tier_key')}
        group by 1`),
    );

    const cells = new Map(retained.map((r) => [`${r.cohort}/${r.period}`, Number(r.members)]));
    const byBucket = new Map(flows.map((r) => [r.bucket, r]));
    const cohorts: RetentionCohort[] = starts.map((cohort, index) => {
      const size = Number(byBucket.get(cohort)?.joined ?? 0);
      const retention: RetentionCell[] = [];
      let period = cohort;
      for (let offset = 0; offset < periods - index; offset++) {
        const n = cells.get(`${cohort}/${period}`) ?? 0;
        retention.push({ offset, period, retained: n, share: share(n, size) });
        period = nextBucket(period, grain);
      }
      return { cohort, size, retention };
    });
    const average: RetentionAverage[] = [];
    for (let offset = 0; offset < periods; offset++) {
      const reached = cohorts.filter((c) => c.retention.length > offset);
      const size = reached.reduce((sum, c) => sum + c.size, 0);
      const kept = reached.reduce((sum, c) => sum + c.retention[offset]!.retained, 0);
      average.push({ offset, cohorts: reached.length, size, retained: kept, share: share(kept, size) });
    }
    let live = Number(byBucket.get('')?.live ?? 0);
    const churn: ChurnPeriod[] = starts.map((period) => {
      const flow = byBucket.get(period);
      const churned = Number(flow?.churned ?? 0);
      const atStart = live;
      live += Number(flow?.live ?? 0);
      return { period, churned, membersAtStart: atStart, rate: share(churned, atStart) };
    });
    return {
      grain,
      periods,
      tierKey,
      timeZone: tenant.timeZone,
      defaultLocale: tenant.defaultLocale,
      currentPeriod: current,
      cohorts,
      average,
      churn,
    };
  });
}
