import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { DATA_DIR, REPO_ROOT } from './config.js';

export interface ServerOptions {
  databaseUrl: string;
  port: number;
  poolSize: number;
  /** Where the server's stdout/stderr (one JSON line per request) go. */
  logFile: string;
  /** Entry point relative to the repository root (default: `@memberkit/api/server`, the API's node-start). */
  entry?: string;
  /**
   * MEMBERKIT_MASTER_KEY of the server. Pass one when the caller signs what the server
   * checks (pagination cursors are MACed under it); without it the server uses the
   * development key it keeps in its data folder.
   */
  masterKey?: string;
  extraEnv?: Record<string, string>;
}

export interface RunningServer {
  pid: number;
  baseUrl: string;
  env: Record<string, string>;
  command: string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Servers started by this process, stopped on any exit path. */
const started = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of started) if (child.exitCode === null && child.pid) child.kill('SIGKILL');
});

/**
 * Starts the real API process (`@memberkit/api/server` from source through tsx)
 * on 127.0.0.1 and waits for GET /health (at most 60 s).
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const env: Record<string, string> = {
    DATABASE_URL: options.databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(options.port),
    MEMBERKIT_DEMO: '0',
    MEMBERKIT_RATE_LIMIT: '100000000',
    MEMBERKIT_DB_POOL_SIZE: String(options.poolSize),
    // Keeps the generated platform key file out of the repository's .memberkit folder.
    MEMBERKIT_DATA_DIR: path.join(DATA_DIR, 'server'),
    ...(options.masterKey ? { MEMBERKIT_MASTER_KEY: options.masterKey } : {}),
    ...options.extraEnv,
  };
  // Workspace packages from their TypeScript source (the memberkit-source export condition, through tsx).
  const entry = options.entry ? [options.entry] : ['--input-type=module', '--eval', "import '@memberkit/api/server';"];
  const args = ['--conditions=memberkit-source', '--import', 'tsx', ...entry];
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const logFd = openSync(options.logFile, 'w');
  const { NODE_ENV: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  if (!child.pid) throw new Error('Could not start the API server.');
  started.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const baseUrl = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const code = await Promise.race([exited, sleep(10_000).then(() => 'timeout' as const)]);
      if (code === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    }
    started.delete(child);
  };

  const deadline = Date.now() + 60_000;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(
        `The API server exited with code ${child.exitCode} before it was healthy; see ${options.logFile}.`,
      );
    try {
      const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) {
        return {
          pid: child.pid,
          baseUrl,
          env,
          // The master key is a secret: the command (written to reports) names it only.
          command: `${Object.entries(env)
            .map(
              ([k, v]) =>
                `${k}=${k === 'MEMBERKIT_MASTER_KEY' ? '<generated>' : k === 'MEMBERKIT_DATA_DIR' ? path.relative(REPO_ROOT, v) : v}`,
            )
            .join(' ')} node ${args.join(' ')}`,
          stop,
        };
      }
      lastError = `HTTP ${res.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  await stop();
  throw new Error(`The API server did not become healthy within 60 s (${lastError}); see ${options.logFile}.`);
}
