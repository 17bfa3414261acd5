import type { AppRouteHandler } from '../../lib/context.js';
import { CursorValues, decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { validationError } from '../../lib/validation.js';
import { listAudit, verifyAuditChain, type AuditFilter } from '../../services/audit.js';
import type { listAuditLogRoute, verifyAuditLogRoute } from './audit-log.routes.js';
import { toAuditEntryDto, toAuditVerificationDto } from './audit-log.schemas.js';

/** `GET /v1/audit-log`: keyset pages by `seq`, newest first. */
export const listAuditLogHandler: AppRouteHandler<typeof listAuditLogRoute> = async (c) => {
  const auth = c.var.credential;
  const { limit, cursor, actor, action, target, from, to } = c.req.valid('query');
  const fromDate = from !== undefined ? new Date(from) : undefined;
  const toDate = to !== undefined ? new Date(to) : undefined;
  if (fromDate && toDate && fromDate > toDate) {
    throw validationError([{ field: 'query.to', message: 'Must not be before `from`.' }]);
  }

  // Dates are fingerprinted as instants so `…Z` and `…+00:00` continue the same query.
  const scope = `audit_log:${auth.tenantId}`;
  const query = {
    actor: actor ?? null,
    action: action ?? null,
    target: target ?? null,
    from: fromDate?.toISOString() ?? null,
    to: toDate?.toISOString() ?? null,
  };
  let beforeSeq: number | undefined;
  if (cursor !== undefined) {
    [beforeSeq] = await decodeCursor(c.var.deps.secretBox, cursor, { scope, query }, [
      CursorValues.integer(1, Number.MAX_SAFE_INTEGER),
    ]);
  }

  const filter: AuditFilter = {
    ...(actor ? { actorId: actor } : {}),
    ...(action ? { action } : {}),
    ...(target ? { targetId: target } : {}),
    ...(fromDate ? { from: fromDate } : {}),
    ...(toDate ? { to: toDate } : {}),
  };
  const rows = await listAudit(c.var.deps, auth.tenantId, filter, {
    limit,
    ...(beforeSeq !== undefined ? { beforeSeq } : {}),
  });
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return c.json(
    {
      object: 'list' as const,
      data: page.map(toAuditEntryDto),
      has_more: hasMore,
      next_cursor: hasMore && last ? await encodeCursor(c.var.deps.secretBox, { scope, query }, [last.seq]) : null,
    },
    200,
  );
};

/** `GET /v1/audit-log/verify`: recomputes the tenant's hash chain. */
export const verifyAuditLogHandler: AppRouteHandler<typeof verifyAuditLogRoute> = async (c) => {
  const auth = c.var.credential;
  return c.json(toAuditVerificationDto(await verifyAuditChain(c.var.deps, auth.tenantId)), 200);
};
