import { defineConfig } from 'vitest/config';
import { sourceAliases } from '../scripts/source-aliases.mjs';

export default defineConfig({
  // The API's test harness (@memberkit/api/testing) by its package name, from its source.
  resolve: { alias: sourceAliases(['@memberkit/api']) },
  test: {
    include: ['test/**/*.test.ts'],
    // Each file starts `npm start`'s server and a browser: one file at a time on two cores.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
