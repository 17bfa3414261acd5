import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../lib/context.js';
import { ApiError, CommonErrors } from '../lib/errors.js';
import type { Credential } from './credential.js';
import { roleAllows, type Permission } from './permissions.js';

export type SecretKeyCredential = Extract<Credential, { type: 'secret_key' }>;
/** Who may call staff endpoints: a tenant's secret key (its backend) or a signed-in staff user. */
export type StaffCredential = Extract<Credential, { type: 'secret_key' | 'staff' }>;

function unauthenticated(): ApiError {
  return new ApiError(
    CommonErrors.UNAUTHENTICATED,
    'This endpoint needs an API key: send "Authorization: Bearer <key>".',
    {
      headers: { 'WWW-Authenticate': 'Bearer realm="memberkit"' },
    },
  );
}

/** Checks that the request's credential may perform `permission`; 401 without one, 403 naming the permission. */
export function checkPermission(credential: Credential | null, permission: Permission): StaffCredential {
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
    case 'member':
      throw new ApiError(
        CommonErrors.PERMISSION_DENIED,
        `Member tokens cannot call staff endpoints; ${permission} needs a secret key.`,
      );
    case 'secret_key':
    case 'staff':
      if (!roleAllows(credential.role, permission)) {
        const who = credential.type === 'staff' ? 'Your staff role' : "This key's role";
        throw new ApiError(
          CommonErrors.PERMISSION_DENIED,
          `${who} "${credential.role}" lacks the permission ${permission}.`,
        );
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
export function tenantAuth(c: Context<AppEnv>): StaffCredential {
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

type PublishableCredential = Extract<Credential, { type: 'publishable_key' }>;
type MemberCredential = Extract<Credential, { type: 'member' }>;

/** Route middleware for the public member surface: a publishable key names the tenant. */
export const requirePublishableKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  const credential = c.var.credential;
  if (!credential) throw unauthenticated();
  if (credential.type !== 'publishable_key') {
    throw new ApiError(
      CommonErrors.PERMISSION_DENIED,
      "This endpoint is called from the browser with the tenant's publishable key (pk_…).",
    );
  }
  await next();
};

/** The publishable key checked by {@link requirePublishableKey}. */
export function publishableAuth(c: Context<AppEnv>): PublishableCredential {
  const credential = c.get('credential');
  if (credential?.type !== 'publishable_key')
    throw new Error(`${c.req.path} is missing its requirePublishableKey middleware`);
  return credential;
}

/** Route middleware: a signed-in member's access token. */
export const requireMember: MiddlewareHandler<AppEnv> = async (c, next) => {
  const credential = c.var.credential;
  if (!credential) throw unauthenticated();
  if (credential.type !== 'member')
    throw new ApiError(CommonErrors.PERMISSION_DENIED, "This endpoint needs a member's access token.");
  await next();
};

/** The member credential checked by {@link requireMember}. */
export function memberAuth(c: Context<AppEnv>): MemberCredential {
  const credential = c.get('credential');
  if (credential?.type !== 'member') throw new Error(`${c.req.path} is missing its requireMember middleware`);
  return credential;
}

/** Route middleware for pages readable by visitors and members alike: a publishable key or a member's access token. */
export const requirePublishableKeyOrMember: MiddlewareHandler<AppEnv> = async (c, next) => {
  const credential = c.var.credential;
  if (!credential) throw unauthenticated();
  if (credential.type !== 'publishable_key' && credential.type !== 'member') {
    throw new ApiError(
      CommonErrors.PERMISSION_DENIED,
      "This endpoint is called from the browser with a publishable key (pk_…) or a member's access token.",
    );
  }
  await next();
};

/** The credential checked by {@link requirePublishableKeyOrMember}. */
export function publishableOrMemberAuth(c: Context<AppEnv>): PublishableCredential | MemberCredential {
  const credential = c.get('credential');
  if (credential?.type !== 'publishable_key' && credential?.type !== 'member')
    throw new Error(`${c.req.path} is missing its requirePublishableKeyOrMember middleware`);
  return credential;
}

type StaffTokenCredential = Extract<Credential, { type: 'staff' }>;

/** Route middleware: a signed-in staff user's access token (a secret key has no "me"). */
export const requireStaffToken: MiddlewareHandler<AppEnv> = async (c, next) => {
  const credential = c.var.credential;
  if (!credential) throw unauthenticated();
  if (credential.type !== 'staff')
    throw new ApiError(CommonErrors.PERMISSION_DENIED, "This endpoint needs a staff user's access token.");
  await next();
};

/** The staff credential checked by {@link requireStaffToken}. */
export function staffTokenAuth(c: Context<AppEnv>): StaffTokenCredential {
  const credential = c.get('credential');
  if (credential?.type !== 'staff') throw new Error(`${c.req.path} is missing its requireStaffToken middleware`);
  return credential;
}
