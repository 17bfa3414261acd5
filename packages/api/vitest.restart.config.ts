import { defineConfig } from 'vitest/config';

/**
 * The server-restart fault suite alone (`npm run test:restart`): restarting the
 * PostgreSQL server breaks every other test using it at that moment, so the
 * default run (vitest.config.ts) leaves this file out.
 */
export default defineConfig({
  test: {
    include: ['test/db-fault-restart.test.ts'],
    globalSetup: ['./test/support/restart-global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
