import type { RouteHandler } from '@hono/zod-openapi';
import { publishableAuth, staffTokenAuth, tenantAuth } from '../../access/require-credential.js';
import { roleActorOf } from '../../access/role-ceiling.js';
import { sessionMetaOf } from '../session-meta.js';
import { ApiError, CommonErrors } from '../../lib/errors.js';
import type { AppEnv } from '../../lib/context.js';
import { isId } from '../../lib/ids.js';
import {
  acceptStaffInvite,
  inviteStaff,
  listStaff,
  loginStaff,
  mintStaffSession,
  refreshStaffSession,
  removeStaff,
  StaffErrors,
  transferOwnership,
  updateStaffRole,
} from '../../accounts/staff.js';
import { auditContextOf } from '../audit-context.js';
import { getTenant, TenantErrors } from '../../services/tenants.js';
import { limitAuthAttempt } from '../auth/auth-rate-limit.js';
import type {
  getCurrentStaffRoute,
  invitePlatformTenantOwnerRoute,
  inviteStaffRoute,
  listStaffRoute,
  mintStaffSessionRoute,
  removeStaffRoute,
  staffAcceptInviteRoute,
  staffLoginRoute,
  staffRefreshRoute,
  transferStaffOwnershipRoute,
  updateStaffRoute,
} from './staff.routes.js';
import { permissionsOf, toOwnershipTransferDto, toStaffDto, toStaffSessionDto } from './staff.schemas.js';

// Every staff write passes the caller's own role as its ceiling (access/role-ceiling.ts):
// a secret key counts as its role, never as owner, so an admin key cannot appoint,
// change, remove or sign in as an owner. Owners come from the platform operator
// (invitePlatformTenantOwnerHandler) or from an owner.
function staffIdOr404(id: string): string {
  if (!isId(id, 'stf')) throw new ApiError(StaffErrors.STAFF_NOT_FOUND, `No staff user ${id}.`);
  return id;
}

export const inviteStaffHandler: RouteHandler<typeof inviteStaffRoute, AppEnv> = async (c) => {
  const auth = tenantAuth(c);
  const { staff } = await inviteStaff(
    c.var.deps,
    auth.tenantId,
    auditContextOf(c),
    roleActorOf(auth),
    c.req.valid('json'),
  );
  return c.json(toStaffDto(staff), 201);
};

export const listStaffHandler: RouteHandler<typeof listStaffRoute, AppEnv> = async (c) => {
  const auth = tenantAuth(c);
  return c.json({ object: 'list' as const, data: (await listStaff(c.var.deps, auth.tenantId)).map(toStaffDto) }, 200);
};

export const getCurrentStaffHandler: RouteHandler<typeof getCurrentStaffRoute, AppEnv> = async (c) => {
  const auth = staffTokenAuth(c);
  // A tenant has a handful of staff users: the list is as cheap as a lookup by id.
  const staff = (await listStaff(c.var.deps, auth.tenantId)).find((row) => row.id === auth.staffId);
  if (!staff) throw new ApiError(StaffErrors.STAFF_NOT_FOUND, `No staff user ${auth.staffId}.`);
  // The credential's role is read fresh on every request, so a role change shows at once.
  return c.json({ ...toStaffDto(staff), permissions: permissionsOf(auth.role) }, 200);
};

export const updateStaffHandler: RouteHandler<typeof updateStaffRoute, AppEnv> = async (c) => {
  const auth = tenantAuth(c);
  const id = staffIdOr404(c.req.valid('param').id);
  return c.json(
    toStaffDto(
      await updateStaffRole(
        c.var.deps,
        auth.tenantId,
        auditContextOf(c),
        roleActorOf(auth),
        id,
        c.req.valid('json').role,
      ),
    ),
    200,
  );
};

export const removeStaffHandler: RouteHandler<typeof removeStaffRoute, AppEnv> = async (c) => {
  const auth = tenantAuth(c);
  const id = staffIdOr404(c.req.valid('param').id);
  return c.json(
    toStaffDto(await removeStaff(c.var.deps, auth.tenantId, auditContextOf(c), roleActorOf(auth), id)),
    200,
  );
};

export const mintStaffSessionHandler: RouteHandler<typeof mintStaffSessionRoute, AppEnv> = async (c) => {
  const auth = tenantAuth(c);
  // Minting sessions is for the tenant's backend: a staff user cannot mint sessions for others.
  if (auth.type !== 'secret_key')
    throw new ApiError(CommonErrors.PERMISSION_DENIED, 'Staff sessions are minted with a secret key only.');
  const id = staffIdOr404(c.req.valid('param').id);
  return c.json(
    toStaffSessionDto(
      await mintStaffSession(c.var.deps, auth.tenantId, auditContextOf(c), roleActorOf(auth), id, sessionMetaOf(c)),
    ),
    201,
  );
};

export const transferStaffOwnershipHandler: RouteHandler<typeof transferStaffOwnershipRoute, AppEnv> = async (c) => {
  const auth = tenantAuth(c);
  const id = staffIdOr404(c.req.valid('param').id);
  return c.json(
    toOwnershipTransferDto(
      await transferOwnership(c.var.deps, auth.tenantId, auditContextOf(c), roleActorOf(auth), id),
    ),
    200,
  );
};

export const invitePlatformTenantOwnerHandler: RouteHandler<typeof invitePlatformTenantOwnerRoute, AppEnv> = async (
  c,
) => {
  const { id } = c.req.valid('param');
  if (!isId(id, 'tnt')) throw new ApiError(TenantErrors.TENANT_NOT_FOUND, `No tenant ${id}.`);
  await getTenant(c.var.deps, id);
  const ctx = {
    actorType: 'platform' as const,
    actorId: 'platform',
    requestId: c.var.requestId,
    ip: c.var.deps.clientIp?.(c) ?? null,
  };
  const { staff } = await inviteStaff(
    c.var.deps,
    id,
    ctx,
    { type: 'platform' },
    { ...c.req.valid('json'), role: 'owner' },
  );
  return c.json(toStaffDto(staff), 201);
};

export const staffLoginHandler: RouteHandler<typeof staffLoginRoute, AppEnv> = async (c) => {
  const { tenantId } = publishableAuth(c);
  const { email, password } = c.req.valid('json');
  await limitAuthAttempt(c, 'staff_login', tenantId, email);
  return c.json(toStaffSessionDto(await loginStaff(c.var.deps, tenantId, email, password, sessionMetaOf(c))), 200);
};

export const staffAcceptInviteHandler: RouteHandler<typeof staffAcceptInviteRoute, AppEnv> = async (c) => {
  const { tenantId } = publishableAuth(c);
  const { token, password } = c.req.valid('json');
  return c.json(
    toStaffSessionDto(await acceptStaffInvite(c.var.deps, tenantId, token, password, sessionMetaOf(c))),
    200,
  );
};

export const staffRefreshHandler: RouteHandler<typeof staffRefreshRoute, AppEnv> = async (c) => {
  const { tenantId } = publishableAuth(c);
  return c.json(
    toStaffSessionDto(
      await refreshStaffSession(c.var.deps, tenantId, c.req.valid('json').refresh_token, sessionMetaOf(c)),
    ),
    200,
  );
};
