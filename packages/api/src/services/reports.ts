import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { executeRows, type Tx } from '../db/database.js';
import { savedReports, staffUsers, tenants, tiers } from '../db/schema/index.js';
import { csvLines, type CsvCell } from '../lib/csv-write.js';
import { ApiError, defineErrorCodes, type FieldError } from '../lib/errors.js';
import { validationError } from '../lib/validation.js';
import { labelLocale, labelOf, type LabelLocale } from './analytics-labels.js';
import { appendAudit, diffOf } from './audit.js';
import type { AuditContext } from './audit-context.js';
import { selectCustomFields } from './custom-fields.js';
import {
  REPORT_COLUMN_LABELS,
  REPORT_SOURCE_LABELS,
  REPORT_STATUS_LABELS,
  NONE_LABELS,
  tableLabel,
} from './reports-labels.js';
import {
  checkReportSpec,
  compileReport,
  dimensionKey,
  MAX_GROUPS,
  type Dimension,
  type ReportSpec,
} from './reports-spec.js';
import { addDays, addMonths, localDay, monthStart, weekStart, zonedWallTime } from '../lib/time-zone.js';
import type { ServiceDeps } from './service-deps.js';

export type { ReportSpec } from './reports-spec.js';

/** Error codes of custom and saved reports. */
export const ReportErrors = defineErrorCodes({
  REPORT_NOT_FOUND: { status: 404, title: 'Report not found' },
  REPORT_TOO_MANY_GROUPS: { status: 422, title: 'Report has too many groups' },
});

/** One column of a report result. */
export interface ReportColumn {
  key: string;
  label: string;
  type: 'date' | 'string' | 'integer';
}

/** A report's answer: columns, one object per row keyed by column key, totals. */
export interface ReportResult {
  metric: string;
  from: string;
  to: string;
  columns: ReportColumn[];
  rows: Record<string, string | number | null>[];
  /** The metric over every row (for `unique_members`: distinct members over the whole range); null where a sum of rows means nothing (members over time). */
  totals: Record<string, number> | null;
  /** Always false: a report over {@link MAX_GROUPS} groups is refused, never cut. */
  truncated: false;
  /** The rollup the figures were read from. */
  source: string;
}

/** How to run a report. */
export interface RunOptions {
  /** `Accept-Language` of the request, for labels; the tenant's default locale otherwise. */
  acceptLanguage?: string | undefined;
  /** Prefix of field names in errors (`spec.` for saved reports). */
  fieldPrefix?: string;
  /** "Today" for relative ranges is the local date of this instant; default: the clock. */
  at?: Date;
}

interface TenantSettings {
  timeZone: string;
  defaultLocale: string;
}

async function tenantSettings(tx: Tx, tenantId: string): Promise<TenantSettings> {
  const [row] = await tx
    .select({ timeZone: tenants.timeZone, defaultLocale: tenants.defaultLocale })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  return row ?? { timeZone: 'UTC', defaultLocale: 'en' };
}

/** Checks a spec for the tenant (custom fields, ranges, combinations); throws 422 naming each bad field. */
async function planFor(tx: Tx, tenantId: string, spec: ReportSpec, at: Date, prefix: string) {
  const settings = await tenantSettings(tx, tenantId);
  const customFields = await selectCustomFields(tx, tenantId);
  const checked = checkReportSpec(spec, { today: localDay(at, settings.timeZone), customFields }, prefix);
  if (!checked.ok) throw validationError(checked.errors);
  return { plan: checked.plan, settings, customFields };
}

/**
 * Runs a report spec inside the caller's tenant transaction: checks it, runs the
 * compiled statement, labels the rows. 422 for a bad spec or more than
 * {@link MAX_GROUPS} groups.
 */
export async function runReportInTx(
  tx: Tx,
  deps: Pick<ServiceDeps, 'clock'>,
  tenantId: string,
  spec: ReportSpec,
  options: RunOptions = {},
): Promise<ReportResult> {
  const prefix = options.fieldPrefix ?? '';
  const { plan, settings } = await planFor(tx, tenantId, spec, options.at ?? deps.clock.now(), prefix);
  const locale = labelLocale(options.acceptLanguage, settings.defaultLocale);
  const compiled = compileReport(plan, tenantId);
  const raw = await executeRows<Record<string, unknown>>(tx.execute(compiled.query));
  if (raw.length > MAX_GROUPS) {
    throw new ApiError(
      ReportErrors.REPORT_TOO_MANY_GROUPS,
      `The report has more than ${MAX_GROUPS} groups. Use a coarser time dimension, fewer dimensions, a shorter range or filters.`,
      { errors: [{ field: `${prefix}dimensions`, message: `More than ${MAX_GROUPS} groups.` }] },
    );
  }
  const rows = raw.filter((r) => Number(r.value) !== 0);
  const dims = plan.dimensions;
  const tierNames = dims.some((d) => d.kind === 'tier') ? await tierNamesOf(tx, tenantId, rows, dims) : new Map();

  const columns: ReportColumn[] = [];
  for (const d of dims) {
    const key = dimensionKey(d);
    columns.push({ key, label: dimensionLabel(d, locale), type: d.kind === 'time' ? 'date' : 'string' });
    if (d.kind !== 'time')
      columns.push({
        key: `${key}_label`,
        label: `${dimensionLabel(d, locale)} (${labelWord(locale)})`,
        type: 'string',
      });
  }
  columns.push({ key: plan.metric, label: tableLabel(REPORT_COLUMN_LABELS, plan.metric, locale), type: 'integer' });

  const out = rows.map((r) => {
    const row: Record<string, string | number | null> = {};
    dims.forEach((d, i) => {
      const value = r[`d${i}`] as string | null;
      const key = dimensionKey(d);
      if (d.kind === 'time') {
        row[key] = value;
        return;
      }
      const cell = d.kind === 'tier' && value === '' ? null : value;
      row[key] = cell;
      row[`${key}_label`] = valueLabel(d, cell, locale, tierNames);
    });
    row[plan.metric] = Number(r.value);
    return row;
  });

  let totals: Record<string, number> | null = null;
  if (plan.metric === 'event_count' || (plan.metric === 'members' && !dims.some((d) => d.kind === 'time'))) {
    totals = { [plan.metric]: out.reduce((sum, r) => sum + (r[plan.metric] as number), 0) };
  } else if (plan.metric === 'unique_members') {
    // Distinct over the whole range: not the sum of the rows (a member active in two buckets counts once).
    const whole = compileReport({ ...plan, dimensions: [] }, tenantId);
    const [total] = await executeRows<{ value: unknown }>(tx.execute(whole.query));
    totals = { unique_members: Number(total?.value ?? 0) };
  }

  return {
    metric: plan.metric,
    from: plan.from,
    to: plan.to,
    columns,
    rows: out,
    totals,
    truncated: false,
    source: compiled.source,
  };
}

function labelWord(locale: LabelLocale): string {
  return locale === 'de' ? 'Bezeichnung' : 'label';
}

function dimensionLabel(d: Dimension, locale: LabelLocale): string {
  if (d.kind === 'custom_field')
    return d.field.label[locale] ?? d.field.label.en ?? Object.values(d.field.label)[0] ?? d.key;
  return tableLabel(REPORT_COLUMN_LABELS, dimensionKey(d), locale);
}

function valueLabel(d: Dimension, value: string | null, locale: LabelLocale, tierNames: Map<string, string>): string {
  switch (d.kind) {
    case 'tier':
      return value === null ? NONE_LABELS.tier[locale] : (tierNames.get(value) ?? value);
    case 'status':
      return tableLabel(REPORT_STATUS_LABELS, value ?? '', locale);
    case 'source':
      return tableLabel(REPORT_SOURCE_LABELS, value ?? '', locale);
    case 'event_type':
      return labelOf('event_type', value ?? '', locale);
    case 'custom_field': {
      if (value === null) return NONE_LABELS.value[locale];
      const option = d.field.options.find((o) => o.value === value);
      return option ? (option.label[locale] ?? option.label.en ?? value) : value;
    }
    default:
      return value ?? '';
  }
}

async function tierNamesOf(
  tx: Tx,
  tenantId: string,
  rows: Record<string, unknown>[],
  dims: Dimension[],
): Promise<Map<string, string>> {
  const index = dims.findIndex((d) => d.kind === 'tier');
  const ids = [...new Set(rows.map((r) => r[`d${index}`] as string).filter((id) => id))];
  if (ids.length === 0) return new Map();
  const found = await tx
    .select({ id: tiers.id, name: tiers.name })
    .from(tiers)
    .where(and(eq(tiers.tenantId, tenantId), inArray(tiers.id, ids)));
  return new Map(found.map((t) => [t.id, t.name]));
}

/** Runs a report spec for a tenant (`POST /v1/reports/query`). */
export function runReport(
  deps: ServiceDeps,
  tenantId: string,
  spec: ReportSpec,
  options: RunOptions = {},
): Promise<ReportResult> {
  return deps.db.withTenant(tenantId, (tx) => runReportInTx(tx, deps, tenantId, spec, options));
}

/**
 * A result as CSV (RFC 4180, CRLF), with the same escaping as the members export
 * (a cell that a spreadsheet would read as a formula gets a leading `'`). The
 * header row holds the column keys.
 */
export function reportCsv(result: ReportResult): string {
  const header = result.columns.map((c) => c.key);
  const body = result.rows.map((r) => result.columns.map((c) => r[c.key] as CsvCell));
  return csvLines([header, ...body]);
}

// --- saved reports -------------------------------------------------------------

export const REPORT_SCHEDULES = ['weekly', 'monthly'] as const;
export type ReportSchedule = (typeof REPORT_SCHEDULES)[number];
/** Local hour scheduled reports go out at. */
export const SCHEDULE_HOUR = 7;
export const MAX_RECIPIENTS = 20;

export type SavedReportRow = typeof savedReports.$inferSelect;

export interface NewSavedReport {
  name: string;
  description: string | null;
  spec: ReportSpec;
  schedule: ReportSchedule | null;
  recipients: string[];
}

export type SavedReportPatch = Partial<NewSavedReport>;

/**
 * The next time a schedule fires after `after`: 07:00 tenant-local on the next
 * Monday (weekly) or the next 1st (monthly) strictly later than `after`.
 */
export function nextRunAt(schedule: ReportSchedule, after: Date, timeZone: string): Date {
  const today = localDay(after, timeZone);
  let day = schedule === 'weekly' ? weekStart(today) : monthStart(today);
  for (let i = 0; i < 3; i++) {
    const at = zonedWallTime(day, SCHEDULE_HOUR, timeZone);
    if (at.getTime() > after.getTime()) return at;
    day = schedule === 'weekly' ? addDays(day, 7) : addMonths(day, 1);
  }
  return zonedWallTime(day, SCHEDULE_HOUR, timeZone);
}

function notFound(id: string): ApiError {
  return new ApiError(ReportErrors.REPORT_NOT_FOUND, `No report ${id}.`);
}

/** Recipients must be staff users of the tenant who are not disabled; a schedule needs at least one. */
async function checkRecipients(
  tx: Tx,
  tenantId: string,
  schedule: ReportSchedule | null,
  recipients: string[],
): Promise<void> {
  const errors: FieldError[] = [];
  if (schedule !== null && recipients.length === 0)
    errors.push({ field: 'recipients', message: 'A scheduled report needs at least one recipient.' });
  if (recipients.length > 0) {
    const found = await tx
      .select({ id: staffUsers.id, status: staffUsers.status })
      .from(staffUsers)
      .where(and(eq(staffUsers.tenantId, tenantId), inArray(staffUsers.id, recipients)));
    const ok = new Set(found.filter((s) => s.status !== 'disabled').map((s) => s.id));
    recipients.forEach((id, i) => {
      if (!ok.has(id)) errors.push({ field: `recipients.${i}`, message: `No active staff user ${id}.` });
    });
  }
  if (errors.length > 0) throw validationError(errors);
}

function auditFields(row: Pick<SavedReportRow, 'name' | 'description' | 'spec' | 'schedule' | 'recipients'>) {
  return {
    name: row.name,
    description: row.description,
    spec: row.spec,
    schedule: row.schedule,
    recipients: row.recipients,
  };
}

/** Creates a saved report (spec checked like a query). Audited as `report.created`. */
export async function createSavedReport(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  input: NewSavedReport,
): Promise<SavedReportRow> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const now = deps.clock.now();
    const { settings } = await planFor(tx, tenantId, input.spec, now, 'spec.');
    await checkRecipients(tx, tenantId, input.schedule, input.recipients);
    const [row] = await tx
      .insert(savedReports)
      .values({
        tenantId,
        id: deps.ids.generate('rpt'),
        name: input.name,
        description: input.description,
        spec: input.spec as unknown as Record<string, unknown>,
        schedule: input.schedule,
        recipients: input.recipients,
        nextRunAt: input.schedule ? nextRunAt(input.schedule, now, settings.timeZone) : null,
        createdBy: ctx.actorId,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await appendAudit(tx, deps, tenantId, ctx, [
      { action: 'report.created', targetType: 'report', targetId: row!.id, diff: auditFields(row!) },
    ]);
    return row!;
  });
}

/** A page of saved reports, oldest first (by id, which sorts by creation); `limit + 1` rows tell another page exists. */
export function listSavedReports(
  deps: ServiceDeps,
  tenantId: string,
  page: { limit: number; after?: string },
): Promise<SavedReportRow[]> {
  return deps.db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(savedReports)
      .where(and(eq(savedReports.tenantId, tenantId), page.after ? gt(savedReports.id, page.after) : undefined))
      .orderBy(asc(savedReports.id))
      .limit(page.limit + 1),
  );
}

async function selectReport(tx: Tx, tenantId: string, id: string, lock = false): Promise<SavedReportRow> {
  const query = tx
    .select()
    .from(savedReports)
    .where(and(eq(savedReports.tenantId, tenantId), eq(savedReports.id, id)));
  const [row] = await (lock ? query.for('update') : query);
  if (!row) throw notFound(id);
  return row;
}

/** One saved report; 404 REPORT_NOT_FOUND for an id of no report of this tenant. */
export function getSavedReport(deps: ServiceDeps, tenantId: string, id: string): Promise<SavedReportRow> {
  return deps.db.withTenant(tenantId, (tx) => selectReport(tx, tenantId, id));
}

/**
 * Changes a saved report. A new spec is checked; a changed schedule recomputes
 * `next_run_at`. A patch that changes nothing writes nothing. Audited as `report.updated`.
 */
export async function updateSavedReport(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  id: string,
  patch: SavedReportPatch,
): Promise<SavedReportRow> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const current = await selectReport(tx, tenantId, id, true);
    const now = deps.clock.now();
    const next = {
      name: patch.name ?? current.name,
      description: patch.description !== undefined ? patch.description : current.description,
      spec: (patch.spec ?? current.spec) as Record<string, unknown>,
      schedule: patch.schedule !== undefined ? patch.schedule : current.schedule,
      recipients: patch.recipients ?? current.recipients,
    };
    const { settings } = await planFor(tx, tenantId, next.spec as unknown as ReportSpec, now, 'spec.');
    if (patch.schedule !== undefined || patch.recipients !== undefined)
      await checkRecipients(tx, tenantId, next.schedule, next.recipients);
    const diff = diffOf(auditFields(current), auditFields(next));
    if (Object.keys(diff).length === 0) return current;
    const scheduleChanged = next.schedule !== current.schedule;
    const [updated] = await tx
      .update(savedReports)
      .set({
        ...next,
        ...(scheduleChanged
          ? { nextRunAt: next.schedule ? nextRunAt(next.schedule, now, settings.timeZone) : null }
          : {}),
        updatedAt: now,
      })
      .where(and(eq(savedReports.tenantId, tenantId), eq(savedReports.id, id)))
      .returning();
    await appendAudit(tx, deps, tenantId, ctx, [
      { action: 'report.updated', targetType: 'report', targetId: id, diff },
    ]);
    return updated!;
  });
}

/** Deletes a saved report (and its schedule). Audited as `report.deleted`. */
export async function deleteSavedReport(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  id: string,
): Promise<void> {
  await deps.db.withTenant(tenantId, async (tx) => {
    const current = await selectReport(tx, tenantId, id, true);
    await tx.delete(savedReports).where(and(eq(savedReports.tenantId, tenantId), eq(savedReports.id, id)));
    await appendAudit(tx, deps, tenantId, ctx, [
      { action: 'report.deleted', targetType: 'report', targetId: id, diff: auditFields(current) },
    ]);
  });
}

/** Runs a saved report now (`GET /v1/reports/{id}/result`). */
export async function runSavedReport(
  deps: ServiceDeps,
  tenantId: string,
  id: string,
  options: RunOptions = {},
): Promise<{ report: SavedReportRow; result: ReportResult }> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const report = await selectReport(tx, tenantId, id);
    const result = await runReportInTx(tx, deps, tenantId, report.spec as unknown as ReportSpec, {
      ...options,
      fieldPrefix: 'spec.',
    });
    return { report, result };
  });
}

/** For the scheduler: `sql` fragment of a due report. */
export const dueCondition = (now: Date) =>
  sql`${savedReports.schedule} is not null and ${savedReports.nextRunAt} <= ${now.toISOString()}::timestamptz`;
