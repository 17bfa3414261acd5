import type { AppRouteHandler } from '../../lib/context.js';
import { CursorValues, decodeCursor, encodeCursor, type CursorBinding } from '../../lib/cursor.js';
import { ApiError } from '../../lib/errors.js';
import { isId } from '../../lib/ids.js';
import type { SecretBox } from '../../lib/secret-box.js';
import { listActivityTypes, listMemberActivity } from '../../services/activity-timeline.js';
import { MemberErrors } from '../../services/members.js';
import type { ServiceDeps } from '../../services/service-deps.js';
import type {
  listActivityTypesRoute,
  listMemberActivityRoute,
  listMyActivityRoute,
} from './activity-timeline.routes.js';
import { toActivityEventDto } from './activity-timeline.schemas.js';

/** One page of a member's timeline, its cursor bound to the member and the type filter. */
async function timelinePage(
  deps: ServiceDeps & { secretBox: Pick<SecretBox, 'digest'> },
  tenantId: string,
  memberId: string,
  query: { type?: string | undefined; limit: number; cursor?: string | undefined },
  acceptLanguage: string | undefined,
) {
  const binding: CursorBinding = { scope: `activity:${tenantId}:${memberId}`, query: { type: query.type ?? null } };
  const after = query.cursor
    ? await decodeCursor(deps.secretBox, query.cursor, binding, [CursorValues.timestamp, CursorValues.text] as const)
    : undefined;
  const page = await listMemberActivity(deps, tenantId, {
    memberId,
    type: query.type,
    limit: query.limit,
    after,
    acceptLanguage,
  });
  return {
    object: 'list' as const,
    data: page.events.map(toActivityEventDto),
    has_more: page.hasMore,
    next_cursor: page.hasMore && page.lastKey ? await encodeCursor(deps.secretBox, binding, page.lastKey) : null,
  };
}

export const listMemberActivityHandler: AppRouteHandler<typeof listMemberActivityRoute> = async (c) => {
  const { id } = c.req.valid('param');
  if (!isId(id, 'mem')) throw new ApiError(MemberErrors.MEMBER_NOT_FOUND, `No member ${id}.`);
  const page = await timelinePage(
    c.var.deps,
    c.var.credential.tenantId,
    id,
    c.req.valid('query'),
    c.req.header('accept-language'),
  );
  return c.json(page, 200);
};

export const listMyActivityHandler: AppRouteHandler<typeof listMyActivityRoute> = async (c) => {
  const auth = c.var.credential;
  const page = await timelinePage(
    c.var.deps,
    auth.tenantId,
    auth.memberId,
    c.req.valid('query'),
    c.req.header('accept-language'),
  );
  return c.json(page, 200);
};

export const listActivityTypesHandler: AppRouteHandler<typeof listActivityTypesRoute> = async (c) => {
  const q = c.req.valid('query');
  const result = await listActivityTypes(c.var.deps, c.var.credential.tenantId, {
    from: q.from,
    to: q.to,
    acceptLanguage: c.req.header('accept-language'),
  });
  return c.json({ object: 'list' as const, from: result.from, to: result.to, data: result.types }, 200);
};
