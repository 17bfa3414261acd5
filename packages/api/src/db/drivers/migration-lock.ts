/** Arbitrary constant: the advisory lock id every Memberkit process takes while migrating. */
const MIGRATION_LOCK_ID = 727_001;

/**
 * Serializes migrations across processes (several API instances starting at once)
 * with a session-level advisory lock on one connection.
 */
export async function withMigrationLock<T>(
  query: (text: string) => Promise<unknown>,
  fn: () => Promise<T>,
): Promise<T> {
  await query(`select pg_advisory_lock(${MIGRATION_LOCK_ID})`);
  // A migrating user that is not a superuser is subject to the forced row-level
  // security of its own tables, whose policies read app.tenant_id: defined and
  // empty (no tenant, no rows) instead of an error. The connection is discarded
  // afterwards (see the drivers), so the setting never reaches tenant work.
  await query(`select set_config('app.tenant_id', '', false)`);
  try {
    return await fn();
  } finally {
    await query(`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`);
  }
}
