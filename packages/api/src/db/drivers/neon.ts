import { Client, neonConfig, Pool, type PoolClient } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-serverless';
import { migrate } from 'drizzle-orm/neon-serverless/migrator';
import type { Logger } from '../../lib/logger.js';
import { createScopedDatabase, type Database, type DrizzleDb } from '../database.js';
import { createLeaseLiveness } from '../liveness.js';
import * as schema from '../schema/index.js';
import { withMigrationLock } from './migration-lock.js';
import {
  CLIENT_TIMEOUT_MARGIN_MS,
  createPooledTransactions,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_STATEMENT_TIMEOUT_MS,
} from './pooled-transactions.js';

export interface NeonOptions {
  connectionString: string;
  maxConnections?: number;
  /** Longest wait for a connection, new or from a busy pool, before a request is answered 503. */
  connectTimeoutMs?: number;
  /** Longest a statement may run (server-side `statement_timeout`; the client gives up a little later). */
  statementTimeoutMs?: number;
  /** Where connection losses are reported. */
  logger?: Logger;
  /**
   * WebSocket constructor for runtimes without a global `WebSocket` (Node 20: pass `ws`).
   * Edge runtimes have one built in.
   */
  webSocketConstructor?: typeof neonConfig.webSocketConstructor;
  /**
   * A plain `ws://` proxy in front of an ordinary Postgres server instead of
   * Neon's own endpoint, e.g. `(host, port) => \`127.0.0.1:6543/v2?address=${host}:${port}\``.
   */
  wsProxy?: (host: string, port: number | string) => string;
  /** Folder of migrations; only where a file system exists (Node). */
  migrationsFolder?: string;
}

/**
 * A {@link Database} through Neon's serverless driver (Postgres over WebSockets):
 * runs on edge runtimes, with interactive transactions through its `Pool`.
 */
export function createNeonDatabase(options: NeonOptions): Database {
  if (options.webSocketConstructor) neonConfig.webSocketConstructor = options.webSocketConstructor;
  if (options.wsProxy) {
    neonConfig.wsProxy = options.wsProxy;
    // A local proxy speaks plain ws and plain Postgres behind it.
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: connectTimeoutMs,
    query_timeout: statementTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS,
  });
  // Sessions outside the pool (migrations, the process lease) have no statement limit.
  const session = () =>
    new Client({ connectionString: options.connectionString, connectionTimeoutMillis: connectTimeoutMs });
  const db = drizzle({ client: pool, schema }) as unknown as DrizzleDb;
  return createScopedDatabase({
    driver: 'neon',
    db,
    transaction: createPooledTransactions<PoolClient>(
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
      const folder = options.migrationsFolder;
      if (!folder) throw new Error('Neon migrations need a migrationsFolder (run them from Node).');
      const client = session();
      client.on('error', () => {});
      await client.connect();
      try {
        await withMigrationLock(
          (text) => client.query(text),
          () => migrate(drizzle({ client }), { migrationsFolder: folder }),
        );
      } finally {
        // Never pooled: the session carries the migration's settings.
        await client.end();
      }
    },
    close: () => pool.end(),
  });
}
