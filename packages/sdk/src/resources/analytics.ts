import { Resource, seg, toQuery } from '../core/resource.js';
import type { CallOptions } from '../core/transport.js';
import type { QueryOf, ResponseOf, Schema } from '../core/types.js';

/** Active members, events and engagement segments over a window, with the previous window for comparison. */
export type EngagementReport = Schema<'EngagementReport'>;
/** Window, interval and filters of {@link AnalyticsResource.engagement}. */
export type EngagementParams = QueryOf<'getEngagement'>;
/** One member's score, segment, streaks, last activity and trend. */
export type MemberEngagement = Schema<'MemberEngagement'>;
/** New, churned, reactivated and net members per interval, by tier and source, and members per status. */
export type Growth = Schema<'Growth'>;
/** Window and interval of {@link AnalyticsResource.growth}. */
export type GrowthParams = QueryOf<'getGrowth'>;
/** Sign-up cohorts × periods since joining: retained members and churn. */
export type Retention = Schema<'Retention'>;
/** Cohort size, number of cohorts and join tier of {@link AnalyticsResource.retention}. */
export type RetentionParams = QueryOf<'getRetention'>;

/** MRR, ARR, MRR movements, paying members, ARPU, LTV, trials, payments and refunds per interval. */
export type Revenue = ResponseOf<'getRevenue'>;
/** Window, interval and tier of {@link AnalyticsResource.revenue}. */
export type RevenueParams = QueryOf<'getRevenue'>;

/**
 * `mk.analytics`: engagement, growth and retention (secret key, or staff with
 * `analytics:read`). Days, weeks (Monday first) and months are the tenant's local
 * ones (its `time_zone`); `from` and `to` are local dates, both included.
 */
export class AnalyticsResource extends Resource {
  /**
   * Engagement over a window (`GET /v1/analytics/engagement`; the last 30 days by
   * default): active members and events per interval, DAU/WAU/MAU, stickiness, top
   * event types, segments, and the same summary for the window before.
   *
   * @example
   * const report = await mk.analytics.engagement({ from: '2026-11-01', to: '2026-11-30', interval: 'week' });
   */
  engagement(params?: EngagementParams, options?: CallOptions): Promise<EngagementReport> {
    return this.call({ method: 'GET', path: '/v1/analytics/engagement', query: toQuery(params) }, options);
  }

  /**
   * One member's engagement over the last 30 days (`GET /v1/analytics/members/{id}/engagement`):
   * score, segment, streaks, last activity and trend.
   */
  memberEngagement(id: string, options?: CallOptions): Promise<MemberEngagement> {
    return this.call({ method: 'GET', path: `/v1/analytics/members/${seg(id)}/engagement` }, options);
  }

  /**
   * Membership growth per interval (`GET /v1/analytics/growth`): new, churned,
   * reactivated and net members by tier and source, members per status at each end.
   *
   * @example
   * const growth = await mk.analytics.growth({ from: '2026-01-01', to: '2026-12-31', interval: 'month' });
   */
  growth(params?: GrowthParams, options?: CallOptions): Promise<Growth> {
    return this.call({ method: 'GET', path: '/v1/analytics/growth', query: toQuery(params) }, options);
  }

  /**
   * Retention of sign-up cohorts (`GET /v1/analytics/retention`): for each of the last
   * `periods` cohorts, its size and the members active in each period since.
   *
   * @example
   * const retention = await mk.analytics.retention({ cohort: 'month', periods: 12 });
   */
  retention(params?: RetentionParams, options?: CallOptions): Promise<Retention> {
    return this.call({ method: 'GET', path: '/v1/analytics/retention', query: toQuery(params) }, options);
  }

  /**
   * Revenue over a window (`GET /v1/analytics/revenue`; `billing:read`): MRR and ARR,
   * MRR movements (new, expansion, contraction, churned, reactivated), paying members,
   * ARPU, LTV, trial conversions, failed and recovered payments and refunds, by tier,
   * in minor units of the tenant's currency.
   *
   * @example
   * const revenue = await mk.analytics.revenue({ from: '2026-01-01', to: '2026-12-31', interval: 'month' });
   */
  revenue(params?: RevenueParams, options?: CallOptions): Promise<Revenue> {
    return this.call({ method: 'GET', path: '/v1/analytics/revenue', query: toQuery(params) }, options);
  }
}
