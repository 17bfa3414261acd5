import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { createScopedDatabase, type Database, type DrizzleDb } from '../database.js';
import { migrationsFolder } from '../migrations-folder.js';
import * as schema from '../schema/index.js';
import { withMigrationLock } from './migration-lock.js';

/** A {@link Database} on a PostgreSQL server through node-postgres. */
export function createNodePostgresDatabase(options: { connectionString: string; maxConnections?: number }): Database {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
  const db = drizzle({ client: pool, schema }) as unknown as DrizzleDb;
  return createScopedDatabase({
    driver: 'pg',
    db,
    migrate: async () => {
      const client = await pool.connect();
      try {
        await withMigrationLock(
          (text) => client.query(text),
          () => migrate(drizzle({ client }), { migrationsFolder }),
        );
      } finally {
        // Not back into the pool: the session carries the migration's settings.
        client.release(true);
      }
    },
    close: () => pool.end(),
  });
}
