import { createWebTestRunnerConfig } from '../../scripts/web-test-runner.base.mjs';

// The base needs no API: its tests define elements and listen to their events.
export default createWebTestRunnerConfig(import.meta.url);
