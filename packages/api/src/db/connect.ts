import type { Logger } from '../lib/logger.js';
import type { Database } from './database.js';
import { createNeonDatabase } from './drivers/neon.js';
import { createNodePostgresDatabase } from './drivers/node-postgres.js';
import { createPgliteDatabase, openPglite } from './drivers/pglite.js';
import { migrationsFolder } from './migrations-folder.js';

/** Limits of a database server connection; defaults in db/drivers/pooled-transactions.ts. */
export interface ServerTimeouts {
  /** Longest wait for a connection (new, or a free one from the pool) before a request is answered 503. */
  connectTimeoutMs?: number;
  /** Longest a statement may run before it is cancelled and the request answered 503. */
  statementTimeoutMs?: number;
}

/** How to reach the database: the Node entry point builds this from the environment. */
export type DatabaseConfig =
  | { driver: 'pglite'; dataDir?: string }
  | ({ driver: 'pg'; url: string; maxConnections?: number } & ServerTimeouts)
  | ({
      driver: 'neon';
      url: string;
      maxConnections?: number;
      wsProxy?: (host: string, port: number | string) => string;
    } & ServerTimeouts);

/** Opens the configured database (Node); connection losses are reported to `logger`. */
export async function connectDatabase(config: DatabaseConfig, logger?: Logger): Promise<Database> {
  switch (config.driver) {
    case 'pglite':
      return createPgliteDatabase(await openPglite(config.dataDir ? { dataDir: config.dataDir } : {}));
    case 'pg':
      return createNodePostgresDatabase({
        connectionString: config.url,
        ...(config.maxConnections ? { maxConnections: config.maxConnections } : {}),
        ...serverTimeouts(config),
        ...(logger ? { logger } : {}),
      });
    case 'neon': {
      const { default: WebSocket } = await import('ws');
      return createNeonDatabase({
        connectionString: config.url,
        webSocketConstructor: WebSocket,
        migrationsFolder,
        ...(config.maxConnections ? { maxConnections: config.maxConnections } : {}),
        ...serverTimeouts(config),
        ...(logger ? { logger } : {}),
        ...(config.wsProxy ? { wsProxy: config.wsProxy } : {}),
      });
    }
  }
}

function serverTimeouts(config: ServerTimeouts): ServerTimeouts {
  return {
    ...(config.connectTimeoutMs ? { connectTimeoutMs: config.connectTimeoutMs } : {}),
    ...(config.statementTimeoutMs ? { statementTimeoutMs: config.statementTimeoutMs } : {}),
  };
}
