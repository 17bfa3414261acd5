import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { createUlidGenerator, systemClock } from '@memberkit/api';
import {
  createInProcessLiveness,
  createScopedDatabase,
  type DrizzleDb,
  schema,
  type ServiceDeps,
} from '@memberkit/api/testing/bench';

export interface CapturedQuery {
  sql: string;
  params: unknown[];
}

/** The API's service dependencies on the bench database, over one connection of this process. */
export interface BenchServices {
  deps: ServiceDeps;
  close(): Promise<void>;
}

/**
 * Opens service dependencies on the bench database, so the bench asks the API's own
 * service code (what a search matches, what SQL a list sends) instead of restating it.
 * `onQuery` receives every statement drizzle sends, with its parameters.
 */
export function openServices(databaseUrl: string, onQuery?: (query: CapturedQuery) => void): BenchServices {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const db = drizzle({
    client: pool,
    schema,
    ...(onQuery ? { logger: { logQuery: (sql: string, params: unknown[]) => onQuery({ sql, params }) } } : {}),
  }) as unknown as DrizzleDb;
  // One connection, used by this process only: in-process liveness is enough.
  const database = createScopedDatabase({
    driver: 'pg',
    db,
    liveness: createInProcessLiveness(),
    migrate: async () => undefined,
    close: () => pool.end(),
  });
  return {
    deps: { db: database, clock: systemClock, ids: createUlidGenerator(systemClock) },
    close: () => database.close(),
  };
}

/**
 * Runs the API's own service code against the bench database with drizzle's
 * query logger on, so the SQL and parameters are exactly what the app sends.
 */
export async function captureQueries(
  databaseUrl: string,
  fn: (deps: ServiceDeps) => Promise<unknown>,
): Promise<CapturedQuery[]> {
  const captured: CapturedQuery[] = [];
  const services = openServices(databaseUrl, (query) => captured.push(query));
  try {
    await fn(services.deps);
  } finally {
    await services.close();
  }
  return captured;
}

export interface Explained {
  sql: string;
  params: unknown[];
  plan: string;
  executionMs: number | null;
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of a query as the app runs it: in a transaction,
 * as role memberkit_app with app.tenant_id set (so row-level security applies),
 * with the same bind parameters (custom plan, as node-postgres's unnamed
 * statements get). Runs the query twice first so the plan shows a warm cache.
 * Rolled back: safe for any statement.
 */
export async function explainAsApp(databaseUrl: string, tenantId: string, query: CapturedQuery): Promise<Explained> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('begin');
    await client.query("select set_config('role', 'memberkit_app', true), set_config('app.tenant_id', $1, true)", [
      tenantId,
    ]);
    for (let i = 0; i < 2; i++) await client.query(query.sql, query.params);
    const result = await client.query<{ 'QUERY PLAN': string }>(
      `explain (analyze, buffers) ${query.sql}`,
      query.params,
    );
    const plan = result.rows.map((r) => r['QUERY PLAN']).join('\n');
    const match = /Execution Time: ([\d.]+) ms/.exec(plan);
    return { sql: query.sql, params: query.params, plan, executionMs: match ? Number(match[1]) : null };
  } finally {
    await client.query('rollback').catch(() => undefined);
    await client.end();
  }
}
