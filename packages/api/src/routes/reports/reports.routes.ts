import { createRoute, z } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import { authenticatedErrors, errorResponses, IdempotencyHeaders, pageOf, SECURITY } from '../../lib/openapi.js';
import { idParam } from '../../lib/schemas.js';
import {
  CreateReportBody,
  DeletedReportSchema,
  ListReportsQuery,
  REPORT_CSV_EXAMPLE,
  ReportResultSchema,
  ReportSpecSchema,
  ResultQuery,
  SavedReportSchema,
  UpdateReportBody,
} from './reports.schemas.js';

const TAGS = ['Reports'];
const reportId = idParam('rpt_01jdx3v4k7m9q2w8e5r6t0y1zc');
const reportResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: SavedReportSchema } },
});
const csv = { 'text/csv': { schema: z.string().openapi({ example: REPORT_CSV_EXAMPLE }) } };
const resultResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ReportResultSchema }, ...csv },
});

export const queryReportRoute = createRoute({
  method: 'post',
  path: '/v1/reports/query',
  operationId: 'queryReport',
  middleware: [requireCredential(['secret_key', 'staff'], 'analytics:read')] as const,
  tags: TAGS,
  summary: 'Run a custom report',
  description:
    'Answers a report spec with a table, read from the analytics rollups (never raw events). Supported: `event_count` and `unique_members` by any dimension (tier = tier at the time of the activity; status, source and custom fields = the member’s current values); `members` by tier, status, source or a select custom field (current members), or by day/week/month with tier, status and source (members at the end of each bucket). `sum` is refused (422) until numeric properties have a rollup. At most 3 dimensions (one of them time), a range of at most 3 years, at most 1,000 groups (more: 422 `REPORT_TOO_MANY_GROUPS`). Every refused field is named in `errors`. `Accept: text/csv` answers CSV.',
  security: SECURITY.secretKey,
  request: { body: { required: true, content: { 'application/json': { schema: ReportSpecSchema } } } },
  responses: {
    200: resultResponse('The report.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    413: errorResponses[413],
    415: errorResponses[415],
    422: errorResponses[422],
  },
});

export const createReportRoute = createRoute({
  method: 'post',
  path: '/v1/reports',
  operationId: 'createReport',
  middleware: [requireCredential(['secret_key', 'staff'], 'report:manage')] as const,
  tags: TAGS,
  summary: 'Save a report',
  description:
    'Saves a report spec (checked exactly as `POST /v1/reports/query` checks it; errors name `spec.<field>`). With `schedule`, the result is mailed to `recipients` (staff user ids) every Monday or every 1st at 07:00 tenant time; use a relative `range` in the spec so each mail covers the latest period.',
  security: SECURITY.secretKey,
  request: {
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: CreateReportBody } } },
  },
  responses: {
    201: reportResponse('The saved report.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    409: errorResponses[409],
    413: errorResponses[413],
    415: errorResponses[415],
    422: errorResponses[422],
  },
});

export const listReportsRoute = createRoute({
  method: 'get',
  path: '/v1/reports',
  operationId: 'listReports',
  middleware: [requireCredential(['secret_key', 'staff'], 'report:read')] as const,
  tags: TAGS,
  summary: 'List saved reports',
  description: 'Saved reports, oldest first.',
  security: SECURITY.secretKey,
  request: { query: ListReportsQuery },
  responses: {
    200: {
      description: 'A page of saved reports.',
      content: { 'application/json': { schema: pageOf(SavedReportSchema, 'ReportList') } },
    },
    400: errorResponses[400],
    ...authenticatedErrors,
    422: errorResponses[422],
  },
});

export const getReportRoute = createRoute({
  method: 'get',
  path: '/v1/reports/{id}',
  operationId: 'getReport',
  middleware: [requireCredential(['secret_key', 'staff'], 'report:read')] as const,
  tags: TAGS,
  summary: 'Retrieve a saved report',
  description: 'One saved report by id.',
  security: SECURITY.secretKey,
  request: { params: reportId },
  responses: { 200: reportResponse('The report.'), ...authenticatedErrors, 404: errorResponses[404] },
});

export const updateReportRoute = createRoute({
  method: 'patch',
  path: '/v1/reports/{id}',
  operationId: 'updateReport',
  middleware: [requireCredential(['secret_key', 'staff'], 'report:manage')] as const,
  tags: TAGS,
  summary: 'Update a saved report',
  description:
    'Changes only the fields sent. A new `spec` replaces the old one and is checked; changing `schedule` recomputes `next_run_at`; `{"schedule": null}` stops the mails.',
  security: SECURITY.secretKey,
  request: {
    params: reportId,
    body: { required: true, content: { 'application/json': { schema: UpdateReportBody } } },
  },
  responses: {
    200: reportResponse('The updated report.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    404: errorResponses[404],
    413: errorResponses[413],
    415: errorResponses[415],
    422: errorResponses[422],
  },
});

export const deleteReportRoute = createRoute({
  method: 'delete',
  path: '/v1/reports/{id}',
  operationId: 'deleteReport',
  middleware: [requireCredential(['secret_key', 'staff'], 'report:manage')] as const,
  tags: TAGS,
  summary: 'Delete a saved report',
  description: 'Deletes the report and its schedule.',
  security: SECURITY.secretKey,
  request: { params: reportId },
  responses: {
    200: { description: 'The report was deleted.', content: { 'application/json': { schema: DeletedReportSchema } } },
    ...authenticatedErrors,
    404: errorResponses[404],
  },
});

export const runReportRoute = createRoute({
  method: 'get',
  path: '/v1/reports/{id}/result',
  operationId: 'runReport',
  middleware: [requireCredential(['secret_key', 'staff'], 'analytics:read')] as const,
  tags: TAGS,
  summary: 'Run a saved report',
  description:
    "Runs the saved spec now (a relative `range` ends today in the tenant’s zone). JSON, or CSV with `Accept: text/csv` or `format=csv` (cells a spreadsheet would take for a formula are prefixed with `'`). A spec that no longer fits the tenant (a custom field removed) is a 422 naming `spec.<field>`.",
  security: SECURITY.secretKey,
  request: { params: reportId, query: ResultQuery },
  responses: {
    200: resultResponse('The report.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    404: errorResponses[404],
    422: errorResponses[422],
  },
});

export const runReportCsvRoute = createRoute({
  method: 'get',
  path: '/v1/reports/{id}/result.csv',
  operationId: 'exportReport',
  middleware: [requireCredential(['secret_key', 'staff'], 'analytics:read')] as const,
  tags: TAGS,
  summary: 'Run a saved report as CSV',
  description: 'The result of `GET /v1/reports/{id}/result` as a CSV download (header row: column keys).',
  security: SECURITY.secretKey,
  request: { params: reportId },
  responses: {
    200: { description: 'The report as CSV.', content: csv },
    ...authenticatedErrors,
    404: errorResponses[404],
    422: errorResponses[422],
  },
});
