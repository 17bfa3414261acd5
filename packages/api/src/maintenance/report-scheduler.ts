import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { mailOutbox, savedReports, staffUsers, tenants } from '../db/schema/index.js';
import { base32Crockford } from '../lib/encoding.js';
import { ApiError } from '../lib/errors.js';
import { ID_BODY_LENGTH } from '../lib/ids.js';
import type { Logger } from '../lib/logger.js';
import { createPeriodicLoop } from '../lib/periodic-loop.js';
import type { ScheduledReportData } from '../mail/templates/scheduled-report.js';
import { nextRunAt, runReportInTx, type ReportResult, type ReportSpec } from '../services/reports.js';
import type { ServiceDeps } from '../services/service-deps.js';

export interface ReportSchedulerOptions {
  deps: ServiceDeps;
  logger: Logger;
  /** Reports run per {@link ReportScheduler.runOnce} (each in its own transaction). Default 50. */
  batch?: number;
  /** Only these tenants (tests sharing a database); all when omitted. */
  onlyTenants?: readonly string[];
}

/** What one run did. */
export interface ReportSchedulerRun {
  /** Due reports handled (mailed, or skipped because their spec no longer runs). */
  reports: number;
  mails: number;
  failed: number;
}

/** Mails saved reports on their schedule. */
export interface ReportScheduler {
  runOnce(): Promise<ReportSchedulerRun>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

/**
 * The id of the mail of one run of a report to one recipient: a ULID whose time is
 * the scheduled slot and whose "random" part is a hash of (report, slot, recipient),
 * so the same run can never queue the same mail twice (the insert does nothing on
 * conflict), whatever crashes and retries happen.
 */
async function runMailId(tenantId: string, reportId: string, slot: Date, staffId: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest(
      'SHA-256',
      new TextEncoder().encode(`${tenantId}|${reportId}|${slot.toISOString()}|${staffId}`),
    ),
  );
  const bytes = new Uint8Array(16);
  let time = BigInt(slot.getTime());
  for (let i = 5; i >= 0; i--) {
    bytes[i] = Number(time & 0xffn);
    time >>= 8n;
  }
  bytes.set(digest.subarray(0, 10), 6);
  return `mail_${base32Crockford(bytes, ID_BODY_LENGTH)}`;
}

/** The result as the mail shows it: dimension labels rather than ids, numbers as text. */
function mailTable(result: ReportResult): Pick<ScheduledReportData, 'columns' | 'rows' | 'total_rows'> {
  const byKey = new Map(result.columns.map((c) => [c.key, c]));
  const shown = result.columns.filter((c) => !byKey.has(`${c.key}_label`));
  return {
    // A label column is headed like its dimension ("Tier", not "Tier (label)").
    columns: shown.map((c) => (c.key.endsWith('_label') ? byKey.get(c.key.slice(0, -6))?.label : undefined) ?? c.label),
    rows: result.rows.map((row) => shown.map((c) => (row[c.key] === null ? '' : String(row[c.key])))),
    total_rows: result.rows.length,
  };
}

/**
 * Creates the job that mails scheduled reports. Each run claims due reports of
 * every tenant one at a time (`FOR UPDATE SKIP LOCKED` as the platform role, so
 * any number of schedulers share the work), enters the report's tenant in the same
 * transaction, runs the report as of its slot (a relative range ends on the slot's
 * local date), queues one `scheduled_report` mail per recipient in the outbox and
 * moves `next_run_at` to the next slot after now, all in that transaction: a report
 * is mailed once per slot. Slots missed while no scheduler ran are not made up.
 * A report whose spec no longer runs (a custom field removed) is skipped for the slot
 * and logged.
 */
export function createReportScheduler(options: ReportSchedulerOptions): ReportScheduler {
  const { deps, logger } = options;
  const batch = options.batch ?? 50;
  const onlyTenants = options.onlyTenants ? [...options.onlyTenants] : null;

  /** Handles one due report; null when none is due. */
  async function runNext(now: Date): Promise<{ mails: number; failed: boolean } | null> {
    return deps.db.withPlatform(async (tx, scope) => {
      const [due] = await tx
        .select({ tenantId: savedReports.tenantId, id: savedReports.id })
        .from(savedReports)
        .where(
          and(
            sql`${savedReports.schedule} is not null`,
            sql`${savedReports.nextRunAt} <= ${now.toISOString()}::timestamptz`,
            onlyTenants ? inArray(savedReports.tenantId, onlyTenants) : undefined,
          ),
        )
        .orderBy(asc(savedReports.nextRunAt))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!due) return null;
      await scope.enterTenant(due.tenantId);
      return runReport(tx, due.tenantId, due.id, now);
    });
  }

  async function runReport(tx: Tx, tenantId: string, id: string, now: Date) {
    const [report] = await tx
      .select()
      .from(savedReports)
      .where(and(eq(savedReports.tenantId, tenantId), eq(savedReports.id, id)));
    const [tenant] = await tx
      .select({ timeZone: tenants.timeZone, locale: tenants.defaultLocale })
      .from(tenants)
      .where(eq(tenants.id, tenantId));
    if (!report?.schedule || !report.nextRunAt || !tenant) return { mails: 0, failed: false };
    const slot = report.nextRunAt;

    let result: ReportResult | null = null;
    try {
      // A savepoint: a report that fails must not abort the transaction that advances its schedule.
      result = await tx.transaction((sp) =>
        runReportInTx(sp, deps, tenantId, report.spec as unknown as ReportSpec, {
          at: slot,
          acceptLanguage: tenant.locale,
          fieldPrefix: 'spec.',
        }),
      );
    } catch (error) {
      logger.warn('scheduled report not run', {
        tenant_id: tenantId,
        report_id: id,
        reason: error instanceof ApiError ? `${error.code}: ${error.detail}` : String(error),
      });
    }

    let mails = 0;
    if (result) {
      const staff = report.recipients.length
        ? await tx
            .select({ id: staffUsers.id, email: staffUsers.email, status: staffUsers.status })
            .from(staffUsers)
            .where(and(eq(staffUsers.tenantId, tenantId), inArray(staffUsers.id, report.recipients)))
        : [];
      const data: ScheduledReportData = {
        report_name: report.name,
        from: result.from,
        to: result.to,
        schedule: report.schedule,
        ...mailTable(result),
      };
      for (const person of staff) {
        if (person.status === 'disabled') continue;
        const inserted = await tx
          .insert(mailOutbox)
          .values({
            tenantId,
            id: await runMailId(tenantId, id, slot, person.id),
            template: 'scheduled_report',
            toAddress: person.email,
            locale: tenant.locale,
            data: { ...data, report_id: id, run_at: slot.toISOString() },
          })
          .onConflictDoNothing()
          .returning({ id: mailOutbox.id });
        mails += inserted.length;
      }
    }

    await tx
      .update(savedReports)
      .set({ nextRunAt: nextRunAt(report.schedule, now, tenant.timeZone), lastRunAt: now })
      .where(and(eq(savedReports.tenantId, tenantId), eq(savedReports.id, id)));
    return { mails, failed: result === null };
  }

  async function runOnce(): Promise<ReportSchedulerRun> {
    const out: ReportSchedulerRun = { reports: 0, mails: 0, failed: 0 };
    const now = deps.clock.now();
    for (let i = 0; i < batch; i++) {
      const done = await runNext(now);
      if (!done) break;
      out.reports += 1;
      out.mails += done.mails;
      if (done.failed) out.failed += 1;
    }
    if (out.reports > 0) logger.info('scheduled reports run', { ...out });
    return out;
  }

  const loop = createPeriodicLoop(
    async () => (await runOnce()).reports >= batch,
    (error) =>
      logger.error('report scheduler run failed', { reason: error instanceof Error ? error.message : String(error) }),
  );
  return { runOnce, start: loop.start, stop: loop.stop };
}
