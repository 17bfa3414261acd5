import { sql, type ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
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
  /** Applies pending migrations. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** Switches the current transaction to the app role and one tenant. `set_config(..., true)` is transaction-local. */
export async function enterTenantScope(tx: Tx, tenantId: string): Promise<void> {
  await tx.execute(sql`select set_config('role', 'memberkit_app', true), set_config('app.tenant_id', ${tenantId}, true)`);
}

async function enterPlatformScope(tx: Tx): Promise<void> {
  await tx.execute(sql`select set_config('role', 'memberkit_platform', true), set_config('app.tenant_id', '', true)`);
}

/**
 * Builds the {@link Database} methods shared by every driver on top of a drizzle instance.
 */
export function createScopedDatabase(options: {
  driver: DriverName;
  db: DrizzleDb;
  migrate: () => Promise<void>;
  close: () => Promise<void>;
}): Database {
  const { db } = options;
  return {
    driver: options.driver,
    withTenant(tenantId, fn) {
      if (!tenantId) return Promise.reject(new Error('withTenant needs a tenant id'));
      return db.transaction(async (tx) => {
        await enterTenantScope(tx, tenantId);
        return fn(tx);
      });
    },
    withPlatform(fn) {
      return db.transaction(async (tx) => {
        await enterPlatformScope(tx);
        return fn(tx, { enterTenant: (tenantId) => enterTenantScope(tx, tenantId) });
      });
    },
    migrate: options.migrate,
    close: options.close,
  };
}

/**
 * The rows of a raw `tx.execute(sql…)`. Every driver we support (PGlite, pg,
 * Neon) returns `{ rows }`; drizzle's driver-neutral type leaves it `unknown`.
 */
export async function executeRows<T extends Record<string, unknown>>(query: PromiseLike<unknown>): Promise<T[]> {
  return ((await query) as { rows: T[] }).rows;
}
