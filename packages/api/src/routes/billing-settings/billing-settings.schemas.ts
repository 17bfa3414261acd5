import { z } from '@hono/zod-openapi';
import type { TenantBillingStatus } from '../../billing/tenant-billing-status.js';
import type { MigrationResult } from '../../billing/migrate-subscribers.js';
import { named } from '../../lib/openapi.js';
import { WebUrl } from '../../lib/schemas.js';
import { Currency } from '../tiers/tiers.schemas.js';

const TIER_ID_EXAMPLE = 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc';

const Mode = z.enum(['connect', 'direct']).openapi({
  description:
    '`connect`: the tenant is a connected account of the platform (Stripe Connect). `direct`: the tenant stores its own restricted key.',
  example: 'connect',
});
const TaxBehavior = z.enum(['exclusive', 'inclusive']).openapi({
  description: 'Whether tier prices include tax (`inclusive`) or have it added (`exclusive`).',
  example: 'exclusive',
});
const GracePeriodDays = z
  .number()
  .int()
  .min(0)
  .max(90)
  .openapi({ description: 'Days a member whose payment failed keeps access before lapsing.', example: 7 });
const LapseTierId = z.string().min(1).max(64).nullable().openapi({
  description: 'Tier a lapsed member (unpaid or canceled) moves to; null sets them inactive instead.',
  example: TIER_ID_EXAMPLE,
});

const BLOCKERS = [
  'stripe',
  'stripe_account',
  'platform_key',
  'onboarding',
  'webhook_endpoint',
  'tier_prices',
  'stripe_unreachable',
] as const;

/** `GET /v1/tenant/billing`. */
export const TenantBillingSchema = named(
  z.object({
    object: z.literal('tenant_billing'),
    mode: Mode.nullable().openapi({ description: 'Null until billing is set up.' }),
    account_id: z.string().nullable().openapi({
      description: 'The Stripe account (`acct_…`) the tenant sells through.',
      example: 'acct_1Q2w3E4r5T6y7U8i',
    }),
    connected: z
      .boolean()
      .openapi({ description: 'An account is connected and the API can reach it (nothing but onboarding missing).' }),
    charges_enabled: z.boolean().openapi({ description: 'Stripe lets the account take charges.' }),
    currency: Currency,
    automatic_tax: z.boolean().openapi({ description: 'Stripe Tax computes taxes at checkout and on invoices.' }),
    tax_behavior: TaxBehavior,
    grace_period_days: GracePeriodDays,
    lapse_tier_id: LapseTierId,
    allow_cancel_now: z.boolean().openapi({ description: 'Members may cancel immediately, not only at period end.' }),
    allow_promotion_codes: z.boolean().openapi({ description: 'Checkout accepts promotion codes.' }),
    secret_key_hint: z.string().nullable().openapi({
      description: 'Direct mode: the last four characters of the stored key (the key itself is never returned).',
      example: 'x9Qz',
    }),
    webhook_endpoint_id: z.string().nullable().openapi({
      description: 'Direct mode: the webhook endpoint the API created in the account.',
      example: 'we_1Q2w3E4r5T6y7U8i',
    }),
    missing: z.array(z.enum(BLOCKERS)).openapi({
      description:
        'What still blocks selling: `stripe` (this server has no Stripe access), `stripe_account` (nothing connected), `platform_key` (Connect mode on a server without a platform key), `onboarding` (the account cannot take charges yet: follow `onboarding_url`), `webhook_endpoint`, `tier_prices` (prices not yet created in Stripe; retried automatically), `stripe_unreachable`. Empty when members can pay.',
      example: [],
    }),
    onboarding_url: z.string().nullable().openapi({
      description: 'Connect mode, while onboarding is unfinished: a short-lived Stripe link to finish it.',
      example: null,
    }),
  }),
  'TenantBilling',
  {
    object: 'tenant_billing',
    mode: 'connect',
    account_id: 'acct_1Q2w3E4r5T6y7U8i',
    connected: true,
    charges_enabled: true,
    currency: 'eur',
    automatic_tax: false,
    tax_behavior: 'exclusive',
    grace_period_days: 7,
    lapse_tier_id: null,
    allow_cancel_now: false,
    allow_promotion_codes: true,
    secret_key_hint: null,
    webhook_endpoint_id: null,
    missing: [],
    onboarding_url: null,
  },
  { description: "The tenant's connection to Stripe and its billing rules. Nothing secret." },
);

/** Body of `PUT /v1/tenant/billing`. */
export const UpdateTenantBillingBody = z
  .strictObject({
    mode: Mode.optional().openapi({ description: 'Required the first time.' }),
    secret_key: z
      .string()
      .regex(/^(rk|sk)_(test|live)_[A-Za-z0-9_]{8,}$/, 'Must be a Stripe restricted (rk_…) or secret (sk_…) key.')
      .max(255)
      .optional()
      .openapi({
        description:
          "Direct mode: a restricted key (`rk_…`) of the tenant's Stripe account. Verified with Stripe, stored sealed, never returned. Sending a new one replaces the key and the webhook endpoint.",
        example: 'rk_live_51Q2w3E4r5T6y7U8i',
      }),
    account_type: z
      .enum(['standard', 'express'])
      .optional()
      .openapi({ description: 'Connect mode: the kind of connected account created (default `standard`).' }),
    currency: Currency.optional().openapi({
      description: 'Currency of every price; changes only while no subscription is charged.',
    }),
    automatic_tax: z.boolean().optional(),
    tax_behavior: TaxBehavior.optional(),
    grace_period_days: GracePeriodDays.optional(),
    lapse_tier_id: LapseTierId.optional(),
    allow_cancel_now: z.boolean().optional(),
    allow_promotion_codes: z.boolean().optional(),
    return_url: WebUrl.optional().openapi({
      description: "Connect mode: where onboarding returns to (default: the tenant's first allowed origin).",
      example: 'https://www.example.org/admin/billing',
    }),
  })
  .openapi('UpdateTenantBillingBody', { example: { mode: 'connect', currency: 'eur', grace_period_days: 7 } });

/** Query of `GET /v1/tenant/billing`. */
export const TenantBillingQuery = z.object({
  return_url: WebUrl.optional().openapi({ description: 'Where an onboarding link returns to.' }),
});

/** The API representation of a tenant's billing. */
export function toTenantBillingDto(status: TenantBillingStatus): z.infer<typeof TenantBillingSchema> {
  const s = status.settings;
  return {
    object: 'tenant_billing',
    mode: status.mode,
    account_id: status.accountId,
    connected: status.connected,
    charges_enabled: status.chargesEnabled,
    currency: s?.currency ?? 'eur',
    automatic_tax: s?.automaticTax ?? false,
    tax_behavior: s?.taxBehavior ?? 'exclusive',
    grace_period_days: s?.gracePeriodDays ?? 7,
    lapse_tier_id: s?.lapseTierId ?? null,
    allow_cancel_now: s?.allowCancelNow ?? false,
    allow_promotion_codes: s?.allowPromotionCodes ?? true,
    secret_key_hint: s?.secretKeyHint ?? null,
    webhook_endpoint_id: s?.webhookEndpointId ?? null,
    missing: [...status.missing],
    onboarding_url: status.onboardingUrl,
  };
}

/** Body of `POST /v1/tiers/{id}/migrate-subscribers`. */
export const MigrateSubscribersBody = z
  .strictObject({
    interval: z.enum(['month', 'year']).optional().openapi({
      description: 'Only subscribers billed every `month` (or `year`); both when absent.',
      example: 'month',
    }),
    proration_behavior: z.enum(['create_prorations', 'none', 'always_invoice']).openapi({
      description:
        '`create_prorations`: the difference is credited or charged on the next invoice; `always_invoice`: invoiced now; `none`: the new price applies from the next period.',
      example: 'none',
    }),
  })
  .openapi('MigrateSubscribersBody', { example: { interval: 'month', proration_behavior: 'none' } });

/** Response of `POST /v1/tiers/{id}/migrate-subscribers`. */
export const SubscriberMigrationSchema = named(
  z.object({
    object: z.literal('subscriber_migration'),
    tier_id: z.string(),
    migrated: z.number().int().min(0).openapi({ description: 'Subscriptions moved to the current price.' }),
    failed: z
      .array(z.object({ subscription_id: z.string(), message: z.string() }))
      .openapi({ description: 'Subscriptions Stripe refused to move, with its reason; they keep their price.' }),
  }),
  'SubscriberMigration',
  { object: 'subscriber_migration', tier_id: TIER_ID_EXAMPLE, migrated: 12, failed: [] },
);

/** The API representation of a migration's outcome. */
export function toMigrationDto(tierId: string, result: MigrationResult): z.infer<typeof SubscriberMigrationSchema> {
  return {
    object: 'subscriber_migration',
    tier_id: tierId,
    migrated: result.migrated,
    failed: result.failed.map((f) => ({ subscription_id: f.subscriptionId, message: f.message })),
  };
}
