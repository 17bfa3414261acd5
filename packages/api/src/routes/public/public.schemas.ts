import { z } from '@hono/zod-openapi';
import { LocaleTag, WebUrl } from '../../lib/schemas.js';
import { CustomFieldOptionSchema, LocalizedLabelSchema } from '../fields/fields.schemas.js';
import { BrandingSchema, ConsentSettingsSchema, StringOverrides } from '../tenant/tenant.schemas.js';
import { TierPriceSchema } from '../tiers/tiers.schemas.js';

/** A custom field as sign-up forms and profiles in the browser need it. */
export const PublicFieldSchema = z
  .object({
    key: z.string().openapi({ example: 'company_size' }),
    label: LocalizedLabelSchema,
    type: z.enum(['text', 'number', 'boolean', 'date', 'select', 'multi_select']),
    options: z.array(CustomFieldOptionSchema),
    required: z.boolean(),
    visibility: z.enum(['public', 'members']).openapi({ description: 'Staff-only fields are never listed here.' }),
    member_editable: z
      .boolean()
      .openapi({ description: 'Shown as an input at sign-up and in the profile; otherwise read-only.' }),
  })
  .openapi('PublicField');

/** A recurring price of a tier as offered to visitors (checkout takes the tier and the interval). */
const PublicTierPriceSchema = z
  .object({
    interval: z.enum(['month', 'year']),
    amount: z.number().int().openapi({ description: 'Minor units of `currency`.', example: 6000 }),
    currency: z.string().openapi({ example: 'eur' }),
  })
  .openapi('PublicTierPrice');

/** A tier as offered to visitors. */
export const PublicTierSchema = z
  .object({
    id: z.string().openapi({ example: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
    name: z.string(),
    description: z.string().nullable(),
    description_translations: z.record(z.string(), z.string()).openapi({
      description:
        "`description` by locale (BCP 47 tag): show the visitor's locale, then its language (`de` for `de-AT`), then `description`.",
      example: { de: 'Für alle, die etwas mehr geben möchten.' },
    }),
    features: z.array(z.string()),
    price: TierPriceSchema,
    interval: z.enum(['month', 'year', 'one_time', 'free']),
    prices: z.array(PublicTierPriceSchema).openapi({
      description: 'The recurring prices a member can subscribe at (month first); empty for free and one-time tiers.',
    }),
    trial_days: z.number().int().openapi({ description: 'Free days before the first charge (0: none).', example: 14 }),
    free: z.boolean().openapi({ description: 'Can be chosen at sign-up (paid tiers go through billing).' }),
    available: z.boolean().openapi({ description: 'False when the tier is at its capacity.' }),
  })
  .openapi('PublicTier');

/** Everything a widget needs to render a tenant's member site, in one cacheable response. */
export const PublicConfigSchema = z
  .object({
    object: z.literal('public_config'),
    tenant: z.object({ id: z.string(), name: z.string(), logo_url: WebUrl.nullable() }).openapi('PublicTenant'),
    branding: BrandingSchema,
    locale: z.object({ default: LocaleTag, supported: z.array(LocaleTag) }),
    auth: z
      .object({
        signup_enabled: z.boolean(),
        require_email_verification: z.boolean(),
        password: z.boolean().openapi({ description: 'Email and password sign-in (always offered).' }),
        magic_link: z.boolean().openapi({ description: 'Sign-in links by email.' }),
        oidc_providers: z.array(z.object({ id: z.string(), name: z.string() })).openapi({
          description: 'Enabled single sign-on providers; start one at `/v1/auth/oidc/{provider_id}/start`.',
        }),
      })
      .openapi('PublicAuthSettings'),
    fields: z
      .array(PublicFieldSchema)
      .openapi({ description: 'Custom fields visible to the public or to members, in order.' }),
    tiers: z.array(PublicTierSchema).openapi({ description: 'Active tiers, in order.' }),
    directory: z.object({ enabled: z.boolean() }),
    consent: ConsentSettingsSchema,
    strings: StringOverrides,
  })
  .openapi('PublicConfig', {
    example: {
      object: 'public_config',
      tenant: {
        id: 'tnt_01jdx3v4k7m9q2w8e5r6t0y1zc',
        name: 'Demo Association',
        logo_url: 'https://www.example.org/logo.svg',
      },
      branding: {
        color_primary: '#4f46e5',
        color_background: '#ffffff',
        color_text: '#111827',
        color_danger: '#b91c1c',
        font_family: 'Inter, system-ui, sans-serif',
        radius: 8,
        logo_url: 'https://www.example.org/logo.svg',
        dark_mode: 'auto',
      },
      locale: { default: 'en', supported: ['en', 'de'] },
      auth: {
        signup_enabled: true,
        require_email_verification: true,
        password: true,
        magic_link: true,
        oidc_providers: [{ id: 'oidc_01jdx3v4k7m9q2w8e5r6t0y1zc', name: 'Google' }],
      },
      fields: [
        {
          key: 'company',
          label: { en: 'Company', de: 'Firma' },
          type: 'text',
          options: [],
          required: false,
          visibility: 'members',
          member_editable: true,
        },
      ],
      tiers: [
        {
          id: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc',
          name: 'Friend',
          description: 'For everyone who wants to stay in touch.',
          description_translations: { de: 'Für alle, die in Verbindung bleiben möchten.' },
          features: ['Newsletter'],
          price: { amount: 0, currency: 'eur' },
          interval: 'free',
          prices: [],
          trial_days: 0,
          free: true,
          available: true,
        },
        {
          id: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zd',
          name: 'Supporter',
          description: 'For everyone who wants to give a little more.',
          description_translations: { de: 'Für alle, die etwas mehr geben möchten.' },
          features: ['Newsletter', 'Members-only events'],
          price: { amount: 600, currency: 'eur' },
          interval: 'month',
          prices: [
            { interval: 'month', amount: 600, currency: 'eur' },
            { interval: 'year', amount: 6000, currency: 'eur' },
          ],
          trial_days: 14,
          free: false,
          available: true,
        },
      ],
      directory: { enabled: false },
      consent: {
        required: true,
        terms_url: 'https://www.example.org/terms',
        privacy_url: 'https://www.example.org/privacy',
      },
      strings: { de: { 'signup.title': 'Werde Mitglied' } },
    },
  });

export type PublicConfig = z.infer<typeof PublicConfigSchema>;
