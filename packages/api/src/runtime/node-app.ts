import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { createApp } from '../app.js';
import { createCachingKeyStore } from '../access/caching-key-store.js';
import { createDatabaseKeyStore } from '../access/key-store.js';
import type { Database } from '../db/database.js';
import { defaultConfig, type AppDeps } from '../deps.js';
import { systemClock } from '../lib/clock.js';
import { sha256Hex } from '../lib/crypto.js';
import { createUlidGenerator } from '../lib/ids.js';
import type { Logger } from '../lib/logger.js';
import { createMemoryRateLimitStore } from '../middleware/rate-limit-store.js';
import { resolveClientIp } from './client-ip.js';
import { createNodeCompressor } from './node-compression.js';
import type { NodeConfig } from './config.js';
import { createSwaggerAssetLoader } from './swagger-assets.js';
import { createPbkdf2Hasher } from '../accounts/password-hasher.js';
import { createSecretBox } from '../lib/secret-box.js';
import type { DevMailTransport } from '../mail/dev-transport.js';
import type { BillingDeps } from '../billing/billing-deps.js';
import type { RealtimeRuntime } from '../realtime/types.js';

/** Wires the app's dependencies for a Node process. */
export async function createNodeApp(options: {
  db: Database;
  logger: Logger;
  config: NodeConfig;
  platformKey: string | null;
  masterKey: string;
  devMail?: DevMailTransport | null;
  /** Stripe access (real Stripe or the offline test double); none: billing endpoints answer 503. */
  billing?: BillingDeps | null;
  /** The real-time channel (started by the caller); none: the stream endpoints answer 503. */
  realtime?: RealtimeRuntime | null;
}) {
  const clock = systemClock;
  const deps: AppDeps = {
    db: options.db,
    clock,
    ids: createUlidGenerator(clock),
    keys:
      options.config.keyCacheTtlMs > 0
        ? createCachingKeyStore(createDatabaseKeyStore(options.db, clock), {
            ttlMs: options.config.keyCacheTtlMs,
            clock,
          })
        : createDatabaseKeyStore(options.db, clock),
    logger: options.logger,
    rateLimits: createMemoryRateLimitStore(),
    secretBox: await createSecretBox(options.masterKey),
    passwordHasher: createPbkdf2Hasher(),
    config: {
      ...defaultConfig,
      platformKeyHash: options.platformKey ? await sha256Hex(options.platformKey) : null,
      rateLimit: options.config.rateLimit,
      authRateLimit: options.config.authRateLimit,
      issuerBaseUrl: options.config.publicUrl,
    },
    docsAssets: createSwaggerAssetLoader(),
    compressor: createNodeCompressor(),
    ...(options.devMail ? { devMail: options.devMail } : {}),
    ...(options.billing ? { billing: options.billing } : {}),
    ...(options.realtime ? { realtime: options.realtime } : {}),
    // The socket's peer, or what trusted proxies say it is (MEMBERKIT_TRUSTED_PROXIES).
    clientIp: (c) => resolveClientIp(peerAddress(c), c.req.header('x-forwarded-for'), options.config.trustedProxies),
  };
  return { app: createApp(deps), deps };
}

/** The socket's remote address; undefined outside a Node server (an in-process `app.request`). */
function peerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}
