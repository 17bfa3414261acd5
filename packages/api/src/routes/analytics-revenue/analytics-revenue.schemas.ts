import { z } from '@hono/zod-openapi';
import { isId } from '../../lib/ids.js';
import { named } from '../../lib/openapi.js';
import { GrowthQuery } from '../analytics-cohorts/analytics-cohorts.schemas.js';
import { MAX_REVENUE_DAYS, REVENUE_INTERVALS, type RevenueFigures, type RevenueReport } from '../../billing/revenue.js';

// The window and buckets of growth, read the same way (`checkWindow`), plus a tier filter.
export const RevenueQuery = GrowthQuery.extend({
  tier_id: z
    .string()
    .max(64)
    .refine((v) => isId(v, 'tier'), 'Must be a tier id (tier_…).')
    .optional()
    .openapi({
      description:
        'Only this tier: every figure counts the MRR members hold in it, and payments and refunds of subscriptions while in it.',
      example: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc',
    }),
});

const Amount = (description: string) => z.number().int().openapi({ description, example: 4900 });
const Count = (description: string) => z.number().int().openapi({ description, example: 3 });
const Movement = (what: string) =>
  z.object({ amount: Amount(`Minor units: ${what}.`), count: Count('How many.') }).openapi({ description: what });

const MovementsSchema = z
  .object({
    new: Movement('MRR of members whose MRR went from 0 to above 0 for the first time (count: members).'),
    expansion: Movement('MRR added by members whose MRR rose (count: member-days).'),
    contraction: Movement('MRR lost by members whose MRR fell but stayed above 0 (count: member-days).'),
    churned: Movement('MRR lost by members whose MRR fell to 0 (count: members churned).'),
    reactivated: Movement('MRR of members whose MRR went from 0 back above 0 after having had MRR before.'),
    net_amount: z
      .number()
      .int()
      .openapi({ description: '`new + expansion + reactivated − contraction − churned`, rounded from the exact sum.' }),
  })
  .openapi('RevenueMovements', {
    description:
      "MRR movements, classified once per member and local day by comparing the member's MRR (all subscriptions) at the end of the day with the end of the day before; a change undone within the day moves nothing.",
  });

const MoneyCount = z
  .object({ count: Count('How many.'), amount: Amount('Sum, minor units.') })
  .openapi('RevenueMoneyCount');

const FigureShape = {
  mrr_amount: Amount('Monthly recurring revenue at the end of the span (minor units, rounded half up).'),
  arr_amount: Amount('Annual recurring revenue at the end of the span: 12 × MRR, exact.'),
  movements: MovementsSchema,
  paying_members: Count('Members with MRR above 0 at the end of the span.'),
  arpu_amount: z.number().int().nullable().openapi({
    description: 'MRR / paying members at the end of the span; null without paying members.',
    example: 2450,
  }),
  ltv_amount: z.number().int().nullable().openapi({
    description:
      'ARPU / monthly churn rate, where the monthly churn rate is churned members / paying members at the start of the span, scaled to a month of 30.4375 days. Null when nobody churned (or nobody paid at the start or end).',
    example: 49000,
  }),
  trials_started: Count('Subscriptions that entered a trial.'),
  trial_conversions: Count('Subscriptions that went from `trialing` to `active`.'),
  payments: z
    .object({
      collected: MoneyCount.openapi({ description: 'Succeeded payment attempts.' }),
      failed: MoneyCount.openapi({
        description: 'Invoices whose first payment attempt failed in the span (amount: that attempt).',
      }),
      recovered: MoneyCount.openapi({
        description: 'Invoices paid in the span after a failed attempt (amount: the payment).',
      }),
    })
    .openapi('RevenuePayments'),
  refunds: MoneyCount.openapi({ description: 'Refunds made in the span (not failed or canceled).' }),
  net_revenue_amount: z.number().int().openapi({ description: 'Collected minus refunded.', example: 120000 }),
};

const TierFigures = z
  .object({
    tier_id: z.string(),
    tier_name: z.string().nullable().openapi({ description: 'Null for a tier since deleted.' }),
    ...FigureShape,
  })
  .openapi('RevenueTier');

const ByTier = z.array(TierFigures).openapi({
  description:
    "The same figures per tier, counting a member's MRR in each tier apart (moving from one tier to another is a decrease in the first and an increase in the second). Tiers with any revenue history, in display order.",
});

const EXAMPLE_FIGURES = {
  mrr_amount: 245000,
  arr_amount: 2940000,
  movements: {
    new: { amount: 14700, count: 3 },
    expansion: { amount: 4900, count: 2 },
    contraction: { amount: 2000, count: 1 },
    churned: { amount: 9800, count: 2 },
    reactivated: { amount: 4900, count: 1 },
    net_amount: 12700,
  },
  paying_members: 100,
  arpu_amount: 2450,
  ltv_amount: 122500,
  trials_started: 5,
  trial_conversions: 3,
  payments: {
    collected: { count: 98, amount: 240100 },
    failed: { count: 4, amount: 19600 },
    recovered: { count: 3, amount: 14700 },
  },
  refunds: { count: 1, amount: 4900 },
  net_revenue_amount: 235200,
};

export const RevenueSchema = named(
  z.object({
    object: z.literal('revenue'),
    from: z.string().openapi({ format: 'date' }),
    to: z.string().openapi({ format: 'date' }),
    interval: z.enum(REVENUE_INTERVALS),
    time_zone: z.string().openapi({ description: 'The tenant time zone every day boundary is in.' }),
    currency: z.string().openapi({ description: "The tenant's billing currency; every amount is in its minor units." }),
    tier_id: z.string().nullable().openapi({ description: 'The tier filter, if any.' }),
    skipped_other_currency: z.number().int().openapi({
      description:
        'Subscription changes, payment attempts and refunds up to the end of the window in another currency: left out of every figure.',
    }),
    mrr_at_start_amount: z.number().int().openapi({ description: 'MRR at the end of the day before `from`.' }),
    summary: z
      .object({ ...FigureShape, by_tier: ByTier })
      .openapi('RevenueSummary', { description: 'The whole window: levels at its end, flows over all of it.' }),
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
          by_tier: ByTier,
        })
        .openapi('RevenueBucket'),
    ),
  }),
  'Revenue',
  {
    object: 'revenue',
    from: '2026-11-01',
    to: '2026-11-30',
    interval: 'month',
    time_zone: 'Europe/Berlin',
    currency: 'eur',
    tier_id: null,
    skipped_other_currency: 0,
    mrr_at_start_amount: 232300,
    summary: { ...EXAMPLE_FIGURES, by_tier: [] },
    series: [{ period: '2026-11-01', start: '2026-11-01', end: '2026-11-30', ...EXAMPLE_FIGURES, by_tier: [] }],
  },
  { description: 'Revenue of a window of local days, in the tenant billing currency.' },
);

function figuresDto(f: RevenueFigures) {
  const m = f.movements;
  return {
    mrr_amount: f.mrrAmount,
    arr_amount: f.arrAmount,
    movements: {
      new: m.new,
      expansion: m.expansion,
      contraction: m.contraction,
      churned: m.churned,
      reactivated: m.reactivated,
      net_amount: m.netAmount,
    },
    paying_members: f.payingMembers,
    arpu_amount: f.arpuAmount,
    ltv_amount: f.ltvAmount,
    trials_started: f.trialsStarted,
    trial_conversions: f.trialConversions,
    payments: f.payments,
    refunds: f.refunds,
    net_revenue_amount: f.netRevenueAmount,
  };
}

const tiersDto = (rows: (RevenueFigures & { tierId: string; tierName: string | null })[]) =>
  rows.map((t) => ({ tier_id: t.tierId, tier_name: t.tierName, ...figuresDto(t) }));

/** The revenue answer. */
export function toRevenueDto(r: RevenueReport): z.infer<typeof RevenueSchema> {
  return {
    object: 'revenue',
    from: r.from,
    to: r.to,
    interval: r.interval,
    time_zone: r.timeZone,
    currency: r.currency,
    tier_id: r.tierId,
    skipped_other_currency: r.skippedOtherCurrency,
    mrr_at_start_amount: r.mrrAtStartAmount,
    summary: { ...figuresDto(r.summary), by_tier: tiersDto(r.summary.byTier) },
    series: r.series.map((b) => ({
      period: b.period,
      start: b.start,
      end: b.end,
      ...figuresDto(b),
      by_tier: tiersDto(b.byTier),
    })),
  };
}

export { MAX_REVENUE_DAYS };
