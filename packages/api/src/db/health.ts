import { sql } from 'drizzle-orm';
import type { Database } from './database.js';

/**
 * Whether the database answers a trivial query. Throws when it does not; the
 * wait is bounded by the driver's connect and statement timeouts.
 */
export async function checkDatabase(db: Database): Promise<void> {
  await db.withPlatform((tx) => tx.execute(sql`select 1`));
}
