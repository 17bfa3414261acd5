import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Vite/vitest aliases that load workspace packages from their TypeScript source: each
 * subpath of a package's `exports` map goes to its `memberkit-source` target, so tests
 * import packages by their published names (`@memberkit/api/testing`) and never run a
 * stale `dist/`. (Vite's `resolve.conditions` do not reach vitest's global setup files.)
 * @param {string[]} names package names, e.g. `['@memberkit/api']`
 * @returns {{ find: RegExp, replacement: string }[]}
 */
export function sourceAliases(names) {
  return names.flatMap((name) => {
    const manifestPath = require.resolve(`${name}/package.json`);
    const { exports } = JSON.parse(readFileSync(manifestPath, 'utf8'));
    return Object.entries(exports ?? {})
      .filter(([, target]) => typeof target === 'object' && target['memberkit-source'])
      .map(([subpath, target]) => ({
        find: new RegExp(`^${escapeRegExp(path.posix.join(name, subpath))}$`),
        replacement: path.join(path.dirname(manifestPath), target['memberkit-source']),
      }));
  });
}
