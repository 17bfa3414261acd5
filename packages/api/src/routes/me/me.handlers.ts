import { changePassword } from '../../accounts/member-auth.js';
import { eraseMember, exportMemberData } from '../../services/members-gdpr.js';
import { listActiveSessions, revokeOwnSession, SessionErrors, signOutOtherSessions } from '../../accounts/sessions.js';
import type { AppRouteHandler } from '../../lib/context.js';
import { ApiError } from '../../lib/errors.js';
import { getMemberProfile, updateMemberProfile } from '../../services/member-profile.js';
import { toMeDto } from '../auth/auth.schemas.js';
import type {
  changeMyPasswordRoute,
  deleteMeRoute,
  exportMeRoute,
  getMeRoute,
  listMySessionsRoute,
  revokeMyOtherSessionsRoute,
  revokeMySessionRoute,
  updateMeRoute,
} from './me.routes.js';

export const getMeHandler: AppRouteHandler<typeof getMeRoute> = async (c) => {
  const auth = c.var.credential;
  const { member, customFields } = await getMemberProfile(c.var.deps, auth.tenantId, auth.memberId);
  return c.json(toMeDto(member, customFields), 200);
};

export const listMySessionsHandler: AppRouteHandler<typeof listMySessionsRoute> = async (c) => {
  const auth = c.var.credential;
  const rows = await listActiveSessions(c.var.deps, auth.tenantId, 'member', auth.memberId);
  return c.json(
    {
      object: 'list' as const,
      data: rows.map((s) => ({
        id: s.id,
        object: 'member_session' as const,
        current: s.id === auth.sessionId,
        user_agent: s.userAgent,
        ip: s.ip,
        created_at: s.createdAt.toISOString(),
        last_used_at: s.lastUsedAt.toISOString(),
        expires_at: s.expiresAt.toISOString(),
      })),
    },
    200,
  );
};

export const revokeMySessionHandler: AppRouteHandler<typeof revokeMySessionRoute> = async (c) => {
  const auth = c.var.credential;
  const { id } = c.req.valid('param');
  const ended = await revokeOwnSession(c.var.deps, auth.tenantId, 'member', auth.memberId, id, 'signed_out_by_member');
  if (!ended) throw new ApiError(SessionErrors.SESSION_NOT_FOUND, `No active session ${id} of yours.`);
  return c.body(null, 204);
};

export const revokeMyOtherSessionsHandler: AppRouteHandler<typeof revokeMyOtherSessionsRoute> = async (c) => {
  const auth = c.var.credential;
  const count = await signOutOtherSessions(
    c.var.deps,
    auth.tenantId,
    'member',
    auth.memberId,
    auth.sessionId,
    'signed_out_by_member',
  );
  return c.json({ object: 'session_revocation' as const, revoked_count: count }, 200);
};

export const updateMeHandler: AppRouteHandler<typeof updateMeRoute> = async (c) => {
  const auth = c.var.credential;
  const body = c.req.valid('json');
  const { deps } = c.var;
  const ctx = {
    actorType: 'member' as const,
    actorId: auth.memberId,
    requestId: c.var.requestId,
    ip: deps.clientIp?.(c) ?? null,
  };
  const { member, customFields } = await updateMemberProfile(deps, auth.tenantId, ctx, auth.memberId, {
    ...(body.first_name !== undefined ? { firstName: body.first_name } : {}),
    ...(body.last_name !== undefined ? { lastName: body.last_name } : {}),
    ...(body.custom_fields !== undefined ? { customFields: body.custom_fields } : {}),
    ...(body.locale !== undefined ? { locale: body.locale } : {}),
  });
  return c.json(toMeDto(member, customFields), 200);
};

export const changeMyPasswordHandler: AppRouteHandler<typeof changeMyPasswordRoute> = async (c) => {
  const auth = c.var.credential;
  const { current_password, new_password } = c.req.valid('json');
  await changePassword(c.var.deps, auth.tenantId, auth.memberId, auth.sessionId, current_password, new_password);
  return c.body(null, 204);
};

export const exportMeHandler: AppRouteHandler<typeof exportMeRoute> = async (c) => {
  const auth = c.var.credential;
  const data = await exportMemberData(c.var.deps, auth.tenantId, auth.memberId);
  return c.json(data, 200, {
    'Content-Disposition': 'attachment; filename="my-data.json"',
    'Cache-Control': 'no-store',
  });
};

export const deleteMeHandler: AppRouteHandler<typeof deleteMeRoute> = async (c) => {
  const auth = c.var.credential;
  await eraseMember(
    c.var.deps,
    auth.tenantId,
    { actorType: 'member', actorId: auth.memberId, requestId: c.var.requestId, ip: null },
    auth.memberId,
  );
  return c.body(null, 204);
};
