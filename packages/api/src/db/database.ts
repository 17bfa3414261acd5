import { DrizzleQueryError, sql, type ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { DatabaseUnavailableError, isBrokenConnection, isStatementTimeout } from './errors.js';
import type { Liveness } from './liveness.js';
import type * as schema from './schema/index.js';

export type Schema = typeof schema;

/** A transaction inside `withTenant` or `withPlatform`. The only handle services get to the database. */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

/** Any drizzle Postgres database over our schema, whatever the driver. */
export type DrizzleDb = PgDatabase<PgQueryResultHKT, Schema>;

export type DriverName = 'pglite' | 'pg' | 'neon';

/** Lets a platform transaction continue in one tenant's scope. */
export interface PlatformScope {
  enterTenant(tenantId: string): Promise<void>;
}

/**
 * The database as the app sees it. All tenant data is reached through
 * {@link Database.withTenant}; there is deliberately no way to run a query
 * outside a tenant- or platform-scoped transaction.
 */
export interface Database {
  readonly driver: DriverName;
  /**
   * Runs `fn` in a transaction as the `memberkit_app` role with `app.tenant_id`
   * set transaction-locally, so row-level security confines every statement to
   * that tenant. Safe on pooled connections: nothing outlives the transaction.
   */
  withTenant<T>(tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` as the `memberkit_platform` role: platform-operator work on the
   * tenants table. `enterTenant` switches the same transaction into one tenant's
   * scope, for writes that must be atomic with the tenant's creation.
   */
  withPlatform<T>(fn: (tx: Tx, scope: PlatformScope) => Promise<T>): Promise<T>;
  /**
   * Ties in-progress markers (idempotency claims) to the life of the request
   * and process that wrote them: see {@link Liveness}.
   */
  readonly liveness: Liveness;
  /** Applies pending migrations. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** Callbacks to run after each open transaction commits, by its transaction handle. */
const commitHooks = new WeakMap<Tx, (() => void)[]>();

/**
 * Runs `fn` once the transaction `tx` has committed (never if it rolls back): how a
 * write tells other parts of the process about itself without signalling uncommitted
 * data. `tx` must be the handle `withTenant`/`withPlatform` gave, not a savepoint's.
 */
export function onCommit(tx: Tx, fn: () => void): void {
  const hooks = commitHooks.get(tx);
  if (!hooks) throw new Error('onCommit needs the transaction withTenant or withPlatform opened (not a savepoint)');
  hooks.push(fn);
}

/** Switches the current transaction to the app role and one tenant. `set_config(..., true)` is transaction-local. */
export async function enterTenantScope(tx: Tx, tenantId: string): Promise<void> {
  await tx.execute(
    sql`select set_config('role', 'memberkit_app', true), set_config('app.tenant_id', ${tenantId}, true)`,
  );
}

/** Transaction-local limits: a runaway statement, or a transaction left open by a stalled client, cannot hold locks and connections for long. */
function limitsSql(statementTimeoutMs: number | undefined) {
  if (!statementTimeoutMs) return sql``;
  const ms = String(statementTimeoutMs);
  // An idle transaction is only a client gone quiet (every statement of ours follows the previous at once): 4x the statement limit.
  return sql`, set_config('statement_timeout', ${ms}, true), set_config('idle_in_transaction_session_timeout', ${String(statementTimeoutMs * 4)}, true)`;
}

/**
 * A driver failure that means "the database is unavailable for now" becomes a
 * {@link DatabaseUnavailableError}: a dropped or unreachable connection, or a
 * statement over the time limit. Only errors of a query (drizzle wraps those)
 * or of getting a connection count: a failing call to another service inside a
 * transaction stays what it is.
 */
function asUnavailable(error: unknown): unknown {
  if (error instanceof DatabaseUnavailableError) return error;
  let query: unknown = error;
  while (query && !(query instanceof DrizzleQueryError)) query = (query as { cause?: unknown }).cause;
  if (query && (isBrokenConnection(query) || isStatementTimeout(query))) return new DatabaseUnavailableError(error);
  return error;
}

/**
 * Builds the {@link Database} methods shared by every driver on top of a drizzle instance.
 */
export function createScopedDatabase(options: {
  driver: DriverName;
  db: DrizzleDb;
  liveness: Liveness;
  /** Runs a transaction; by default `db.transaction`. Pooled drivers pass one that discards dead connections. */
  transaction?: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
  /** Per-statement time limit on a server (the embedded database has none). */
  statementTimeoutMs?: number;
  migrate: () => Promise<void>;
  close: () => Promise<void>;
}): Database {
  const { db } = options;
  const transaction = options.transaction ?? (<T>(fn: (tx: Tx) => Promise<T>) => db.transaction(fn));
  const limits = limitsSql(options.statementTimeoutMs);
  const run = async <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
    let hooks: (() => void)[] | undefined;
    let result: T;
    try {
      result = await transaction((tx) => {
        hooks = [];
        commitHooks.set(tx, hooks);
        return fn(tx);
      });
    } catch (error) {
      throw asUnavailable(error);
    }
    // Committed: tell whoever asked (the real-time dispatcher, workers to wake). A hook's failure is its own.
    for (const hook of hooks ?? []) {
      try {
        hook();
      } catch {
        // Hooks only signal (wake a loop, announce a sequence number); they must not throw into the caller.
      }
    }
    return result;
  };
  return {
    driver: options.driver,
    liveness: options.liveness,
    withTenant(tenantId, fn) {
      if (!tenantId) return Promise.reject(new Error('withTenant needs a tenant id'));
      return run(async (tx) => {
        await tx.execute(
          sql`select set_config('role', 'memberkit_app', true), set_config('app.tenant_id', ${tenantId}, true)${limits}`,
        );
        return fn(tx);
      });
    },
    withPlatform(fn) {
      return run(async (tx) => {
        await tx.execute(
          sql`select set_config('role', 'memberkit_platform', true), set_config('app.tenant_id', '', true)${limits}`,
        );
        return fn(tx, { enterTenant: (tenantId) => enterTenantScope(tx, tenantId) });
      });
    },
    migrate: options.migrate,
    close: async () => {
      await options.liveness.close();
      await options.close();
    },
  };
}

/**
 * The rows of a raw `tx.execute(sql…)`. Every driver we support (PGlite, pg,
 * Neon) returns `{ rows }`; drizzle's driver-neutral type leaves it `unknown`.
 */
export async function executeRows<T extends Record<string, unknown>>(query: PromiseLike<unknown>): Promise<T[]> {
  return ((await query) as { rows: T[] }).rows;
}
