import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

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
