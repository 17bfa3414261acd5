import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { publishableAuth, tenantAuth, type StaffCredential } from '../../auth/require.js';
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
  updateStaffRole,
} from '../../identity/staff.js';
import { auditContextOf } from '../../services/audit-context-of.js';
import { limitAuthAttempt } from '../auth/auth-rate-limit.js';
import type {
  inviteStaffRoute,
  listStaffRoute,
  mintStaffSessionRoute,
  removeStaffRoute,
  staffAcceptInviteRoute,
  staffLoginRoute,
  staffRefreshRoute,
  updateStaffRoute,
} from './staff.routes.js';
import { toStaffDto, toStaffSessionDto } from './staff.schemas.js';

/**
 * The role that limits what the caller may assign: a staff user's own. An admin
 * secret key is the tenant's root credential (it exists before any staff user),
 * so it may appoint the first owner and manage owners.
 */
const actorRole = (auth: StaffCredential) => (auth.type === 'secret_key' && auth.role === 'admin' ? 'owner' : auth.role);
const meta = (c: Context<AppEnv>) => ({ userAgent: c.req.header('user-agent') ?? null, ip: c.var.deps.clientIp?.(c) ?? null });
function staffIdOr404(id: string): string {
  if (!isId(id, 'stf')) throw new ApiError(StaffErrors.STAFF_NOT_FOUND, `No staff user ${id}.`);
  return id;
}

export const inviteStaffHandler: RouteHandler<typeof inviteStaffRoute, AppEnv> = async (c) => {
  const auth = tenantAuth(c);
  const { staff } = await inviteStaff(c.var.deps, auth.tenantId, auditContextOf(c), actorRole(auth), c.req.valid('json'));
  return c.json(toStaffDto(staff), 201);
};

export const listStaffHandler: RouteHandler<typeof listStaffRoute, AppEnv> = async (c) => {
  const auth = tenantAuth(c);
  return c.json({ object: 'list' as const, data: (await listStaff(c.var.deps, auth.tenantId)).map(toStaffDto) }, 200);
};

export const updateStaffHandler: RouteHandler<typeof updateStaffRoute, AppEnv> = async (c) => {
  const auth = tenantAuth(c);
  const id = staffIdOr404(c.req.valid('param').id);
  return c.json(toStaffDto(await updateStaffRole(c.var.deps, auth.tenantId, auditContextOf(c), actorRole(auth), id, c.req.valid('json').role)), 200);
};

export const removeStaffHandler: RouteHandler<typeof removeStaffRoute, AppEnv> = async (c) => {
  const auth = tenantAuth(c);
  const id = staffIdOr404(c.req.valid('param').id);
  return c.json(toStaffDto(await removeStaff(c.var.deps, auth.tenantId, auditContextOf(c), actorRole(auth), id)), 200);
};

export const mintStaffSessionHandler: RouteHandler<typeof mintStaffSessionRoute, AppEnv> = async (c) => {
  const auth = tenantAuth(c);
  // Minting sessions is for the tenant's backend: a staff user cannot mint sessions for others.
  if (auth.type !== 'secret_key') throw new ApiError(CommonErrors.PERMISSION_DENIED, 'Staff sessions are minted with a secret key only.');
  const id = staffIdOr404(c.req.valid('param').id);
  return c.json(toStaffSessionDto(await mintStaffSession(c.var.deps, auth.tenantId, auditContextOf(c), id, meta(c))), 201);
};

export const staffLoginHandler: RouteHandler<typeof staffLoginRoute, AppEnv> = async (c) => {
  const { tenantId } = publishableAuth(c);
  const { email, password } = c.req.valid('json');
  await limitAuthAttempt(c, 'staff_login', tenantId, email);
  return c.json(toStaffSessionDto(await loginStaff(c.var.deps, tenantId, email, password, meta(c))), 200);
};

export const staffAcceptInviteHandler: RouteHandler<typeof staffAcceptInviteRoute, AppEnv> = async (c) => {
  const { tenantId } = publishableAuth(c);
  const { token, password } = c.req.valid('json');
  return c.json(toStaffSessionDto(await acceptStaffInvite(c.var.deps, tenantId, token, password, meta(c))), 200);
};

export const staffRefreshHandler: RouteHandler<typeof staffRefreshRoute, AppEnv> = async (c) => {
  const { tenantId } = publishableAuth(c);
  return c.json(toStaffSessionDto(await refreshStaffSession(c.var.deps, tenantId, c.req.valid('json').refresh_token)), 200);
};
