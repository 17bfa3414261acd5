import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  files: 'src/**/*.test.ts',
  // Serve workspace packages' TypeScript source, never a stale dist/.
  nodeResolve: { exportConditions: ['memberkit-source', 'browser', 'import'] },
  plugins: [
    // Reads experimentalDecorators / useDefineForClassFields from the package tsconfig.
    esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: '/usr/bin/chromium',
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
