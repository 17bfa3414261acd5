import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * `node` arguments that run the API server (`@memberkit/api/server`, the `npm start` entry) from
 * its TypeScript source: the package is found by name through its exports map, as any
 * dependent finds it, with the workspace's source condition and tsx.
 */
export const API_SERVER_ARGS = [
  '--conditions=memberkit-source',
  '--import',
  'tsx',
  '--input-type=module',
  '--eval',
  "import '@memberkit/api/server';",
];
const PLATFORM_KEY = 'mk_platform_browser_tests_0123456789abcdef';

/**
 * A @web/test-runner plugin that runs the real Memberkit API (the `npm start`
 * entry, on a fresh embedded PGlite folder, mail caught in memory) for the
 * duration of a browser test run, and gives tests server-side commands
 * (`executeServerCommand` from `@web/test-runner-commands`):
 *
 * - `mk-env` → `{ apiUrl }`
 * - `mk-tenant` `{ origin, name?, tenant?: PATCH /v1/tenant body }` → a new tenant
 *   `{ id, apiUrl, secretKey, publishableKey }`, its publishable key bound to `origin`
 * - `mk-request` `{ method, path, key?, body? }` → `{ status, body }`, sent from Node
 *   (secret keys stay out of the page; no Origin header)
 * - `mk-mail` `{ to }` → mails caught for that address, newest first, waiting up
 *   to 10 s for the first: `[{ id, to, subject, text, links }]`
 *
 * With DATABASE_URL set, the API runs on a fresh database on that server
 * (dropped at the end) instead of PGlite, like the API's own test runs.
 * The platform key never reaches the browser.
 * @returns {import('@web/test-runner').TestRunnerPlugin}
 */
export function memberkitApiPlugin() {
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let child;
  let dataDir = '';
  /** @type {Promise<string> | undefined} */
  let ready;
  /** @type {{ admin: pg.Client, name: string } | undefined} */
  let scratch;

  async function scratchDatabase(serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    const name = `memberkit_wtr_${process.pid}_${Date.now().toString(36)}`;
    // `name` holds only digits, letters and underscores; identifiers cannot be bound as parameters.
    await admin.query(`create database ${name}`);
    scratch = { admin, name };
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }

  async function start() {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'memberkit-wtr-'));
    const env = { ...process.env };
    for (const name of ['DATABASE_URL', 'MEMBERKIT_DB_DRIVER', 'INIT_CWD', 'HOST', 'NODE_ENV']) delete env[name];
    if (process.env.DATABASE_URL) env.DATABASE_URL = await scratchDatabase(process.env.DATABASE_URL);
    Object.assign(env, {
      PORT: '0',
      MEMBERKIT_DATA_DIR: dataDir,
      MEMBERKIT_DEMO: '0',
      MEMBERKIT_PLATFORM_KEY: PLATFORM_KEY,
      MEMBERKIT_RATE_LIMIT: '100000',
      // Every test signs in from the same IP: the per-IP sign-in budget would make them wait.
      MEMBERKIT_AUTH_RATE_LIMIT: '1000',
      MEMBERKIT_KEY_CACHE_TTL_MS: '0',
      MEMBERKIT_MAIL_INTERVAL_MS: '100',
    });
    child = spawn(process.execPath, API_SERVER_ARGS, {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Memberkit API did not start in 90 s:\n${out}\n${err}`)), 90_000);
      let started = false;
      child.stdout.on('data', (d) => {
        // Request logs keep coming after start-up: drained, not kept.
        if (started) return;
        out += d.toString();
        const url = /API\s+(http:\/\/\S+)/.exec(out)?.[1];
        if (url && out.includes('OpenAPI')) {
          started = true;
          clearTimeout(timer);
          resolve(url);
        }
      });
      child.stderr.on('data', (d) => (err += d.toString()));
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Memberkit API exited with ${code}:\n${out}\n${err}`));
      });
    });
  }

  async function call(apiUrl, { method = 'GET', path: p, key = PLATFORM_KEY, body }) {
    const res = await fetch(`${apiUrl}${p}`, {
      method,
      headers: {
        Authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (CSV exports): returned as text
    }
    return { status: res.status, body: parsed };
  }

  async function mails(apiUrl, to) {
    for (let i = 0; i < 100; i++) {
      const list = (await (await fetch(`${apiUrl}/dev/mail`)).json()).data.filter((m) => m.to.includes(to));
      if (list.length > 0) {
        return Promise.all(
          list.map(async (m) => ({ ...m, text: await (await fetch(`${apiUrl}/dev/mail/${m.id}/text`)).text() })),
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return [];
  }

  return {
    name: 'memberkit-api',
    async serverStart() {
      ready = start();
      await ready;
    },
    async serverStop() {
      if (child && child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
      if (scratch) {
        await scratch.admin.query(`drop database if exists ${scratch.name} with (force)`);
        await scratch.admin.end();
      }
    },
    async executeCommand({ command, payload }) {
      if (!command.startsWith('mk-')) return undefined;
      const apiUrl = await ready;
      switch (command) {
        case 'mk-env':
          return { apiUrl };
        case 'mk-tenant': {
          const slug = `t-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
          const created = await call(apiUrl, {
            method: 'POST',
            path: '/v1/platform/tenants',
            body: { name: payload?.name ?? 'Test Club', slug },
          });
          if (created.status !== 201)
            throw new Error(`tenant create: ${created.status} ${JSON.stringify(created.body)}`);
          const secretKey = created.body.secret_key;
          const origins = payload?.origin ? [payload.origin] : [];
          const patch = { allowed_origins: origins, ...(payload?.tenant ?? {}) };
          const patched = await call(apiUrl, { method: 'PATCH', path: '/v1/tenant', key: secretKey, body: patch });
          if (patched.status !== 200)
            throw new Error(`tenant patch: ${patched.status} ${JSON.stringify(patched.body)}`);
          return { id: created.body.id, apiUrl, secretKey, publishableKey: created.body.publishable_key };
        }
        case 'mk-request':
          return call(apiUrl, payload);
        case 'mk-mail':
          return mails(apiUrl, payload.to);
        default:
          return undefined;
      }
    },
  };
}
