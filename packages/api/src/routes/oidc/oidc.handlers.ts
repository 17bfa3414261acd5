import type { Context } from 'hono';
import {
  completeOidcLogin,
  createOidcProvider,
  DEFAULT_OIDC_SCOPES,
  deleteOidcProvider,
  getOidcProvider,
  listOidcProviders,
  startOidcLogin,
  updateOidcProvider,
} from '../../accounts/oidc.js';
import type { AppRouteHandler, AppEnv } from '../../lib/context.js';
import { ApiError, CommonErrors } from '../../lib/errors.js';
import { idPageCursor, toIdPage } from '../../lib/page.js';
import { enforceRateLimits } from '../../middleware/rate-limit.js';
import { auditContextOf } from '../audit-context.js';
import type {
  createOidcProviderRoute,
  deleteOidcProviderRoute,
  getOidcProviderRoute,
  listOidcProvidersRoute,
  oidcCallbackRoute,
  startOidcLoginRoute,
  updateOidcProviderRoute,
} from './oidc.routes.js';
import { toOidcProviderDto } from './oidc.schemas.js';

/** Redirects that carry login state or tokens: never cached, never leaked through Referer. */
const NO_STORE = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' };

/** Login starts per client IP per minute: each one writes a state row, and the publishable key is public. */
const START_LIMIT = 30;
const START_WINDOW_SECONDS = 60;

/** `POST /v1/tenant/oidc-providers`. */
export const createOidcProviderHandler: AppRouteHandler<typeof createOidcProviderRoute> = async (c) => {
  const { tenantId } = c.var.credential;
  const b = c.req.valid('json');
  const row = await createOidcProvider(c.var.deps, tenantId, auditContextOf(c), {
    name: b.name,
    issuer: b.issuer,
    clientId: b.client_id,
    clientSecret: b.client_secret ?? null,
    scopes: b.scopes ?? [...DEFAULT_OIDC_SCOPES],
    autoCreateMembers: b.auto_create_members ?? true,
    enabled: b.enabled ?? true,
  });
  return c.json(toOidcProviderDto(row, c.var.deps.config.issuerBaseUrl), 201);
};

/** `GET /v1/tenant/oidc-providers`. */
export const listOidcProvidersHandler: AppRouteHandler<typeof listOidcProvidersRoute> = async (c) => {
  const { tenantId } = c.var.credential;
  const { limit, cursor } = c.req.valid('query');
  const scope = `oidc_providers:${tenantId}`;
  const afterId = await idPageCursor(c.var.deps.secretBox, scope, 'oidc', cursor);
  const rows = await listOidcProviders(c.var.deps, tenantId, { limit, ...(afterId ? { afterId } : {}) });
  return c.json(
    await toIdPage(c.var.deps.secretBox, scope, rows, limit, (row) =>
      toOidcProviderDto(row, c.var.deps.config.issuerBaseUrl),
    ),
    200,
  );
};

/** `GET /v1/tenant/oidc-providers/{id}`. */
export const getOidcProviderHandler: AppRouteHandler<typeof getOidcProviderRoute> = async (c) => {
  const { tenantId } = c.var.credential;
  const row = await getOidcProvider(c.var.deps, tenantId, c.req.valid('param').id);
  return c.json(toOidcProviderDto(row, c.var.deps.config.issuerBaseUrl), 200);
};

/** `PATCH /v1/tenant/oidc-providers/{id}`. */
export const updateOidcProviderHandler: AppRouteHandler<typeof updateOidcProviderRoute> = async (c) => {
  const { tenantId } = c.var.credential;
  const b = c.req.valid('json');
  const row = await updateOidcProvider(c.var.deps, tenantId, auditContextOf(c), c.req.valid('param').id, {
    ...(b.name !== undefined ? { name: b.name } : {}),
    ...(b.client_secret !== undefined ? { clientSecret: b.client_secret } : {}),
    ...(b.scopes !== undefined ? { scopes: b.scopes } : {}),
    ...(b.auto_create_members !== undefined ? { autoCreateMembers: b.auto_create_members } : {}),
    ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
  });
  return c.json(toOidcProviderDto(row, c.var.deps.config.issuerBaseUrl), 200);
};

/** `DELETE /v1/tenant/oidc-providers/{id}`. */
export const deleteOidcProviderHandler: AppRouteHandler<typeof deleteOidcProviderRoute> = async (c) => {
  const { tenantId } = c.var.credential;
  await deleteOidcProvider(c.var.deps, tenantId, auditContextOf(c), c.req.valid('param').id);
  return c.body(null, 204);
};

function limitStarts<E extends AppEnv>(c: Context<E>): Promise<void> {
  const key = `oidc:start:ip:${c.var.deps.clientIp?.(c) ?? 'unknown'}`;
  return enforceRateLimits(c, [
    { policy: 'oidc-start-per-ip', key, limit: START_LIMIT, windowSeconds: START_WINDOW_SECONDS },
  ]);
}

/** `GET /v1/auth/oidc/{provider_id}/start`: resolves the publishable key from the query and redirects to the provider. */
export const startOidcLoginHandler: AppRouteHandler<typeof startOidcLoginRoute> = async (c) => {
  const { provider_id } = c.req.valid('param');
  const query = c.req.valid('query');
  await limitStarts(c);
  // A navigation carries no Authorization header, so the key is resolved here rather than by `authenticate`.
  const credential = await c.var.deps.keys.resolve(query.publishable_key);
  if (!credential) throw new ApiError(CommonErrors.UNAUTHENTICATED, 'The publishable key is invalid or revoked.');
  if (credential.type !== 'publishable_key') {
    throw new ApiError(
      CommonErrors.PERMISSION_DENIED,
      "Sign-in links take the tenant's publishable key (pk_…); a secret key must never appear in a URL.",
    );
  }
  const url = await startOidcLogin(c.var.deps, credential, provider_id, {
    redirectUri: query.redirect_uri,
    clientState: query.state ?? null,
  });
  for (const [name, value] of Object.entries(NO_STORE)) c.header(name, value);
  return c.redirect(url.href, 302);
};

/** `GET /v1/auth/oidc/callback`: finishes the login and redirects back to the page, logging why a login failed. */
export const oidcCallbackHandler: AppRouteHandler<typeof oidcCallbackRoute> = async (c) => {
  c.req.valid('query');
  const { deps } = c.var;
  // openid-client reads every parameter the provider sent (iss, session_state, …), not only the documented ones.
  const params = new URL(c.req.url).searchParams;
  const result = await completeOidcLogin(deps, params, {
    userAgent: c.req.header('user-agent') ?? null,
    ip: deps.clientIp?.(c) ?? null,
    requestId: c.var.requestId,
  });
  if (result.failure) {
    const cause = result.failure.cause;
    deps.logger.warn('oidc login failed', {
      request_id: c.var.requestId,
      error: result.failure.error,
      ...(cause instanceof Error
        ? { cause: cause.message, inner: cause.cause instanceof Error ? cause.cause.message : undefined }
        : cause
          ? { cause: String(cause).slice(0, 100) }
          : {}),
    });
  }
  for (const [name, value] of Object.entries(NO_STORE)) c.header(name, value);
  return c.redirect(result.location, 302);
};
