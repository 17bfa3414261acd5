import { issuerFor } from '../../access/access-tokens.js';
import { rotateTenantSigningKey, SIGNING_ALG, tenantJwks } from '../../access/signing-keys.js';
import type { AppRouteHandler } from '../../lib/context.js';
import { auditContextOf } from '../audit-context.js';
import type { issuerMetadataRoute, jwksRoute, rotateSigningKeyRoute, tenantJwksRoute } from './jwks.routes.js';

const CACHE = { 'Cache-Control': 'public, max-age=300' };

export const tenantJwksHandler: AppRouteHandler<typeof tenantJwksRoute> = async (c) =>
  c.json(await tenantJwks(c.var.deps, c.req.valid('param').tenant_id), 200, CACHE);

export const jwksHandler: AppRouteHandler<typeof jwksRoute> = async (c) =>
  c.json(await tenantJwks(c.var.deps, c.var.credential.tenantId), 200, CACHE);

export const issuerMetadataHandler: AppRouteHandler<typeof issuerMetadataRoute> = async (c) => {
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

export const rotateSigningKeyHandler: AppRouteHandler<typeof rotateSigningKeyRoute> = async (c) => {
  const auth = c.var.credential;
  const kid = await rotateTenantSigningKey(c.var.deps, auth.tenantId, auditContextOf(c));
  return c.json({ object: 'signing_key' as const, kid }, 200);
};
