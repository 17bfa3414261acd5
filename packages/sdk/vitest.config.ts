import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

export default defineConfig({
  // The example imports the package by name, as customers do; tests run it against the source.
  resolve: {
    alias: [
      { find: /^@memberkit\/sdk\/server$/, replacement: src('server.ts') },
      { find: /^@memberkit\/sdk$/, replacement: src('index.ts') },
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', '../../examples/node-backend/**/*.test.ts'],
    // The API's global setup migrates one PGlite database per run; each test file loads a copy.
    globalSetup: ['../api/test/support/global-setup.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    typecheck: {
      enabled: true,
      include: ['test/**/*.test-d.ts'],
      tsconfig: './test/types/tsconfig.json',
    },
  },
});
