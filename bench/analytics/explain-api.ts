/**
 * EXPLAIN (ANALYZE, BUFFERS) of the statements the API's analytics services send:
 * the services run against the bench database with drizzle's query logger on
 * (bench/lib/explain.ts), then each captured statement is explained as the app runs
 * it (role memberkit_app, app.tenant_id set, warm cache, rolled back). The services
 * come from @memberkit/api/testing/bench.
 */
import { captureQueries, explainAsApp } from '../lib/explain.js';
import { getEngagement, growthReport, retentionReport, runReport } from '@memberkit/api/testing/bench';

export interface ApiExplain {
  title: string;
  sql: string;
  plan: string;
  executionMs: number | null;
}

export async function explainApi(
  databaseUrl: string,
  tenantId: string,
  scenario: 'engagement' | 'retention' | 'growth' | 'report',
  window: { from: string; to: string },
): Promise<ApiExplain[]> {
  const captured = await captureQueries(databaseUrl, (deps) => {
    switch (scenario) {
      case 'engagement':
        return getEngagement(deps, tenantId, { from: window.from, to: window.to, interval: 'day' });
      case 'retention':
        return retentionReport(deps, tenantId, { grain: 'month', periods: 12 });
      case 'growth':
        return growthReport(deps, tenantId, { from: window.from, to: window.to, interval: 'month' });
      case 'report':
        return runReport(deps, tenantId, {
          metric: 'unique_members',
          dimensions: ['month', 'tier'],
          from: window.from,
          to: window.to,
        });
    }
  });
  const out: ApiExplain[] = [];
  let n = 0;
  for (const q of captured) {
    const text = q.sql.trim().toLowerCase();
    if (!(text.startsWith('select') || text.startsWith('with')) || text.includes('set_config')) continue;
    n++;
    const e = await explainAsApp(databaseUrl, tenantId, q);
    out.push({
      title: `statement ${n} (${e.executionMs ?? '?'} ms)`,
      sql: `${q.sql}\n-- params: ${JSON.stringify(q.params).slice(0, 2000)}`,
      plan: e.plan,
      executionMs: e.executionMs,
    });
  }
  return out;
}
