import type { Context } from 'hono';
import type { KeyStore } from './access/key-store.js';
import type { PasswordHasher } from './accounts/password-hasher.js';
import type { SecretBox } from './lib/secret-box.js';
import type { Database } from './db/database.js';
import type { Clock } from './lib/clock.js';
import type { IdGenerator } from './lib/ids.js';
import type { Logger } from './lib/logger.js';
import type { BillingDeps } from './billing/billing-deps.js';
import type { RealtimeRuntime } from './realtime/types.js';
import type { Compressor } from './middleware/compression.js';
import type { RateLimitStore } from './middleware/rate-limit-store.js';
import type { DevMailTransport } from './mail/dev-transport.js';

/** Loads a static asset of the API reference UI (`/docs/assets/*`). Injected: edge runtimes have no file system. */
export type AssetLoader = (name: string) => Promise<{ body: Uint8Array<ArrayBuffer>; contentType: string } | null>;

/** Everything the app needs from the outside world. No module-level singletons, no `process.env` reads below here. */
export interface AppDeps {
  db: Database;
  clock: Clock;
  ids: IdGenerator;
  keys: KeyStore;
  logger: Logger;
  rateLimits: RateLimitStore;
  /** Seals secrets at rest (signing keys, OIDC client secrets) under the master key. */
  secretBox: SecretBox;
  passwordHasher: PasswordHasher;
  config: AppConfig;
  /** Serves the API reference UI's assets; without it `/docs` loads them from `config.docsAssetsUrl`. */
  docsAssets?: AssetLoader;
  /** The in-memory mail transport of `npm start`: when set, `GET /dev/mail` lists the mails it caught, live tokens included. Never set in production. */
  devMail?: DevMailTransport;
  /** Compresses responses (br, gzip) per `Accept-Encoding`; without it responses go out as they are (edge platforms compress themselves). */
  compressor?: Compressor;
  /** The client's IP address (for rate limits of unauthenticated calls and audit entries). */
  clientIp?: (c: Context) => string | undefined;
  /** The in-process activity rollup worker: woken after an ingest commits (without it, its own interval picks the batch up). */
  activityRollups?: { wake(): void };
  /** The Stripe event inbox worker: woken after a webhook is stored (without it, its own interval picks the event up). */
  billingEvents?: { wake(): void };
  /** Stripe: how to reach it and the platform's Connect credentials. Without it, billing endpoints answer 409 `BILLING_NOT_CONFIGURED`. */
  billing?: BillingDeps;
  /** The real-time channel (hub, dispatcher, bus). Without it (edge runtimes) the stream endpoints answer 503 and events are still logged. */
  realtime?: RealtimeRuntime;
  /** The notification fan-out worker: woken after a staff send is queued (without it, its own interval picks the batch up). */
  notificationBatches?: { wake(): void };
}

export interface AppConfig {
  /** SHA-256 (hex) of the platform operator key; platform endpoints are closed when absent. */
  platformKeyHash: string | null;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  /** Largest accepted `POST /v1/activity` body (a batch of 1,000 events), in bytes. */
  activityBodyLimitBytes: number;
  /** Largest accepted import body (CSV/NDJSON, streamed), in bytes. */
  importBodyLimitBytes: number;
  /** Requests per credential (or per IP when unauthenticated) per window. */
  rateLimit: { limit: number; windowSeconds: number };
  /** Sign-in and sign-up attempts per client IP and per email address within the window. */
  authRateLimit: { limit: number; windowSeconds: number };
  /** How long an idempotency key's stored response is replayed. */
  idempotencyTtlSeconds: number;
  /** Where `/docs` loads Swagger UI's assets from when no `docsAssets` loader is given. */
  docsAssetsUrl?: string;
  /** Public base URL of the API: token issuers are `<base>/v1/tenants/<tenant id>`. */
  issuerBaseUrl: string;
}

/** Defaults for {@link AppConfig}. */
export const defaultConfig: AppConfig = {
  platformKeyHash: null,
  bodyLimitBytes: 1024 * 1024,
  activityBodyLimitBytes: 5 * 1024 * 1024,
  importBodyLimitBytes: 512 * 1024 * 1024,
  rateLimit: { limit: 1000, windowSeconds: 10 },
  authRateLimit: { limit: 5, windowSeconds: 10 },
  idempotencyTtlSeconds: 24 * 60 * 60,
  issuerBaseUrl: 'http://127.0.0.1:8787',
};
