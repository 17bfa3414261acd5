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
