import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tenantIdColumn, tenantIsolationPolicy } from './roles.js';
import { tenants } from './tenants.js';
import { auditTimestamps, timestamptz } from './timestamps.js';

/** Membership tiers a tenant offers (free, monthly, yearly, one-time). */
export const tiers = pgTable(
  'tiers',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    /** `description` in other locales (BCP 47 tag → text), as custom field labels are; widgets pick the visitor's. */
    descriptionTranslations: jsonb('description_translations').$type<Record<string, string>>().notNull().default({}),
    features: jsonb('features').$type<string[]>().notNull().default([]),
    priceAmount: integer('price_amount').notNull().default(0),
    currency: text('currency').notNull().default('eur'),
    interval: text('interval', { enum: ['month', 'year', 'one_time', 'free'] }).notNull(),
    capacity: integer('capacity'),
    /** Free trial days before the first charge (paid tiers). */
    trialDays: integer('trial_days').notNull().default(0),
    /** The Stripe Product the tier's prices belong to (created by the catalog sync). */
    stripeProductId: text('stripe_product_id'),
    active: boolean('active').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
    archivedAt: timestamptz('archived_at'),
    ...auditTimestamps(),
  },
  (t) => [
    primaryKey({ name: 'tiers_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'tiers_tenant_fk', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    index('tiers_tenant_sort_idx').on(t.tenantId, t.sortOrder, t.id),
    check('tiers_price_nonnegative', sql`${t.priceAmount} >= 0`),
    check('tiers_trial_days_range', sql`${t.trialDays} between 0 and 730`),
    check('tiers_capacity_positive', sql`${t.capacity} is null or ${t.capacity} > 0`),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

export type TierRow = typeof tiers.$inferSelect;
