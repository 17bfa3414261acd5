import { desc, eq, lt } from 'drizzle-orm';
import type { PlatformScope, Tx } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import {
  tenants,
  type TenantAuthSettings,
  type TenantBranding,
  type TenantRow,
  type TenantSiteSettings,
} from '../db/schema/index.js';
import { ApiError, defineErrorCodes } from '../lib/errors.js';
import { canonicalTimeZone } from '../lib/time-zone.js';
import { validationError } from '../lib/validation.js';
import { insertApiKey } from './api-keys.js';
import { appendAudit, diffOf } from './audit.js';
import type { AuditContext } from './audit-context.js';
import type { ServiceDeps } from './service-deps.js';

/** A stored tenant. */
export type { TenantRow } from '../db/schema/index.js';

export const TenantErrors = defineErrorCodes({
  TENANT_NOT_FOUND: { status: 404, title: 'Tenant not found' },
  TENANT_SLUG_TAKEN: { status: 409, title: 'Tenant slug already taken' },
});

/** Branding a new tenant starts with: neutral, accessible contrast. */
export const DEFAULT_BRANDING: Required<TenantBranding> = {
  color_primary: '#4f46e5',
  color_background: '#ffffff',
  color_text: '#111827',
  color_danger: '#b91c1c',
  font_family: 'system-ui, sans-serif',
  radius: 8,
  logo_url: null,
  dark_mode: 'auto',
};

/** What a new tenant is made of; the time zone defaults to UTC. */
export interface NewTenant {
  name: string;
  slug: string;
  timeZone?: string;
}

export interface CreatedTenant {
  tenant: TenantRow;
  secretKey: string;
  publishableKey: string;
}

/**
 * Creates a tenant with an admin secret key and a publishable key, atomically:
 * either all three exist afterwards or none does.
 */
export async function createTenant(deps: ServiceDeps, input: NewTenant): Promise<CreatedTenant> {
  try {
    return await deps.db.withPlatform((tx, scope) => insertTenant(tx, scope, deps, input));
  } catch (error) {
    if (isUniqueViolation(error, 'tenants_slug_key')) {
      throw new ApiError(TenantErrors.TENANT_SLUG_TAKEN, `The slug "${input.slug}" is already taken; choose another.`);
    }
    throw error;
  }
}

/**
 * Inserts a tenant and its first two keys inside an open platform transaction,
 * leaving the transaction in the new tenant's scope (for callers that go on to
 * fill it, such as the demo seed).
 */
export async function insertTenant(
  tx: Tx,
  scope: PlatformScope,
  deps: Pick<ServiceDeps, 'clock' | 'ids'>,
  input: NewTenant,
): Promise<CreatedTenant> {
  const id = deps.ids.generate('tnt');
  const now = deps.clock.now();
  const [tenant] = await tx
    .insert(tenants)
    .values({
      id,
      name: input.name,
      slug: input.slug,
      branding: DEFAULT_BRANDING,
      ...(input.timeZone !== undefined ? { timeZone: requireTimeZone(input.timeZone) } : {}),
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await scope.enterTenant(id);
  const secret = await insertApiKey(tx, deps, id, { kind: 'secret', role: 'admin', name: 'Default secret key' });
  const publishable = await insertApiKey(tx, deps, id, { kind: 'publishable', name: 'Default publishable key' });
  return { tenant: tenant!, secretKey: secret.key, publishableKey: publishable.key };
}

/** All tenants, newest first (ids are time-ordered ULIDs). Platform operator only. */
export function listTenants(deps: ServiceDeps, page: { limit: number; afterId?: string }): Promise<TenantRow[]> {
  return deps.db.withPlatform((tx) =>
    tx
      .select()
      .from(tenants)
      .where(page.afterId ? lt(tenants.id, page.afterId) : undefined)
      .orderBy(desc(tenants.id))
      .limit(page.limit + 1),
  );
}

/** Finds a tenant by slug, across tenants. Platform operator only. */
export async function findTenantBySlug(deps: ServiceDeps, slug: string): Promise<TenantRow | null> {
  const [row] = await deps.db.withPlatform((tx) => tx.select().from(tenants).where(eq(tenants.slug, slug)));
  return row ?? null;
}

/** The tenant's own settings. */
export async function getTenant(deps: ServiceDeps, tenantId: string): Promise<TenantRow> {
  const [row] = await deps.db.withTenant(tenantId, (tx) => tx.select().from(tenants).where(eq(tenants.id, tenantId)));
  if (!row) throw new ApiError(TenantErrors.TENANT_NOT_FOUND, `No tenant ${tenantId}.`);
  return row;
}

export interface TenantPatch {
  name?: string;
  branding?: Partial<{ [K in keyof TenantBranding]: TenantBranding[K] | null }>;
  defaultLocale?: string;
  locales?: string[];
  allowedOrigins?: string[];
  authSettings?: TenantAuthSettings;
  siteSettings?: TenantSiteSettings;
  /** IANA name; stored in the spelling of the runtime's zone list. */
  timeZone?: string;
  /** Months raw activity events are kept (1–120); rollups are kept regardless. */
  activityRetentionMonths?: number;
  /** Engagement segment thresholds (events in the window); after the patch, `highlyActive` > `moderatelyActive` ≥ 1. */
  engagementThresholds?: { highlyActive?: number; moderatelyActive?: number };
}

/** Bounds of `activity_retention_months`. */
export const ACTIVITY_RETENTION_MONTHS = { min: 1, max: 120 } as const;

/** The thresholds a patch leaves, checked: integers, highly active above moderately active, which is at least 1. */
function engagementThresholdsAfter(
  current: TenantRow,
  patch: TenantPatch['engagementThresholds'],
): { high: number; moderate: number } {
  const high = patch?.highlyActive ?? current.engagementHighMin;
  const moderate = patch?.moderatelyActive ?? current.engagementModerateMin;
  const errors = [];
  if (!Number.isInteger(moderate) || moderate < 1 || moderate > 1_000_000)
    errors.push({
      field: 'analytics.engagement_thresholds.moderately_active',
      message: 'Must be a whole number from 1 to 1,000,000.',
    });
  if (!Number.isInteger(high) || high <= moderate || high > 1_000_000)
    errors.push({
      field: 'analytics.engagement_thresholds.highly_active',
      message: `Must be a whole number above moderately_active (${moderate}), at most 1,000,000.`,
    });
  if (errors.length > 0) throw validationError(errors);
  return { high, moderate };
}

/** The supported spelling of `name`, or 422 VALIDATION_FAILED naming `time_zone`. */
function requireTimeZone(name: string): string {
  const zone = canonicalTimeZone(name);
  if (zone === null)
    throw validationError([
      {
        field: 'time_zone',
        message: `"${name}" is not a supported IANA time zone; use a name such as "Europe/Berlin" or "UTC".`,
      },
    ]);
  return zone;
}

/**
 * Updates the tenant's settings. Branding is merged key by key (`null` resets a
 * key to its default), so a client can change one color without resending all.
 */
export async function updateTenant(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  patch: TenantPatch,
): Promise<TenantRow> {
  const timeZone = patch.timeZone === undefined ? undefined : requireTimeZone(patch.timeZone);
  return deps.db.withTenant(tenantId, async (tx) => {
    const [current] = await tx.select().from(tenants).where(eq(tenants.id, tenantId)).for('update');
    if (!current) throw new ApiError(TenantErrors.TENANT_NOT_FOUND, `No tenant ${tenantId}.`);
    const branding: TenantBranding = { ...DEFAULT_BRANDING, ...current.branding };
    for (const [key, value] of Object.entries(patch.branding ?? {}) as [keyof TenantBranding, unknown][]) {
      Object.assign(branding, { [key]: value === null ? DEFAULT_BRANDING[key] : value });
    }
    const locales = patch.locales ?? current.locales;
    const defaultLocale = patch.defaultLocale ?? current.defaultLocale;
    if (!locales.includes(defaultLocale)) {
      throw validationError([
        { field: 'locale.default', message: `Must be one of the supported locales (${locales.join(', ')}).` },
      ]);
    }
    const retention = patch.activityRetentionMonths;
    if (
      retention !== undefined &&
      (!Number.isInteger(retention) ||
        retention < ACTIVITY_RETENTION_MONTHS.min ||
        retention > ACTIVITY_RETENTION_MONTHS.max)
    )
      throw validationError([
        {
          field: 'analytics.activity_retention_months',
          message: `Must be a whole number of months from ${ACTIVITY_RETENTION_MONTHS.min} to ${ACTIVITY_RETENTION_MONTHS.max}.`,
        },
      ]);
    const thresholds =
      patch.engagementThresholds === undefined
        ? undefined
        : engagementThresholdsAfter(current, patch.engagementThresholds);
    const [updated] = await tx
      .update(tenants)
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.defaultLocale !== undefined ? { defaultLocale: patch.defaultLocale } : {}),
        ...(patch.locales !== undefined ? { locales: patch.locales } : {}),
        ...(patch.allowedOrigins !== undefined ? { allowedOrigins: patch.allowedOrigins } : {}),
        ...(timeZone !== undefined ? { timeZone } : {}),
        ...(retention !== undefined ? { activityRetentionMonths: retention } : {}),
        ...(thresholds !== undefined
          ? { engagementHighMin: thresholds.high, engagementModerateMin: thresholds.moderate }
          : {}),
        ...(patch.authSettings !== undefined
          ? { authSettings: { ...current.authSettings, ...patch.authSettings } }
          : {}),
        ...(patch.siteSettings !== undefined
          ? { siteSettings: mergeSiteSettings(current.siteSettings, patch.siteSettings) }
          : {}),
        branding,
        updatedAt: deps.clock.now(),
      })
      .where(eq(tenants.id, tenantId))
      .returning();
    const view = (r: TenantRow) => ({
      name: r.name,
      branding: r.branding,
      default_locale: r.defaultLocale,
      locales: r.locales,
      allowed_origins: r.allowedOrigins,
      auth: r.authSettings,
      site: r.siteSettings,
      time_zone: r.timeZone,
      analytics: {
        activity_retention_months: r.activityRetentionMonths,
        engagement_thresholds: { highly_active: r.engagementHighMin, moderately_active: r.engagementModerateMin },
      },
    });
    const diff = diffOf(view(current), view(updated!));
    if (Object.keys(diff).length > 0)
      await appendAudit(tx, deps, tenantId, ctx, [
        { action: 'tenant.updated', targetType: 'tenant', targetId: tenantId, diff },
      ]);
    return updated!;
  });
}

/**
 * Applies a settings patch section by section: keys given replace, keys left out
 * stay; string overrides replace per locale, so one locale's wording can change
 * without resending the others.
 */
function mergeSiteSettings(current: TenantSiteSettings, patch: TenantSiteSettings): TenantSiteSettings {
  const merged: TenantSiteSettings = { ...current };
  if (patch.directory) merged.directory = { ...current.directory, ...patch.directory };
  if (patch.consent) merged.consent = { ...current.consent, ...patch.consent };
  if (patch.strings) {
    const strings = { ...current.strings, ...patch.strings };
    for (const [locale, values] of Object.entries(strings))
      if (Object.keys(values).length === 0) delete strings[locale];
    merged.strings = strings;
  }
  return merged;
}
