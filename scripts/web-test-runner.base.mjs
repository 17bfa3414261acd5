import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { memberkitApiPlugin } from './memberkit-api-plugin.mjs';

/**
 * The @web/test-runner configuration every element package shares: Debian's
 * Chromium (a test tool's own browser download cannot work here), TypeScript
 * through esbuild with the package's tsconfig, workspace packages from source.
 * @param {string} packageConfigUrl `import.meta.url` of the package's config file
 * @param {{ api?: boolean }} [options] `api`: run the real API for the tests (see memberkit-api-plugin.mjs)
 * @returns {import('@web/test-runner').TestRunnerConfig}
 */
export function createWebTestRunnerConfig(packageConfigUrl, options = {}) {
  return {
    files: 'src/**/*.test.ts',
    // Serve workspace packages' TypeScript source, never a stale dist/.
    nodeResolve: { exportConditions: ['memberkit-source', 'browser', 'import'] },
    plugins: [
      // Reads experimentalDecorators / useDefineForClassFields from the package tsconfig.
      esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('./tsconfig.json', packageConfigUrl)) }),
      ...(options.api ? [memberkitApiPlugin()] : []),
    ],
    browsers: [
      chromeLauncher({
        launchOptions: {
          executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--headless=new',
            '--disable-gpu',
            '--disable-dev-shm-usage',
            '--disable-background-networking',
            '--disable-component-update',
            '--no-first-run',
            '--disable-sync',
            '--disable-quic',
          ],
        },
      }),
    ],
    concurrency: 1,
    testFramework: { config: { timeout: 10_000 } },
  };
}
