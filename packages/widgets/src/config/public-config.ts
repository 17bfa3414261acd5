import { createContext } from '@lit/context';
import type { components } from '@memberkit/sdk';

type Schemas = components['schemas'];

/** A custom field as the public config lists it (only fields visible to `public` or `members`). */
export type PublicField = Schemas['PublicField'];

/** A tier on offer; `free` ones can be chosen at sign-up, `available` is false when full. */
export type PublicTier = Schemas['PublicTier'];

/** Brand tokens of the public config (the API's `Branding`). */
export type PublicBranding = Schemas['Branding'];

/**
 * The tenant's public configuration (`GET /v1/public/config`): what the widgets need
 * to look and behave like the tenant's own.
 */
export type PublicConfig = Schemas['PublicConfig'];

/**
 * The config used until the tenant's has loaded, or when it cannot be loaded: the
 * API's defaults (sign-up with verification, magic links, no extras).
 */
export const fallbackConfig: Readonly<PublicConfig> = Object.freeze<PublicConfig>({
  object: 'public_config',
  tenant: { id: '', name: '', logo_url: null },
  branding: {
    color_primary: '#4f46e5',
    color_background: '#ffffff',
    color_text: '#111827',
    color_danger: '#b91c1c',
    font_family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    radius: 8,
    logo_url: null,
    dark_mode: 'light',
  },
  locale: { default: 'en', supported: ['en'] },
  auth: {
    signup_enabled: true,
    require_email_verification: true,
    password: true,
    magic_link: true,
    oidc_providers: [],
  },
  fields: [],
  tiers: [],
  directory: { enabled: false },
  consent: { required: false, terms_url: null, privacy_url: null },
  strings: {},
});

/**
 * Fills what an API response leaves out with {@link fallbackConfig}, so the widgets
 * can read every key without checks (and survive an API adding or renaming extras).
 */
export function normalizeConfig(raw: unknown): PublicConfig {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<PublicConfig> & Record<string, unknown>;
  const f = fallbackConfig;
  const tenant = { ...f.tenant, ...(r.tenant ?? {}) };
  const branding = { ...f.branding, ...(r.branding ?? {}) };
  return {
    object: 'public_config',
    tenant: { ...tenant, logo_url: tenant.logo_url ?? branding.logo_url ?? null },
    branding,
    locale: { ...f.locale, ...(r.locale ?? {}) },
    auth: { ...f.auth, ...(r.auth ?? {}), oidc_providers: r.auth?.oidc_providers ?? [] },
    fields: Array.isArray(r.fields) ? r.fields.map((field) => ({ ...field, options: field.options ?? [] })) : [],
    tiers: Array.isArray(r.tiers)
      ? r.tiers.map((tier) => ({
          ...tier,
          features: tier.features ?? [],
          free: tier.free ?? tier.interval === 'free',
          available: tier.available ?? true,
        }))
      : [],
    directory: { ...f.directory, ...(r.directory ?? {}) },
    consent: { ...f.consent, ...(r.consent ?? {}) },
    strings: r.strings ?? {},
  };
}

/** Context through which `<member-provider>` hands the tenant's public config to the elements inside. */
export const configContext = createContext<PublicConfig>(Symbol.for('memberkit.config'));
