import type { Context } from 'hono';
import type { AppEnv } from '../lib/context.js';
import { ApiError, CommonErrors } from '../lib/errors.js';
import type { Credential } from './credential.js';
import { roleAllows, type Permission } from './permissions.js';

type SecretKeyCredential = Extract<Credential, { type: 'secret_key' }>;

function unauthenticated(): ApiError {
  return new ApiError(CommonErrors.UNAUTHENTICATED, 'This endpoint needs an API key: send "Authorization: Bearer <key>".', {
    headers: { 'WWW-Authenticate': 'Bearer realm="memberkit"' },
  });
}

/**
 * The tenant credential of the request if it may perform `permission`; otherwise
 * throws 401 (no credential) or 403 naming the missing permission.
 * @example
 * const auth = requirePermission(c, 'tenant:update');
 * await updateTenant(deps, auth.tenantId, body);
 */
export function requirePermission(c: Context<AppEnv>, permission: Permission): SecretKeyCredential {
  const credential = c.var.credential;
  if (!credential) throw unauthenticated();
  switch (credential.type) {
    case 'platform':
      throw new ApiError(
        CommonErrors.PERMISSION_DENIED,
        `The platform key manages tenants only; use the tenant's secret key for ${permission}.`,
      );
    case 'publishable_key':
      throw new ApiError(
        CommonErrors.PERMISSION_DENIED,
        `Publishable keys can only call public endpoints; ${permission} needs a secret key.`,
      );
    case 'secret_key':
      if (!roleAllows(credential.role, permission)) {
        throw new ApiError(
          CommonErrors.PERMISSION_DENIED,
          `This key's role "${credential.role}" lacks the permission ${permission}.`,
        );
      }
      return credential;
  }
}

/** Throws unless the request carries the platform operator key. */
export function requirePlatform(c: Context<AppEnv>): void {
  const credential = c.var.credential;
  if (!credential) throw unauthenticated();
  if (credential.type !== 'platform') {
    throw new ApiError(CommonErrors.PERMISSION_DENIED, 'Platform endpoints need the platform operator key.');
  }
}
