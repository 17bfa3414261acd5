import { and, asc, eq, isNull } from 'drizzle-orm';
import { oidcProviders, tenants, tiers } from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import { selectCustomFields } from './custom-fields.js';
import type { ServiceDeps } from './service-deps.js';
import { DEFAULT_BRANDING, TenantErrors } from './tenants.js';
import { memberCountColumn } from './tiers.js';
import type { PublicConfig } from '../routes/public/public.schemas.js';

/**
 * The tenant's public configuration, read in one transaction: what a browser on
 * the tenant's site may know. Staff-only fields, archived or inactive tiers,
 * disabled providers, keys and origins are left out.
 */
export async function getPublicConfig(deps: ServiceDeps, tenantId: string): Promise<PublicConfig> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, tenantId));
    if (!tenant) throw new ApiError(TenantErrors.TENANT_NOT_FOUND, `No tenant ${tenantId}.`);
    const fields = (await selectCustomFields(tx, tenantId)).filter((f) => f.visibility !== 'staff');
    const offered = await tx
      .select({ tier: tiers, memberCount: memberCountColumn })
      .from(tiers)
      .where(and(eq(tiers.tenantId, tenantId), eq(tiers.active, true), isNull(tiers.archivedAt)))
      .orderBy(asc(tiers.sortOrder), asc(tiers.id));
    const providers = await tx
      .select({ id: oidcProviders.id, name: oidcProviders.name })
      .from(oidcProviders)
      .where(and(eq(oidcProviders.tenantId, tenantId), eq(oidcProviders.enabled, true)))
      .orderBy(asc(oidcProviders.name), asc(oidcProviders.id));
    const branding = { ...DEFAULT_BRANDING, ...tenant.branding };
    const site = tenant.siteSettings;
    return {
      object: 'public_config',
      tenant: { id: tenant.id, name: tenant.name, logo_url: branding.logo_url ?? null },
      branding,
      locale: { default: tenant.defaultLocale, supported: tenant.locales },
      auth: {
        signup_enabled: tenant.authSettings.signup_enabled !== false,
        require_email_verification: tenant.authSettings.require_email_verification !== false,
        password: true,
        magic_link: tenant.authSettings.magic_link_enabled !== false,
        oidc_providers: providers,
      },
      fields: fields.map((f) => ({
        key: f.key,
        label: f.label,
        type: f.type,
        options: f.options,
        required: f.required,
        visibility: f.visibility as 'public' | 'members',
        member_editable: f.memberEditable,
      })),
      tiers: offered.map(({ tier, memberCount }) => ({
        id: tier.id,
        name: tier.name,
        description: tier.description,
        features: tier.features,
        price: { amount: tier.priceAmount, currency: tier.currency },
        interval: tier.interval,
        free: tier.interval === 'free',
        available: tier.capacity === null || memberCount < tier.capacity,
      })),
      directory: { enabled: site.directory?.enabled === true },
      consent: {
        required: site.consent?.required === true,
        terms_url: site.consent?.terms_url ?? null,
        privacy_url: site.consent?.privacy_url ?? null,
      },
      strings: site.strings ?? {},
    };
  });
}
