import type { RouteHandler } from '@hono/zod-openapi';
import { publishableAuth } from '../../auth/require.js';
import type { AppEnv } from '../../lib/context.js';
import { sha256Hex } from '../../lib/crypto.js';
import { matchesEtag } from '../../lib/etag.js';
import { getPublicConfig } from '../../services/public-config.js';
import type { getPublicConfigRoute } from './public.routes.js';

export const getPublicConfigHandler: RouteHandler<typeof getPublicConfigRoute, AppEnv> = async (c) => {
  const { tenantId } = publishableAuth(c);
  const config = await getPublicConfig(c.var.deps, tenantId);
  const etag = `"${(await sha256Hex(JSON.stringify(config))).slice(0, 32)}"`;
  // Browsers may keep it, but must ask again each time (cheap with If-None-Match): branding changes show at once.
  const headers = { ETag: etag, 'Cache-Control': 'no-cache' };
  if (matchesEtag(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
  return c.json(config, 200, headers);
};
