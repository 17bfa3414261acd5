import { resolveDataDir } from '../runtime/config.js';
import { devCredentialsPath, readDevCredentials } from '../runtime/dev-credentials.js';

/** Where `npm start` listens unless PORT or HOST say otherwise. */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787';

/** The server the CLI talks to, and where each part of that choice came from (said to the user). */
export interface ServerTarget {
  url: string;
  /** `--url`, `MEMBERKIT_URL`, the dev credentials file, or the default. */
  urlSource: string;
  platformKey: string | null;
  /** How to pass a key, for the error when there is none. */
  keyHint: string;
  /** The server's database as `npm start` recorded it; null when the URL did not come from there. */
  database: string | null;
}

/**
 * Picks the server: `--url` / `MEMBERKIT_URL`, else the server `npm start` recorded in
 * the data folder's dev credentials, else the default address. The platform key comes
 * from `--platform-key` / `MEMBERKIT_PLATFORM_KEY`, else from the dev credentials, but
 * only for the server that wrote them: a dev key is never sent to another URL.
 */
export async function resolveServerTarget(
  flags: { url?: string | undefined; platformKey?: string | undefined },
  env: NodeJS.ProcessEnv,
): Promise<ServerTarget> {
  const dataDir = resolveDataDir(env);
  const credentialsFile = devCredentialsPath(dataDir);
  const stored = env.NODE_ENV === 'production' ? {} : await readDevCredentials(dataDir);
  const explicit = flags.url
    ? { url: flags.url, source: '--url' }
    : env.MEMBERKIT_URL
      ? { url: env.MEMBERKIT_URL, source: 'MEMBERKIT_URL' }
      : null;
  const recorded = stored.server;
  const url = (explicit?.url ?? recorded?.url ?? DEFAULT_SERVER_URL).replace(/\/+$/, '');
  const urlSource =
    explicit?.source ?? (recorded ? `recorded by npm start in ${credentialsFile}` : 'the default address');
  const ownServer = url === (recorded?.url ?? DEFAULT_SERVER_URL);
  const platformKey =
    flags.platformKey || env.MEMBERKIT_PLATFORM_KEY || (ownServer ? (stored.platformKey ?? null) : null);
  return {
    url,
    urlSource,
    platformKey,
    keyHint: `pass --platform-key or set MEMBERKIT_PLATFORM_KEY (npm start prints the key; in development it keeps it in ${credentialsFile})`,
    database: url === recorded?.url ? recorded.database : null,
  };
}
