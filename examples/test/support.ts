import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { createScratchDatabase } from '@memberkit/api/testing';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** What `npm start` printed: where it runs and the demo tenant's credentials. */
export interface StartedServer {
  url: string;
  secretKey: string;
  publishableKey: string;
  staffEmail: string | null;
  staffPassword: string | null;
  stop(): Promise<void>;
}

const field = (banner: string, label: string) => new RegExp(`${label}\\s+(\\S+)`).exec(banner)?.[1] ?? null;

/**
 * Starts the real `npm start` server process (the API entry, on a fresh PGlite
 * folder, or on a fresh database of DATABASE_URL's server) with the demo tenant,
 * after building the element bundles the way `npm start` does.
 */
export async function startServer(options: { production?: boolean } = {}): Promise<StartedServer> {
  await run('npm', ['run', 'build:cdn', '--if-present', '-w', '@memberkit/widgets', '-w', '@memberkit/admin-elements']);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'memberkit-examples-'));
  // PORT=0: the server picks a free port before it starts, so mail links carry it too.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    MEMBERKIT_DATA_DIR: dataDir,
    MEMBERKIT_RATE_LIMIT: '100000',
    MEMBERKIT_AUTH_RATE_LIMIT: '1000',
    MEMBERKIT_MAIL_INTERVAL_MS: '100',
  };
  for (const name of [
    'DATABASE_URL',
    'MEMBERKIT_DB_DRIVER',
    'MEMBERKIT_PLATFORM_KEY',
    'INIT_CWD',
    'HOST',
    'NODE_ENV',
    'MEMBERKIT_DEMO',
  ])
    delete env[name];
  if (options.production) {
    // What production requires: its own keys, and a mail sender (none here: another process would send).
    Object.assign(env, {
      NODE_ENV: 'production',
      MEMBERKIT_MASTER_KEY: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url'),
      MEMBERKIT_PLATFORM_KEY: `platform_${crypto.randomUUID()}`,
      MEMBERKIT_MAIL_WORKER: '0',
    });
  }
  // The banner ends with a curl example when there is a demo tenant (development only).
  const ready = options.production ? 'Memberkit is running' : 'Try:';
  let dropDatabase = async () => {};
  if (process.env.DATABASE_URL) {
    const scratch = await createScratchDatabase(process.env.DATABASE_URL);
    env.DATABASE_URL = scratch.url;
    dropDatabase = scratch.drop;
  }
  // The API's `npm start` entry, found by package name (@memberkit/api/server): in development from its
  // TypeScript source through tsx; in production as a deployment runs it, the compiled dist/ in plain Node
  // (no tsx; built by npm ci's prepare script, and by turbo before this package's tests).
  const source = options.production ? [] : ['--conditions=memberkit-source', '--import', 'tsx'];
  const child = spawn(
    process.execPath,
    [...source, '--input-type=module', '--eval', "import '@memberkit/api/server';"],
    {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const banner = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    let done = false;
    const timer = setTimeout(() => reject(new Error(`npm start not ready in 120 s:\n${out}\n${err}`)), 120_000);
    child.stdout!.on('data', (d: Buffer) => {
      if (done) return;
      out += d.toString();
      if (out.includes(ready)) {
        done = true;
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!done) reject(new Error(`npm start exited with ${code}:\n${out}\n${err}`));
    });
  });
  const staff = /signed in as (\S+), password (\S+)\)/.exec(banner);
  return {
    url: field(banner, 'API')!,
    secretKey: field(banner, 'Secret key')!,
    publishableKey: field(banner, 'Publishable')!,
    staffEmail: staff?.[1] ?? null,
    staffPassword: staff?.[2] ?? null,
    async stop() {
      await stopChild(child);
      await dropDatabase();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${err}`)),
    );
  });
}

/** Debian's Chromium (a test tool's own browser download cannot work here). */
export function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--headless=new',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Calls the API from Node with a key. */
export async function api<T = unknown>(
  server: StartedServer,
  method: string,
  p: string,
  key: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}${p}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}
