import pg from 'pg';

/**
 * An empty database on the same server as `url`, for tests that start a whole
 * process against it. Such a process runs background workers (the mail worker
 * drains every tenant's outbox), so sharing the run's database would let it take
 * work that belongs to other test files.
 */
export async function createScratchDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `memberkit_scratch_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  // `name` is built above from digits and base-36 letters only; identifiers cannot be bound as parameters.
  await admin.query(`create database ${name}`);
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    drop: async () => {
      try {
        await admin.query(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}
