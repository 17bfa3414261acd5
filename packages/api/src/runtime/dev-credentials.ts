import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DatabaseConfig } from '../db/connect.js';

/**
 * Keys `npm start` generates for local development, kept in the data folder
 * (mode 0600, git-ignored) so a restart prints the same ones. Never used when
 * NODE_ENV=production.
 */
export interface DevCredentials {
  platformKey?: string;
  /** Development master key (secrets at rest). Production sets MEMBERKIT_MASTER_KEY. */
  masterKey?: string;
  demo?: { tenantId: string; secretKey: string; publishableKey: string };
  /** The demo tenant's owner account, for the staff console at /admin. */
  demoOwner?: { tenantId: string; staffId: string; email: string; password: string };
  /**
   * The server `npm start` runs on this data folder, written once it listens and removed
   * when it stops: where `npx memberkit` sends its requests by default.
   */
  server?: { url: string; pid: number; database: string };
}

export function devCredentialsPath(dataDir: string): string {
  return path.join(dataDir, 'dev-credentials.json');
}

export async function readDevCredentials(dataDir: string): Promise<DevCredentials> {
  try {
    return JSON.parse(await readFile(devCredentialsPath(dataDir), 'utf8')) as DevCredentials;
  } catch {
    return {};
  }
}

export async function writeDevCredentials(dataDir: string, credentials: DevCredentials): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const file = devCredentialsPath(dataDir);
  await writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}

/**
 * Records (or, with null, forgets) the running server in the dev credentials, so the
 * CLI reaches it with no flags. Called when the server listens and when it stops.
 */
export async function recordDevServer(dataDir: string, server: DevCredentials['server'] | null): Promise<void> {
  const { server: _previous, ...stored } = await readDevCredentials(dataDir);
  await writeDevCredentials(dataDir, server ? { ...stored, server } : stored);
}

/** Which database a configuration opens, for people (no password): "PGlite in …", "PostgreSQL host:5432/db". */
export function describeDatabase(database: DatabaseConfig): string {
  if (database.driver === 'pglite') return `PGlite in ${database.dataDir ?? 'memory'}`;
  const url = new URL(database.url);
  return `${database.driver === 'neon' ? 'Neon' : 'PostgreSQL'} ${url.host}${url.pathname}`;
}
