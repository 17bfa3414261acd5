import type { AppRouteHandler } from '../../lib/context.js';
import { idPageCursor, toIdPage } from '../../lib/page.js';
import { createTenant, listTenants } from '../../services/tenants.js';
import { toTenantDto } from '../tenant/tenant.schemas.js';
import type { createPlatformTenantRoute, listPlatformTenantsRoute } from './platform-tenants.routes.js';

export const createPlatformTenantHandler: AppRouteHandler<typeof createPlatformTenantRoute> = async (c) => {
  const { time_zone, ...body } = c.req.valid('json');
  const created = await createTenant(c.var.deps, {
    ...body,
    ...(time_zone !== undefined ? { timeZone: time_zone } : {}),
  });
  return c.json(
    { ...toTenantDto(created.tenant), secret_key: created.secretKey, publishable_key: created.publishableKey },
    201,
  );
};

export const listPlatformTenantsHandler: AppRouteHandler<typeof listPlatformTenantsRoute> = async (c) => {
  const { limit, cursor } = c.req.valid('query');
  const afterId = await idPageCursor(c.var.deps.secretBox, 'platform_tenants', 'tnt', cursor);
  const rows = await listTenants(c.var.deps, { limit, ...(afterId ? { afterId } : {}) });
  return c.json(await toIdPage(c.var.deps.secretBox, 'platform_tenants', rows, limit, toTenantDto), 200);
};
