/**
 * Checks that every operationId of openapi.yaml has an SDK method: an entry in
 * OPERATION_METHODS whose path is a function on a real client. Used by
 * `check-coverage.ts` (CLI) and `test/coverage.test.ts`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Memberkit } from '../src/client.js';
import { OPERATION_METHODS } from '../src/operations.js';

const SPEC = fileURLToPath(new URL('../../../openapi.yaml', import.meta.url));

/** Every operationId in openapi.yaml, read from the file itself (not from the generated types). */
export function specOperationIds(path = SPEC): string[] {
  return [...readFileSync(path, 'utf8').matchAll(/^\s+operationId:\s*['"]?([A-Za-z0-9_]+)['"]?\s*$/gm)].map(
    (m) => m[1]!,
  );
}

/** Operations without a callable SDK method, and map entries for operations the spec no longer has. */
export function coverageGaps(ids = specOperationIds()): { missing: string[]; notCallable: string[]; stale: string[] } {
  const client = new Memberkit({
    baseUrl: 'http://localhost',
    secretKey: 'sk_coverage',
    fetch: () => new Response(null, { status: 204 }),
  });
  const methods = OPERATION_METHODS as Record<string, string>;
  const missing = ids.filter((id) => !(id in methods));
  const notCallable = ids
    .filter((id) => id in methods)
    .filter((id) => {
      const path = methods[id]!.split('.');
      const owner = path
        .slice(0, -1)
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], client);
      return typeof (owner as Record<string, unknown> | undefined)?.[path.at(-1)!] !== 'function';
    })
    .map((id) => `${id} → ${methods[id]}`);
  const stale = Object.keys(methods).filter((id) => !ids.includes(id));
  return { missing, notCallable, stale };
}
