import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../lib/context.js';
import { ApiError, CommonErrors } from '../lib/errors.js';
import type { Credential } from './credential.js';
import { roleAllows, type Permission } from './permissions.js';

export type SecretKeyCredential = Extract<Credential, { type: 'secret_key' }>;

function unauthenticated(): ApiError {
  return new ApiError(CommonErrors.UNAUTHENTICATED, 'This endpoint needs an API key: send "Authorization: Bearer <key>".', {
    headers: { 'WWW-Authenticate': 'Bearer realm="memberkit"' },
  });
}

/** Checks that the request's credential may perform `permission`; 401 without one, 403 naming the permission. */
export function checkPermission(credential: Credential | null, permission: Permission): SecretKeyCredential {
  if (!credential) throw unauthenticated();
  switch (credential.type) {
    case 'platform':
      throw new ApiError(CommonErrors.PERMISSION_DENIED, `The platform key manages tenants only; use the tenant's secret key for ${permission}.`);
    case 'publishable_key':
      throw new ApiError(CommonErrors.PERMISSION_DENIED, `Publishable keys can only call public endpoints; ${permission} needs a secret key.`);
    case 'secret_key':
      if (!roleAllows(credential.role, permission)) {
        throw new ApiError(CommonErrors.PERMISSION_DENIED, `This key's role "${credential.role}" lacks the permission ${permission}.`);
      }
      return credential;
  }
}

/**
 * Route middleware (`createRoute({ middleware: [requirePermission('tenant:update')] })`):
 * runs before body validation, so an unauthenticated caller learns nothing about
 * the schema. Handlers then read the credential with {@link tenantAuth}.
 */
export function requirePermission(permission: Permission): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('auth', checkPermission(c.var.credential, permission));
    await next();
  };
}

/** The tenant credential checked by the route's `requirePermission` middleware. */
export function tenantAuth(c: Context<AppEnv>): SecretKeyCredential {
  const auth = c.get('auth');
  if (!auth) throw new Error(`${c.req.method} ${c.req.path} is missing its requirePermission middleware`);
  return auth;
}

/** Route middleware: only the platform operator key passes. */
export const requirePlatform: MiddlewareHandler<AppEnv> = async (c, next) => {
  const credential = c.var.credential;
  if (!credential) throw unauthenticated();
  if (credential.type !== 'platform') {
    throw new ApiError(CommonErrors.PERMISSION_DENIED, 'Platform endpoints need the platform operator key.');
  }
  await next();
};
