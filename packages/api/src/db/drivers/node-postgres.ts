import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { Logger } from '../../lib/logger.js';
import { createScopedDatabase, type Database, type DrizzleDb } from '../database.js';
import { createLeaseLiveness } from '../liveness.js';
import { migrationsFolder } from '../migrations-folder.js';
import * as schema from '../schema/index.js';
import { withMigrationLock } from './migration-lock.js';
import {
  CLIENT_TIMEOUT_MARGIN_MS,
  createPooledTransactions,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_STATEMENT_TIMEOUT_MS,
} from './pooled-transactions.js';

/** A PostgreSQL server through node-postgres. */
export interface NodePostgresOptions {
  connectionString: string;
  maxConnections?: number;
  /** Longest wait for a connection, new or from a busy pool, before a request is answered 503. */
  connectTimeoutMs?: number;
  /** Longest a statement may run (server-side `statement_timeout`; the client gives up a little later). */
  statementTimeoutMs?: number;
  /** Where connection losses are reported. */
  logger?: Logger;
}

/** A {@link Database} on a PostgreSQL server through node-postgres. */
export function createNodePostgresDatabase(options: NodePostgresOptions): Database {
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    // Also bounds the wait for a free client when all are busy.
    connectionTimeoutMillis: connectTimeoutMs,
    // A server that stops answering (a partition) fails the statement instead of hanging the request.
    query_timeout: statementTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS,
    keepAlive: true,
  });
  // Sessions outside the pool (migrations, the process lease) have no statement limit.
  const session = () =>
    new pg.Client({
      connectionString: options.connectionString,
      connectionTimeoutMillis: connectTimeoutMs,
      keepAlive: true,
    });
  const db = drizzle({ client: pool, schema }) as unknown as DrizzleDb;
  return createScopedDatabase({
    driver: 'pg',
    db,
    transaction: createPooledTransactions<pg.PoolClient>(
      pool,
      (client) => drizzle({ client, schema }) as unknown as DrizzleDb,
      options.logger,
    ),
    statementTimeoutMs,
    liveness: createLeaseLiveness({
      open: async () => {
        const client = session();
        await client.connect();
        return client;
      },
      ...(options.logger ? { logger: options.logger } : {}),
    }),
    migrate: async () => {
      const client = session();
      // Failures surface from the awaited queries; the listener keeps a late one from being uncaught.
      client.on('error', () => {});
      await client.connect();
      try {
        await withMigrationLock(
          (text) => client.query(text),
          () => migrate(drizzle({ client }), { migrationsFolder }),
        );
      } finally {
        // Never pooled: the session carries the migration's settings.
        await client.end();
      }
    },
    close: () => pool.end(),
  });
}
