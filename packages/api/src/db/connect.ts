import type { Database } from './database.js';
import { createNeonDatabase } from './drivers/neon.js';
import { createNodePostgresDatabase } from './drivers/node-postgres.js';
import { createPgliteDatabase, openPglite } from './drivers/pglite.js';
import { migrationsFolder } from './migrations-folder.js';

/** How to reach the database: the Node entry point builds this from the environment. */
export type DatabaseConfig =
  | { driver: 'pglite'; dataDir?: string }
  | { driver: 'pg'; url: string; maxConnections?: number }
  | { driver: 'neon'; url: string; maxConnections?: number; wsProxy?: (host: string, port: number | string) => string };

/** Opens the configured database (Node). */
export async function connectDatabase(config: DatabaseConfig): Promise<Database> {
  switch (config.driver) {
    case 'pglite':
      return createPgliteDatabase(await openPglite(config.dataDir ? { dataDir: config.dataDir } : {}));
    case 'pg':
      return createNodePostgresDatabase({ connectionString: config.url, ...(config.maxConnections ? { maxConnections: config.maxConnections } : {}) });
    case 'neon': {
      const { default: WebSocket } = await import('ws');
      return createNeonDatabase({
        connectionString: config.url,
        webSocketConstructor: WebSocket,
        migrationsFolder,
        ...(config.maxConnections ? { maxConnections: config.maxConnections } : {}),
        ...(config.wsProxy ? { wsProxy: config.wsProxy } : {}),
      });
    }
  }
}
