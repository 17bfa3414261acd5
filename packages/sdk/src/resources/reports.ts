import type { ListPromise } from '../core/pagination.js';
import { Resource, seg, toQuery } from '../core/resource.js';
import type { CallOptions } from '../core/transport.js';
import type { BodyOf, QueryOf, ResponseOf, Schema } from '../core/types.js';

/** What a custom report computes: metric, dimensions, filters and time range. */
export type ReportSpec = Schema<'ReportSpec'>;
/** A report's table: columns, rows (with `<key>_label` columns) and totals. */
export type ReportResult = Schema<'ReportResult'>;
/** A saved report. */
export type Report = Schema<'Report'>;
/** One page of saved reports. */
export type ReportList = Schema<'ReportList'>;
/** Body of {@link ReportsResource.create}. */
export type CreateReportParams = BodyOf<'createReport'>;
/** Body of {@link ReportsResource.update}: only the fields sent change. */
export type UpdateReportParams = BodyOf<'updateReport'>;
/** Page size of {@link ReportsResource.list}. */
export type ListReportsParams = Omit<QueryOf<'listReports'>, 'cursor'>;
/** Answer of {@link ReportsResource.del}. */
export type DeletedReport = ResponseOf<'deleteReport'>;

/**
 * `mk.reports`: custom reports over the tenant's activity and members: run a spec
 * at once, or save it (optionally mailed to staff weekly or monthly) and run it later.
 */
export class ReportsResource extends Resource {
  /**
   * Runs a report spec once (`POST /v1/reports/query`).
   *
   * @example
   * const result = await mk.reports.query({ metric: 'unique_members', dimensions: ['month', 'tier'], range: 'last_12_months' });
   * for (const row of result.rows) console.log(row.month, row.tier_label, row.unique_members);
   */
  query(spec: ReportSpec, options?: CallOptions): Promise<ReportResult> {
    // A read, whatever its method: nothing to deduplicate.
    return this.call({ method: 'POST', path: '/v1/reports/query', body: spec, idempotent: false }, options);
  }

  /**
   * Saves a report (`POST /v1/reports`).
   *
   * @example
   * const report = await mk.reports.create({ name: 'Active members by tier', spec: { metric: 'unique_members', dimensions: ['month', 'tier'], range: 'last_12_months' } });
   */
  create(params: CreateReportParams, options?: CallOptions): Promise<Report> {
    return this.call({ method: 'POST', path: '/v1/reports', body: params }, options);
  }

  /** Lists saved reports (`GET /v1/reports`): await it for one page, or iterate it for all. */
  list(params?: ListReportsParams, options?: CallOptions): ListPromise<ReportList> {
    return this.paginate({ path: '/v1/reports', query: toQuery(params) }, options);
  }

  /** Retrieves a saved report (`GET /v1/reports/{id}`). */
  retrieve(id: string, options?: CallOptions): Promise<Report> {
    return this.call({ method: 'GET', path: `/v1/reports/${seg(id)}` }, options);
  }

  /** Updates a saved report (`PATCH /v1/reports/{id}`); only the fields sent change. */
  update(id: string, params: UpdateReportParams, options?: CallOptions): Promise<Report> {
    return this.call({ method: 'PATCH', path: `/v1/reports/${seg(id)}`, body: params }, options);
  }

  /** Deletes a saved report (`DELETE /v1/reports/{id}`). */
  del(id: string, options?: CallOptions): Promise<DeletedReport> {
    return this.call({ method: 'DELETE', path: `/v1/reports/${seg(id)}` }, options);
  }

  /** Runs a saved report now (`GET /v1/reports/{id}/result`). */
  result(id: string, options?: CallOptions): Promise<ReportResult> {
    return this.call({ method: 'GET', path: `/v1/reports/${seg(id)}/result` }, options);
  }

  /**
   * Runs a saved report now, as CSV text (`GET /v1/reports/{id}/result.csv`): a header
   * row of column keys, then one row per group.
   *
   * @example
   * await writeFile('report.csv', await mk.reports.resultCsv('rpt_…'));
   */
  async resultCsv(id: string, options?: CallOptions): Promise<string> {
    const response = await this.transport.send(
      { method: 'GET', path: `/v1/reports/${seg(id)}/result.csv`, accept: 'text/csv' },
      options,
    );
    return response.text();
  }
}
