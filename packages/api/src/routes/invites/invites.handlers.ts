import type { AppRouteHandler } from '../../lib/context.js';
import { CursorValues, decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { ApiError } from '../../lib/errors.js';
import { isId } from '../../lib/ids.js';
import { auditContextOf } from '../audit-context.js';
import {
  createInvite,
  createInvitesBulk,
  getInvite,
  InviteErrors,
  listInvites,
  resendInvite,
  revokeInvite,
} from '../../services/invites.js';
import type {
  createInviteRoute,
  createInvitesBulkRoute,
  getInviteRoute,
  listInvitesRoute,
  resendInviteRoute,
  revokeInviteRoute,
} from './invites.routes.js';
import { toInviteBulkResult, toInviteDto } from './invites.schemas.js';

/** Ids that cannot be ours are a 404 without a database round trip. */
function inviteIdOf(id: string): string {
  if (!isId(id, 'inv')) throw new ApiError(InviteErrors.INVITE_NOT_FOUND, `No invite ${id}.`);
  return id;
}

/** `POST /v1/invites`: creates one invite and queues its mail. */
export const createInviteHandler: AppRouteHandler<typeof createInviteRoute> = async (c) => {
  const auth = c.var.credential;
  const body = c.req.valid('json');
  const row = await createInvite(c.var.deps, auth.tenantId, auditContextOf(c), {
    email: body.email,
    tierId: body.tier_id ?? null,
    message: body.message ?? null,
    locale: body.locale ?? null,
  });
  return c.json(toInviteDto(row, c.var.deps.clock.now()), 201);
};

/** `POST /v1/invites/bulk`: per-address results; always 200 once the request itself is valid. */
export const createInvitesBulkHandler: AppRouteHandler<typeof createInvitesBulkRoute> = async (c) => {
  const auth = c.var.credential;
  const body = c.req.valid('json');
  const outcomes = await createInvitesBulk(c.var.deps, auth.tenantId, auditContextOf(c), {
    emails: body.emails,
    tierId: body.tier_id ?? null,
    message: body.message ?? null,
    locale: body.locale ?? null,
  });
  return c.json(toInviteBulkResult(outcomes, c.var.deps.clock.now()), 200);
};

/** `GET /v1/invites`: keyset pages by id, newest first. */
export const listInvitesHandler: AppRouteHandler<typeof listInvitesRoute> = async (c) => {
  const auth = c.var.credential;
  const { limit, cursor, status, email } = c.req.valid('query');
  const normalizedEmail = email?.toLowerCase();
  // The cursor is bound to the tenant and the filters: reused with other ones it is a 400, not a wrong page.
  const scope = `invites:${auth.tenantId}`;
  const query = { status: status ?? null, email: normalizedEmail ?? null };
  let afterId: string | undefined;
  if (cursor !== undefined) {
    [afterId] = await decodeCursor(c.var.deps.secretBox, cursor, { scope, query }, [CursorValues.id('inv')]);
  }
  const rows = await listInvites(
    c.var.deps,
    auth.tenantId,
    { ...(status ? { status } : {}), ...(normalizedEmail ? { email: normalizedEmail } : {}) },
    { limit, ...(afterId ? { afterId } : {}) },
  );
  const now = c.var.deps.clock.now();
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return c.json(
    {
      object: 'list' as const,
      data: page.map((row) => toInviteDto(row, now)),
      has_more: hasMore,
      next_cursor: hasMore && last ? await encodeCursor(c.var.deps.secretBox, { scope, query }, [last.id]) : null,
    },
    200,
  );
};

/** `GET /v1/invites/{id}`. */
export const getInviteHandler: AppRouteHandler<typeof getInviteRoute> = async (c) => {
  const auth = c.var.credential;
  const id = inviteIdOf(c.req.valid('param').id);
  return c.json(toInviteDto(await getInvite(c.var.deps, auth.tenantId, id), c.var.deps.clock.now()), 200);
};

/** `DELETE /v1/invites/{id}`: revokes; idempotent. */
export const revokeInviteHandler: AppRouteHandler<typeof revokeInviteRoute> = async (c) => {
  const auth = c.var.credential;
  const id = inviteIdOf(c.req.valid('param').id);
  const row = await revokeInvite(c.var.deps, auth.tenantId, auditContextOf(c), id);
  return c.json(toInviteDto(row, c.var.deps.clock.now()), 200);
};

/** `POST /v1/invites/{id}/resend`: new token, new expiry, new mail. */
export const resendInviteHandler: AppRouteHandler<typeof resendInviteRoute> = async (c) => {
  const auth = c.var.credential;
  const id = inviteIdOf(c.req.valid('param').id);
  const row = await resendInvite(c.var.deps, auth.tenantId, auditContextOf(c), id);
  return c.json(toInviteDto(row, c.var.deps.clock.now()), 200);
};
