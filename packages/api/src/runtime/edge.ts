import { createApp, type App } from '../app.js';
import { createDatabaseKeyStore } from '../access/key-store.js';
import { createNeonDatabase } from '../db/drivers/neon.js';
import { defaultConfig } from '../deps.js';
import { systemClock } from '../lib/clock.js';
import { sha256Hex } from '../lib/crypto.js';
import { createUlidGenerator } from '../lib/ids.js';
import { createJsonLogger } from '../lib/logger.js';
import { createMemoryRateLimitStore } from '../middleware/rate-limit-store.js';
import { createPbkdf2Hasher } from '../accounts/password-hasher.js';
import { createSecretBox } from '../lib/secret-box.js';

/** Bindings of an edge deployment (Cloudflare Workers, Vercel Edge, Deno Deploy). */
export interface EdgeEnv {
  DATABASE_URL: string;
  MEMBERKIT_PLATFORM_KEY?: string;
  /** Where `/docs` loads Swagger UI's assets from (edge runtimes have no file system). */
  MEMBERKIT_DOCS_ASSETS_URL?: string;
  /** 32-byte base64url master key sealing signing keys at rest (same as the Node deployment's). */
  MEMBERKIT_MASTER_KEY: string;
  /** Public base URL of the API (token issuer). */
  MEMBERKIT_PUBLIC_URL?: string;
  /** `host:port` of a plain WebSocket proxy in front of an ordinary Postgres server (local testing). */
  MEMBERKIT_NEON_WS_PROXY?: string;
}

let app: Promise<App> | undefined;

async function build(env: EdgeEnv): Promise<App> {
  const proxy = env.MEMBERKIT_NEON_WS_PROXY;
  const db = createNeonDatabase({
    connectionString: env.DATABASE_URL,
    maxConnections: 5,
    ...(proxy ? { wsProxy: (host: string, port: number | string) => `${proxy}/v2?address=${host}:${port}` } : {}),
  });
  return createApp({
    db,
    clock: systemClock,
    ids: createUlidGenerator(systemClock),
    keys: createDatabaseKeyStore(db, systemClock),
    logger: createJsonLogger((line) => console.log(line)),
    rateLimits: createMemoryRateLimitStore(),
    secretBox: await createSecretBox(env.MEMBERKIT_MASTER_KEY),
    passwordHasher: createPbkdf2Hasher(),
    config: {
      ...defaultConfig,
      platformKeyHash: env.MEMBERKIT_PLATFORM_KEY ? await sha256Hex(env.MEMBERKIT_PLATFORM_KEY) : null,
      ...(env.MEMBERKIT_PUBLIC_URL ? { issuerBaseUrl: env.MEMBERKIT_PUBLIC_URL } : {}),
      ...(env.MEMBERKIT_DOCS_ASSETS_URL ? { docsAssetsUrl: env.MEMBERKIT_DOCS_ASSETS_URL } : {}),
    },
  });
}

/**
 * The edge entry: a module-worker style `fetch` handler on Neon's serverless
 * driver. Migrations are applied beforehand from Node (`memberkit migrate`).
 */
export default {
  async fetch(request: Request, env: EdgeEnv, ctx?: unknown): Promise<Response> {
    app ??= build(env);
    // Hono's fetch takes (request, env, executionCtx); the context type is runtime-specific.
    return (await app).fetch(request, env, ctx as Parameters<App['fetch']>[2]);
  },
};
