import type { Context } from 'hono';
import type { AppRouteHandler } from '../../lib/context.js';
import { CursorValues, decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { ApiError } from '../../lib/errors.js';
import { isId } from '../../lib/ids.js';
import {
  createSavedReport,
  deleteSavedReport,
  getSavedReport,
  listSavedReports,
  ReportErrors,
  reportCsv,
  runReport,
  runSavedReport,
  updateSavedReport,
  type ReportResult,
} from '../../services/reports.js';
import { auditContextOf } from '../audit-context.js';
import type {
  createReportRoute,
  deleteReportRoute,
  getReportRoute,
  listReportsRoute,
  queryReportRoute,
  runReportCsvRoute,
  runReportRoute,
  updateReportRoute,
} from './reports.routes.js';
import { toResultDto, toSavedReportDto, toSpec } from './reports.schemas.js';

/** A malformed id names no report: 404 without a query. */
function checkReportId(id: string): string {
  if (!isId(id, 'rpt')) throw new ApiError(ReportErrors.REPORT_NOT_FOUND, `No report ${id}.`);
  return id;
}

/** True when the client asked for CSV (`format=csv`, or `text/csv` preferred over JSON in `Accept`). */
function wantsCsv(c: Context, format: string | undefined): boolean {
  if (format) return format === 'csv';
  const accept = c.req.header('accept') ?? '';
  return /(^|,)\s*text\/csv/i.test(accept) && !/(^|,)\s*application\/json/i.test(accept);
}

function csvResponse(c: Context, result: ReportResult, name: string) {
  return c.body(reportCsv(result), 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${name}-${result.from}-${result.to}.csv"`,
    'Cache-Control': 'no-store',
  });
}

export const queryReportHandler: AppRouteHandler<typeof queryReportRoute> = async (c) => {
  const auth = c.var.credential;
  const result = await runReport(c.var.deps, auth.tenantId, toSpec(c.req.valid('json')), {
    acceptLanguage: c.req.header('accept-language'),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the CSV branch is a second documented content type of the same 200
  if (wantsCsv(c, undefined)) return csvResponse(c, result, 'report') as any;
  return c.json(toResultDto(result), 200);
};

export const createReportHandler: AppRouteHandler<typeof createReportRoute> = async (c) => {
  const auth = c.var.credential;
  const body = c.req.valid('json');
  const row = await createSavedReport(c.var.deps, auth.tenantId, auditContextOf(c), {
    name: body.name,
    description: body.description ?? null,
    spec: toSpec(body.spec),
    schedule: body.schedule ?? null,
    recipients: body.recipients ?? [],
  });
  return c.json(toSavedReportDto(row), 201);
};

export const listReportsHandler: AppRouteHandler<typeof listReportsRoute> = async (c) => {
  const auth = c.var.credential;
  const { limit, cursor } = c.req.valid('query');
  const scope = `reports:${auth.tenantId}`;
  const binding = { scope, query: {} };
  let after: string | undefined;
  if (cursor !== undefined)
    [after] = await decodeCursor(c.var.deps.secretBox, cursor, binding, [CursorValues.id('rpt')]);
  const rows = await listSavedReports(c.var.deps, auth.tenantId, { limit, ...(after ? { after } : {}) });
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return c.json(
    {
      object: 'list' as const,
      data: page.map(toSavedReportDto),
      has_more: hasMore,
      next_cursor: hasMore && last ? await encodeCursor(c.var.deps.secretBox, binding, [last.id]) : null,
    },
    200,
  );
};

export const getReportHandler: AppRouteHandler<typeof getReportRoute> = async (c) => {
  const auth = c.var.credential;
  const id = checkReportId(c.req.valid('param').id);
  return c.json(toSavedReportDto(await getSavedReport(c.var.deps, auth.tenantId, id)), 200);
};

export const updateReportHandler: AppRouteHandler<typeof updateReportRoute> = async (c) => {
  const auth = c.var.credential;
  const id = checkReportId(c.req.valid('param').id);
  const body = c.req.valid('json');
  const row = await updateSavedReport(c.var.deps, auth.tenantId, auditContextOf(c), id, {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.spec !== undefined ? { spec: toSpec(body.spec) } : {}),
    ...(body.schedule !== undefined ? { schedule: body.schedule } : {}),
    ...(body.recipients !== undefined ? { recipients: body.recipients } : {}),
  });
  return c.json(toSavedReportDto(row), 200);
};

export const deleteReportHandler: AppRouteHandler<typeof deleteReportRoute> = async (c) => {
  const auth = c.var.credential;
  const id = checkReportId(c.req.valid('param').id);
  await deleteSavedReport(c.var.deps, auth.tenantId, auditContextOf(c), id);
  return c.json({ id, object: 'report' as const, deleted: true as const }, 200);
};

export const runReportHandler: AppRouteHandler<typeof runReportRoute> = async (c) => {
  const auth = c.var.credential;
  const id = checkReportId(c.req.valid('param').id);
  const { format } = c.req.valid('query');
  const { result } = await runSavedReport(c.var.deps, auth.tenantId, id, {
    acceptLanguage: c.req.header('accept-language'),
  });
  // biome-ignore lint/suspicious/noExplicitAny: see queryReportHandler
  if (wantsCsv(c, format)) return csvResponse(c, result, id) as any;
  return c.json(toResultDto(result), 200);
};

export const runReportCsvHandler: AppRouteHandler<typeof runReportCsvRoute> = async (c) => {
  const auth = c.var.credential;
  const id = checkReportId(c.req.valid('param').id);
  const { result } = await runSavedReport(c.var.deps, auth.tenantId, id, {
    acceptLanguage: c.req.header('accept-language'),
  });
  return csvResponse(c, result, id);
};
