/**
 * Experiment, not the product: the API exactly as runtime/node-start.ts wires
 * it, with opt-in changes injected through its dependencies (nothing under
 * packages/ is modified), to measure what a suggested fix would buy.
 *
 *   VARIANT_KEY_CACHE_MS=60000   cache API key resolution in process (the fix suggested in RESULTS.md)
 *   VARIANT_NO_REQUEST_LOG=1     drop the per-request log line
 *
 * Same environment as node-start otherwise (DATABASE_URL, PORT, MEMBERKIT_*).
 */
import { serve } from '@hono/node-server';
import { createJsonLogger, type KeyStore, silentLogger } from '@memberkit/api';
import {
  createNodeApp,
  openMigratedDatabase,
  prepareDevSetup,
  readNodeConfig,
  type TenantCredential,
} from '@memberkit/api/testing/bench';

function cachingKeyStore(inner: KeyStore, ttlMs: number): KeyStore {
  const cache = new Map<string, { value: TenantCredential | null; expires: number }>();
  return {
    async resolve(presented) {
      const hit = cache.get(presented);
      const now = Date.now();
      if (hit && hit.expires > now) return hit.value;
      const value = await inner.resolve(presented);
      if (cache.size > 10_000) cache.clear();
      cache.set(presented, { value, expires: now + ttlMs });
      return value;
    },
  };
}

const config = readNodeConfig();
const keyCacheMs = Number(process.env.VARIANT_KEY_CACHE_MS ?? 0);
const logger =
  process.env.VARIANT_NO_REQUEST_LOG === '1'
    ? silentLogger
    : createJsonLogger((line) => process.stdout.write(`${line}\n`));
const db = await openMigratedDatabase(config);
// Wired as node-start.ts does (the setup carries whatever keys the app needs).
const setup = await prepareDevSetup(db, config, logger);
const { app, deps } = await createNodeApp({ db, logger, config, ...setup });
if (keyCacheMs > 0) deps.keys = cachingKeyStore(deps.keys, keyCacheMs);
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  process.stdout.write(
    `variant server on ${info.address}:${info.port} (key cache ${keyCacheMs} ms, request log ${logger === silentLogger ? 'off' : 'on'})\n`,
  );
});
const stop = () => {
  server.close();
  void db.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
