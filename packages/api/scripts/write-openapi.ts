/**
 * Writes the API's OpenAPI document to the repository's `openapi.yaml`.
 * `--check` fails instead when the committed file differs (CI's drift check).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { createApp } from '../src/app.js';
import type { Database } from '../src/db/database.js';
import { defaultConfig } from '../src/deps.js';
import { systemClock } from '../src/lib/clock.js';
import { createUlidGenerator } from '../src/lib/ids.js';
import { silentLogger } from '../src/lib/logger.js';
import { createMemoryRateLimitStore } from '../src/middleware/rate-limit-store.js';
import { buildOpenApiDocument } from '../src/openapi-document.js';
import { createPbkdf2Hasher } from '../src/accounts/password-hasher.js';
import { createSecretBox, generateMasterKey } from '../src/lib/secret-box.js';

const target = fileURLToPath(new URL('../../../openapi.yaml', import.meta.url));

// The document depends only on the routes, so no database is opened.
const unusedDb = new Proxy({} as Database, {
  get() {
    throw new Error('write-openapi must not touch the database');
  },
});
const app = createApp({
  db: unusedDb,
  clock: systemClock,
  ids: createUlidGenerator(systemClock),
  keys: { resolve: async () => null },
  logger: silentLogger,
  rateLimits: createMemoryRateLimitStore(),
  secretBox: await createSecretBox(generateMasterKey()),
  passwordHasher: createPbkdf2Hasher(),
  config: defaultConfig,
});
const yaml = `# Generated from packages/api by \`npm run openapi\`. Do not edit by hand.\n${stringify(buildOpenApiDocument(app), { lineWidth: 0, aliasDuplicateObjects: false })}`;

if (process.argv.includes('--check')) {
  const current = await readFile(target, 'utf8').catch(() => '');
  if (current !== yaml) {
    process.stderr.write('openapi.yaml is stale: run `npm run openapi` and commit the result.\n');
    process.exit(1);
  }
  process.stdout.write('openapi.yaml is up to date.\n');
} else {
  await writeFile(target, yaml);
  process.stdout.write(`Wrote ${target}\n`);
}
