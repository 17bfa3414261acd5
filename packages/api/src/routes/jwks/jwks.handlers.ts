import type { RouteHandler } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { publishableAuth, tenantAuth } from '../../auth/require.js';
import { tenants } from '../../db/schema/index.js';
import { issuerFor } from '../../identity/access-tokens.js';
import { publishedKeys, rotateSigningKey, SIGNING_ALG } from '../../identity/signing-keys.js';
import type { AppEnv } from '../../lib/context.js';
import { ApiError } from '../../lib/errors.js';
import { isId } from '../../lib/ids.js';
import { appendAudit } from '../../services/audit.js';
import { auditContextOf } from '../../services/audit-context-of.js';
import { TenantErrors } from '../../services/tenants.js';
import type { AppDeps } from '../../deps.js';
import type { issuerMetadataRoute, jwksRoute, rotateSigningKeyRoute, tenantJwksRoute } from './jwks.routes.js';

const CACHE = { 'Cache-Control': 'public, max-age=300' };

/** Public key material only; the tenant id in the path selects which (public) set. */
async function jwksOf(deps: AppDeps, tenantId: string) {
  if (!isId(tenantId, 'tnt')) throw new ApiError(TenantErrors.TENANT_NOT_FOUND, `No tenant ${tenantId}.`);
  return deps.db.withTenant(tenantId, async (tx) => {
    const [tenant] = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId));
    if (!tenant) throw new ApiError(TenantErrors.TENANT_NOT_FOUND, `No tenant ${tenantId}.`);
    return { keys: await publishedKeys(tx, tenantId, deps.clock.now()) };
  });
}

export const tenantJwksHandler: RouteHandler<typeof tenantJwksRoute, AppEnv> = async (c) =>
  c.json(await jwksOf(c.var.deps, c.req.valid('param').tenant_id), 200, CACHE);

export const jwksHandler: RouteHandler<typeof jwksRoute, AppEnv> = async (c) =>
  c.json(await jwksOf(c.var.deps, publishableAuth(c).tenantId), 200, CACHE);

export const issuerMetadataHandler: RouteHandler<typeof issuerMetadataRoute, AppEnv> = async (c) => {
  const { tenant_id } = c.req.valid('param');
  await jwksOf(c.var.deps, tenant_id);
  const issuer = issuerFor(c.var.deps.config.issuerBaseUrl, tenant_id);
  return c.json(
    {
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: [SIGNING_ALG],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    },
    200,
    CACHE,
  );
};

export const rotateSigningKeyHandler: RouteHandler<typeof rotateSigningKeyRoute, AppEnv> = async (c) => {
  const auth = tenantAuth(c);
  const { db, secretBox, clock } = c.var.deps;
  const kid = await db.withTenant(auth.tenantId, async (tx) => {
    const next = await rotateSigningKey(tx, secretBox, auth.tenantId, clock.now());
    await appendAudit(tx, c.var.deps, auth.tenantId, auditContextOf(c), [
      { action: 'signing_key.rotated', targetType: 'signing_key', targetId: next },
    ]);
    return next;
  });
  return c.json({ object: 'signing_key' as const, kid }, 200);
};
