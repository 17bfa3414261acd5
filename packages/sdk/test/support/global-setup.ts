/**
 * The API test harness's global setup, by its package export: migrates one database per run
 * (PGlite, or a fresh one on DATABASE_URL's server) that each test file's `startApi()` copies.
 * A file of our own because vitest's `globalSetup` takes file paths, not package specifiers.
 */
export { default } from '@memberkit/api/testing/vitest-setup';
