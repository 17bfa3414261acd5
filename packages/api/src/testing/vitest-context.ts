declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of a gzipped PGlite data dir, migrated once; each test file loads its own copy. */
    pgliteDump: string | null;
    /** A fresh database on the server of DATABASE_URL, migrated once for this run. */
    databaseUrl: string | null;
    /** Port of the ws→TCP proxy for the Neon driver, when a server is in use. */
    neonProxyPort: number | null;
  }
}

/** The database a vitest global setup (`@memberkit/api/testing/vitest-setup`) migrated for this run. */
export interface ProvidedTestDatabase {
  pgliteDump: string | null;
  databaseUrl: string | null;
  neonProxyPort: number | null;
}

/**
 * What the run's global setup provided, or null outside vitest or without that setup.
 * vitest is imported only here and only when it is the runner, so the testing entry
 * also loads in a plain Node script (vitest is an optional peer dependency).
 */
export async function providedTestDatabase(): Promise<ProvidedTestDatabase | null> {
  if (!process.env.VITEST) return null;
  const { inject } = await import('vitest');
  const provided = {
    pgliteDump: inject('pgliteDump') ?? null,
    databaseUrl: inject('databaseUrl') ?? null,
    neonProxyPort: inject('neonProxyPort') ?? null,
  };
  return provided.pgliteDump || provided.databaseUrl ? provided : null;
}
