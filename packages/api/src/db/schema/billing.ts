import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { platformRole, tenantIdColumn, tenantIsolationPolicy } from './roles.js';
import { members } from './members.js';
import { tenants } from './tenants.js';
import { tiers } from './tiers.js';
import { auditTimestamps, timestamptz } from './timestamps.js';

/**
 * Billing mirrors Stripe: Stripe is the source of truth for money, these tables
 * are what verified webhooks and the reconciliation job last saw. Amounts are
 * integer minor units of `currency` (lower-case ISO 4217, as Stripe writes it).
 */

/** `connect`: the tenant is a connected account of the platform. `direct`: the tenant's own (restricted) key. */
export const BILLING_MODES = ['connect', 'direct'] as const;
export type BillingMode = (typeof BILLING_MODES)[number];

/** Recurring intervals a tier can be bought for. */
export const BILLING_INTERVALS = ['month', 'year'] as const;
export type BillingInterval = (typeof BILLING_INTERVALS)[number];

/** Stripe's subscription statuses, plus `comp` for a complimentary membership granted by staff (no Stripe object). */
export const SUBSCRIPTION_STATUSES = [
  'incomplete',
  'incomplete_expired',
  'trialing',
  'active',
  'past_due',
  'canceled',
  'unpaid',
  'paused',
  'comp',
] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** Stripe's invoice statuses. */
export const INVOICE_STATUSES = ['draft', 'open', 'paid', 'uncollectible', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** A tenant's connection to Stripe and its billing rules. One row per tenant; absent = billing not set up. */
export const tenantBilling = pgTable(
  'tenant_billing',
  {
    tenantId: tenantIdColumn(),
    mode: text('mode', { enum: BILLING_MODES }).notNull(),
    /** Connect: the connected account (`acct_…`). Direct: the account the key belongs to. */
    stripeAccountId: text('stripe_account_id'),
    /** Direct mode: the tenant's restricted key, sealed with the master key (context `stripe-key:<tenant>`). */
    sealedSecretKey: text('sealed_secret_key'),
    /** Last four characters of the key, to show which key is stored. */
    secretKeyHint: text('secret_key_hint'),
    /** Direct mode: the webhook endpoint the API created in the tenant's account, and its sealed signing secret. */
    webhookEndpointId: text('webhook_endpoint_id'),
    sealedWebhookSecret: text('sealed_webhook_secret'),
    currency: text('currency').notNull().default('eur'),
    /** Stripe Tax computes taxes on checkout and invoices. */
    automaticTax: boolean('automatic_tax').notNull().default(false),
    /** Whether tier prices include tax (`inclusive`) or have it added (`exclusive`). */
    taxBehavior: text('tax_behavior', { enum: ['exclusive', 'inclusive'] })
      .notNull()
      .default('exclusive'),
    /** Days a `past_due` member keeps access before lapsing. */
    gracePeriodDays: integer('grace_period_days').notNull().default(7),
    /** Where a lapsed (unpaid or canceled) member goes; null = status `inactive`, tier kept for the record. */
    lapseTierId: text('lapse_tier_id'),
    /** Whether members may cancel immediately (otherwise only at period end). */
    allowCancelNow: boolean('allow_cancel_now').notNull().default(false),
    allowPromotionCodes: boolean('allow_promotion_codes').notNull().default(true),
    ...auditTimestamps(),
  },
  (t) => [
    primaryKey({ name: 'tenant_billing_pkey', columns: [t.tenantId] }),
    foreignKey({ name: 'tenant_billing_tenant_fk', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
      'cascade',
    ),
    foreignKey({
      name: 'tenant_billing_lapse_tier_fk',
      columns: [t.tenantId, t.lapseTierId],
      foreignColumns: [tiers.tenantId, tiers.id],
    }),
    check('tenant_billing_grace_range', sql`${t.gracePeriodDays} between 0 and 90`),
    check(
      'tenant_billing_direct_key',
      sql`${t.mode} <> 'direct' or (${t.sealedSecretKey} is not null and ${t.secretKeyHint} is not null)`,
    ),
    tenantIsolationPolicy(t.tenantId),
    // Background jobs (reconciliation, usage forwarding) find the tenants with billing as the platform role.
    pgPolicy('billing_worker_read', { as: 'permissive', for: 'select', to: platformRole, using: sql`true` }),
  ],
).enableRLS();

/**
 * The Stripe Prices of a tier: one active row per (tier, interval). A price change
 * archives the row (and the Stripe Price) and adds a new one; subscribers keep
 * the old price until staff migrate them.
 */
export const tierPrices = pgTable(
  'tier_prices',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    tierId: text('tier_id').notNull(),
    interval: text('interval', { enum: BILLING_INTERVALS }).notNull(),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    stripeProductId: text('stripe_product_id'),
    /** Null until the catalog sync created it in Stripe. */
    stripePriceId: text('stripe_price_id'),
    active: boolean('active').notNull().default(true),
    archivedAt: timestamptz('archived_at'),
    ...auditTimestamps(),
  },
  (t) => [
    primaryKey({ name: 'tier_prices_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({
      name: 'tier_prices_tier_fk',
      columns: [t.tenantId, t.tierId],
      foreignColumns: [tiers.tenantId, tiers.id],
    }).onDelete('cascade'),
    uniqueIndex('tier_prices_active_key').on(t.tenantId, t.tierId, t.interval).where(sql`${t.active}`),
    uniqueIndex('tier_prices_stripe_key').on(t.tenantId, t.stripePriceId),
    check('tier_prices_amount_positive', sql`${t.amount} > 0`),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/** A member's Stripe Customer (created at their first checkout). */
export const billingCustomers = pgTable(
  'billing_customers',
  {
    tenantId: tenantIdColumn(),
    memberId: text('member_id').notNull(),
    stripeCustomerId: text('stripe_customer_id').notNull(),
    defaultPaymentMethodId: text('default_payment_method_id'),
    ...auditTimestamps(),
  },
  (t) => [
    primaryKey({ name: 'billing_customers_pkey', columns: [t.tenantId, t.memberId] }),
    foreignKey({
      name: 'billing_customers_member_fk',
      columns: [t.tenantId, t.memberId],
      foreignColumns: [members.tenantId, members.id],
    }).onDelete('cascade'),
    uniqueIndex('billing_customers_stripe_key').on(t.tenantId, t.stripeCustomerId),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/** Checkout Sessions the API opened (subscription or setup mode): links a completed session to its member. */
export const billingCheckouts = pgTable(
  'billing_checkouts',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    memberId: text('member_id').notNull(),
    mode: text('mode', { enum: ['subscription', 'setup'] }).notNull(),
    stripeSessionId: text('stripe_session_id'),
    tierPriceId: text('tier_price_id'),
    status: text('status', { enum: ['open', 'complete', 'expired'] })
      .notNull()
      .default('open'),
    url: text('url'),
    expiresAt: timestamptz('expires_at'),
    completedAt: timestamptz('completed_at'),
    ...auditTimestamps(),
  },
  (t) => [
    primaryKey({ name: 'billing_checkouts_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({
      name: 'billing_checkouts_member_fk',
      columns: [t.tenantId, t.memberId],
      foreignColumns: [members.tenantId, members.id],
    }).onDelete('cascade'),
    uniqueIndex('billing_checkouts_stripe_key').on(t.tenantId, t.stripeSessionId),
    index('billing_checkouts_member_idx').on(t.tenantId, t.memberId, t.createdAt),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/**
 * A member's paid (or complimentary) membership. `kind = 'stripe'` mirrors a
 * Stripe Subscription; `kind = 'comp'` is granted by staff, charges nothing and
 * ends at `comp_ends_at`. `stripe_synced_at` is the `created` time of the newest
 * Stripe state applied: an older event never overwrites a newer one.
 */
export const subscriptions = pgTable(
  'subscriptions',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    memberId: text('member_id').notNull(),
    kind: text('kind', { enum: ['stripe', 'comp'] }).notNull(),
    status: text('status', { enum: SUBSCRIPTION_STATUSES }).notNull(),
    tierId: text('tier_id').notNull(),
    /** The tier price subscribed to (null for a comp or a price this API did not create). */
    tierPriceId: text('tier_price_id'),
    stripeSubscriptionId: text('stripe_subscription_id'),
    stripeCustomerId: text('stripe_customer_id'),
    stripePriceId: text('stripe_price_id'),
    interval: text('interval', { enum: BILLING_INTERVALS }),
    /** Recurring amount per interval after discounts known at sync time, in minor units (0 for comps). */
    unitAmount: integer('unit_amount').notNull().default(0),
    quantity: integer('quantity').notNull().default(1),
    currency: text('currency').notNull(),
    currentPeriodStart: timestamptz('current_period_start'),
    currentPeriodEnd: timestamptz('current_period_end'),
    trialStart: timestamptz('trial_start'),
    trialEnd: timestamptz('trial_end'),
    cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
    cancelAt: timestamptz('cancel_at'),
    canceledAt: timestamptz('canceled_at'),
    endedAt: timestamptz('ended_at'),
    cancellationReason: text('cancellation_reason'),
    cancellationComment: text('cancellation_comment'),
    /** When the subscription became `past_due` (start of the grace period); null otherwise. */
    pastDueSince: timestamptz('past_due_since'),
    /** When the grace-period job lapsed the member for this past_due spell (it never lapses them twice); cleared when the spell ends. */
    graceLapsedAt: timestamptz('grace_lapsed_at'),
    compEndsAt: timestamptz('comp_ends_at'),
    defaultPaymentMethodId: text('default_payment_method_id'),
    latestInvoiceId: text('latest_invoice_id'),
    stripeSyncedAt: timestamptz('stripe_synced_at'),
    ...auditTimestamps(),
  },
  (t) => [
    primaryKey({ name: 'subscriptions_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({
      name: 'subscriptions_member_fk',
      columns: [t.tenantId, t.memberId],
      foreignColumns: [members.tenantId, members.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'subscriptions_tier_fk',
      columns: [t.tenantId, t.tierId],
      foreignColumns: [tiers.tenantId, tiers.id],
    }),
    uniqueIndex('subscriptions_stripe_key').on(t.tenantId, t.stripeSubscriptionId),
    index('subscriptions_member_idx').on(t.tenantId, t.memberId, t.createdAt),
    index('subscriptions_status_idx').on(t.tenantId, t.status, t.id),
    index('subscriptions_tier_idx').on(t.tenantId, t.tierId, t.id),
    check('subscriptions_stripe_has_id', sql`${t.kind} <> 'stripe' or ${t.stripeSubscriptionId} is not null`),
    check('subscriptions_amount_nonnegative', sql`${t.unitAmount} >= 0 and ${t.quantity} >= 0`),
    tenantIsolationPolicy(t.tenantId),
    // Grace-period and reconciliation jobs find subscriptions of every tenant as the platform role, then enter the tenant to change them.
    pgPolicy('billing_worker_read', { as: 'permissive', for: 'select', to: platformRole, using: sql`true` }),
  ],
).enableRLS();

/**
 * Append-only history of every change to a subscription's recurring revenue or
 * status: the ledger revenue analytics (MRR movements) is computed from. `amount`
 * per `interval_months` (1 or 12) is exact; MRR = amount × quantity / interval_months.
 */
export const subscriptionChanges = pgTable(
  'subscription_changes',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    subscriptionId: text('subscription_id').notNull(),
    memberId: text('member_id').notNull(),
    occurredAt: timestamptz('occurred_at').notNull(),
    statusBefore: text('status_before', { enum: SUBSCRIPTION_STATUSES }),
    statusAfter: text('status_after', { enum: SUBSCRIPTION_STATUSES }).notNull(),
    tierBefore: text('tier_before'),
    tierAfter: text('tier_after').notNull(),
    /** Recurring amount × quantity before and after, per `interval_months`; 0 when not paying (trial, comp, ended). */
    amountBefore: bigint('amount_before', { mode: 'number' }).notNull().default(0),
    intervalMonthsBefore: integer('interval_months_before').notNull().default(1),
    amountAfter: bigint('amount_after', { mode: 'number' }).notNull().default(0),
    intervalMonthsAfter: integer('interval_months_after').notNull().default(1),
    currency: text('currency').notNull(),
    /** The Stripe event that caused it (dedupes replays), or `comp:…`/`reconcile:…` for local causes. */
    cause: text('cause').notNull(),
  },
  (t) => [
    primaryKey({ name: 'subscription_changes_pkey', columns: [t.tenantId, t.id] }),
    uniqueIndex('subscription_changes_cause_key').on(t.tenantId, t.subscriptionId, t.cause),
    index('subscription_changes_time_idx').on(t.tenantId, t.occurredAt, t.id),
    check(
      'subscription_changes_interval',
      sql`${t.intervalMonthsBefore} in (1, 12) and ${t.intervalMonthsAfter} in (1, 12)`,
    ),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/** A line of an invoice as the portal shows it. */
export interface InvoiceLine {
  description: string;
  amount: number;
  proration: boolean;
  period_start: string | null;
  period_end: string | null;
}

/** Invoices of members, as Stripe last reported them. `id` is Stripe's (`in_…`). */
export const invoices = pgTable(
  'invoices',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    memberId: text('member_id').notNull(),
    subscriptionId: text('subscription_id'),
    status: text('status', { enum: INVOICE_STATUSES }).notNull(),
    number: text('number'),
    billingReason: text('billing_reason'),
    currency: text('currency').notNull(),
    subtotal: bigint('subtotal', { mode: 'number' }).notNull().default(0),
    tax: bigint('tax', { mode: 'number' }).notNull().default(0),
    total: bigint('total', { mode: 'number' }).notNull().default(0),
    amountDue: bigint('amount_due', { mode: 'number' }).notNull().default(0),
    amountPaid: bigint('amount_paid', { mode: 'number' }).notNull().default(0),
    amountRefunded: bigint('amount_refunded', { mode: 'number' }).notNull().default(0),
    attemptCount: integer('attempt_count').notNull().default(0),
    periodStart: timestamptz('period_start'),
    periodEnd: timestamptz('period_end'),
    hostedInvoiceUrl: text('hosted_invoice_url'),
    invoicePdf: text('invoice_pdf'),
    lines: jsonb('lines').$type<InvoiceLine[]>().notNull().default([]),
    paidAt: timestamptz('paid_at'),
    nextPaymentAttemptAt: timestamptz('next_payment_attempt_at'),
    stripeCreatedAt: timestamptz('stripe_created_at').notNull(),
    stripeSyncedAt: timestamptz('stripe_synced_at'),
    ...auditTimestamps(),
  },
  (t) => [
    primaryKey({ name: 'invoices_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({
      name: 'invoices_member_fk',
      columns: [t.tenantId, t.memberId],
      foreignColumns: [members.tenantId, members.id],
    }).onDelete('cascade'),
    index('invoices_member_idx').on(t.tenantId, t.memberId, t.stripeCreatedAt, t.id),
    index('invoices_time_idx').on(t.tenantId, t.stripeCreatedAt, t.id),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/** Payment attempts on invoices (succeeded and failed): dunning, failed and recovered payments. */
export const billingPayments = pgTable(
  'billing_payments',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    invoiceId: text('invoice_id').notNull(),
    memberId: text('member_id').notNull(),
    outcome: text('outcome', { enum: ['succeeded', 'failed'] }).notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    failureMessage: text('failure_message'),
    occurredAt: timestamptz('occurred_at').notNull(),
    /** The Stripe event id it came from: one row per event. */
    stripeEventId: text('stripe_event_id').notNull(),
  },
  (t) => [
    primaryKey({ name: 'billing_payments_pkey', columns: [t.tenantId, t.id] }),
    uniqueIndex('billing_payments_event_key').on(t.tenantId, t.stripeEventId),
    index('billing_payments_invoice_idx').on(t.tenantId, t.invoiceId, t.occurredAt),
    index('billing_payments_time_idx').on(t.tenantId, t.occurredAt, t.id),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/** Refunds (full or partial) of invoice payments. `id` is Stripe's (`re_…`). */
export const billingRefunds = pgTable(
  'billing_refunds',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    invoiceId: text('invoice_id').notNull(),
    memberId: text('member_id').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    reason: text('reason'),
    status: text('status').notNull(),
    stripeCreatedAt: timestamptz('stripe_created_at').notNull(),
    ...auditTimestamps(),
  },
  (t) => [
    primaryKey({ name: 'billing_refunds_pkey', columns: [t.tenantId, t.id] }),
    index('billing_refunds_invoice_idx').on(t.tenantId, t.invoiceId),
    index('billing_refunds_time_idx').on(t.tenantId, t.stripeCreatedAt, t.id),
    check('billing_refunds_amount_positive', sql`${t.amount} > 0`),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/**
 * A proration preview shown to a member before a tier or interval change. The
 * change is applied with the same `proration_date`, so the member pays exactly
 * `amount_due`; a preview is confirmed once and expires.
 */
export const billingPreviews = pgTable(
  'billing_previews',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    memberId: text('member_id').notNull(),
    subscriptionId: text('subscription_id').notNull(),
    tierPriceId: text('tier_price_id').notNull(),
    prorationDate: timestamptz('proration_date').notNull(),
    amountDue: bigint('amount_due', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    lines: jsonb('lines').$type<InvoiceLine[]>().notNull().default([]),
    expiresAt: timestamptz('expires_at').notNull(),
    confirmedAt: timestamptz('confirmed_at'),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'billing_previews_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({
      name: 'billing_previews_member_fk',
      columns: [t.tenantId, t.memberId],
      foreignColumns: [members.tenantId, members.id],
    }).onDelete('cascade'),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/** A graduated pricing step of a metered feature (Stripe's `tiers` with `tiers_mode: graduated`). */
export interface UsagePriceStep {
  /** Last unit of the step (inclusive); null = no upper bound. */
  up_to: number | null;
  unit_amount: number;
  flat_amount?: number;
}

/** Metered features a tenant charges by usage ("coworking hours"): one Stripe Billing Meter each. */
export const meteredFeatures = pgTable(
  'metered_features',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    /** Stable key integrators send usage with (`coworking_hours`). */
    key: text('key').notNull(),
    name: text('name').notNull(),
    unitLabel: text('unit_label'),
    /** The meter's `event_name` in Stripe. */
    eventName: text('event_name').notNull(),
    stripeMeterId: text('stripe_meter_id'),
    archivedAt: timestamptz('archived_at'),
    ...auditTimestamps(),
  },
  (t) => [
    primaryKey({ name: 'metered_features_pkey', columns: [t.tenantId, t.id] }),
    uniqueIndex('metered_features_key').on(t.tenantId, t.key),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/** A metered feature's price on one tier: included units, then per-unit (graduated) prices. */
export const tierMeteredPrices = pgTable(
  'tier_metered_prices',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    tierId: text('tier_id').notNull(),
    featureId: text('feature_id').notNull(),
    interval: text('interval', { enum: BILLING_INTERVALS }).notNull(),
    includedUnits: integer('included_units').notNull().default(0),
    /** Steps after the included units; the Stripe Price carries the included units as a free first step. */
    steps: jsonb('steps').$type<UsagePriceStep[]>().notNull(),
    currency: text('currency').notNull(),
    stripePriceId: text('stripe_price_id'),
    active: boolean('active').notNull().default(true),
    ...auditTimestamps(),
  },
  (t) => [
    primaryKey({ name: 'tier_metered_prices_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({
      name: 'tier_metered_prices_tier_fk',
      columns: [t.tenantId, t.tierId],
      foreignColumns: [tiers.tenantId, tiers.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'tier_metered_prices_feature_fk',
      columns: [t.tenantId, t.featureId],
      foreignColumns: [meteredFeatures.tenantId, meteredFeatures.id],
    }).onDelete('cascade'),
    uniqueIndex('tier_metered_prices_active_key')
      .on(t.tenantId, t.tierId, t.featureId, t.interval)
      .where(sql`${t.active}`),
    check('tier_metered_prices_included', sql`${t.includedUnits} >= 0`),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/**
 * Usage as recorded (`POST /v1/usage`), idempotent by `identifier`, and the
 * outbox that forwards each record to Stripe as a meter event exactly once:
 * the meter event carries `identifier`, so a retry after a crash is deduplicated
 * by Stripe too.
 */
export const usageRecords = pgTable(
  'usage_records',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    memberId: text('member_id').notNull(),
    featureId: text('feature_id').notNull(),
    identifier: text('identifier').notNull(),
    quantity: integer('quantity').notNull(),
    occurredAt: timestamptz('occurred_at').notNull(),
    forwardStatus: text('forward_status', { enum: ['pending', 'sent', 'failed', 'skipped'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamptz('next_attempt_at').notNull().default(sql`now()`),
    lastError: text('last_error'),
    forwardedAt: timestamptz('forwarded_at'),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'usage_records_pkey', columns: [t.tenantId, t.id] }),
    uniqueIndex('usage_records_identifier_key').on(t.tenantId, t.identifier),
    foreignKey({
      name: 'usage_records_member_fk',
      columns: [t.tenantId, t.memberId],
      foreignColumns: [members.tenantId, members.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'usage_records_feature_fk',
      columns: [t.tenantId, t.featureId],
      foreignColumns: [meteredFeatures.tenantId, meteredFeatures.id],
    }),
    index('usage_records_member_idx').on(t.tenantId, t.memberId, t.featureId, t.occurredAt),
    index('usage_records_pending_idx').on(t.tenantId, t.nextAttemptAt).where(sql`${t.forwardStatus} = 'pending'`),
    check('usage_records_quantity_positive', sql`${t.quantity} > 0`),
    tenantIsolationPolicy(t.tenantId),
    // The forwarder claims pending records of every tenant as the platform role.
    pgPolicy('usage_forwarder', {
      as: 'permissive',
      for: 'all',
      to: platformRole,
      using: sql`true`,
      withCheck: sql`true`,
    }),
  ],
).enableRLS();

/**
 * Stripe events received (the inbox and the processed-events table in one):
 * the webhook endpoint verifies, inserts (a duplicate id is dropped by the key)
 * and answers 2xx; a worker applies each row once.
 */
export const stripeEvents = pgTable(
  'stripe_events',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    type: text('type').notNull(),
    /** The object the event is about (`sub_…`, `in_…`, `cs_…`), for ordering per object. */
    objectId: text('object_id'),
    stripeCreatedAt: timestamptz('stripe_created_at').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    receivedAt: timestamptz('received_at').notNull().default(sql`now()`),
    processedAt: timestamptz('processed_at'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamptz('next_attempt_at').notNull().default(sql`now()`),
    lastError: text('last_error'),
  },
  (t) => [
    primaryKey({ name: 'stripe_events_pkey', columns: [t.tenantId, t.id] }),
    index('stripe_events_pending_idx').on(t.tenantId, t.nextAttemptAt).where(sql`${t.processedAt} is null`),
    tenantIsolationPolicy(t.tenantId),
    pgPolicy('billing_worker', {
      as: 'permissive',
      for: 'all',
      to: platformRole,
      using: sql`true`,
      withCheck: sql`true`,
    }),
  ],
).enableRLS();

export type TenantBillingRow = typeof tenantBilling.$inferSelect;
export type TierPriceRow = typeof tierPrices.$inferSelect;
export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type InvoiceRow = typeof invoices.$inferSelect;
export type UsageRecordRow = typeof usageRecords.$inferSelect;
