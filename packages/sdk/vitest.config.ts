import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { sourceAliases } from '../../scripts/source-aliases.mjs';

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

export default defineConfig({
  // The example imports the package by name, as customers do; tests run it against the source.
  resolve: {
    alias: [
      { find: /^@memberkit\/sdk\/server$/, replacement: src('server.ts') },
      { find: /^@memberkit\/sdk$/, replacement: src('index.ts') },
      // The API's test harness (@memberkit/api/testing), from its source.
      ...sourceAliases(['@memberkit/api']),
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', '../../examples/node-backend/**/*.test.ts'],
    // The API's test harness migrates one database per run (PGlite, or DATABASE_URL's server); each test file loads a copy.
    globalSetup: ['./test/support/global-setup.ts'],
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
