import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Restarts the PostgreSQL server under every other test: run alone (npm run test:restart, vitest.restart.config.ts).
    exclude: [...configDefaults.exclude, 'test/db-fault-restart.test.ts'],
    globalSetup: ['./src/testing/vitest-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
