import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { createApp } from '../../src/app.js';
import { createDatabaseKeyStore } from '../../src/auth/key-store.js';
import type { Database } from '../../src/db/database.js';
import { createNeonDatabase } from '../../src/db/drivers/neon.js';
import { createNodePostgresDatabase } from '../../src/db/drivers/node-postgres.js';
import { createPgliteDatabase, openPglite } from '../../src/db/drivers/pglite.js';
import { migrationsFolder } from '../../src/db/migrations-folder.js';
import { defaultConfig, type AppConfig, type AppDeps } from '../../src/deps.js';
import { systemClock } from '../../src/lib/clock.js';
import { sha256Hex } from '../../src/lib/crypto.js';
import { createUlidGenerator } from '../../src/lib/ids.js';
import { createMemoryLogger } from '../../src/lib/logger.js';
import type { ProblemBody } from '../../src/lib/errors.js';
import { createMemoryRateLimitStore } from '../../src/middleware/rate-limit-store.js';
import { createSwaggerAssetLoader } from '../../src/runtime/swagger-assets.js';
import { createPbkdf2Hasher } from '../../src/identity/password-hasher.js';
import { createSecretBox, generateMasterKey } from '../../src/identity/secret-box.js';

export const PLATFORM_KEY = 'mk_platform_test_key_0123456789abcdefghij';

/**
 * Opens the test database of this run: a private copy of the migrated PGlite
 * dump, or a pool on the run's server database (pg, or Neon's driver through the
 * ws proxy when MEMBERKIT_TEST_DRIVER=neon).
 */
export async function openTestDatabase(options: { maxConnections?: number } = {}): Promise<Database> {
  const dump = inject('pgliteDump');
  if (dump) {
    const blob = new Blob([await readFile(dump)]);
    return createPgliteDatabase(await openPglite({ loadDataDir: blob }));
  }
  const url = inject('databaseUrl');
  if (!url) throw new Error('global setup provided no database');
  if (process.env.MEMBERKIT_TEST_DRIVER === 'neon') {
    const { default: WebSocket } = await import('ws');
    const port = inject('neonProxyPort');
    return createNeonDatabase({
      connectionString: url,
      maxConnections: options.maxConnections ?? 4,
      webSocketConstructor: WebSocket,
      wsProxy: (host, p) => `127.0.0.1:${port}/v2?address=${host}:${p}`,
      migrationsFolder,
    });
  }
  return createNodePostgresDatabase({ connectionString: url, maxConnections: options.maxConnections ?? 4 });
}

// biome-ignore lint/suspicious/noExplicitAny: tests read response fields directly; every field read is asserted
export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  key?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/** The app on a real database, with helpers to call it over (in-process) HTTP. */
export async function createTestContext(
  options: { config?: Partial<AppConfig>; db?: Database; maxConnections?: number } = {},
) {
  const db =
    options.db ??
    (await openTestDatabase({ ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}) }));
  const logger = createMemoryLogger();
  let requestCounter = 0;
  const deps: AppDeps = {
    db,
    clock: systemClock,
    ids: createUlidGenerator(systemClock),
    keys: createDatabaseKeyStore(db, systemClock),
    logger,
    rateLimits: createMemoryRateLimitStore(),
    secretBox: await createSecretBox(generateMasterKey()),
    // Few iterations keep tests fast; the production count is tested in password-hasher.test.ts.
    passwordHasher: createPbkdf2Hasher(1000),
    config: {
      ...defaultConfig,
      platformKeyHash: await sha256Hex(PLATFORM_KEY),
      rateLimit: { limit: 100_000, windowSeconds: 10 },
      issuerBaseUrl: 'http://api.memberkit.test',
      ...options.config,
    },
    docsAssets: createSwaggerAssetLoader(),
    // In-process requests have no socket: a test names its client IP with X-Test-Client-Ip, otherwise
    // each request gets its own, so per-IP limits only bite where a test asks for them.
    clientIp: (c) => c.req.header('x-test-client-ip') ?? `198.51.100.${++requestCounter % 250}:${requestCounter}`,
  };
  const app = createApp(deps);

  // biome-ignore lint/suspicious/noExplicitAny: see TestResponse
  async function request<T = any>(method: string, path: string, opts: RequestOptions = {}): Promise<TestResponse<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.key) headers.Authorization = `Bearer ${opts.key}`;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const response = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (HTML, JS assets): keep the text.
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  let tenantCounter = 0;
  /** Creates a tenant through the platform API; returns it with its keys. */
  async function createTenant(name = 'Test Tenant') {
    const slug = `t-${Date.now().toString(36)}-${process.pid}-${++tenantCounter}-${Math.random().toString(36).slice(2, 6)}`;
    const res = await request('POST', '/v1/platform/tenants', { key: PLATFORM_KEY, body: { name, slug } });
    if (res.status !== 201) throw new Error(`tenant creation failed: ${res.status} ${res.text}`);
    return res.body as { id: string; slug: string; name: string; secret_key: string; publishable_key: string };
  }

  /** Creates a secret key with `role` for the tenant of `adminKey`. */
  async function createKey(adminKey: string, body: Record<string, unknown>) {
    const res = await request('POST', '/v1/api-keys', { key: adminKey, body });
    if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${res.text}`);
    return res.body as { id: string; key: string };
  }

  // A context given someone else's database leaves closing it to them.
  const close = () => (options.db ? Promise.resolve() : db.close());
  return { app, deps, db, logger, request, createTenant, createKey, close };
}

export type TestContext = Awaited<ReturnType<typeof createTestContext>>;

/** Asserts the RFC 9457 shape every error must have and returns its body. */
export function expectProblem(res: TestResponse, status: number, code?: string) {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  const type = res.headers.get('content-type') ?? '';
  if (!type.startsWith('application/problem+json')) throw new Error(`expected problem+json, got ${type}`);
  const body = res.body as ProblemBody;
  if (body.status !== status || !body.title || !body.detail || !body.type || !body.request_id) {
    throw new Error(`incomplete problem body: ${res.text}`);
  }
  if (body.request_id !== res.headers.get('x-request-id'))
    throw new Error('problem request_id differs from X-Request-Id');
  if (code && body.code !== code) throw new Error(`expected code ${code}, got ${body.code}: ${res.text}`);
  return body;
}

/** `secret` with its last character changed (always to a different one), for "a wrong key" cases. */
export function tampered(secret: string): string {
  return `${secret.slice(0, -1)}${secret.endsWith('X') ? 'Y' : 'X'}`;
}
