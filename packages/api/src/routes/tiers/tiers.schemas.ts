import { z } from '@hono/zod-openapi';
import { named, PaginationQuery } from '../../lib/openapi.js';
import { LocaleTag, Timestamp } from '../../lib/schemas.js';
import { priceProblem, TIER_INTERVALS, type TierWithCount } from '../../services/tiers.js';

const TIER_ID_EXAMPLE = 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc';

/** Largest price in minor units: 8 digits, as card networks and Stripe allow. */
export const MAX_AMOUNT = 99_999_999;
/** `sort_order` is bounded so "after the last tier" (max + 1) can never overflow the integer column. */
export const MAX_SORT_ORDER = 1_000_000;
const MAX_CAPACITY = 2_147_483_647;

/**
 * ISO 4217 codes the runtime knows (`Intl`), lower-cased. Null where the runtime
 * cannot list them; the format check alone applies there.
 */
const KNOWN_CURRENCIES: ReadonlySet<string> | null = (() => {
  try {
    return new Set(Intl.supportedValuesOf('currency').map((code) => code.toLowerCase()));
  } catch {
    return null;
  }
})();

export const Currency = z
  .string()
  .regex(/^[a-z]{3}$/, 'Must be a lower-case ISO 4217 currency code such as eur.')
  .refine((code) => KNOWN_CURRENCIES === null || KNOWN_CURRENCIES.has(code), 'Unknown ISO 4217 currency code.')
  .openapi({ description: 'Three-letter ISO 4217 currency code, lower case.', example: 'eur' });

export const Amount = z.number().int().min(0).max(MAX_AMOUNT).openapi({
  description:
    "Price in the currency's minor unit (cents for eur): 1500 is €15.00. 0 for free tiers, above 0 otherwise.",
  example: 1500,
});

const Interval = z.enum(TIER_INTERVALS).openapi({
  description:
    'How often the price is charged: every `month`, every `year`, once (`one_time`), or never (`free`, amount 0).',
  example: 'month',
});

const Name = z.string().trim().min(1).max(100).openapi({ example: 'Supporter' });
const Description = z.string().max(1000).nullable().openapi({
  description: 'Shown to prospective members; plain text.',
  example: 'For those who want to give a little more.',
});
const MAX_TRANSLATIONS = 20;
/** `description` in other locales, as custom field labels are translated (a `CustomFieldLabel`-like map). */
const DescriptionTranslations = z
  .record(LocaleTag, z.string().trim().min(1).max(1000))
  .refine((texts) => Object.keys(texts).length <= MAX_TRANSLATIONS, `At most ${MAX_TRANSLATIONS} locales.`)
  .openapi({
    description:
      "`description` in other locales (BCP 47 tags such as `de`, `de-AT`): widgets show the visitor's locale, then its language, then `description`.",
    example: { de: 'Für alle, die etwas mehr geben möchten.' },
    maxProperties: MAX_TRANSLATIONS,
  });
const Features = z
  .array(z.string().trim().min(1).max(200))
  .max(50)
  .openapi({ description: 'Selling points, in display order.', example: ['Quarterly magazine', "Members' evenings"] });
const Capacity = z
  .number()
  .int()
  .min(1)
  .max(MAX_CAPACITY)
  .nullable()
  .openapi({ description: 'Most members the tier can hold; null for unlimited.', example: 250 });
const Active = z.boolean().openapi({
  description: 'Whether the tier is offered at sign-up. Inactive tiers can still be assigned by staff.',
  example: true,
});
const SortOrder = z
  .number()
  .int()
  .min(-MAX_SORT_ORDER)
  .max(MAX_SORT_ORDER)
  .openapi({ description: 'Display position: lists are ordered by `sort_order`, then id.', example: 10 });

const TrialDays = z.number().int().min(0).max(730).openapi({
  description: 'Free days before the first charge of a new subscription (0: none).',
  example: 14,
});

const PRICE_EXAMPLE = {
  id: 'tpr_01jdx3v4k7m9q2w8e5r6t0y1zc',
  interval: 'year',
  amount: 6000,
  currency: 'eur',
  stripe_price_id: 'price_1Q2w3E4r5T6y7U8i',
} as const;

/** One recurring price of a tier (`prices[]`). */
export const TierRecurringPriceSchema = z
  .object({
    id: z.string().openapi({ example: PRICE_EXAMPLE.id }),
    interval: z.enum(['month', 'year']).openapi({ example: 'year' }),
    amount: Amount,
    currency: Currency,
    stripe_price_id: z.string().nullable().openapi({
      description: 'The Stripe Price; null until the catalog is synced (billing not connected yet).',
      example: PRICE_EXAMPLE.stripe_price_id,
    }),
  })
  .openapi('TierRecurringPrice', { description: 'A price the tier is sold at, per month or per year.' });

/** `prices` of a create or update: one amount per recurring interval. */
const PricesInput = z
  .array(
    z.strictObject({
      interval: z.enum(['month', 'year']),
      amount: z.number().int().min(1).max(MAX_AMOUNT).openapi({ description: 'Minor units, above 0.', example: 6000 }),
    }),
  )
  .max(2)
  .refine((prices) => new Set(prices.map((p) => p.interval)).size === prices.length, 'One price per interval.')
  .openapi({
    description:
      "Monthly and/or yearly prices, in the tenant's billing currency. An unchanged amount keeps its price; a new amount archives the old price (subscribers keep it until migrated) and creates a new one; an interval left out is archived. Must include the tier's own `interval`.",
    example: [
      { interval: 'month', amount: 600 },
      { interval: 'year', amount: 6000 },
    ],
  });

/** `price` of a tier as returned. */
export const TierPriceSchema = z
  .object({ amount: Amount, currency: Currency })
  .openapi('TierPrice', { description: 'What the tier costs per interval.' });

/** A tier as the API returns it (`Tier` component). */
export const TierSchema = named(
  z.object({
    id: z.string().openapi({ example: TIER_ID_EXAMPLE }),
    object: z.literal('tier'),
    name: Name,
    description: Description,
    description_translations: DescriptionTranslations,
    features: z.array(z.string()).openapi({ example: ['Quarterly magazine', "Members' evenings"] }),
    price: TierPriceSchema,
    interval: Interval,
    capacity: Capacity,
    active: Active,
    sort_order: SortOrder,
    archived: z.boolean().openapi({
      description:
        'Archived tiers are kept for the members holding them but are hidden from lists by default and cannot be assigned.',
      example: false,
    }),
    archived_at: Timestamp.nullable().openapi({ description: 'When the tier was archived; null unless archived.' }),
    member_count: z
      .number()
      .int()
      .min(0)
      .openapi({ description: 'Members (not deleted) holding the tier now.', example: 42 }),
    prices: z.array(TierRecurringPriceSchema).openapi({
      description: 'The recurring prices members can subscribe at (month first); empty for free and one-time tiers.',
    }),
    trial_days: TrialDays,
    created_at: Timestamp,
    updated_at: Timestamp,
  }),
  'Tier',
  {
    id: TIER_ID_EXAMPLE,
    object: 'tier',
    name: 'Supporter',
    description: 'For those who want to give a little more.',
    description_translations: { de: 'Für alle, die etwas mehr geben möchten.' },
    features: ['Quarterly magazine', "Members' evenings"],
    price: { amount: 6000, currency: 'eur' },
    interval: 'year',
    capacity: 250,
    active: true,
    sort_order: 10,
    archived: false,
    archived_at: null,
    member_count: 42,
    prices: [PRICE_EXAMPLE],
    trial_days: 0,
    created_at: '2026-11-27T09:30:00.000Z',
    updated_at: '2026-11-27T09:30:00.000Z',
  },
  { description: 'A membership tier: what members can join, at what price, how many at most.' },
);

/** The answer to `DELETE /v1/tiers/{id}`, Stripe-style. */
export const DeletedTierSchema = named(
  z.object({
    id: z.string().openapi({ example: TIER_ID_EXAMPLE }),
    object: z.literal('tier'),
    deleted: z.literal(true),
  }),
  'DeletedTier',
  { id: TIER_ID_EXAMPLE, object: 'tier', deleted: true },
  { description: 'Confirms a tier was deleted.' },
);

/** Body of `POST /v1/tiers`; checks the price rule (free ⇔ amount 0) at `price.amount`. */
export const CreateTierBody = z
  .strictObject({
    name: Name,
    description: Description.optional(),
    description_translations: DescriptionTranslations.optional(),
    features: Features.optional(),
    price: z
      .strictObject({ amount: Amount, currency: Currency.default('eur') })
      .optional()
      .openapi({
        description:
          'Required unless `interval` is `free` or `prices` are given; `currency` defaults to eur. A monthly or yearly tier without `prices` is sold at this price per `interval`.',
      }),
    interval: Interval,
    capacity: Capacity.optional(),
    active: Active.optional(),
    sort_order: SortOrder.optional().openapi({ description: 'Display position; defaults to after the last tier.' }),
    prices: PricesInput.optional(),
    trial_days: TrialDays.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.prices !== undefined) {
      const own = body.prices.find((p) => p.interval === body.interval);
      if (body.interval !== 'month' && body.interval !== 'year') {
        if (body.prices.length > 0)
          ctx.addIssue({
            code: 'custom',
            path: ['prices'],
            message: `A tier billed "${body.interval}" has no recurring prices.`,
          });
      } else if (!own) {
        ctx.addIssue({
          code: 'custom',
          path: ['prices'],
          message: `Must include a price for the tier's interval "${body.interval}".`,
        });
      } else if (body.price !== undefined && body.price.amount !== own.amount) {
        ctx.addIssue({
          code: 'custom',
          path: ['price', 'amount'],
          message: `Differs from the "${body.interval}" price in prices.`,
        });
      }
      if (body.price === undefined) return;
    }
    if (body.interval !== 'free' && body.price === undefined) {
      ctx.addIssue({ code: 'custom', path: ['price'], message: `Required for a tier billed "${body.interval}".` });
      return;
    }
    const problem = priceProblem(body.interval, body.price?.amount ?? 0);
    if (problem) ctx.addIssue({ code: 'custom', path: ['price', 'amount'], message: problem });
  })
  .openapi('CreateTierBody', {
    example: {
      name: 'Supporter',
      interval: 'year',
      price: { amount: 6000, currency: 'eur' },
      features: ['Quarterly magazine'],
      capacity: null,
    },
  });

/** Body of `PATCH /v1/tiers/{id}`; the price rule is checked by the service, on the merged tier. */
export const UpdateTierBody = z
  .strictObject({
    name: Name.optional(),
    description: Description.optional(),
    description_translations: DescriptionTranslations.optional().openapi({
      description: 'Replaces every translation of `description`; `{}` removes them.',
    }),
    features: Features.optional(),
    price: z
      .strictObject({ amount: Amount.optional(), currency: Currency.optional() })
      .optional()
      .openapi({ description: 'Either or both of `amount` and `currency`. The new price applies to future charges.' }),
    interval: Interval.optional(),
    capacity: Capacity.optional().openapi({
      description: 'New capacity, or null for unlimited. Cannot be lowered below `member_count`.',
    }),
    active: Active.optional(),
    sort_order: SortOrder.optional(),
    archived: z.boolean().optional().openapi({
      description: '`true` archives the tier (members keep it, nobody new gets it); `false` restores it.',
      example: true,
    }),
    prices: PricesInput.optional(),
    trial_days: TrialDays.optional(),
  })
  .openapi('UpdateTierBody', { example: { archived: true } });

const QueryBoolean = () => z.enum(['true', 'false']).transform((value) => value === 'true');

/** Query of `GET /v1/tiers`: pagination plus filters. */
export const ListTiersQuery = PaginationQuery.extend({
  include_archived: QueryBoolean()
    .default(false)
    // Documented as a boolean (serialized `true`/`false`, OpenAPI's default style), which is what the transform accepts.
    .openapi({ type: 'boolean', default: false, description: 'Include archived tiers.', example: false }),
  active: QueryBoolean().optional().openapi({
    type: 'boolean',
    description: 'Only tiers that are (`true`) or are not (`false`) offered at sign-up; both when absent.',
  }),
});

/** The API representation of a tier. */
export function toTierDto(row: TierWithCount): z.infer<typeof TierSchema> {
  return {
    id: row.id,
    object: 'tier',
    name: row.name,
    description: row.description,
    description_translations: row.descriptionTranslations,
    features: row.features,
    price: { amount: row.priceAmount, currency: row.currency },
    interval: row.interval,
    capacity: row.capacity,
    active: row.active,
    sort_order: row.sortOrder,
    archived: row.archivedAt !== null,
    archived_at: row.archivedAt?.toISOString() ?? null,
    member_count: row.memberCount,
    prices: row.prices.map((p) => ({
      id: p.id,
      interval: p.interval,
      amount: p.amount,
      currency: p.currency,
      stripe_price_id: p.stripePriceId,
    })),
    trial_days: row.trialDays,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
