import type { RouteHandler } from '@hono/zod-openapi';
import { publishableAuth, tenantAuth } from '../../access/require-credential.js';
import { issuerFor } from '../../access/access-tokens.js';
import { rotateTenantSigningKey, SIGNING_ALG, tenantJwks } from '../../access/signing-keys.js';
import type { AppEnv } from '../../lib/context.js';
import { auditContextOf } from '../audit-context.js';
import type { issuerMetadataRoute, jwksRoute, rotateSigningKeyRoute, tenantJwksRoute } from './jwks.routes.js';

const CACHE = { 'Cache-Control': 'public, max-age=300' };

export const tenantJwksHandler: RouteHandler<typeof tenantJwksRoute, AppEnv> = async (c) =>
  c.json(await tenantJwks(c.var.deps, c.req.valid('param').tenant_id), 200, CACHE);

export const jwksHandler: RouteHandler<typeof jwksRoute, AppEnv> = async (c) =>
  c.json(await tenantJwks(c.var.deps, publishableAuth(c).tenantId), 200, CACHE);

export const issuerMetadataHandler: RouteHandler<typeof issuerMetadataRoute, AppEnv> = async (c) => {
  const { tenant_id } = c.req.valid('param');
  await tenantJwks(c.var.deps, tenant_id);
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
  const kid = await rotateTenantSigningKey(c.var.deps, auth.tenantId, auditContextOf(c));
  return c.json({ object: 'signing_key' as const, kid }, 200);
};
