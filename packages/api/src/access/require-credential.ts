import type { MiddlewareHandler } from 'hono';
import { ApiError, CommonErrors } from '../lib/errors.js';
import type { Credential } from './credential.js';
import { roleAllows, type Permission } from './permissions.js';

/** The kinds of credential a request can carry (`Credential['type']`). */
export type CredentialKind = Credential['type'];
/** The credential of one or more kinds. */
export type CredentialOf<K extends CredentialKind> = Extract<Credential, { type: K }>;
export type SecretKeyCredential = CredentialOf<'secret_key'>;
/** Who may call staff endpoints: a tenant's secret key (its backend) or a signed-in staff user. */
export type StaffCredential = CredentialOf<'secret_key' | 'staff'>;

/**
 * The Hono environment a {@link requireCredential} middleware declares: behind it,
 * `c.var.credential` is a credential of the accepted kinds (never null).
 */
export interface CredentialEnv<C extends Credential> {
  Variables: { credential: C };
}

function unauthenticated(): ApiError {
  return new ApiError(
    CommonErrors.UNAUTHENTICATED,
    'This endpoint needs an API key: send "Authorization: Bearer <key>".',
    {
      headers: { 'WWW-Authenticate': 'Bearer realm="memberkit"' },
    },
  );
}

/** Why a credential of another kind is refused, per set of accepted kinds (sorted, comma-joined). */
const NEEDS: Record<string, string> = {
  platform: 'Platform endpoints need the platform operator key.',
  publishable_key: "This endpoint is called from the browser with the tenant's publishable key (pk_…).",
  member: "This endpoint needs a member's access token.",
  'member,publishable_key':
    "This endpoint is called from the browser with a publishable key (pk_…) or a member's access token.",
  staff: "This endpoint needs a staff user's access token.",
  'secret_key,staff': "This endpoint needs a secret key or a staff user's access token.",
};

/** Staff endpoints name the permission they refused, so each kind of caller learns what it would need. */
function refusedForPermission(type: CredentialKind, permission: Permission): string {
  switch (type) {
    case 'platform':
      return `The platform key manages tenants only; use the tenant's secret key for ${permission}.`;
    case 'publishable_key':
      return `Publishable keys can only call public endpoints; ${permission} needs a secret key.`;
    case 'member':
      return `Member tokens cannot call staff endpoints; ${permission} needs a secret key.`;
    default:
      return `${permission} needs a secret key or a staff user's access token.`;
  }
}

/**
 * Checks that a staff credential's role allows `permission` (403 naming it).
 * Routes guard with {@link requireCredential}; a handler calls this only for a
 * second permission that depends on the body (a bulk delete needs `member:delete`).
 */
export function checkPermission(credential: StaffCredential, permission: Permission): void {
  if (!roleAllows(credential.role, permission)) {
    const who = credential.type === 'staff' ? 'Your staff role' : "This key's role";
    throw new ApiError(
      CommonErrors.PERMISSION_DENIED,
      `${who} "${credential.role}" lacks the permission ${permission}.`,
    );
  }
}

/**
 * Route middleware: the request's credential must be one of `kinds` (401 without
 * one, 403 with another), and, when `permission` is given, a role that allows it.
 * It runs before body validation, so an unauthenticated caller learns nothing of
 * the schema. Its type carries the accepted kinds to the handler: behind
 * `requireCredential(['member'])`, `c.var.credential` is a member credential, and
 * a handler cannot read a credential its route did not guard.
 *
 * @example
 * createRoute({
 *   method: 'get',
 *   path: '/v1/members',
 *   middleware: [requireCredential(['secret_key', 'staff'], 'member:read')] as const,
 *   …
 * });
 * export const listMembersHandler: AppRouteHandler<typeof listMembersRoute> = async (c) => {
 *   const { tenantId } = c.var.credential; // StaffCredential
 * };
 */
export function requireCredential<const K extends CredentialKind>(
  kinds: readonly K[],
  ...permission: 'secret_key' extends K ? [Permission?] : 'staff' extends K ? [Permission?] : []
): MiddlewareHandler<CredentialEnv<CredentialOf<K>>> {
  const accepted = new Set<CredentialKind>(kinds);
  const needed = permission[0];
  const needs = NEEDS[[...accepted].sort().join(',')] ?? `This endpoint accepts ${[...accepted].join(' or ')}.`;
  return async (c, next) => {
    // Set by `authenticate` for every request; the guard's own environment only knows what it promises.
    const credential = c.var.credential as Credential | null;
    if (!credential) throw unauthenticated();
    if (!accepted.has(credential.type)) {
      throw new ApiError(
        CommonErrors.PERMISSION_DENIED,
        needed ? refusedForPermission(credential.type, needed) : needs,
      );
    }
    if (needed && (credential.type === 'secret_key' || credential.type === 'staff'))
      checkPermission(credential, needed);
    await next();
  };
}
