import { neonConfig, Pool } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-serverless';
import { migrate } from 'drizzle-orm/neon-serverless/migrator';
import { createScopedDatabase, type Database, type DrizzleDb } from '../database.js';
import * as schema from '../schema/index.js';
import { withMigrationLock } from './migration-lock.js';

export interface NeonOptions {
  connectionString: string;
  maxConnections?: number;
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
  const pool = new Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
  const db = drizzle({ client: pool, schema }) as unknown as DrizzleDb;
  return createScopedDatabase({
    driver: 'neon',
    db,
    migrate: async () => {
      const folder = options.migrationsFolder;
      if (!folder) throw new Error('Neon migrations need a migrationsFolder (run them from Node).');
      const client = await pool.connect();
      try {
        await withMigrationLock(
          (text) => client.query(text),
          () => migrate(drizzle({ client }), { migrationsFolder: folder }),
        );
      } finally {
        // Not back into the pool: the session carries the migration's settings.
        client.release(true);
      }
    },
    close: () => pool.end(),
  });
}
