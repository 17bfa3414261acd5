import { and, desc, eq } from 'drizzle-orm';
import { type App, createApp } from '../app.js';
import type { BillingDeps } from '../billing/billing-deps.js';
import { createDatabaseKeyStore } from '../access/key-store.js';
import type { Database } from '../db/database.js';
import { mailOutbox } from '../db/schema/index.js';
import { defaultConfig, type AppConfig, type AppDeps } from '../deps.js';
import { createPbkdf2Hasher } from '../accounts/password-hasher.js';
import { createSecretBox, generateMasterKey } from '../lib/secret-box.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { sha256Hex } from '../lib/crypto.js';
import type { ProblemBody } from '../lib/errors.js';
import { createUlidGenerator } from '../lib/ids.js';
import { createMemoryLogger, type Logger } from '../lib/logger.js';
import { createMemoryRateLimitStore } from '../middleware/rate-limit-store.js';
import { createSwaggerAssetLoader } from '../runtime/swagger-assets.js';
import { createRealtimeRuntime } from '../realtime/runtime.js';
import type { RealtimeRuntime } from '../realtime/types.js';
import { openTestDatabase } from './test-database.js';

/** The platform operator's key of every test context (platform routes: creating tenants, appointing owners). */
export const PLATFORM_KEY = 'mk_platform_test_key_0123456789abcdefghij';

/** The password `signUpMember` and `signInStaff` give the accounts they create. */
export const TEST_PASSWORD = 'analytical-engine-1843';

// biome-ignore lint/suspicious/noExplicitAny: tests read response fields directly; every field read is asserted
export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** A tenant as `createTenant` returns it, with its first secret and publishable keys. */
export interface TestTenant {
  id: string;
  slug: string;
  name: string;
  secret_key: string;
  publishable_key: string;
}

/** Session tokens as the sign-in endpoints return them. */
export interface TestSession {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  // biome-ignore lint/suspicious/noExplicitAny: the rest of the session body (member or staff) as the endpoint returns it
  [field: string]: any;
}

/** A mail in a tenant's outbox (see `TestContext.mails`). */
export interface TestMail {
  id: string;
  template: string;
  to: string;
  locale: string;
  data: Record<string, unknown>;
  token: string | null;
  createdAt: Date;
}

export interface RequestOptions {
  key?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/** The app on its database and the helpers `createTestContext` returns. */
export interface TestContext {
  app: App;
  /** What the app was built from (database, clock, ids, keys, config): for tests that call services directly. */
  deps: AppDeps;
  db: Database;
  /** The app's log lines, one JSON object per line. */
  logger: Logger & { lines: string[] };
  /** Sends a request to the app in-process; `key` becomes `Authorization: Bearer …`, `body` JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: see TestResponse
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<TestResponse<T>>;
  /** Creates a tenant through the platform API; returns it with its keys. */
  createTenant(name?: string): Promise<TestTenant>;
  /** Creates an API key (`body` as `POST /v1/api-keys` takes it) for the tenant of `adminKey`. */
  createKey(adminKey: string, body: Record<string, unknown>): Promise<{ id: string; key: string }>;
  /** Mails queued for `to` in the tenant's outbox, newest first (what the mail worker would send). */
  mails(tenantId: string, to: string, template?: string): Promise<TestMail[]>;
  /** The one-time token of the newest `template` mail to `to`; throws when there is none. */
  mailToken(tenantId: string, template: string, to: string): Promise<string>;
  /** Signs a new member up (verifying the email when the tenant requires it); returns their session. */
  signUpMember(
    tenant: TestTenant,
    person?: { email?: string; password?: string },
  ): Promise<TestSession & { email: string }>;
  /** Invites a staff user of `role` and accepts the invitation; returns their staff session. */
  signInStaff(tenant: TestTenant, role?: StaffRole): Promise<TestSession & { id: string; email: string }>;
  /** Closes the database (unless it was given in the options). */
  close(): Promise<void>;
}

/** Staff roles, as `POST /v1/staff` takes them (an owner is appointed by the platform operator). */
export type StaffRole = 'owner' | 'admin' | 'manager' | 'viewer';

/** Options of `createTestContext`. */
export interface TestContextOptions {
  /** Overrides of the app's configuration (rate limits, token lifetimes, …). */
  config?: Partial<AppConfig>;
  /** A database to use instead of opening one; the context then leaves closing it to the caller. */
  db?: Database;
  maxConnections?: number;
  /** A PostgreSQL server to run on (a scratch database, dropped on close); see `openTestDatabase`. */
  serverUrl?: string;
  /** The app's clock (default: the wall clock); a manual clock lets a test place members and events in the past. */
  clock?: Clock;
  /** Stripe access (usually the Stripe test double's `billingDeps()`); without it billing endpoints answer 503. */
  billing?: BillingDeps;
  /**
   * The real-time channel in `deps.realtime` (default: an in-process runtime on a memory bus,
   * started, stopped by `close()`); a runtime given here is the caller's to stop; `false`: none
   * (as on edge runtimes).
   */
  realtime?: RealtimeRuntime | false;
}

/**
 * The API app on a real, migrated database, with helpers to call it over (in-process)
 * HTTP: create tenants and keys, sign members and staff in, read the mail outbox.
 *
 * @example
 * ```ts
 * import { createTestContext } from '@memberkit/api/testing';
 *
 * const t = await createTestContext();
 * const tenant = await t.createTenant();
 * const member = await t.signUpMember(tenant);
 * const me = await t.request('GET', '/v1/me', { key: member.access_token });
 * await t.close();
 * ```
 */
export async function createTestContext(options: TestContextOptions = {}): Promise<TestContext> {
  const db =
    options.db ??
    (await openTestDatabase({
      ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}),
      ...(options.serverUrl ? { serverUrl: options.serverUrl } : {}),
    }));
  const logger = createMemoryLogger();
  let requestCounter = 0;
  const clock = options.clock ?? systemClock;
  const deps: AppDeps = {
    db,
    clock,
    ids: createUlidGenerator(clock),
    keys: createDatabaseKeyStore(db, clock),
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
    ...(options.billing ? { billing: options.billing } : {}),
  };
  const ownRealtime =
    options.realtime === undefined ? createRealtimeRuntime({ db, logger, clock, pollMs: 200 }) : undefined;
  if (ownRealtime) await ownRealtime.start();
  const realtime = ownRealtime ?? (options.realtime || undefined);
  if (realtime) deps.realtime = realtime;
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
    return res.body as TestTenant;
  }

  /** Creates a secret key with `role` for the tenant of `adminKey`. */
  async function createKey(adminKey: string, body: Record<string, unknown>) {
    const res = await request('POST', '/v1/api-keys', { key: adminKey, body });
    if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${res.text}`);
    return res.body as { id: string; key: string };
  }

  /**
   * Mails queued for `to` in the tenant's outbox, newest first: what the delivery worker
   * (or `npm start`'s dev mail catcher) would send. `token` is the mail's one-time secret, if any.
   */
  async function mails(tenantId: string, to: string, template?: string): Promise<TestMail[]> {
    const rows = await db.withTenant(tenantId, (tx) =>
      tx
        .select()
        .from(mailOutbox)
        .where(
          and(
            eq(mailOutbox.tenantId, tenantId),
            eq(mailOutbox.toAddress, to),
            template ? eq(mailOutbox.template, template) : undefined,
          ),
        )
        .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id)),
    );
    return rows.map((row) => ({
      id: row.id,
      template: row.template,
      to: row.toAddress,
      locale: row.locale,
      data: row.data,
      token: typeof row.data.token === 'string' ? row.data.token : null,
      createdAt: row.createdAt,
    }));
  }

  /** The one-time token of the newest `template` mail to `to`; throws when there is none. */
  async function mailToken(tenantId: string, template: string, to: string): Promise<string> {
    const token = (await mails(tenantId, to, template))[0]?.token;
    if (!token) throw new Error(`no ${template} mail with a token to ${to}`);
    return token;
  }

  /**
   * Signs a new member up through the public API (publishable key), verifying the email
   * with the mailed token when the tenant requires it; returns the member's session tokens.
   */
  async function signUpMember(tenant: TestTenant, person: { email?: string; password?: string } = {}) {
    const email = person.email ?? `member-${Math.random().toString(36).slice(2, 10)}@example.org`;
    const body = { email, password: person.password ?? TEST_PASSWORD, first_name: 'Ada', last_name: 'Lovelace' };
    const signedUp = await request('POST', '/v1/auth/signup', { key: tenant.publishable_key, body });
    if (signedUp.status === 201) return { email, ...(signedUp.body as TestSession) };
    if (signedUp.status !== 202) throw new Error(`sign-up failed: ${signedUp.status} ${signedUp.text}`);
    const token = await mailToken(tenant.id, 'verify_email', email);
    const verified = await request('POST', '/v1/auth/verify-email', { key: tenant.publishable_key, body: { token } });
    if (verified.status !== 200) throw new Error(`email verification failed: ${verified.status} ${verified.text}`);
    return { email, ...(verified.body as TestSession) };
  }

  /**
   * A signed-in staff user of `role`: invited with the tenant's secret key (an owner through the
   * platform operator, as no tenant key may appoint one), the mailed invitation accepted.
   */
  async function signInStaff(tenant: TestTenant, role: StaffRole = 'admin') {
    const email = `staff-${Math.random().toString(36).slice(2, 10)}@example.org`;
    const person = { email, name: 'Grace Hopper' };
    const invited =
      role === 'owner'
        ? await request('POST', `/v1/platform/tenants/${tenant.id}/owners`, { key: PLATFORM_KEY, body: person })
        : await request('POST', '/v1/staff', { key: tenant.secret_key, body: { ...person, role } });
    if (invited.status !== 201) throw new Error(`staff invitation failed: ${invited.status} ${invited.text}`);
    const token = await mailToken(tenant.id, 'staff_invite', email);
    const accepted = await request('POST', '/v1/auth/staff/accept-invite', {
      key: tenant.publishable_key,
      body: { token, password: TEST_PASSWORD },
    });
    if (accepted.status !== 200) throw new Error(`staff invitation not accepted: ${accepted.status} ${accepted.text}`);
    return { id: invited.body.id as string, email, ...(accepted.body as TestSession) };
  }

  // A context given someone else's database leaves closing it to them.
  const close = async () => {
    await ownRealtime?.stop();
    if (!options.db) await db.close();
  };
  return {
    app,
    deps,
    db,
    logger,
    request,
    createTenant,
    createKey,
    mails,
    mailToken,
    signUpMember,
    signInStaff,
    close,
  };
}

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
