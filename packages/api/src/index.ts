/** @memberkit/api: the Memberkit HTTP API. */
export { createApp, type App } from './app.js';
export { defaultConfig, type AppConfig, type AppDeps, type AssetLoader } from './deps.js';
export type { Database, DriverName, Tx } from './db/database.js';
export { connectDatabase, type DatabaseConfig } from './db/connect.js';
export { createPgliteDatabase, openPglite } from './db/drivers/pglite.js';
export { createNodePostgresDatabase } from './db/drivers/node-postgres.js';
export { createNeonDatabase, type NeonOptions } from './db/drivers/neon.js';
export { createDatabaseKeyStore, type KeyStore } from './access/key-store.js';
export {
  createMemoryRateLimitStore,
  type RateLimitDecision,
  type RateLimitRule,
  type RateLimitStore,
} from './middleware/rate-limit-store.js';
export { systemClock, createManualClock, type Clock } from './lib/clock.js';
export { createUlidGenerator, type IdGenerator } from './lib/ids.js';
export { createJsonLogger, createMemoryLogger, silentLogger, type Logger } from './lib/logger.js';
export { ApiError, CommonErrors, defineErrorCodes, type ProblemBody, type FieldError } from './lib/errors.js';
export { buildOpenApiDocument } from './openapi-document.js';
