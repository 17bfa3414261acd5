/** CLI: exits 1 when an operation of openapi.yaml has no SDK method. */
import { coverageGaps, specOperationIds } from './coverage.js';

const ids = specOperationIds();
const { missing, notCallable, stale } = coverageGaps(ids);
if (missing.length + notCallable.length + stale.length > 0) {
  if (missing.length)
    console.error(`Operations without an SDK method (add them to src/operations.ts): ${missing.join(', ')}`);
  if (notCallable.length) console.error(`Mapped to something that is not a method: ${notCallable.join(', ')}`);
  if (stale.length) console.error(`Mapped operations no longer in openapi.yaml: ${stale.join(', ')}`);
  process.exit(1);
}
console.log(`SDK coverage: all ${ids.length} operations of openapi.yaml have a method.`);
