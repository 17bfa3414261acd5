import { createWebTestRunnerConfig } from '../../scripts/web-test-runner.base.mjs';

const base = createWebTestRunnerConfig(import.meta.url, { api: true });

export default {
  ...base,
  // Tests seed a tenant, staff and members through the API: more than the default 10 s.
  testFramework: { config: { timeout: 30_000 } },
};
