import { z } from '@hono/zod-openapi';
import type { TenantRow } from '../../services/tenants.js';
import { DEFAULT_BRANDING } from '../../services/tenants.js';
import { named } from '../../lib/openapi.js';
import { HexColor, LocaleTag, Origin, TimeZoneName, Timestamp, WebUrl } from '../../lib/schemas.js';

const FontFamily = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\w\s,'"-]+$/, 'Only letters, digits, spaces, commas, quotes and hyphens.')
  .openapi({ example: 'Inter, system-ui, sans-serif' });
const Radius = z.number().int().min(0).max(48).openapi({ description: 'Corner radius in CSS pixels.', example: 8 });
const DarkMode = z
  .enum(['light', 'dark', 'auto'])
  .openapi({ description: "`auto` follows the visitor's system setting." });

export const BrandingSchema = z
  .object({
    color_primary: HexColor,
    color_background: HexColor,
    color_text: HexColor,
    color_danger: HexColor,
    font_family: FontFamily,
    radius: Radius,
    logo_url: WebUrl.nullable(),
    dark_mode: DarkMode,
  })
  .openapi('Branding', { description: 'Brand tokens; widgets render them as `--mk-*` CSS custom properties.' });

const StringKey = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9_.-]{0,63}$/, 'A string key such as "signup.submit".')
  .openapi({ example: 'signup.submit' });

/** Widget wording a tenant replaces, by locale and string key. */
export const StringOverrides = z
  .record(LocaleTag, z.record(StringKey, z.string().max(500)))
  .refine((byLocale) => Object.keys(byLocale).length <= 20, 'At most 20 locales.')
  .refine(
    (byLocale) => Object.values(byLocale).every((strings) => Object.keys(strings).length <= 300),
    'At most 300 strings per locale.',
  )
  .openapi('StringOverrides', {
    description: "Replacements for the widgets' built-in wording, by locale and string key.",
    example: { en: { 'signup.title': 'Join the club' }, de: { 'signup.title': 'Werde Mitglied' } },
  });

export const DirectorySettingsSchema = z
  .object({
    enabled: z
      .boolean()
      .openapi({ description: 'Active members appear in the member directory (`GET /v1/directory`); default false.' }),
  })
  .openapi('DirectorySettings');

export const ConsentSettingsSchema = z
  .object({
    required: z.boolean().openapi({ description: 'Sign-up asks the member to accept the terms (`consent: true`).' }),
    terms_url: WebUrl.nullable(),
    privacy_url: WebUrl.nullable(),
  })
  .openapi('ConsentSettings');

export const AnalyticsSettingsSchema = z
  .object({
    activity_retention_months: z.number().int().openapi({
      description:
        'Raw activity events (timelines) older than this many months are deleted by the retention job; analytics rollups are kept. 1 to 120, default 13.',
      example: 13,
    }),
    engagement_thresholds: z
      .object({
        highly_active: z.number().int().openapi({
          description: 'Events in the window from which a member is highly active (default 20).',
          example: 20,
        }),
        moderately_active: z.number().int().openapi({
          description: 'Events from which a member is moderately active (default 5); fewer but at least one is low.',
          example: 5,
        }),
      })
      .openapi('EngagementThresholdSettings'),
  })
  .openapi('AnalyticsSettings', { description: 'Activity retention and engagement segment thresholds.' });

export const TenantSchema = named(
  z.object({
    id: z.string().openapi({ example: 'tnt_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
    object: z.literal('tenant'),
    name: z.string().openapi({ example: 'Demo Association' }),
    slug: z.string().openapi({ example: 'demo' }),
    branding: BrandingSchema,
    locale: z
      .object({ default: LocaleTag, supported: z.array(LocaleTag) })
      .openapi('LocaleSettings', { description: "Locale used when a visitor's own is not supported." }),
    allowed_origins: z
      .array(Origin)
      .openapi({ description: "Origins allowed to use the tenant's publishable keys from a browser." }),
    auth: z
      .object({
        require_email_verification: z
          .boolean()
          .openapi({ description: 'New members stay pending until they confirm their email (default true).' }),
        signup_enabled: z.boolean().openapi({ description: 'Members may sign themselves up (default true).' }),
        magic_link_enabled: z
          .boolean()
          .openapi({ description: 'Members may sign in with a link sent by email (default true).' }),
      })
      .openapi('TenantAuthSettings'),
    directory: DirectorySettingsSchema,
    consent: ConsentSettingsSchema,
    strings: StringOverrides,
    time_zone: TimeZoneName.openapi({
      description:
        "IANA time zone the tenant's days, weeks and months are counted in (analytics boundaries); default `UTC`.",
    }),
    analytics: AnalyticsSettingsSchema,
    created_at: Timestamp,
    updated_at: Timestamp,
  }),
  'Tenant',
  {
    id: 'tnt_01jdx3v4k7m9q2w8e5r6t0y1zc',
    object: 'tenant',
    name: 'Demo Association',
    slug: 'demo',
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
    allowed_origins: ['https://www.example.org'],
    auth: { require_email_verification: true, signup_enabled: true, magic_link_enabled: true },
    directory: { enabled: false },
    consent: {
      required: true,
      terms_url: 'https://www.example.org/terms',
      privacy_url: 'https://www.example.org/privacy',
    },
    strings: { de: { 'signup.title': 'Werde Mitglied' } },
    time_zone: 'Europe/Berlin',
    analytics: { activity_retention_months: 13, engagement_thresholds: { highly_active: 20, moderately_active: 5 } },
    created_at: '2026-11-27T09:30:00.000Z',
    updated_at: '2026-12-01T16:05:00.000Z',
  },
);

export const UpdateTenantBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    branding: z
      .strictObject({
        color_primary: HexColor.nullable().optional(),
        color_background: HexColor.nullable().optional(),
        color_text: HexColor.nullable().optional(),
        color_danger: HexColor.nullable().optional(),
        font_family: FontFamily.nullable().optional(),
        radius: Radius.nullable().optional(),
        logo_url: WebUrl.nullable().optional(),
        dark_mode: DarkMode.nullable().optional(),
      })
      .optional()
      .openapi({ description: 'Keys to change; `null` resets a key to its default.' }),
    locale: z
      .strictObject({ default: LocaleTag.optional(), supported: z.array(LocaleTag).min(1).max(20).optional() })
      .optional(),
    allowed_origins: z.array(Origin).max(50).optional(),
    auth: z
      .strictObject({
        require_email_verification: z.boolean().optional(),
        signup_enabled: z.boolean().optional(),
        magic_link_enabled: z.boolean().optional(),
      })
      .optional(),
    directory: z.strictObject({ enabled: z.boolean().optional() }).optional(),
    consent: z
      .strictObject({
        required: z.boolean().optional(),
        terms_url: WebUrl.nullable().optional(),
        privacy_url: WebUrl.nullable().optional(),
      })
      .optional(),
    strings: StringOverrides.optional().openapi({
      description: 'Replaces all overrides of each locale given; `{}` for a locale clears it.',
    }),
    time_zone: TimeZoneName.optional().openapi({
      description:
        'IANA time zone (`Intl.supportedValuesOf("timeZone")` or `UTC`); stored in the canonical spelling, so `europe/berlin` reads back as `Europe/Berlin`.',
    }),
    analytics: z
      .strictObject({
        activity_retention_months: z.number().int().min(1).max(120).optional(),
        engagement_thresholds: z
          .strictObject({
            highly_active: z.number().int().min(2).max(1_000_000).optional(),
            moderately_active: z.number().int().min(1).max(1_000_000).optional(),
          })
          .optional()
          .openapi({
            description:
              'Either or both; after the change `highly_active` must stay above `moderately_active` (422 naming the field).',
          }),
      })
      .optional(),
  })
  .openapi('UpdateTenantBody', {
    example: {
      name: 'Demo Association e.V.',
      branding: { color_primary: '#0f766e', logo_url: null },
      locale: { default: 'de', supported: ['de', 'en'] },
      strings: { de: { 'signup.title': 'Werde Mitglied' } },
      time_zone: 'Europe/Berlin',
      analytics: { activity_retention_months: 24, engagement_thresholds: { highly_active: 12 } },
    },
  });

export function toTenantDto(row: TenantRow): z.infer<typeof TenantSchema> {
  return {
    id: row.id,
    object: 'tenant',
    name: row.name,
    slug: row.slug,
    branding: { ...DEFAULT_BRANDING, ...row.branding },
    locale: { default: row.defaultLocale, supported: row.locales },
    allowed_origins: row.allowedOrigins,
    auth: {
      require_email_verification: row.authSettings.require_email_verification !== false,
      signup_enabled: row.authSettings.signup_enabled !== false,
      magic_link_enabled: row.authSettings.magic_link_enabled !== false,
    },
    directory: { enabled: row.siteSettings.directory?.enabled === true },
    consent: {
      required: row.siteSettings.consent?.required === true,
      terms_url: row.siteSettings.consent?.terms_url ?? null,
      privacy_url: row.siteSettings.consent?.privacy_url ?? null,
    },
    strings: row.siteSettings.strings ?? {},
    time_zone: row.timeZone,
    analytics: {
      activity_retention_months: row.activityRetentionMonths,
      engagement_thresholds: { highly_active: row.engagementHighMin, moderately_active: row.engagementModerateMin },
    },
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
