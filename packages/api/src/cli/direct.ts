import type { z } from '@hono/zod-openapi';
import { systemClock } from '../lib/clock.js';
import { createUlidGenerator } from '../lib/ids.js';
import type { CreateTenantBody } from '../routes/platform-tenants/platform-tenants.schemas.js';
import { toTenantDto } from '../routes/tenant/tenant.schemas.js';
import { openMigratedDatabase } from '../runtime/bootstrap.js';
import { readNodeConfig } from '../runtime/config.js';
import { describeDatabase } from '../runtime/dev-credentials.js';
import { readLiveServerLock } from '../runtime/server-lock.js';
import { createTenant, listTenants } from '../services/tenants.js';

/** What the CLI does on the database itself. */
export type DirectCommand =
  | { kind: 'migrate' }
  | { kind: 'create'; body: z.infer<typeof CreateTenantBody> }
  | { kind: 'list'; limit: number };

/**
 * `--direct` (and `migrate`): opens the configured database in this process, as
 * `npm start` would, and says which one first: without a server this is the only
 * way to reach a database, and the easiest way to write to the wrong one.
 */
export async function runDirect(command: DirectCommand, say: (line: string) => void): Promise<unknown> {
  const config = readNodeConfig();
  if (config.database.driver === 'pglite') {
    // PGlite allows one process per data folder: a second open would corrupt it.
    const server = await readLiveServerLock(config.dataDir);
    if (server)
      throw new Error(
        `The server at ${server.url} (pid ${server.pid}) has ${describeDatabase(config.database)} open: run the command without --direct to go through it, or stop the server first.`,
      );
  }
  say(`database ${describeDatabase(config.database)} (direct, no server)`);
  const db = await openMigratedDatabase(config);
  try {
    const deps = { db, clock: systemClock, ids: createUlidGenerator(systemClock) };
    if (command.kind === 'migrate') return { migrated: true, database: describeDatabase(config.database) };
    if (command.kind === 'create') {
      const { time_zone, ...body } = command.body;
      const created = await createTenant(deps, {
        ...body,
        ...(time_zone !== undefined ? { timeZone: time_zone } : {}),
      });
      return { ...toTenantDto(created.tenant), secret_key: created.secretKey, publishable_key: created.publishableKey };
    }
    const rows = await listTenants(deps, { limit: command.limit });
    return {
      object: 'list',
      data: rows.slice(0, command.limit).map(toTenantDto),
      has_more: rows.length > command.limit,
    };
  } finally {
    await db.close();
  }
}
