import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgPolicy, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { appRole, currentTenant, platformRole } from './roles.js';
import type { TenantAuthSettings } from './identity.js';
import { auditTimestamps } from './timestamps.js';

/** Branding tokens a tenant sets; widgets turn them into `--mk-*` CSS custom properties. */
export interface TenantBranding {
  color_primary?: string;
  color_background?: string;
  color_text?: string;
  color_danger?: string;
  font_family?: string;
  radius?: number;
  logo_url?: string | null;
  dark_mode?: 'light' | 'dark' | 'auto';
}

/**
 * What a tenant's public member site offers, beyond sign-in: the member
 * directory, the consent asked at sign-up, and its own wording of the widgets.
 */
export interface TenantSiteSettings {
  directory?: { enabled?: boolean };
  consent?: { required?: boolean; terms_url?: string | null; privacy_url?: string | null };
  /** Widget strings by locale and key, replacing the built-in wording. */
  strings?: Record<string, Record<string, string>>;
}

/**
 * Tenants: the organizations running their membership on Memberkit. Not a
 * tenant-owned table (it is the tenant), but still under RLS: the app role sees
 * only the row of its transaction's tenant; the platform role sees all.
 */
export const tenants = pgTable(
  'tenants',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    branding: jsonb('branding').$type<TenantBranding>().notNull().default({}),
    defaultLocale: text('default_locale').notNull().default('en'),
    locales: text('locales').array().notNull().default(sql`'{en}'::text[]`),
    allowedOrigins: text('allowed_origins').array().notNull().default(sql`'{}'::text[]`),
    authSettings: jsonb('auth_settings').$type<TenantAuthSettings>().notNull().default({}),
    siteSettings: jsonb('site_settings').$type<TenantSiteSettings>().notNull().default({}),
    /** IANA time zone (`Europe/Berlin`); day, week and month boundaries in the tenant's analytics fall in it. */
    timeZone: text('time_zone').notNull().default('UTC'),
    /** Raw activity events older than this many months are pruned by the retention job; rollups stay. */
    activityRetentionMonths: integer('activity_retention_months').notNull().default(13),
    /** Engagement segments: at least this many events in the window is "highly active"... */
    engagementHighMin: integer('engagement_high_min').notNull().default(20),
    /** ...at least this many "moderately active", fewer "low", none "dormant". */
    engagementModerateMin: integer('engagement_moderate_min').notNull().default(5),
    /**
     * The tenant's connected account on the platform's Stripe (Connect), kept when the
     * tenant switches to direct mode so switching back reuses it. On the tenant row (the
     * platform's own table) because Connect webhooks name only the account: the one
     * endpoint routes them to the tenant by this unique key.
     */
    stripeConnectAccountId: text('stripe_connect_account_id'),
    ...auditTimestamps(),
  },
  (t) => [
    uniqueIndex('tenants_slug_key').on(t.slug),
    uniqueIndex('tenants_stripe_connect_account_key')
      .on(t.stripeConnectAccountId)
      .where(sql`${t.stripeConnectAccountId} is not null`),
    index('tenants_created_at_id_idx').on(t.createdAt, t.id),
    check('tenants_slug_format', sql`${t.slug} ~ '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$'`),
    pgPolicy('tenant_self', {
      as: 'permissive',
      for: 'select',
      to: appRole,
      using: sql`${t.id} = ${currentTenant}`,
    }),
    pgPolicy('tenant_self_update', {
      as: 'permissive',
      for: 'update',
      to: appRole,
      using: sql`${t.id} = ${currentTenant}`,
      withCheck: sql`${t.id} = ${currentTenant}`,
    }),
    pgPolicy('platform_all', {
      as: 'permissive',
      for: 'all',
      to: platformRole,
      using: sql`true`,
      withCheck: sql`true`,
    }),
  ],
).enableRLS();

export type TenantRow = typeof tenants.$inferSelect;
