import { z } from '@hono/zod-openapi';
import { isId } from '../../lib/ids.js';
import { named } from '../../lib/openapi.js';
import { isLocalDate } from '../../lib/time-zone.js';
import { labelOf, type LabelLocale } from '../../services/analytics-labels.js';
import {
  GROWTH_INTERVALS,
  GROWTH_STATUSES,
  MEMBER_SOURCES,
  type GrowthFigures,
  type GrowthReport,
  type StatusCounts,
} from '../../services/analytics-growth.js';
import { MAX_RETENTION_PERIODS, RETENTION_GRAINS, type RetentionReport } from '../../services/analytics-retention.js';

const LocalDate = (description: string, example: string) =>
  z
    .string()
    .refine(isLocalDate, 'Must be a calendar date written YYYY-MM-DD.')
    .openapi({ description, example, format: 'date' });

export const GrowthQuery = z.object({
  from: LocalDate(
    'First local day of the window (tenant time zone), included. Default: 30 days, 12 weeks or 12 months before `to`, by `interval`, starting a whole week or month.',
    '2026-01-01',
  ).optional(),
  to: LocalDate(
    'Last local day of the window, included. Default: today in the tenant time zone.',
    '2026-12-31',
  ).optional(),
  interval: z.enum(GROWTH_INTERVALS).default('month').openapi({
    description: 'Bucket size: local days, ISO weeks (Monday first) or calendar months.',
    example: 'month',
  }),
});

export const RetentionQuery = z.object({
  cohort: z
    .enum(RETENTION_GRAINS)
    .default('month')
    .openapi({ description: 'Cohorts and periods: local ISO weeks or calendar months.', example: 'month' }),
  periods: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_RETENTION_PERIODS)
    .default(12)
    .openapi({
      description: `How many cohorts, ending with the current one (1 to ${MAX_RETENTION_PERIODS}); each shows the periods since it joined.`,
      example: 12,
    }),
  tier_id: z
    .string()
    .max(64)
    .refine((v) => v === 'none' || isId(v, 'tier'), 'Must be a tier id (tier_…) or none.')
    .optional()
    .openapi({
      description:
        'Only members who joined with this tier (`none`: joined without a tier). Churn counts members who held the tier when they left.',
      example: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc',
    }),
});

const Count = z.number().int();
const Members = z
  .object({
    pending: Count,
    active: Count,
    inactive: Count,
    suspended: Count,
    total: Count.openapi({ description: 'Sum of the four statuses (deleted members are not counted).' }),
  })
  .openapi('GrowthMembers', { description: 'Members per status at the end of the span (deleted members excluded).' });

const FigureShape = {
  new: Count.openapi({ description: 'Members who joined (created, imported, signed up, invited, OIDC).' }),
  churned: Count.openapi({
    description: 'Members who went from pending or active to inactive or suspended, or were deleted while so.',
  }),
  reactivated: Count.openapi({
    description: 'Members who went back to pending or active, or were restored in one of those statuses.',
  }),
  net: z.number().int().openapi({ description: '`new − churned + reactivated`.' }),
  members: Members,
};

const StatusLabel = z.object({ status: z.enum(GROWTH_STATUSES), label: z.string() }).openapi('GrowthStatusLabel');

const EXAMPLE_MEMBERS = { pending: 12, active: 840, inactive: 95, suspended: 3, total: 950 };
const EXAMPLE_FIGURES = { new: 42, churned: 9, reactivated: 2, net: 35, members: EXAMPLE_MEMBERS };

export const GrowthSchema = named(
  z.object({
    object: z.literal('growth'),
    from: z.string().openapi({ format: 'date' }),
    to: z.string().openapi({ format: 'date' }),
    interval: z.enum(GROWTH_INTERVALS),
    time_zone: z.string().openapi({ description: 'The tenant time zone every day boundary is in.' }),
    members_at_start: Members.openapi({ description: 'Members per status at the end of the day before `from`.' }),
    summary: z.object(FigureShape).openapi('GrowthSummary', { description: 'The whole window.' }),
    statuses: z.array(StatusLabel).openapi({ description: 'The statuses counted in `members`, labelled.' }),
    series: z.array(
      z
        .object({
          period: z.string().openapi({
            format: 'date',
            description: "The bucket's calendar start: the day, the week's Monday or the month's 1st.",
          }),
          start: z.string().openapi({ format: 'date', description: 'First day of the bucket inside the window.' }),
          end: z.string().openapi({ format: 'date', description: 'Last day of the bucket inside the window.' }),
          ...FigureShape,
          by_tier: z
            .array(
              z
                .object({
                  tier_id: z.string().nullable().openapi({ description: 'Null: members without a tier.' }),
                  tier_name: z
                    .string()
                    .nullable()
                    .openapi({ description: 'Null for no tier or a tier since deleted.' }),
                  ...FigureShape,
                })
                .openapi('GrowthTier'),
            )
            .openapi({
              description:
                'By the tier members held at the time (a tier change moves a member from one tier to the other, without joining or churning). Tiers with members or movement in the answer, in display order; no tier last.',
            }),
          by_source: z
            .array(
              z
                .object({
                  source: z.enum(MEMBER_SOURCES),
                  label: z.string().openapi({ description: "The source's name in the request's locale." }),
                  ...FigureShape,
                })
                .openapi('GrowthSource'),
            )
            .openapi({ description: 'By how members came: every source, always in the same order.' }),
        })
        .openapi('GrowthBucket'),
    ),
  }),
  'Growth',
  {
    object: 'growth',
    from: '2026-11-01',
    to: '2026-11-30',
    interval: 'month',
    time_zone: 'Europe/Berlin',
    members_at_start: { pending: 10, active: 805, inactive: 93, suspended: 3, total: 911 },
    summary: EXAMPLE_FIGURES,
    statuses: [
      { status: 'pending', label: 'Pending' },
      { status: 'active', label: 'Active' },
      { status: 'inactive', label: 'Inactive' },
      { status: 'suspended', label: 'Suspended' },
    ],
    series: [
      {
        period: '2026-11-01',
        start: '2026-11-01',
        end: '2026-11-30',
        ...EXAMPLE_FIGURES,
        by_tier: [
          {
            tier_id: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc',
            tier_name: 'Supporter',
            ...EXAMPLE_FIGURES,
          },
        ],
        by_source: [{ source: 'signup', label: 'Sign-up', ...EXAMPLE_FIGURES }],
      },
    ],
  },
  {
    description:
      'Membership growth per bucket of the window, in the tenant time zone. A week or month only partly inside the window counts only its days inside (`start`, `end`).',
  },
);

export const RetentionSchema = named(
  z.object({
    object: z.literal('retention'),
    cohort: z.enum(RETENTION_GRAINS),
    periods: z.number().int(),
    tier_id: z.string().nullable().openapi({ description: 'The join tier filter (`none`, or null for all).' }),
    time_zone: z.string(),
    current_period: z.string().openapi({ format: 'date', description: 'The week or month today is in.' }),
    cohorts: z.array(
      z
        .object({
          cohort: z.string().openapi({ format: 'date', description: 'Start of the week or month members joined in.' }),
          size: Count.openapi({ description: 'Members created in it (deleted and erased ones included).' }),
          retention: z
            .array(
              z
                .object({
                  offset: Count.openapi({ description: 'Periods since the cohort: 0 is the cohort itself.' }),
                  period: z.string().openapi({ format: 'date' }),
                  retained: Count.openapi({ description: 'Members of the cohort with any activity in the period.' }),
                  share: z.number().openapi({ description: '`retained / size`, 4 decimals (0 for an empty cohort).' }),
                })
                .openapi('RetentionCell'),
            )
            .openapi({ description: 'One cell per period that has begun (the current one included).' }),
        })
        .openapi('RetentionCohort'),
    ),
    average: z
      .array(
        z
          .object({
            offset: Count,
            cohorts: Count.openapi({ description: 'Cohorts that have reached this offset.' }),
            size: Count,
            retained: Count,
            share: z.number().openapi({ description: 'Retained over size of those cohorts, 4 decimals.' }),
          })
          .openapi('RetentionAverage'),
      )
      .openapi({ description: 'Per offset, over every cohort that has reached it (weighted by size).' }),
    churn: z
      .array(
        z
          .object({
            period: z.string().openapi({ format: 'date' }),
            churned: Count.openapi({
              description:
                'Members who went from pending or active to inactive or suspended, or were deleted while so, in the period.',
            }),
            members_at_start: Count.openapi({ description: 'Pending and active members when the period began.' }),
            rate: z.number().openapi({ description: '`churned / members_at_start`, 4 decimals (0 when none).' }),
          })
          .openapi('ChurnPeriod'),
      )
      .openapi({ description: 'The same periods as the cohorts, oldest first.' }),
  }),
  'Retention',
  {
    object: 'retention',
    cohort: 'month',
    periods: 2,
    tier_id: null,
    time_zone: 'Europe/Berlin',
    current_period: '2026-12-01',
    cohorts: [
      {
        cohort: '2026-11-01',
        size: 40,
        retention: [
          { offset: 0, period: '2026-11-01', retained: 36, share: 0.9 },
          { offset: 1, period: '2026-12-01', retained: 22, share: 0.55 },
        ],
      },
      { cohort: '2026-12-01', size: 12, retention: [{ offset: 0, period: '2026-12-01', retained: 9, share: 0.75 }] },
    ],
    average: [
      { offset: 0, cohorts: 2, size: 52, retained: 45, share: 0.8654 },
      { offset: 1, cohorts: 1, size: 40, retained: 22, share: 0.55 },
    ],
    churn: [
      { period: '2026-11-01', churned: 6, members_at_start: 800, rate: 0.0075 },
      { period: '2026-12-01', churned: 2, members_at_start: 828, rate: 0.0024 },
    ],
  },
  {
    description:
      'Sign-up cohorts × periods since joining (tenant time zone): a member is retained in a period when they have any activity in it.',
  },
);

function membersDto(m: StatusCounts) {
  return { pending: m.pending, active: m.active, inactive: m.inactive, suspended: m.suspended, total: m.total };
}

function figuresDto(f: GrowthFigures) {
  return { new: f.new, churned: f.churned, reactivated: f.reactivated, net: f.net, members: membersDto(f.members) };
}

/** The growth answer, labelled in `locale`. */
export function toGrowthDto(report: GrowthReport, locale: LabelLocale): z.input<typeof GrowthSchema> {
  return {
    object: 'growth',
    from: report.from,
    to: report.to,
    interval: report.interval,
    time_zone: report.timeZone,
    members_at_start: membersDto(report.startMembers),
    summary: figuresDto(report.summary),
    statuses: GROWTH_STATUSES.map((status) => ({ status, label: labelOf('member_status', status, locale) })),
    series: report.series.map((b) => ({
      period: b.period,
      start: b.start,
      end: b.end,
      ...figuresDto(b),
      by_tier: b.byTier.map((t) => ({ tier_id: t.tierId, tier_name: t.tierName, ...figuresDto(t) })),
      by_source: b.bySource.map((s) => ({
        source: s.source,
        label: labelOf('member_source', s.source, locale),
        ...figuresDto(s),
      })),
    })),
  };
}

/** The retention answer. */
export function toRetentionDto(report: RetentionReport): z.input<typeof RetentionSchema> {
  return {
    object: 'retention',
    cohort: report.grain,
    periods: report.periods,
    tier_id: report.tierKey === undefined ? null : report.tierKey === '' ? 'none' : report.tierKey,
    time_zone: report.timeZone,
    current_period: report.currentPeriod,
    cohorts: report.cohorts,
    average: report.average,
    churn: report.churn.map((c) => ({
      period: c.period,
      churned: c.churned,
      members_at_start: c.membersAtStart,
      rate: c.rate,
    })),
  };
}
