import { roleActorOf } from '../../access/role-ceiling.js';
import type { AppRouteHandler } from '../../lib/context.js';
import { isId } from '../../lib/ids.js';
import { ApiError } from '../../lib/errors.js';
import { idPageCursor, toIdPage } from '../../lib/page.js';
import { auditContextOf } from '../audit-context.js';
import { ApiKeyErrors, createApiKey, listApiKeys, revokeApiKey } from '../../services/api-keys.js';
import type { createApiKeyRoute, listApiKeysRoute, revokeApiKeyRoute } from './api-keys.routes.js';
import { toApiKeyDto } from './api-keys.schemas.js';

export const createApiKeyHandler: AppRouteHandler<typeof createApiKeyRoute> = async (c) => {
  const auth = c.var.credential;
  const body = c.req.valid('json');
  const { row, key } = await createApiKey(
    c.var.deps,
    auth.tenantId,
    body.kind === 'secret'
      ? { kind: 'secret', role: body.role, name: body.name ?? null }
      : { kind: 'publishable', name: body.name ?? null, allowedOrigins: body.allowed_origins ?? [] },
    { ctx: auditContextOf(c), actor: roleActorOf(auth) },
  );
  return c.json({ ...toApiKeyDto(row), key }, 201);
};

export const listApiKeysHandler: AppRouteHandler<typeof listApiKeysRoute> = async (c) => {
  const auth = c.var.credential;
  const { limit, cursor } = c.req.valid('query');
  const scope = `api_keys:${auth.tenantId}`;
  const afterId = await idPageCursor(c.var.deps.secretBox, scope, 'key', cursor);
  const rows = await listApiKeys(c.var.deps, auth.tenantId, { limit, ...(afterId ? { afterId } : {}) });
  return c.json(await toIdPage(c.var.deps.secretBox, scope, rows, limit, toApiKeyDto), 200);
};

export const revokeApiKeyHandler: AppRouteHandler<typeof revokeApiKeyRoute> = async (c) => {
  const auth = c.var.credential;
  const { id } = c.req.valid('param');
  if (!isId(id, 'key')) throw new ApiError(ApiKeyErrors.API_KEY_NOT_FOUND, `No API key ${id}.`);
  const revoked = await revokeApiKey(c.var.deps, auth.tenantId, auditContextOf(c), roleActorOf(auth), id);
  c.var.deps.keys.invalidate?.(id);
  return c.json(toApiKeyDto(revoked), 200);
};
