import { z } from '@hono/zod-openapi';
import { named, PaginationQuery } from '../../lib/openapi.js';
import { Timestamp } from '../../lib/schemas.js';
import {
  MAX_DIMENSIONS,
  REPORT_METRICS,
  REPORT_RANGES,
  REPORT_SOURCES,
  REPORT_STATUSES,
} from '../../services/reports-spec.js';
import {
  MAX_RECIPIENTS,
  REPORT_SCHEDULES,
  type ReportResult,
  type ReportSpec,
  type SavedReportRow,
} from '../../services/reports.js';

const REPORT_ID_EXAMPLE = 'rpt_01jdx3v4k7m9q2w8e5r6t0y1zc';
const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Must be a date YYYY-MM-DD.')
  .openapi({ format: 'date', example: '2026-01-01' });
const ShortText = z.string().min(1).max(128);

const SPEC_EXAMPLE: ReportSpec = {
  metric: 'unique_members',
  dimensions: ['month', 'tier'],
  filters: { event_type: ['event.attended'] },
  from: '2026-01-01',
  to: '2026-06-30',
};

/** A custom report spec (`ReportSpec` component): what to count, grouped by what, filtered how, over which days. */
export const ReportSpecSchema = named(
  z.strictObject({
    metric: z.enum(REPORT_METRICS).openapi({
      description:
        '`event_count`: activity events; `unique_members`: distinct members with activity; `members`: member counts (current, or at the end of each time bucket); `sum`: not supported yet (422).',
      example: 'unique_members',
    }),
    property: z
      .string()
      .max(64)
      .optional()
      .openapi({ description: 'The numeric event property `sum` adds up.', example: 'amount' }),
    dimensions: z
      .array(z.string().max(80))
      .max(MAX_DIMENSIONS)
      .optional()
      .openapi({
        description:
          'Up to 3 of `day`, `week`, `month` (at most one), `tier`, `status`, `event_type`, `source`, `custom_field:<key>` (a select field). `tier` of activity is the tier at the time of the event; `status`, `source` and custom fields are the member’s current values.',
        example: ['month', 'tier'],
      }),
    filters: z
      .strictObject({
        tier_id: z
          .array(ShortText)
          .min(1)
          .max(100)
          .optional()
          .openapi({
            description: 'Tier ids; `none` for members without a tier.',
            example: ['tier_01jdx3v4k7m9q2w8e5r6t0y1zc'],
          }),
        event_type: z
          .array(ShortText)
          .min(1)
          .max(100)
          .optional()
          .openapi({ example: ['event.attended'] }),
        status: z
          .array(z.enum(REPORT_STATUSES))
          .min(1)
          .optional()
          .openapi({ example: ['active'] }),
        source: z
          .array(z.enum(REPORT_SOURCES))
          .min(1)
          .optional()
          .openapi({ example: ['signup', 'invite'] }),
        custom_field: z
          .strictObject({ key: z.string().max(64), values: z.array(z.string().max(200)).min(1).max(100) })
          .optional()
          .openapi({
            description: 'A select field and the values to keep.',
            example: { key: 'region', values: ['north'] },
          }),
      })
      .optional(),
    from: LocalDate.optional().openapi({ description: 'First day (tenant time zone), inclusive.' }),
    to: LocalDate.optional().openapi({
      description: 'Last day (tenant time zone), inclusive; at most 3 years after `from`.',
      example: '2026-06-30',
    }),
    range: z.enum(REPORT_RANGES).optional().openapi({
      description:
        'Instead of `from`/`to`: a range relative to today in the tenant’s zone (for saved and scheduled reports). `previous_week` is Monday to Sunday, `last_12_months` the 12 whole months before this one.',
      example: 'previous_month',
    }),
  }),
  'ReportSpec',
  SPEC_EXAMPLE,
  { description: 'A custom report: metric, up to 3 dimensions, filters and a range of local dates.' },
);

const Cell = z.union([z.string(), z.number(), z.null()]);

/** A report's answer. */
export const ReportResultSchema = named(
  z.object({
    object: z.literal('report_result'),
    metric: z.enum(REPORT_METRICS),
    from: LocalDate,
    to: LocalDate,
    columns: z.array(
      z.object({
        key: z.string().openapi({ example: 'month' }),
        label: z.string().openapi({ example: 'Month' }),
        type: z.enum(['date', 'string', 'integer']),
      }),
    ),
    rows: z.array(z.record(z.string(), Cell)).openapi({
      description:
        'One object per group, keyed by column key; each non-time dimension has a `<key>_label` column in the request’s language. Groups with the value 0 are left out.',
    }),
    totals: z.record(z.string(), z.number()).nullable().openapi({
      description:
        'The metric over all rows (`unique_members`: distinct over the whole range, not the sum of rows); null for members over time.',
    }),
    truncated: z.literal(false).openapi({ description: 'Always false: more than 1,000 groups is a 422, never a cut.' }),
    source: z
      .string()
      .openapi({ description: 'The rollup the figures were read from.', example: 'activity_member_periods' }),
  }),
  'ReportResult',
  {
    object: 'report_result',
    metric: 'unique_members',
    from: '2026-01-01',
    to: '2026-06-30',
    columns: [
      { key: 'month', label: 'Month', type: 'date' },
      { key: 'tier', label: 'Tier', type: 'string' },
      { key: 'tier_label', label: 'Tier (label)', type: 'string' },
      { key: 'unique_members', label: 'Active members', type: 'integer' },
    ],
    rows: [
      { month: '2026-01-01', tier: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc', tier_label: 'Supporter', unique_members: 42 },
    ],
    totals: { unique_members: 57 },
    truncated: false,
    source: 'activity_member_periods',
  },
  { description: 'The table a report spec answers.' },
);

export const REPORT_CSV_EXAMPLE =
  'month,tier,tier_label,unique_members\r\n2026-01-01,tier_01jdx3v4k7m9q2w8e5r6t0y1zc,Supporter,42\r\n';

const Schedule = z.enum(REPORT_SCHEDULES).nullable().openapi({
  description:
    'Mail the result to `recipients` every Monday (`weekly`) or every 1st (`monthly`) at 07:00 tenant time; null: not mailed.',
  example: 'weekly',
});
const Recipients = z
  .array(z.string().max(64))
  .max(MAX_RECIPIENTS)
  .openapi({
    description: 'Staff user ids of the tenant (not disabled).',
    example: ['stf_01jdx3v4k7m9q2w8e5r6t0y1zc'],
  });
const Name = z.string().trim().min(1).max(200).openapi({ example: 'Active members by tier' });
const Description = z.string().max(2000).nullable().openapi({ example: 'For the monthly board meeting.' });

/** A saved report (`Report` component). */
export const SavedReportSchema = named(
  z.object({
    id: z.string().openapi({ example: REPORT_ID_EXAMPLE }),
    object: z.literal('report'),
    name: Name,
    description: Description,
    spec: ReportSpecSchema,
    schedule: Schedule,
    recipients: Recipients,
    next_run_at: Timestamp.nullable().openapi({
      description: 'When the scheduled mail goes out next; null unless scheduled.',
    }),
    last_run_at: Timestamp.nullable(),
    created_by: z
      .string()
      .nullable()
      .openapi({ description: 'Staff user or API key that created it.', example: 'stf_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
    created_at: Timestamp,
    updated_at: Timestamp,
  }),
  'Report',
  {
    id: REPORT_ID_EXAMPLE,
    object: 'report',
    name: 'Active members by tier',
    description: 'For the monthly board meeting.',
    spec: { metric: 'unique_members', dimensions: ['month', 'tier'], range: 'last_12_months' },
    schedule: 'monthly',
    recipients: ['stf_01jdx3v4k7m9q2w8e5r6t0y1zc'],
    next_run_at: '2026-12-01T06:00:00.000Z',
    last_run_at: null,
    created_by: 'stf_01jdx3v4k7m9q2w8e5r6t0y1zc',
    created_at: '2026-11-27T09:30:00.000Z',
    updated_at: '2026-11-27T09:30:00.000Z',
  },
  { description: 'A saved custom report, optionally mailed to staff on a schedule.' },
);

export const DeletedReportSchema = named(
  z.object({ id: z.string(), object: z.literal('report'), deleted: z.literal(true) }),
  'DeletedReport',
  { id: REPORT_ID_EXAMPLE, object: 'report', deleted: true },
  { description: 'Confirms a report was deleted.' },
);

export const CreateReportBody = z
  .strictObject({
    name: Name,
    description: Description.optional(),
    spec: ReportSpecSchema,
    schedule: Schedule.optional(),
    recipients: Recipients.optional(),
  })
  .openapi('CreateReportBody', {
    example: {
      name: 'Active members by tier',
      spec: { metric: 'unique_members', dimensions: ['month', 'tier'], range: 'last_12_months' },
      schedule: 'monthly',
      recipients: ['stf_01jdx3v4k7m9q2w8e5r6t0y1zc'],
    },
  });

export const UpdateReportBody = z
  .strictObject({
    name: Name.optional(),
    description: Description.optional(),
    spec: ReportSpecSchema.optional(),
    schedule: Schedule.optional(),
    recipients: Recipients.optional(),
  })
  .openapi('UpdateReportBody', { example: { schedule: null } });

export const ListReportsQuery = PaginationQuery;

/** `format` of a result: JSON unless `csv` (or `Accept: text/csv`). */
export const ResultQuery = z.object({
  format: z.enum(['json', 'csv']).optional().openapi({
    description: 'Response format; `csv` is the same as `Accept: text/csv`.',
    example: 'csv',
  }),
});

export function toSavedReportDto(row: SavedReportRow): z.infer<typeof SavedReportSchema> {
  return {
    id: row.id,
    object: 'report',
    name: row.name,
    description: row.description,
    spec: row.spec as unknown as z.infer<typeof ReportSpecSchema>,
    schedule: row.schedule,
    recipients: row.recipients,
    next_run_at: row.nextRunAt?.toISOString() ?? null,
    last_run_at: row.lastRunAt?.toISOString() ?? null,
    created_by: row.createdBy,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export function toResultDto(result: ReportResult): z.infer<typeof ReportResultSchema> {
  return { object: 'report_result', ...result, metric: result.metric as z.infer<typeof ReportResultSchema>['metric'] };
}

/** The spec as the service takes it (zod has already checked its shape). */
export function toSpec(body: z.infer<typeof ReportSpecSchema>): ReportSpec {
  return body as ReportSpec;
}
