import type { AppRouteHandler } from '../../lib/context.js';
import { sha256Hex } from '../../lib/crypto.js';
import { matchesEtag } from '../../lib/etag.js';
import { getPublicConfig, type PublicConfigData } from '../../services/public-config.js';
import { DEFAULT_BRANDING } from '../../services/tenants.js';
import type { getPublicConfigRoute } from './public.routes.js';
import type { PublicConfig } from './public.schemas.js';

/** The public configuration as browsers read it. */
function toPublicConfigDto({ tenant, fields, tiers, oidcProviders }: PublicConfigData): PublicConfig {
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
      oidc_providers: oidcProviders,
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
    tiers: tiers.map(({ tier, memberCount, prices }) => ({
      id: tier.id,
      name: tier.name,
      description: tier.description,
      description_translations: tier.descriptionTranslations,
      features: tier.features,
      price: { amount: tier.priceAmount, currency: tier.currency },
      interval: tier.interval,
      prices: prices.map((p) => ({ interval: p.interval, amount: p.amount, currency: p.currency })),
      trial_days: tier.trialDays,
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
}

export const getPublicConfigHandler: AppRouteHandler<typeof getPublicConfigRoute> = async (c) => {
  const { tenantId } = c.var.credential;
  const config = toPublicConfigDto(await getPublicConfig(c.var.deps, tenantId));
  const etag = `"${(await sha256Hex(JSON.stringify(config))).slice(0, 32)}"`;
  // Browsers may keep it, but must ask again each time (cheap with If-None-Match): branding changes show at once.
  const headers = { ETag: etag, 'Cache-Control': 'no-cache' };
  if (matchesEtag(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
  return c.json(config, 200, headers);
};
