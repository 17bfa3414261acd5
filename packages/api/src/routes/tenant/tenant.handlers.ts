import type { AppRouteHandler } from '../../lib/context.js';
import { auditContextOf } from '../audit-context.js';
import { getTenant, updateTenant } from '../../services/tenants.js';
import type { getTenantRoute, updateTenantRoute } from './tenant.routes.js';
import { toTenantDto } from './tenant.schemas.js';

export const getTenantHandler: AppRouteHandler<typeof getTenantRoute> = async (c) => {
  const auth = c.var.credential;
  return c.json(toTenantDto(await getTenant(c.var.deps, auth.tenantId)), 200);
};

export const updateTenantHandler: AppRouteHandler<typeof updateTenantRoute> = async (c) => {
  const auth = c.var.credential;
  const body = c.req.valid('json');
  const row = await updateTenant(c.var.deps, auth.tenantId, auditContextOf(c), {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.branding !== undefined ? { branding: body.branding } : {}),
    ...(body.locale?.default !== undefined ? { defaultLocale: body.locale.default } : {}),
    ...(body.locale?.supported !== undefined ? { locales: body.locale.supported } : {}),
    ...(body.allowed_origins !== undefined ? { allowedOrigins: body.allowed_origins } : {}),
    ...(body.auth !== undefined ? { authSettings: body.auth } : {}),
    ...(body.time_zone !== undefined ? { timeZone: body.time_zone } : {}),
    ...(body.analytics?.activity_retention_months !== undefined
      ? { activityRetentionMonths: body.analytics.activity_retention_months }
      : {}),
    ...(body.analytics?.engagement_thresholds !== undefined
      ? {
          engagementThresholds: {
            ...(body.analytics.engagement_thresholds.highly_active !== undefined
              ? { highlyActive: body.analytics.engagement_thresholds.highly_active }
              : {}),
            ...(body.analytics.engagement_thresholds.moderately_active !== undefined
              ? { moderatelyActive: body.analytics.engagement_thresholds.moderately_active }
              : {}),
          },
        }
      : {}),
    ...(body.directory || body.consent || body.strings
      ? {
          siteSettings: {
            ...(body.directory ? { directory: body.directory } : {}),
            ...(body.consent ? { consent: body.consent } : {}),
            ...(body.strings ? { strings: body.strings } : {}),
          },
        }
      : {}),
  });
  return c.json(toTenantDto(row), 200);
};
