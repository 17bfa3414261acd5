import { z } from '@hono/zod-openapi';
import type { MeteredFeatureRow } from '../../billing/features.js';
import type { TierMeteredPriceRow } from '../../billing/metered-prices.js';
import type { UsageRecord, UsageSummary } from '../../billing/usage.js';

import { named, PaginationQuery } from '../../lib/openapi.js';
import { Timestamp } from '../../lib/schemas.js';

const FEATURE_ID = 'feat_01jdx3v4k7m9q2w8e5r6t0y1zc';
const TIER_ID = 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc';
const MEMBER_ID = 'mem_01jdx3v4k7m9q2w8e5r6t0y1zc';

/** Largest amount per unit or step, in minor units (Stripe's 8 digits). */
const MAX_AMOUNT = 99_999_999;
/** Largest unit count (the integer columns' range). */
const MAX_UNITS = 2_147_483_647;

const FeatureKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,59}$/, 'Lower-case letters, digits and _, starting with a letter, at most 60 characters.')
  .openapi({
    description: 'Stable key integrators record usage with. The Stripe meter event name is `mk_<key>`. Cannot change.',
    example: 'coworking_hours',
  });
const FeatureName = z.string().trim().min(1).max(100).openapi({ example: 'Coworking hours' });
const UnitLabel = z
  .string()
  .trim()
  .min(1)
  .max(30)
  .nullable()
  .openapi({ description: 'What one unit is called, for display.', example: 'hour' });
const Interval = z.enum(['month', 'year']).openapi({
  description: 'The subscription interval the price applies to (Stripe bills metered usage with the subscription).',
  example: 'month',
});

/** A metered feature (`MeteredFeature` component). */
export const MeteredFeatureSchema = named(
  z.object({
    id: z.string().openapi({ example: FEATURE_ID }),
    object: z.literal('metered_feature'),
    key: FeatureKey,
    name: FeatureName,
    unit_label: UnitLabel,
    stripe_meter_id: z
      .string()
      .nullable()
      .openapi({ description: 'The Stripe Billing Meter usage is sent to.', example: 'mtr_test_61Rk3w' }),
    meter_event_name: z.string().openapi({ example: 'mk_coworking_hours' }),
    archived: z.boolean(),
    archived_at: Timestamp.nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  }),
  'MeteredFeature',
  {
    id: FEATURE_ID,
    object: 'metered_feature',
    key: 'coworking_hours',
    name: 'Coworking hours',
    unit_label: 'hour',
    stripe_meter_id: 'mtr_test_61Rk3w',
    meter_event_name: 'mk_coworking_hours',
    archived: false,
    archived_at: null,
    created_at: '2026-11-27T09:30:00.000Z',
    updated_at: '2026-11-27T09:30:00.000Z',
  },
  { description: 'Something members are charged for by usage, backed by a Stripe Billing Meter.' },
);

export const CreateFeatureBody = z
  .strictObject({ key: FeatureKey, name: FeatureName, unit_label: UnitLabel.optional() })
  .openapi('CreateMeteredFeatureBody', {
    example: { key: 'coworking_hours', name: 'Coworking hours', unit_label: 'hour' },
  });

export const UpdateFeatureBody = z
  .strictObject({ name: FeatureName.optional(), unit_label: UnitLabel.optional() })
  .openapi('UpdateMeteredFeatureBody', { example: { name: 'Desk hours' } });

const QueryBoolean = () => z.enum(['true', 'false']).transform((value) => value === 'true');

export const ListFeaturesQuery = PaginationQuery.extend({
  include_archived: QueryBoolean()
    .default(false)
    .openapi({ type: 'boolean', default: false, description: 'Include archived features.', example: false }),
});

const Step = z
  .strictObject({
    up_to: z.number().int().min(1).max(MAX_UNITS).nullable().openapi({
      description:
        'Last unit of the step, counting every unit of the period (included ones too); null for the last, open-ended step.',
      example: 50,
    }),
    unit_amount: z.number().int().min(0).max(MAX_AMOUNT).openapi({
      description: 'Price per unit in this step, in minor units of the tenant currency.',
      example: 500,
    }),
    flat_amount: z.number().int().min(0).max(MAX_AMOUNT).optional().openapi({
      description: 'Charged once when usage reaches into the step.',
      example: 0,
    }),
  })
  .openapi('MeteredPriceStep');

export const PutMeteredPriceBody = z
  .strictObject({
    interval: Interval,
    included_units: z
      .number()
      .int()
      .min(0)
      .max(MAX_UNITS)
      .default(0)
      .openapi({ description: 'Units each period that cost nothing.', example: 10 }),
    steps: z.array(Step).min(1).max(10).openapi({
      description:
        'Graduated steps after the included units, in order; each `up_to` above the previous, the last `null`.',
    }),
  })
  .openapi('PutMeteredPriceBody', {
    example: {
      interval: 'month',
      included_units: 10,
      steps: [
        { up_to: 50, unit_amount: 500 },
        { up_to: null, unit_amount: 400 },
      ],
    },
  });

export const DeleteMeteredPriceQuery = z.object({
  interval: Interval.optional().openapi({ description: 'Only this interval; both when absent.' }),
});

/** A tier's price for a metered feature (`TierMeteredPrice` component). */
export const TierMeteredPriceSchema = named(
  z.object({
    id: z.string().openapi({ example: 'tmp_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
    object: z.literal('tier_metered_price'),
    tier_id: z.string().openapi({ example: TIER_ID }),
    feature_id: z.string().openapi({ example: FEATURE_ID }),
    interval: Interval,
    included_units: z.number().int(),
    steps: z.array(Step),
    currency: z.string().openapi({ example: 'eur' }),
    stripe_price_id: z.string().nullable().openapi({ example: 'price_1QxYz' }),
    created_at: Timestamp,
  }),
  'TierMeteredPrice',
  {
    id: 'tmp_01jdx3v4k7m9q2w8e5r6t0y1zc',
    object: 'tier_metered_price',
    tier_id: TIER_ID,
    feature_id: FEATURE_ID,
    interval: 'month',
    included_units: 10,
    steps: [
      { up_to: 50, unit_amount: 500 },
      { up_to: null, unit_amount: 400 },
    ],
    currency: 'eur',
    stripe_price_id: 'price_1QxYz',
    created_at: '2026-11-27T09:30:00.000Z',
  },
  { description: 'What a metered feature costs on a tier: included units, then graduated per-unit prices.' },
);

const TIER_METERED_PRICE_EXAMPLE = {
  id: 'tmp_01jdx3v4k7m9q2w8e5r6t0y1zc',
  object: 'tier_metered_price' as const,
  tier_id: TIER_ID,
  feature_id: FEATURE_ID,
  interval: 'month' as const,
  included_units: 10,
  steps: [
    { up_to: 50, unit_amount: 500 },
    { up_to: null, unit_amount: 400 },
  ],
  currency: 'eur',
  stripe_price_id: 'price_1QxYz',
  created_at: '2026-11-27T09:30:00.000Z',
};

export const TierMeteredPriceList = named(
  z.object({ object: z.literal('list'), data: z.array(TierMeteredPriceSchema) }),
  'TierMeteredPriceList',
  { object: 'list', data: [TIER_METERED_PRICE_EXAMPLE] },
  { description: "A tier's active metered prices." },
);

export const DeletedMeteredPriceSchema = named(
  z.object({
    object: z.literal('tier_metered_price'),
    tier_id: z.string(),
    feature_id: z.string(),
    deleted: z.literal(true),
  }),
  'DeletedTierMeteredPrice',
  { object: 'tier_metered_price', tier_id: TIER_ID, feature_id: FEATURE_ID, deleted: true },
  { description: 'Confirms a metered price was removed from a tier.' },
);

/** Body of `POST /v1/usage`. */
export const RecordUsageBody = z
  .strictObject({
    member_id: z.string().max(64).openapi({ example: MEMBER_ID }),
    feature: FeatureKey.openapi({ description: 'The metered feature’s key.' }),
    quantity: z
      .number()
      .int()
      .min(1)
      .max(MAX_UNITS)
      .openapi({ description: 'Units used, a positive integer.', example: 2 }),
    identifier: z.string().min(1).max(255).openapi({
      description:
        'Your unique id of this usage (a booking id, a UUID). Sending it again with the same values returns the stored record (200); with other values is a 409.',
      example: 'booking-2026-12-07-desk-4',
    }),
    timestamp: z.iso.datetime({ offset: true }).optional().openapi({
      description: 'When the usage happened: within the last 35 days and at most 5 minutes ahead. Now when absent.',
      example: '2026-12-07T09:00:00Z',
    }),
  })
  .openapi('RecordUsageBody', {
    example: { member_id: MEMBER_ID, feature: 'coworking_hours', quantity: 2, identifier: 'booking-2026-12-07-desk-4' },
  });

/** A recorded usage (`UsageRecord` component). */
export const UsageRecordSchema = named(
  z.object({
    id: z.string().openapi({ example: 'use_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
    object: z.literal('usage_record'),
    member_id: z.string(),
    feature: z.string().openapi({ description: 'The feature’s key.' }),
    feature_id: z.string(),
    quantity: z.number().int(),
    identifier: z.string(),
    timestamp: Timestamp,
    forward_status: z.enum(['pending', 'sent', 'failed', 'skipped']).openapi({
      description:
        '`pending` until sent to Stripe (`sent`); `skipped` when there is nothing to bill it to (the member has no Stripe customer); `failed` when Stripe refused it for good.',
    }),
    forwarded_at: Timestamp.nullable(),
    created_at: Timestamp,
  }),
  'UsageRecord',
  {
    id: 'use_01jdx3v4k7m9q2w8e5r6t0y1zc',
    object: 'usage_record',
    member_id: MEMBER_ID,
    feature: 'coworking_hours',
    feature_id: FEATURE_ID,
    quantity: 2,
    identifier: 'booking-2026-12-07-desk-4',
    timestamp: '2026-12-07T09:00:00.000Z',
    forward_status: 'pending',
    forwarded_at: null,
    created_at: '2026-12-07T09:00:01.000Z',
  },
  { description: 'Usage of a metered feature by a member, forwarded to Stripe once.' },
);

/** `GET /v1/me/billing/usage` (`UsageSummary` component). */
export const UsageSummarySchema = named(
  z.object({
    object: z.literal('usage_summary'),
    period_start: Timestamp,
    period_end: Timestamp,
    features: z.array(
      z.object({
        key: z.string(),
        name: z.string(),
        unit_label: z.string().nullable(),
        used: z.number().int().openapi({ description: 'Units recorded this period.' }),
        included: z.number().int().openapi({ description: 'Units included in the tier each period.' }),
        estimated_amount: z.number().int().openapi({
          description: 'What the usage so far costs under the tier’s price, in minor units (before tax and discounts).',
        }),
        currency: z.string(),
      }),
    ),
  }),
  'UsageSummary',
  {
    object: 'usage_summary',
    period_start: '2026-12-01T00:00:00.000Z',
    period_end: '2027-01-01T00:00:00.000Z',
    features: [
      {
        key: 'coworking_hours',
        name: 'Coworking hours',
        unit_label: 'hour',
        used: 14,
        included: 10,
        estimated_amount: 2000,
        currency: 'eur',
      },
    ],
  },
  { description: "The signed-in member's usage this billing period." },
);

export function toFeatureDto(row: MeteredFeatureRow): z.infer<typeof MeteredFeatureSchema> {
  return {
    id: row.id,
    object: 'metered_feature',
    key: row.key,
    name: row.name,
    unit_label: row.unitLabel,
    stripe_meter_id: row.stripeMeterId,
    meter_event_name: row.eventName,
    archived: row.archivedAt !== null,
    archived_at: row.archivedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export function toMeteredPriceDto(row: TierMeteredPriceRow): z.infer<typeof TierMeteredPriceSchema> {
  return {
    id: row.id,
    object: 'tier_metered_price',
    tier_id: row.tierId,
    feature_id: row.featureId,
    interval: row.interval,
    included_units: row.includedUnits,
    steps: row.steps,
    currency: row.currency,
    stripe_price_id: row.stripePriceId,
    created_at: row.createdAt.toISOString(),
  };
}

export function toUsageRecordDto(row: UsageRecord): z.infer<typeof UsageRecordSchema> {
  return {
    id: row.id,
    object: 'usage_record',
    member_id: row.memberId,
    feature: row.featureKey,
    feature_id: row.featureId,
    quantity: row.quantity,
    identifier: row.identifier,
    timestamp: row.occurredAt.toISOString(),
    forward_status: row.forwardStatus,
    forwarded_at: row.forwardedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

export function toUsageSummaryDto(summary: UsageSummary): z.infer<typeof UsageSummarySchema> {
  return {
    object: 'usage_summary',
    period_start: summary.periodStart.toISOString(),
    period_end: summary.periodEnd.toISOString(),
    features: summary.features.map((f) => ({
      key: f.key,
      name: f.name,
      unit_label: f.unitLabel,
      used: f.used,
      included: f.included,
      estimated_amount: f.estimatedAmount,
      currency: f.currency,
    })),
  };
}
