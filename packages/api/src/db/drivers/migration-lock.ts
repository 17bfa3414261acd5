/** Arbitrary constant: the advisory lock id every Memberkit process takes while migrating. */
const MIGRATION_LOCK_ID = 727_001;

/**
 * Serializes migrations across processes (several API instances starting at once)
 * with a session-level advisory lock on one connection.
 */
export async function withMigrationLock<T>(query: (text: string) => Promise<unknown>, fn: () => Promise<T>): Promise<T> {
  await query(`select pg_advisory_lock(${MIGRATION_LOCK_ID})`);
  try {
    return await fn();
  } finally {
    await query(`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`);
  }
}
