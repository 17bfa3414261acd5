import type { RouteHandler } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { memberAuth } from '../../auth/require.js';
import { memberCredentials, members } from '../../db/schema/index.js';
import { changePassword } from '../../identity/member-auth.js';
import { eraseMember, exportMemberData } from '../../identity/gdpr.js';
import { validationError } from '../../lib/validation.js';
import { activeSessions, revokeOtherSessions, revokeSession, SessionErrors } from '../../identity/sessions.js';
import type { AppEnv } from '../../lib/context.js';
import { ApiError } from '../../lib/errors.js';
import { selectCustomFields } from '../../services/custom-fields.js';
import { visibleCustomFields } from '../../services/custom-field-values.js';
import { MemberErrors, updateMember } from '../../services/members.js';
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

export const getMeHandler: RouteHandler<typeof getMeRoute, AppEnv> = async (c) => {
  const auth = memberAuth(c);
  const { member, defs } = await c.var.deps.db.withTenant(auth.tenantId, async (tx) => ({
    member: (
      await tx
        .select()
        .from(members)
        .where(and(eq(members.tenantId, auth.tenantId), eq(members.id, auth.memberId)))
    )[0],
    defs: await selectCustomFields(tx, auth.tenantId),
  }));
  if (!member || member.deletedAt) throw new ApiError(MemberErrors.MEMBER_NOT_FOUND, 'This member no longer exists.');
  return c.json(toMeDto(member, visibleCustomFields(defs, member.customFields, 'members')), 200);
};

export const listMySessionsHandler: RouteHandler<typeof listMySessionsRoute, AppEnv> = async (c) => {
  const auth = memberAuth(c);
  const { db, clock } = c.var.deps;
  const rows = await db.withTenant(auth.tenantId, (tx) =>
    activeSessions(tx, auth.tenantId, 'member', auth.memberId, clock.now()),
  );
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

export const revokeMySessionHandler: RouteHandler<typeof revokeMySessionRoute, AppEnv> = async (c) => {
  const auth = memberAuth(c);
  const { id } = c.req.valid('param');
  const { db, clock } = c.var.deps;
  const ended = await db.withTenant(auth.tenantId, async (tx) => {
    const own = (await activeSessions(tx, auth.tenantId, 'member', auth.memberId, clock.now())).some(
      (s) => s.id === id,
    );
    return own && (await revokeSession(tx, auth.tenantId, id, clock.now(), 'signed_out_by_member'));
  });
  if (!ended) throw new ApiError(SessionErrors.SESSION_NOT_FOUND, `No active session ${id} of yours.`);
  return c.body(null, 204);
};

export const revokeMyOtherSessionsHandler: RouteHandler<typeof revokeMyOtherSessionsRoute, AppEnv> = async (c) => {
  const auth = memberAuth(c);
  const { db, clock } = c.var.deps;
  const count = await db.withTenant(auth.tenantId, (tx) =>
    revokeOtherSessions(
      tx,
      auth.tenantId,
      'member',
      auth.memberId,
      auth.sessionId,
      clock.now(),
      'signed_out_by_member',
    ),
  );
  return c.json({ object: 'session_revocation' as const, revoked_count: count }, 200);
};

export const updateMeHandler: RouteHandler<typeof updateMeRoute, AppEnv> = async (c) => {
  const auth = memberAuth(c);
  const body = c.req.valid('json');
  const { deps } = c.var;
  const defs = await deps.db.withTenant(auth.tenantId, (tx) => selectCustomFields(tx, auth.tenantId));
  const editable = new Set(defs.filter((d) => d.memberEditable && d.visibility !== 'staff').map((d) => d.key));
  const refused = Object.keys(body.custom_fields ?? {}).filter((key) => !editable.has(key));
  if (refused.length)
    throw validationError(
      refused.map((key) => ({ field: `custom_fields.${key}`, message: 'Members cannot change this field.' })),
    );
  const ctx = {
    actorType: 'member' as const,
    actorId: auth.memberId,
    requestId: c.var.requestId,
    ip: deps.clientIp?.(c) ?? null,
  };
  const member = await updateMember(deps, auth.tenantId, ctx, auth.memberId, {
    ...(body.first_name !== undefined ? { firstName: body.first_name } : {}),
    ...(body.last_name !== undefined ? { lastName: body.last_name } : {}),
    ...(body.custom_fields !== undefined ? { customFields: body.custom_fields } : {}),
  });
  if (body.locale !== undefined) {
    await deps.db.withTenant(auth.tenantId, (tx) =>
      tx
        .update(memberCredentials)
        .set({ locale: body.locale!, updatedAt: deps.clock.now() })
        .where(and(eq(memberCredentials.tenantId, auth.tenantId), eq(memberCredentials.memberId, auth.memberId))),
    );
  }
  return c.json(toMeDto(member, visibleCustomFields(defs, member.customFields, 'members')), 200);
};

export const changeMyPasswordHandler: RouteHandler<typeof changeMyPasswordRoute, AppEnv> = async (c) => {
  const auth = memberAuth(c);
  const { current_password, new_password } = c.req.valid('json');
  await changePassword(c.var.deps, auth.tenantId, auth.memberId, auth.sessionId, current_password, new_password);
  return c.body(null, 204);
};

export const exportMeHandler: RouteHandler<typeof exportMeRoute, AppEnv> = async (c) => {
  const auth = memberAuth(c);
  const data = await exportMemberData(c.var.deps, auth.tenantId, auth.memberId);
  return c.json(data, 200, {
    'Content-Disposition': 'attachment; filename="my-data.json"',
    'Cache-Control': 'no-store',
  });
};

export const deleteMeHandler: RouteHandler<typeof deleteMeRoute, AppEnv> = async (c) => {
  const auth = memberAuth(c);
  await eraseMember(
    c.var.deps,
    auth.tenantId,
    { actorType: 'member', actorId: auth.memberId, requestId: c.var.requestId, ip: null },
    auth.memberId,
  );
  return c.body(null, 204);
};
