import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { createScopedDatabase, type Database, type DrizzleDb } from '../database.js';
import { createInProcessLiveness } from '../liveness.js';
import { migrationsFolder } from '../migrations-folder.js';
import * as schema from '../schema/index.js';

/** Extensions our migrations create; PGlite must have them loaded at start-up. */
export const pgliteExtensions = { pg_trgm, btree_gin };

/**
 * Opens an embedded PGlite database: in `dataDir` when given (kept across
 * restarts), in memory otherwise.
 */
export async function openPglite(options: { dataDir?: string; loadDataDir?: Blob } = {}): Promise<PGlite> {
  return PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    extensions: pgliteExtensions,
  });
}

/** A {@link Database} on a PGlite instance. */
export function createPgliteDatabase(client: PGlite): Database {
  const db = drizzle({ client, schema }) as unknown as DrizzleDb;
  return createScopedDatabase({
    driver: 'pglite',
    db,
    // One process opens an embedded database, and dies with it.
    liveness: createInProcessLiveness(),
    migrate: async () => {
      await migrate(drizzle({ client }), { migrationsFolder });
    },
    close: () => client.close(),
  });
}
