/**
 * A rollup worker beside the API (BENCH_INGEST_WORKER=process): the product's
 * drainActivityRollups in a loop, every 200 ms, until SIGTERM. For an API process
 * that does not run the worker itself.
 */
import { drainRollups } from './drain.js';
import { benchDatabaseUrl } from '../lib/config.js';

let running = true;
process.once('SIGTERM', () => {
  running = false;
});
const url = benchDatabaseUrl();
while (running) {
  await drainRollups(url, () => undefined, { quiet: true });
  await new Promise((r) => setTimeout(r, 200));
}
process.exit(0);
