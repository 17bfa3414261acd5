import { readFile } from 'node:fs/promises';
import type { Database } from '../db/database.js';
import { createNeonDatabase } from '../db/drivers/neon.js';
import { createNodePostgresDatabase } from '../db/drivers/node-postgres.js';
import { createPgliteDatabase, openPglite } from '../db/drivers/pglite.js';
import { migrationsFolder } from '../db/migrations-folder.js';
import { createScratchDatabase } from './scratch-database.js';
import { providedTestDatabase } from './vitest-context.js';

export interface TestDatabaseOptions {
  maxConnections?: number;
  /**
   * A PostgreSQL server to create a fresh, migrated database on (dropped when the database is closed).
   * Defaults to `DATABASE_URL` when no vitest global setup provided a database.
   */
  serverUrl?: string;
}

/**
 * Opens a migrated database for tests. Under the vitest global setup
 * (`@memberkit/api/testing/vitest-setup`): a private copy of the run's migrated
 * PGlite dump, or a pool on the run's server database (pg, or Neon's driver
 * through the ws proxy when MEMBERKIT_TEST_DRIVER=neon). Elsewhere: a scratch
 * database on `serverUrl` / `DATABASE_URL`, or a fresh in-memory PGlite.
 */
export async function openTestDatabase(options: TestDatabaseOptions = {}): Promise<Database> {
  const maxConnections = options.maxConnections ?? 4;
  const provided = options.serverUrl ? null : await providedTestDatabase();
  if (provided?.pgliteDump) {
    const blob = new Blob([await readFile(provided.pgliteDump)]);
    return createPgliteDatabase(await openPglite({ loadDataDir: blob }));
  }
  if (provided?.databaseUrl) {
    if (process.env.MEMBERKIT_TEST_DRIVER === 'neon') {
      const { default: WebSocket } = await import('ws');
      const port = provided.neonProxyPort;
      return createNeonDatabase({
        connectionString: provided.databaseUrl,
        maxConnections,
        webSocketConstructor: WebSocket,
        wsProxy: (host, p) => `127.0.0.1:${port}/v2?address=${host}:${p}`,
        migrationsFolder,
      });
    }
    return createNodePostgresDatabase({ connectionString: provided.databaseUrl, maxConnections });
  }
  const serverUrl = options.serverUrl ?? process.env.DATABASE_URL;
  if (serverUrl) {
    const scratch = await createScratchDatabase(serverUrl);
    const db = createNodePostgresDatabase({ connectionString: scratch.url, maxConnections });
    await db.migrate();
    // Closing the database also drops the scratch database it was opened on.
    const closeDb = db.close.bind(db);
    return Object.assign(db, {
      close: async () => {
        await closeDb();
        await scratch.drop();
      },
    });
  }
  const db = createPgliteDatabase(await openPglite());
  await db.migrate();
  return db;
}
