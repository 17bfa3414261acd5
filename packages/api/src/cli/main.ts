import { parseArgs } from 'node:util';
import { openMigratedDatabase } from '../runtime/bootstrap.js';
import { readNodeConfig } from '../runtime/config.js';
import { readDevCredentials } from '../runtime/dev-credentials.js';
import { readLiveServerLock } from '../runtime/server-lock.js';
import { systemClock } from '../lib/clock.js';
import { createUlidGenerator } from '../lib/ids.js';
import { ApiError } from '../lib/errors.js';
import { createTenant, listTenants } from '../services/tenants.js';
import { CreateTenantBody } from '../routes/platform-tenants/platform-tenants.schemas.js';
import { toTenantDto } from '../routes/tenant/tenant.schemas.js';
import { fieldErrorsFromZod } from '../lib/validation.js';

const USAGE = `Usage:
  memberkit tenant create --name <name> --slug <slug>   Create a tenant; prints it with its keys as JSON
  memberkit tenant list [--limit <n>]                   List tenants as JSON
  memberkit migrate                                     Apply database migrations

Uses the same environment as npm start (DATABASE_URL, MEMBERKIT_DATA_DIR, MEMBERKIT_PLATFORM_KEY).
When npm start is running on the embedded database, the CLI goes through its HTTP API.`;

class UsageError extends Error {}

/** Sends a platform request to the running server (PGlite allows one process per data folder). */
async function viaServer(
  url: string,
  platformKey: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${platformKey}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const payload = (await response.json()) as { detail?: string };
  if (!response.ok) throw new Error(payload.detail ?? `HTTP ${response.status}`);
  return payload;
}

async function run(argv: string[]): Promise<unknown> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      slug: { type: 'string' },
      limit: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals.join(' ');
  if (values.help || !['tenant create', 'tenant list', 'migrate'].includes(command)) throw new UsageError(USAGE);

  const config = readNodeConfig();
  if (config.database.driver === 'pglite' && command !== 'migrate') {
    const server = await readLiveServerLock(config.dataDir);
    if (server) {
      const platformKey = config.platformKey ?? (await readDevCredentials(config.dataDir)).platformKey;
      if (!platformKey)
        throw new Error('A server is running on this data folder; set MEMBERKIT_PLATFORM_KEY to reach it.');
      return command === 'tenant create'
        ? viaServer(server.url, platformKey, 'POST', '/v1/platform/tenants', { name: values.name, slug: values.slug })
        : viaServer(server.url, platformKey, 'GET', `/v1/platform/tenants?limit=${Number(values.limit ?? 100)}`);
    }
  }

  const db = await openMigratedDatabase(config);
  try {
    const deps = { db, clock: systemClock, ids: createUlidGenerator(systemClock) };
    if (command === 'migrate') return { migrated: true, database: db.driver };
    if (command === 'tenant create') {
      const parsed = CreateTenantBody.safeParse({ name: values.name, slug: values.slug });
      if (!parsed.success) {
        throw new UsageError(
          fieldErrorsFromZod(parsed.error, 'json')
            .map((e) => `--${e.field}: ${e.message}`)
            .join('\n'),
        );
      }
      const created = await createTenant(deps, parsed.data);
      return { ...toTenantDto(created.tenant), secret_key: created.secretKey, publishable_key: created.publishableKey };
    }
    const limit = Math.min(Math.max(Number(values.limit ?? 100) || 100, 1), 100);
    const rows = await listTenants(deps, { limit });
    return { object: 'list', data: rows.slice(0, limit).map(toTenantDto), has_more: rows.length > limit };
  } finally {
    await db.close();
  }
}

run(process.argv.slice(2)).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    const message =
      error instanceof ApiError
        ? `${error.code}: ${error.detail}`
        : error instanceof Error
          ? error.message
          : String(error);
    process.stderr.write(`${message}\n`);
    process.exit(error instanceof UsageError ? 64 : 1);
  },
);
