import { checkPermission } from '../../access/require-credential.js';
import type { AppRouteHandler } from '../../lib/context.js';
import { CursorValues, decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { ApiError, CommonErrors } from '../../lib/errors.js';
import { isId } from '../../lib/ids.js';
import { auditContextOf } from '../audit-context.js';
import {
  createMember,
  deleteMember,
  getMember,
  listMembers,
  MemberErrors,
  restoreMember,
  updateMember,
} from '../../services/members.js';
import { bulkUpdateMembers, type BulkAction } from '../../services/members-bulk.js';
import { exportMembers } from '../../services/members-export.js';
import { eraseMember } from '../../services/members-gdpr.js';
import { importMembers } from '../../services/members-import.js';
import { createRowParser, csvRawRows, ndjsonRawRows } from './members-import-rows.js';
import type {
  bulkMembersRoute,
  createMemberRoute,
  eraseMemberRoute,
  exportMembersRoute,
  importMembersRoute,
  deleteMemberRoute,
  getMemberRoute,
  listMembersRoute,
  restoreMemberRoute,
  updateMemberRoute,
} from './members.routes.js';
import { toMemberDto, toMemberFilter } from './members.schemas.js';

function memberIdOrNotFound(id: string): string {
  if (!isId(id, 'mem')) throw new ApiError(MemberErrors.MEMBER_NOT_FOUND, `No member ${id}.`);
  return id;
}

export const createMemberHandler: AppRouteHandler<typeof createMemberRoute> = async (c) => {
  const auth = c.var.credential;
  const body = c.req.valid('json');
  const row = await createMember(c.var.deps, auth.tenantId, auditContextOf(c), {
    email: body.email,
    firstName: body.first_name,
    lastName: body.last_name,
    ...(body.status ? { status: body.status } : {}),
    ...(body.tier_id !== undefined ? { tierId: body.tier_id } : {}),
    ...(body.custom_fields ? { customFields: body.custom_fields } : {}),
    ...(body.tags ? { tags: body.tags } : {}),
  });
  return c.json(toMemberDto(row), 201);
};

export const listMembersHandler: AppRouteHandler<typeof listMembersRoute> = async (c) => {
  const auth = c.var.credential;
  const { limit, cursor, sort, order, include_total, ...filterQuery } = c.req.valid('query');
  const filter = toMemberFilter(filterQuery, c.var.deps.clock.now());
  // The cursor is bound to the tenant and to everything that shapes the result set.
  const scope = `members:${auth.tenantId}`;
  const fingerprint = { ...filterQuery, sort, order };
  const sortKey = sort === 'created_at' || sort === 'last_active_at' ? CursorValues.timestamp : CursorValues.text;
  const after = cursor
    ? await decodeCursor(c.var.deps.secretBox, cursor, { scope, query: fingerprint }, [sortKey, CursorValues.id('mem')])
    : undefined;
  const page = await listMembers(c.var.deps, auth.tenantId, {
    filter,
    sort,
    order,
    limit,
    includeTotal: include_total,
    ...(after ? { after } : {}),
  });
  return c.json(
    {
      object: 'list' as const,
      data: page.rows.map(toMemberDto),
      has_more: page.hasMore,
      next_cursor:
        page.hasMore && page.lastKey
          ? await encodeCursor(c.var.deps.secretBox, { scope, query: fingerprint }, page.lastKey)
          : null,
      ...(page.total !== null ? { total_count: page.total } : {}),
    },
    200,
  );
};

export const getMemberHandler: AppRouteHandler<typeof getMemberRoute> = async (c) => {
  const auth = c.var.credential;
  const id = memberIdOrNotFound(c.req.valid('param').id);
  return c.json(toMemberDto(await getMember(c.var.deps, auth.tenantId, id)), 200);
};

export const updateMemberHandler: AppRouteHandler<typeof updateMemberRoute> = async (c) => {
  const auth = c.var.credential;
  const id = memberIdOrNotFound(c.req.valid('param').id);
  const body = c.req.valid('json');
  const row = await updateMember(c.var.deps, auth.tenantId, auditContextOf(c), id, {
    ...(body.email !== undefined ? { email: body.email } : {}),
    ...(body.first_name !== undefined ? { firstName: body.first_name } : {}),
    ...(body.last_name !== undefined ? { lastName: body.last_name } : {}),
    ...(body.status !== undefined ? { status: body.status } : {}),
    ...(body.tier_id !== undefined ? { tierId: body.tier_id } : {}),
    ...(body.custom_fields !== undefined ? { customFields: body.custom_fields } : {}),
    ...(body.tags !== undefined ? { tags: body.tags } : {}),
  });
  return c.json(toMemberDto(row), 200);
};

export const deleteMemberHandler: AppRouteHandler<typeof deleteMemberRoute> = async (c) => {
  const auth = c.var.credential;
  const id = memberIdOrNotFound(c.req.valid('param').id);
  return c.json(toMemberDto(await deleteMember(c.var.deps, auth.tenantId, auditContextOf(c), id)), 200);
};

export const restoreMemberHandler: AppRouteHandler<typeof restoreMemberRoute> = async (c) => {
  const auth = c.var.credential;
  const id = memberIdOrNotFound(c.req.valid('param').id);
  return c.json(toMemberDto(await restoreMember(c.var.deps, auth.tenantId, auditContextOf(c), id)), 200);
};

export const bulkMembersHandler: AppRouteHandler<typeof bulkMembersRoute> = async (c) => {
  const auth = c.var.credential;
  const body = c.req.valid('json');
  // Bulk delete is a delete: the update permission alone is not enough.
  if (body.action === 'delete') checkPermission(auth, 'member:delete');
  const { params } = body;
  const action: BulkAction =
    body.action === 'update_status'
      ? { action: 'update_status', status: params.status! }
      : body.action === 'change_tier'
        ? { action: 'change_tier', tierId: params.tier_id ?? null }
        : body.action === 'add_tags' || body.action === 'remove_tags'
          ? { action: body.action, tags: params.tags! }
          : { action: 'delete' };
  const target = body.member_ids
    ? { memberIds: body.member_ids }
    : { filter: toMemberFilter(body.filter ?? {}, c.var.deps.clock.now()) };
  const result = await bulkUpdateMembers(c.var.deps, auth.tenantId, auditContextOf(c), target, action, body.atomic);
  return c.json({ object: 'bulk_result' as const, action: body.action, atomic: body.atomic, ...result }, 200);
};

export const importMembersHandler: AppRouteHandler<typeof importMembersRoute> = async (c) => {
  const auth = c.var.credential;
  const query = c.req.valid('query');
  if (query.on_duplicate === 'update') checkPermission(auth, 'member:update');
  const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const format =
    query.format ?? (mediaType === 'text/csv' ? 'csv' : mediaType === 'application/x-ndjson' ? 'ndjson' : null);
  const accepted =
    format === 'csv' ? ['text/csv', 'text/plain'] : ['application/x-ndjson', 'application/jsonl', 'text/plain'];
  if (!format || !accepted.includes(mediaType)) {
    throw new ApiError(CommonErrors.UNSUPPORTED_MEDIA_TYPE, 'Send the import as text/csv or application/x-ndjson.');
  }
  const body = c.req.raw.body ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
  const rows = format === 'csv' ? csvRawRows(body, query.mapping) : ndjsonRawRows(body);
  const result = await importMembers(
    c.var.deps,
    auth.tenantId,
    auditContextOf(c),
    rows,
    createRowParser(format === 'csv'),
    {
      onDuplicate: query.on_duplicate,
      dryRun: query.dry_run,
    },
  );
  return c.json({ object: 'import_result' as const, ...result }, 200);
};

export const exportMembersHandler: AppRouteHandler<typeof exportMembersRoute> = async (c) => {
  const auth = c.var.credential;
  const { format, ...filterQuery } = c.req.valid('query');
  const stream = await exportMembers(
    c.var.deps,
    auth.tenantId,
    toMemberFilter(filterQuery, c.var.deps.clock.now()),
    format,
  );
  const stamp = c.var.deps.clock.now().toISOString().slice(0, 10);
  return c.body(stream, 200, {
    'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    'Content-Disposition': `attachment; filename="members-${stamp}.${format === 'csv' ? 'csv' : 'ndjson'}"`,
    'Cache-Control': 'no-store',
  });
};

export const eraseMemberHandler: AppRouteHandler<typeof eraseMemberRoute> = async (c) => {
  const auth = c.var.credential;
  const id = memberIdOrNotFound(c.req.valid('param').id);
  await eraseMember(c.var.deps, auth.tenantId, auditContextOf(c), id);
  return c.body(null, 204);
};
