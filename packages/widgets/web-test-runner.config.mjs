import { createWebTestRunnerConfig } from '../../scripts/web-test-runner.base.mjs';

export default createWebTestRunnerConfig(import.meta.url, { api: true });
