import { createRouter } from '../../lib/create-router.js';
import {
  createReportHandler,
  deleteReportHandler,
  getReportHandler,
  listReportsHandler,
  queryReportHandler,
  runReportCsvHandler,
  runReportHandler,
  updateReportHandler,
} from './reports.handlers.js';
import {
  createReportRoute,
  deleteReportRoute,
  getReportRoute,
  listReportsRoute,
  queryReportRoute,
  runReportCsvRoute,
  runReportRoute,
  updateReportRoute,
} from './reports.routes.js';

/** `/v1/reports`: custom report queries, saved and scheduled reports. */
export const reportsRouter = createRouter()
  .openapi(queryReportRoute, queryReportHandler)
  .openapi(createReportRoute, createReportHandler)
  .openapi(listReportsRoute, listReportsHandler)
  .openapi(runReportCsvRoute, runReportCsvHandler)
  .openapi(runReportRoute, runReportHandler)
  .openapi(getReportRoute, getReportHandler)
  .openapi(updateReportRoute, updateReportHandler)
  .openapi(deleteReportRoute, deleteReportHandler);
