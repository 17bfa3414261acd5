/**
 * @memberkit/api/testing: the real API on a real database, for tests of the API and of what
 * talks to it (the SDK, the elements, your backend). In vitest, add the global setup
 * `@memberkit/api/testing/vitest-setup` so the schema is migrated once per run (PGlite, or a
 * fresh database on the server of `DATABASE_URL`); each `createTestContext()` then opens its copy.
 */
export {
  createTestContext,
  expectProblem,
  PLATFORM_KEY,
  tampered,
  TEST_PASSWORD,
  type RequestOptions,
  type StaffRole,
  type TestContext,
  type TestContextOptions,
  type TestMail,
  type TestResponse,
  type TestSession,
  type TestTenant,
} from './harness.js';
export { drainActivityRollups } from '../maintenance/activity-rollup-worker.js';
export { createStripeEventWorker, drainStripeEvents } from '../maintenance/billing-webhook-worker.js';
export { drainUsageForwarder } from '../billing/usage-forwarder.js';
export { openTestDatabase, type TestDatabaseOptions } from './test-database.js';
export { createScratchDatabase } from './scratch-database.js';
export { startTestOidcProvider, type TestAccount, type TestOidcProvider } from './oidc-provider.js';
export { startWsTcpProxy } from './ws-tcp-proxy.js';
export type { ProvidedTestDatabase } from './vitest-context.js';
export { startStripeDouble, type StripeDouble, type StripeDoubleOptions } from '../stripe-double/double.js';
export type { Delivery, DeliveryMode, FetchLike } from '../stripe-double/webhook-sender.js';
export type { TestPaymentMethod } from '../stripe-double/resources/payment-methods.js';
export { connectTestBilling, type TestBillingOptions } from './billing.js';
// The real-time channel's parts, for tests and benchmarks that run several "processes" on one database.
export { createRealtimeRuntime, type NodeRealtimeRuntime } from '../realtime/runtime.js';
export { createMemoryBus } from '../realtime/bus-memory.js';
export { createPostgresBus } from '../realtime/bus-postgres.js';
export { createRedisBus } from '../realtime/bus-redis.js';
export { appendEvents } from '../realtime/event-log.js';
export { configureStreams } from '../realtime/stream-connection.js';
export type { RealtimeBus, RealtimeEvent, RealtimeRuntime } from '../realtime/types.js';
export { createNodePostgresDatabase } from '../db/drivers/node-postgres.js';
export { silentLogger } from '../lib/logger.js';
