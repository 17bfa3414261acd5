import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
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
 * How long the API (and each harness) may take to start: 180 s by default, for loaded
 * machines (tsx compiles the API from source on start-up); `MEMBERKIT_WTR_START_TIMEOUT_MS`
 * overrides it.
 */
const START_TIMEOUT_MS = (() => {
  const configured = Number(process.env.MEMBERKIT_WTR_START_TIMEOUT_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : 180_000;
})();
const START_TIMEOUT_TEXT = `${Math.round(START_TIMEOUT_MS / 1000)} s`;

/**
 * The billing API of browser tests, run in a child process from TypeScript source (tsx):
 * the API app of `createTestContext` on a fresh in-memory database, with Stripe as the
 * Stripe test double (`startStripeDouble`, webhooks delivered into the app in-process),
 * served over HTTP on `MK_BILLING_PORT`. Tenants get billing through `connectTestBilling`
 * (Connect mode, onboarded). Commands arrive over the IPC channel as
 * `{ id, command, payload }` and are answered `{ id, result }` or `{ id, error }`.
 */
const BILLING_HARNESS = `
import { serve } from '@hono/node-server';
import * as testing from '@memberkit/api/testing';

const port = Number(process.env.MK_BILLING_PORT);
const url = 'http://127.0.0.1:' + port;
const stripe = await testing.startStripeDouble();
const t = await testing.createTestContext({
  billing: stripe.billingDeps({ webhookBaseUrl: url }),
  // Tokens name the address the browser uses; every test signs in from one IP.
  config: { issuerBaseUrl: url, authRateLimit: { limit: 100000, windowSeconds: 10 } },
});
// As a running server does: each stored webhook wakes the worker, so effects follow at once.
let draining = Promise.resolve();
const drain = () => (draining = draining.then(() => testing.drainStripeEvents(t.deps)).catch((error) => console.error(error)));
stripe.webhooks.deliverTo(async (request) => {
  const response = await t.app.request(request);
  void drain();
  return response;
});
serve({ fetch: t.app.fetch, port, hostname: '127.0.0.1' });

/** Waits until the webhooks an action caused are delivered and applied. */
async function settle() {
  await stripe.webhooks.idle();
  await drain();
}

const commands = {
  async tenant({ origin, currency = 'eur', tenant = {}, billing = {}, connect = true }) {
    const created = await t.createTenant('Billing Test Club');
    const patch = { allowed_origins: origin ? [origin] : [], auth: { require_email_verification: false }, ...tenant };
    const patched = await t.request('PATCH', '/v1/tenant', { key: created.secret_key, body: patch });
    if (patched.status !== 200) throw new Error('tenant patch: ' + patched.status + ' ' + patched.text);
    // connect: false leaves billing unset (what a tenant that never connected Stripe shows).
    const accountId =
      connect === false ? null : await testing.connectTestBilling(t, created, stripe, { currency, ...billing });
    return { id: created.id, apiUrl: url, secretKey: created.secret_key, publishableKey: created.publishable_key, accountId };
  },
  async request({ method = 'GET', path, key, body }) {
    const res = await t.request(method, path, { key, ...(body === undefined ? {} : { body }) });
    return { status: res.status, body: res.body };
  },
  async staff({ tenantId, secretKey, publishableKey, role = 'admin' }) {
    // Invited, accepted with the token from the outbox, signed in: as the harness's signInStaff does.
    const tenant = { id: tenantId, secret_key: secretKey, publishable_key: publishableKey, slug: '', name: '' };
    const session = await t.signInStaff(tenant, role);
    return { id: session.id, email: session.email, accessToken: session.access_token, refreshToken: session.refresh_token };
  },
  async completeCheckout({ sessionId, paymentMethod }) {
    const session = await stripe.completeCheckout(sessionId, paymentMethod ? { paymentMethod } : {});
    await settle();
    return { id: session.id, status: session.status, success_url: session.success_url };
  },
  async advanceTime({ seconds }) {
    await stripe.advanceTime(seconds);
    await settle();
    return { now: stripe.now().toISOString() };
  },
  async settle() {
    await settle();
    return {};
  },
  async fetch({ url: target }) {
    const response = await fetch(target);
    await response.arrayBuffer();
    return { status: response.status, contentType: (response.headers.get('content-type') ?? '').split(';')[0] };
  },
  async stripeUrl() {
    return { url: stripe.url };
  },
};

process.on('message', async ({ id, command, payload }) => {
  try {
    const handler = commands[command];
    if (!handler) throw new Error('unknown billing command ' + command);
    process.send({ id, result: await handler(payload ?? {}) });
  } catch (error) {
    process.send({ id, error: String(error?.stack ?? error) });
  }
});
process.on('SIGTERM', async () => {
  // A scratch database on DATABASE_URL's server is dropped when the context closes.
  await t.close().catch(() => {});
  await stripe.close().catch(() => {});
  process.exit(0);
});
process.send({ ready: url });
`;

/**
 * The community API of browser tests (notifications, feed, messaging, presence over the
 * real-time channel), run in a child process from TypeScript source (tsx): the API app of
 * `createTestContext` (with its in-process real-time runtime, `deps.realtime`) on a fresh
 * in-memory database, served over HTTP on `MK_HARNESS_PORT`, so server-sent event streams
 * are real HTTP streams. Commands arrive over the IPC channel as for the billing harness.
 */
const COMMUNITY_HARNESS = `
import { serve } from '@hono/node-server';
import * as testing from '@memberkit/api/testing';

const port = Number(process.env.MK_HARNESS_PORT);
const url = 'http://127.0.0.1:' + port;
const t = await testing.createTestContext({
  // Tokens name the address the browser uses; every test signs in from one IP.
  config: { issuerBaseUrl: url, authRateLimit: { limit: 100000, windowSeconds: 10 } },
});
serve({ fetch: t.app.fetch, port, hostname: '127.0.0.1' });

const commands = {
  async ping() {
    return { url };
  },
  async tenant({ origin, tenant = {}, community = {} }) {
    const created = await t.createTenant('Community Test Club');
    const patch = { allowed_origins: origin ? [origin] : [], auth: { require_email_verification: false }, ...tenant };
    const patched = await t.request('PATCH', '/v1/tenant', { key: created.secret_key, body: patch });
    if (patched.status !== 200) throw new Error('tenant patch: ' + patched.status + ' ' + patched.text);
    if (Object.keys(community).length > 0) {
      const settings = await t.request('PATCH', '/v1/community/settings', { key: created.secret_key, body: community });
      if (settings.status !== 200) throw new Error('community settings: ' + settings.status + ' ' + settings.text);
    }
    return { id: created.id, apiUrl: url, secretKey: created.secret_key, publishableKey: created.publishable_key };
  },
  async request({ method = 'GET', path, key, body }) {
    const res = await t.request(method, path, { key, ...(body === undefined ? {} : { body }) });
    return { status: res.status, body: res.body };
  },
  async staff({ tenantId, secretKey, publishableKey, role = 'admin' }) {
    const tenant = { id: tenantId, secret_key: secretKey, publishable_key: publishableKey, slug: '', name: '' };
    const session = await t.signInStaff(tenant, role);
    return { id: session.id, email: session.email, accessToken: session.access_token, refreshToken: session.refresh_token };
  },
};

process.on('message', async ({ id, command, payload }) => {
  try {
    const handler = commands[command];
    if (!handler) throw new Error('unknown community command ' + command);
    process.send({ id, result: await handler(payload ?? {}) });
  } catch (error) {
    process.send({ id, error: String(error?.stack ?? error) });
  }
});
process.on('SIGTERM', async () => {
  await t.close().catch(() => {});
  process.exit(0);
});
process.send({ ready: url });
`;

/** A free TCP port on the loopback interface. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the billing harness (see BILLING_HARNESS) and returns `send(command, payload)`
 * and `stop()`. Started on the first billing command only: tests without billing do not pay for it.
 */
function startBillingHarness() {
  return startHarness(BILLING_HARNESS, 'billing', 'MK_BILLING_PORT');
}

/**
 * Starts a harness script (BILLING_HARNESS, COMMUNITY_HARNESS) in a child process, its port in
 * the environment variable `portVariable`, and returns `send(command, payload)` and `stop()`.
 */
async function startHarness(source, label, portVariable) {
  const port = await freePort();
  const env = { ...process.env, [portVariable]: String(port) };
  for (const name of ['DATABASE_URL', 'NODE_ENV']) delete env[name];
  if (process.env.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL;
  const child = spawn(
    process.execPath,
    ['--conditions=memberkit-source', '--import', 'tsx', '--input-type=module', '--eval', source],
    { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  let err = '';
  child.stderr.on('data', (d) => (err += d.toString()));
  // The app's request logs: drained, not kept.
  child.stdout.resume();
  let next = 0;
  const pending = new Map();
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${label} harness did not start in ${START_TIMEOUT_TEXT}:\n${err}`)),
      START_TIMEOUT_MS,
    );
    child.on('message', (message) => {
      if (message.ready) {
        clearTimeout(timer);
        resolve(message.ready);
        return;
      }
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.error) waiter.reject(new Error(message.error));
      else waiter.resolve(message.result);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      const error = new Error(`${label} harness exited with ${code}:\n${err}`);
      reject(error);
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    });
  });
  await ready;
  return {
    send(command, payload) {
      const id = ++next;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, command, payload });
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

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
 * - `mk-billing` `{ command, payload }` → billing: a second API with Stripe as the Stripe
 *   test double (see BILLING_HARNESS; started on first use, answering `{ starting: true }`
 *   until it is up: ask again). Commands: `tenant`
 *   `{ origin, currency?, tenant?, billing?, connect? }` → a tenant with billing connected (its
 *   `apiUrl` is the billing API's); `request` `{ method, path, key, body? }`; `staff`
 *   `{ tenantId, secretKey, publishableKey, role? }` → a signed-in staff user `{ id, email, accessToken, refreshToken }`;
 *   `completeCheckout` `{ sessionId, paymentMethod? }` (pays as the hosted page does);
 *   `advanceTime` `{ seconds }`; `settle` (webhooks delivered and applied); `fetch` `{ url }`
 *   → `{ status, contentType }` (the double's hosted pages, from Node); `stripeUrl`.
 * - `mk-community` `{ command, payload }` → the community API (see COMMUNITY_HARNESS: the app of
 *   `createTestContext` with its real-time runtime, over HTTP; started on first use, answering
 *   `{ starting: true }` until it is up). Commands: `ping` → `{ url }`; `tenant` `{ origin, tenant?, community?: PATCH
 *   /v1/community/settings body }` → a tenant whose members sign up without confirming their email;
 *   `request` `{ method, path, key, body? }`; `staff` `{ tenantId, secretKey, publishableKey, role? }`.
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
  /** @type {Promise<{ send(command: string, payload: unknown): Promise<unknown>, stop(): Promise<void> }> | undefined} */
  let billing;
  /** @type {Promise<{ send(command: string, payload: unknown): Promise<unknown>, stop(): Promise<void> }> | undefined} */
  let community;

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
      const timer = setTimeout(
        () => reject(new Error(`Memberkit API did not start in ${START_TIMEOUT_TEXT}:\n${out}\n${err}`)),
        START_TIMEOUT_MS,
      );
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
      if (billing) await (await billing.catch(() => null))?.stop();
      if (community) await (await community.catch(() => null))?.stop();
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
        case 'mk-billing': {
          if (!billing) {
            billing = startBillingHarness();
            billing.catch(() => (billing = undefined));
          }
          // Starting takes longer than a test runner command may (20 s): until it is up, the
          // answer is `{ starting: true }` and the page asks again (test/billing.ts).
          const harness = await Promise.race([billing, new Promise((r) => setTimeout(() => r(null), 10_000))]);
          if (!harness) return { starting: true };
          return harness.send(payload.command, payload.payload);
        }
        case 'mk-community': {
          if (!community) {
            community = startHarness(COMMUNITY_HARNESS, 'community', 'MK_HARNESS_PORT');
            community.catch(() => (community = undefined));
          }
          // As for mk-billing: `{ starting: true }` until it is up (test/community.ts asks again).
          const harness = await Promise.race([community, new Promise((r) => setTimeout(() => r(null), 10_000))]);
          if (!harness) return { starting: true };
          return harness.send(payload.command, payload.payload);
        }
        default:
          return undefined;
      }
    },
  };
}
