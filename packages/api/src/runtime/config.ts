import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DatabaseConfig } from '../db/connect.js';
import { parseTrustedProxies, type TrustedProxies } from './client-ip.js';

/** Mail delivery of a Node process. */
export interface MailConfig {
  /** `smtp(s)://user:pass@host:port`; null: mails are caught in memory and shown at /dev/mail. */
  smtpUrl: string | null;
  from: string;
  linkBaseUrl: string;
  /** Whether this process runs the delivery worker. */
  worker: boolean;
  intervalMs: number;
}

/** Stripe access of a Node process. Without a key, `npm start` runs billing against the offline Stripe test double. */
export interface StripeConfig {
  /** The platform's secret key (MEMBERKIT_STRIPE_SECRET_KEY): Connect mode for every tenant. */
  secretKey: string | null;
  /** Signing secret of the platform's Connect webhook endpoint (MEMBERKIT_STRIPE_WEBHOOK_SECRET). */
  webhookSecret: string | null;
  /** Another Stripe API host (MEMBERKIT_STRIPE_API_BASE, e.g. a stripe-mock), instead of api.stripe.com. */
  apiBase: URL | null;
}

/** Settings of a Node process, read from the environment in one place. */
export interface NodeConfig {
  port: number;
  host: string;
  database: DatabaseConfig;
  /** Folder for PGlite's data and the dev credentials file. */
  dataDir: string;
  platformKey: string | null;
  /** 32-byte base64url key sealing secrets at rest; generated into the data folder in development. */
  masterKey: string | null;
  /** Public base URL (token issuer, links in mails). */
  publicUrl: string;
  /** Create the demo tenant on an empty database (default on; MEMBERKIT_DEMO=0 turns it off). */
  demo: boolean;
  production: boolean;
  rateLimit: { limit: number; windowSeconds: number };
  authRateLimit: { limit: number; windowSeconds: number };
  /** Proxies whose `X-Forwarded-For` names the client (MEMBERKIT_TRUSTED_PROXIES); none by default. */
  trustedProxies: TrustedProxies;
  /** How long a resolved API key is remembered in this process; 0 disables the cache. */
  keyCacheTtlMs: number;
  mail: MailConfig;
  /** The retention job (erasing members past the restore window, pruning spent sessions, tokens, replays and mail). */
  retention: { worker: boolean; intervalMs: number };
  /** Serve the example member site, the element bundles and the staff console beside the API (MEMBERKIT_SITE=0 turns it off; off in production). */
  site: boolean;
  stripe: StripeConfig;
  realtime: RealtimeConfig;
}

/**
 * How API processes share live events. `postgres` (LISTEN/NOTIFY) is the default on a
 * PostgreSQL server: nothing else to run; `redis` with MEMBERKIT_REDIS_URL; the embedded
 * database has one process, so `memory`.
 */
export interface RealtimeConfig {
  bus: 'memory' | 'postgres' | 'redis';
  redisUrl: string | null;
  /** Seconds between heartbeat comments on idle streams (proxies close silent connections). */
  heartbeatSeconds: number;
}

function intFrom(value: string | undefined, fallback: number, name: string, min = 1): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min)
    throw new Error(`${name} must be an integer of at least ${min}, got "${value}".`);
  return parsed;
}

/** The npm workspace root at or above `dir` (its package.json declares `workspaces`), or `dir` when there is none. */
function workspaceRoot(dir: string): string {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(current, 'package.json'), 'utf8')) as { workspaces?: unknown };
      if (manifest.workspaces) return current;
    } catch {
      // No (readable) package.json here: keep walking up.
    }
    if (path.dirname(current) === current) return path.resolve(dir);
  }
}

/**
 * The data folder (PGlite's data, the dev credentials, the server lock):
 * MEMBERKIT_DATA_DIR, by default `.memberkit`, relative to the workspace root
 * above the folder `npm` was started in (INIT_CWD). So `npm start` and
 * `npx memberkit` find the same folder from the repository root or any package in it.
 */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(workspaceRoot(env.INIT_CWD ?? process.cwd()), env.MEMBERKIT_DATA_DIR || '.memberkit');
}

/** Reads the process configuration. */
export function readNodeConfig(env: NodeJS.ProcessEnv = process.env): NodeConfig {
  const dataDir = resolveDataDir(env);
  const url = env.DATABASE_URL;
  let database: DatabaseConfig;
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('DATABASE_URL must be a postgres:// URL.');
    const maxConnections = intFrom(env.MEMBERKIT_DB_POOL_SIZE, 10, 'MEMBERKIT_DB_POOL_SIZE');
    // Bounds of a request's wait on the database server (503 after): README "Database faults".
    const timeouts = {
      connectTimeoutMs: intFrom(env.MEMBERKIT_DB_CONNECT_TIMEOUT_MS, 5000, 'MEMBERKIT_DB_CONNECT_TIMEOUT_MS'),
      statementTimeoutMs: intFrom(env.MEMBERKIT_DB_STATEMENT_TIMEOUT_MS, 15000, 'MEMBERKIT_DB_STATEMENT_TIMEOUT_MS'),
    };
    if (env.MEMBERKIT_DB_DRIVER === 'neon') {
      const proxy = env.MEMBERKIT_NEON_WS_PROXY;
      database = {
        driver: 'neon',
        url,
        maxConnections,
        ...timeouts,
        ...(proxy ? { wsProxy: (host: string, port: number | string) => `${proxy}/v2?address=${host}:${port}` } : {}),
      };
    } else {
      database = { driver: 'pg', url, maxConnections, ...timeouts };
    }
  } else {
    database = { driver: 'pglite', dataDir: path.join(dataDir, 'pgdata') };
  }
  const production = env.NODE_ENV === 'production';
  const publicUrl = (env.MEMBERKIT_PUBLIC_URL || `http://${env.HOST || '127.0.0.1'}:${env.PORT || 8787}`).replace(
    /\/+$/,
    '',
  );
  const mailWorker = env.MEMBERKIT_MAIL_WORKER !== '0' && env.MEMBERKIT_MAIL_WORKER !== 'false';
  const smtpUrl = env.MEMBERKIT_SMTP_URL || null;
  if (production && mailWorker && !smtpUrl)
    throw new Error(
      'Set MEMBERKIT_SMTP_URL in production (or MEMBERKIT_MAIL_WORKER=0 when another process sends mail).',
    );
  if (production && smtpUrl && !env.MEMBERKIT_MAIL_FROM)
    throw new Error('Set MEMBERKIT_MAIL_FROM (the sender address) with MEMBERKIT_SMTP_URL.');
  const stripe = readStripeConfig(env, production);
  return {
    stripe,
    realtime: readRealtimeConfig(env, database.driver),
    // PORT=0 picks a free port (tests); the banner prints the real one.
    port: intFrom(env.PORT, 8787, 'PORT', 0),
    host: env.HOST || '127.0.0.1',
    database,
    dataDir,
    platformKey: env.MEMBERKIT_PLATFORM_KEY || null,
    masterKey: env.MEMBERKIT_MASTER_KEY || null,
    publicUrl,
    demo: env.MEMBERKIT_DEMO !== '0' && env.MEMBERKIT_DEMO !== 'false',
    production,
    authRateLimit: { limit: intFrom(env.MEMBERKIT_AUTH_RATE_LIMIT, 5, 'MEMBERKIT_AUTH_RATE_LIMIT'), windowSeconds: 10 },
    rateLimit: {
      limit: intFrom(env.MEMBERKIT_RATE_LIMIT, 1000, 'MEMBERKIT_RATE_LIMIT'),
      windowSeconds: intFrom(env.MEMBERKIT_RATE_LIMIT_WINDOW, 10, 'MEMBERKIT_RATE_LIMIT_WINDOW'),
    },
    trustedProxies: parseTrustedProxies(env.MEMBERKIT_TRUSTED_PROXIES),
    site: !production && env.MEMBERKIT_SITE !== '0' && env.MEMBERKIT_SITE !== 'false',
    keyCacheTtlMs: intFrom(env.MEMBERKIT_KEY_CACHE_TTL_MS, 5000, 'MEMBERKIT_KEY_CACHE_TTL_MS', 0),
    mail: {
      smtpUrl,
      from: env.MEMBERKIT_MAIL_FROM || 'no-reply@memberkit.localhost',
      linkBaseUrl: (env.MEMBERKIT_MAIL_LINK_BASE_URL || publicUrl).replace(/\/+$/, ''),
      worker: mailWorker,
      intervalMs: intFrom(env.MEMBERKIT_MAIL_INTERVAL_MS, production ? 5000 : 1000, 'MEMBERKIT_MAIL_INTERVAL_MS'),
    },
    retention: {
      worker: env.MEMBERKIT_RETENTION_WORKER !== '0' && env.MEMBERKIT_RETENTION_WORKER !== 'false',
      intervalMs: intFrom(env.MEMBERKIT_RETENTION_INTERVAL_MS, 60 * 60 * 1000, 'MEMBERKIT_RETENTION_INTERVAL_MS'),
    },
  };
}

function readRealtimeConfig(env: NodeJS.ProcessEnv, driver: DatabaseConfig['driver']): RealtimeConfig {
  const redisUrl = env.MEMBERKIT_REDIS_URL || null;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl))
    throw new Error('MEMBERKIT_REDIS_URL must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379.');
  const requested = env.MEMBERKIT_REALTIME_BUS || (redisUrl ? 'redis' : driver === 'pglite' ? 'memory' : 'postgres');
  if (requested !== 'memory' && requested !== 'postgres' && requested !== 'redis')
    throw new Error(`MEMBERKIT_REALTIME_BUS must be memory, postgres or redis, got "${requested}".`);
  if (requested === 'redis' && !redisUrl) throw new Error('MEMBERKIT_REALTIME_BUS=redis needs MEMBERKIT_REDIS_URL.');
  if (requested === 'postgres' && driver === 'pglite')
    throw new Error(
      'MEMBERKIT_REALTIME_BUS=postgres needs a PostgreSQL server (DATABASE_URL); the embedded database runs in one process.',
    );
  return {
    bus: requested,
    redisUrl,
    heartbeatSeconds: intFrom(env.MEMBERKIT_REALTIME_HEARTBEAT_SECONDS, 15, 'MEMBERKIT_REALTIME_HEARTBEAT_SECONDS'),
  };
}

/** The Stripe settings: a key needs its Connect webhook secret in production (events could not be verified). */
function readStripeConfig(env: NodeJS.ProcessEnv, production: boolean): StripeConfig {
  const secretKey = env.MEMBERKIT_STRIPE_SECRET_KEY || null;
  const webhookSecret = env.MEMBERKIT_STRIPE_WEBHOOK_SECRET || null;
  if (secretKey && !/^(sk|rk)_(test|live)_\w+$/.test(secretKey))
    throw new Error('MEMBERKIT_STRIPE_SECRET_KEY must be a Stripe secret key (sk_live_… or sk_test_…).');
  if (production && secretKey && !webhookSecret)
    throw new Error(
      'Set MEMBERKIT_STRIPE_WEBHOOK_SECRET (the signing secret of the Connect webhook endpoint at <public URL>/v1/webhooks/stripe) with MEMBERKIT_STRIPE_SECRET_KEY.',
    );
  let apiBase: URL | null = null;
  if (env.MEMBERKIT_STRIPE_API_BASE) {
    try {
      apiBase = new URL(env.MEMBERKIT_STRIPE_API_BASE);
    } catch {
      throw new Error('MEMBERKIT_STRIPE_API_BASE must be a URL such as http://127.0.0.1:12111.');
    }
    if (apiBase.protocol !== 'http:' && apiBase.protocol !== 'https:')
      throw new Error('MEMBERKIT_STRIPE_API_BASE must be an http(s) URL.');
  }
  return { secretKey, webhookSecret, apiBase };
}
