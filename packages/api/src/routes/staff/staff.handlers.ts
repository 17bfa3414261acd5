import { roleActorOf } from '../../access/role-ceiling.js';
import { sessionMetaOf } from '../session-meta.js';
import { ApiError, CommonErrors } from '../../lib/errors.js';
import type { AppRouteHandler } from '../../lib/context.js';
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

export const inviteStaffHandler: AppRouteHandler<typeof inviteStaffRoute> = async (c) => {
  const auth = c.var.credential;
  const { staff } = await inviteStaff(
    c.var.deps,
    auth.tenantId,
    auditContextOf(c),
    roleActorOf(auth),
    c.req.valid('json'),
  );
  return c.json(toStaffDto(staff), 201);
};

export const listStaffHandler: AppRouteHandler<typeof listStaffRoute> = async (c) => {
  const auth = c.var.credential;
  return c.json({ object: 'list' as const, data: (await listStaff(c.var.deps, auth.tenantId)).map(toStaffDto) }, 200);
};

export const getCurrentStaffHandler: AppRouteHandler<typeof getCurrentStaffRoute> = async (c) => {
  const auth = c.var.credential;
  // A tenant has a handful of staff users: the list is as cheap as a lookup by id.
  const staff = (await listStaff(c.var.deps, auth.tenantId)).find((row) => row.id === auth.staffId);
  if (!staff) throw new ApiError(StaffErrors.STAFF_NOT_FOUND, `No staff user ${auth.staffId}.`);
  // The credential's role is read fresh on every request, so a role change shows at once.
  return c.json({ ...toStaffDto(staff), permissions: permissionsOf(auth.role) }, 200);
};

export const updateStaffHandler: AppRouteHandler<typeof updateStaffRoute> = async (c) => {
  const auth = c.var.credential;
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

export const removeStaffHandler: AppRouteHandler<typeof removeStaffRoute> = async (c) => {
  const auth = c.var.credential;
  const id = staffIdOr404(c.req.valid('param').id);
  return c.json(
    toStaffDto(await removeStaff(c.var.deps, auth.tenantId, auditContextOf(c), roleActorOf(auth), id)),
    200,
  );
};

export const mintStaffSessionHandler: AppRouteHandler<typeof mintStaffSessionRoute> = async (c) => {
  const auth = c.var.credential;
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

export const transferStaffOwnershipHandler: AppRouteHandler<typeof transferStaffOwnershipRoute> = async (c) => {
  const auth = c.var.credential;
  const id = staffIdOr404(c.req.valid('param').id);
  return c.json(
    toOwnershipTransferDto(
      await transferOwnership(c.var.deps, auth.tenantId, auditContextOf(c), roleActorOf(auth), id),
    ),
    200,
  );
};

export const invitePlatformTenantOwnerHandler: AppRouteHandler<typeof invitePlatformTenantOwnerRoute> = async (c) => {
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

export const staffLoginHandler: AppRouteHandler<typeof staffLoginRoute> = async (c) => {
  const { tenantId } = c.var.credential;
  const { email, password } = c.req.valid('json');
  await limitAuthAttempt(c, 'staff_login', tenantId, email);
  return c.json(toStaffSessionDto(await loginStaff(c.var.deps, tenantId, email, password, sessionMetaOf(c))), 200);
};

export const staffAcceptInviteHandler: AppRouteHandler<typeof staffAcceptInviteRoute> = async (c) => {
  const { tenantId } = c.var.credential;
  const { token, password } = c.req.valid('json');
  return c.json(
    toStaffSessionDto(await acceptStaffInvite(c.var.deps, tenantId, token, password, sessionMetaOf(c))),
    200,
  );
};

export const staffRefreshHandler: AppRouteHandler<typeof staffRefreshRoute> = async (c) => {
  const { tenantId } = c.var.credential;
  return c.json(
    toStaffSessionDto(
      await refreshStaffSession(c.var.deps, tenantId, c.req.valid('json').refresh_token, sessionMetaOf(c)),
    ),
    200,
  );
};
