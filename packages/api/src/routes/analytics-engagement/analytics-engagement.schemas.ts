import { z } from '@hono/zod-openapi';
import { named } from '../../lib/openapi.js';
import { Timestamp } from '../../lib/schemas.js';
import { isDay } from '../../services/analytics-engagement-calendar.js';
import { SEGMENTS } from '../../services/analytics-engagement.js';
import { MemberStatusSchema } from '../members/members.schemas.js';
import { MEMBER_STATUSES } from '../../services/members.js';

/** A local calendar date of the tenant's time zone, `YYYY-MM-DD`. */
export const LocalDate = z
  .string()
  .refine(isDay, 'Must be a date written YYYY-MM-DD.')
  .openapi({ format: 'date', example: '2026-11-01' });

/** `from` and `to` of an analytics query: local dates of the tenant, both included. */
export const DateRangeQuery = {
  from: LocalDate.optional().openapi({
    description: "First day (the tenant's local date, included). Default: 29 days before `to`.",
    example: '2026-11-01',
  }),
  to: LocalDate.optional().openapi({
    description: "Last day (included). Default: 29 days after `from`, or today in the tenant's time zone.",
    example: '2026-11-30',
  }),
};

export const EngagementQuery = z.object({
  ...DateRangeQuery,
  interval: z
    .enum(['day', 'week', 'month'])
    .default('day')
    .openapi({ description: 'Bucket size of `series`: local days, ISO weeks (Monday) or calendar months.' }),
  tier_id: z.string().max(64).optional().openapi({
    description:
      "Activity under this tier (the member's tier when the event was recorded); segments: members currently in it. An unknown tier answers 422 `ANALYTICS_TIER_NOT_FOUND`.",
    example: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc',
  }),
  status: MemberStatusSchema.optional().openapi({
    description: 'Only members currently in this status (deleted members left out), for every figure.',
  }),
});

const SegmentName = z.enum(SEGMENTS).openapi('EngagementSegmentName', {
  description:
    '`highly_active`: at least `thresholds.highly_active` events in the window; `moderately_active`: at least `thresholds.moderately_active`; `low`: at least one; `dormant`: none.',
});

const Thresholds = z
  .object({
    highly_active: z.number().int().openapi({ example: 20 }),
    moderately_active: z.number().int().openapi({ example: 5 }),
  })
  .openapi('EngagementThresholds', { description: "The tenant's segment thresholds (events in the window)." });

const SummarySchema = z
  .object({
    from: LocalDate,
    to: LocalDate,
    days: z.number().int().openapi({ example: 30 }),
    active_members: z
      .number()
      .int()
      .openapi({ description: 'Distinct members with at least one event in the window.', example: 412 }),
    dau: z
      .number()
      .openapi({ description: 'Average of the daily active members over the window (2 decimals).', example: 96.5 }),
    wau: z
      .number()
      .int()
      .openapi({ description: 'Distinct active members in the last 7 days of the window.', example: 240 }),
    mau: z
      .number()
      .int()
      .openapi({ description: 'Distinct active members in the last 30 days of the window.', example: 412 }),
    stickiness: z.number().openapi({ description: 'dau / mau, 4 decimals (0 without actives).', example: 0.2342 }),
    events: z.number().int().openapi({ example: 10_450 }),
    top_event_types: z
      .array(z.object({ type: z.string(), label: z.string(), events: z.number().int() }).openapi('EventTypeCount'))
      .openapi({ description: 'The 10 event types with the most events, most first.' }),
    segments: z
      .array(
        z
          .object({ segment: SegmentName, label: z.string(), members: z.number().int() })
          .openapi('EngagementSegmentCount'),
      )
      .openapi({
        description:
          "Members that exist now (not deleted) and match `tier_id` (their current tier) and `status`, by their events in the window (every tier's).",
      }),
  })
  .openapi('EngagementSummary');

const SUMMARY_EXAMPLE = {
  from: '2026-11-01',
  to: '2026-11-30',
  days: 30,
  active_members: 412,
  dau: 96.5,
  wau: 240,
  mau: 412,
  stickiness: 0.2342,
  events: 10_450,
  top_event_types: [
    { type: 'page.viewed', label: 'Page viewed', events: 8_120 },
    { type: 'event.attended', label: 'Attended an event', events: 310 },
  ],
  segments: [
    { segment: 'highly_active' as const, label: 'Highly active', members: 120 },
    { segment: 'moderately_active' as const, label: 'Moderately active', members: 180 },
    { segment: 'low' as const, label: 'Low activity', members: 100 },
    { segment: 'dormant' as const, label: 'Dormant', members: 1_600 },
  ],
};

export const EngagementReportSchema = named(
  z.object({
    object: z.literal('engagement_report'),
    from: LocalDate,
    to: LocalDate,
    interval: z.enum(['day', 'week', 'month']),
    time_zone: z.string().openapi({ example: 'Europe/Berlin' }),
    tier_id: z.string().nullable(),
    // Inline, not the MemberStatus component: a nullable $ref renders as allOf, whose enum refuses null.
    status: z
      .enum(MEMBER_STATUSES)
      .nullable()
      .openapi({ description: 'The `status` filter of the query, null without one.' }),
    thresholds: Thresholds,
    event_types: z
      .array(z.object({ type: z.string(), label: z.string() }).openapi('EventTypeLabel'))
      .openapi({ description: 'Every event type in `series`, with its label in the request locale.' }),
    series: z.array(
      z
        .object({
          period: LocalDate.openapi({ description: 'First day of the whole bucket (a Monday, the 1st, or the day).' }),
          from: LocalDate.openapi({ description: 'First day of the bucket inside the window.' }),
          to: LocalDate.openapi({ description: 'Last day of the bucket inside the window.' }),
          partial: z.boolean().openapi({
            description:
              'The window cuts this week or month: its figures count only the days `from`..`to` inside the window.',
          }),
          active_members: z.number().int(),
          events: z.number().int(),
          events_by_type: z.record(z.string(), z.number().int()),
        })
        .openapi('EngagementBucket'),
    ),
    summary: SummarySchema,
    previous: SummarySchema.openapi({
      description: 'The same summary for the window of equal length just before `from`.',
    }),
  }),
  'EngagementReport',
  {
    object: 'engagement_report',
    from: '2026-11-01',
    to: '2026-11-30',
    interval: 'week',
    time_zone: 'Europe/Berlin',
    tier_id: null,
    status: null,
    thresholds: { highly_active: 20, moderately_active: 5 },
    event_types: [
      { type: 'event.attended', label: 'Attended an event' },
      { type: 'page.viewed', label: 'Page viewed' },
    ],
    series: [
      {
        period: '2026-10-26',
        from: '2026-11-01',
        to: '2026-11-01',
        partial: true,
        active_members: 40,
        events: 210,
        events_by_type: { 'page.viewed': 200, 'event.attended': 10 },
      },
      {
        period: '2026-11-02',
        from: '2026-11-02',
        to: '2026-11-08',
        partial: false,
        active_members: 236,
        events: 2_480,
        events_by_type: { 'page.viewed': 2_400, 'event.attended': 80 },
      },
    ],
    summary: SUMMARY_EXAMPLE,
    previous: { ...SUMMARY_EXAMPLE, from: '2026-10-02', to: '2026-10-31', active_members: 398 },
  },
  {
    description:
      "Engagement over a window of the tenant's local days, from the activity rollups. Figures filtered by `tier_id` use the tier at the time of each event: a member active under two tiers counts in each, once in the total.",
  },
);

export const MemberEngagementSchema = named(
  z.object({
    object: z.literal('member_engagement'),
    member_id: z.string(),
    time_zone: z.string(),
    window: z
      .object({ from: LocalDate, to: LocalDate })
      .openapi({ description: "The 30 local days ending today in the tenant's time zone." }),
    events: z.number().int().openapi({ description: 'Events in the window.' }),
    active_days: z.number().int().openapi({ description: 'Days of the window with at least one event.' }),
    segment: SegmentName,
    segment_label: z.string(),
    score: z.number().int().openapi({
      description:
        'min(100, round(100 × events / (2 × thresholds.highly_active))): 50 at the highly-active threshold, 100 at twice it.',
    }),
    current_streak: z
      .number()
      .int()
      .openapi({ description: 'Consecutive active days ending today (or yesterday, when not yet active today).' }),
    longest_streak: z.number().int().openapi({ description: 'Longest run of consecutive active days ever recorded.' }),
    last_active_day: LocalDate.nullable().openapi({ description: 'Last local day with an event.' }),
    last_active_at: Timestamp.nullable(),
    trend: z
      .object({
        direction: z.enum(['up', 'down', 'flat']).openapi({
          description:
            '`up`: at least 10 % more events than in the 30 days before the window; `down`: at least 10 % fewer; else `flat` (from none before, any event is `up`).',
        }),
        events: z.number().int(),
        previous_events: z.number().int().openapi({ description: 'Events in the 30 days before the window.' }),
        ratio: z
          .number()
          .nullable()
          .openapi({ description: 'events / previous_events (4 decimals); null when 0 before.' }),
      })
      .openapi('EngagementTrend'),
    thresholds: Thresholds,
  }),
  'MemberEngagement',
  {
    object: 'member_engagement',
    member_id: 'mem_01jdx3v4k7m9q2w8e5r6t0y1zc',
    time_zone: 'Europe/Berlin',
    window: { from: '2026-11-08', to: '2026-12-07' },
    events: 26,
    active_days: 9,
    segment: 'highly_active',
    segment_label: 'Highly active',
    score: 65,
    current_streak: 3,
    longest_streak: 12,
    last_active_day: '2026-12-07',
    last_active_at: '2026-12-07T08:12:00.000Z',
    trend: { direction: 'up', events: 26, previous_events: 18, ratio: 1.4444 },
    thresholds: { highly_active: 20, moderately_active: 5 },
  },
  { description: "A member's engagement over the last 30 days, from the activity rollups." },
);
