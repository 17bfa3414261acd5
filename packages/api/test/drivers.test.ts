import { sql } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { executeRows, type Database } from '../src/db/database.js';
import { createNeonDatabase } from '../src/db/drivers/neon.js';
import { createNodePostgresDatabase } from '../src/db/drivers/node-postgres.js';
import { migrationsFolder } from '../src/db/migrations-folder.js';
import { openTestDatabase } from '../src/testing/index.js';

const serverUrl = inject('databaseUrl');

async function openDriver(name: 'test' | 'pg' | 'neon'): Promise<Database> {
  if (name === 'test') return openTestDatabase();
  if (name === 'pg') return createNodePostgresDatabase({ connectionString: serverUrl!, maxConnections: 2 });
  const { default: WebSocket } = await import('ws');
  const port = inject('neonProxyPort');
  return createNeonDatabase({
    connectionString: serverUrl!,
    maxConnections: 2,
    webSocketConstructor: WebSocket,
    wsProxy: (host, p) => `127.0.0.1:${port}/v2?address=${host}:${p}`,
    migrationsFolder,
  });
}

const drivers = serverUrl ? (['test', 'pg', 'neon'] as const) : (['test'] as const);

describe.each(drivers)('the %s database driver', (name) => {
  it('migrates idempotently, scopes transactions to one tenant and rolls back on error', async () => {
    const db = await openDriver(name);
    try {
      if (name === 'test' && process.env.MEMBERKIT_TEST_DRIVER === 'neon') expect(db.driver).toBe('neon');
      await db.migrate();
      await db.migrate();
      const id = `tnt_${Date.now().toString(36).padStart(26, '0').slice(-26)}`;
      await db.withPlatform((tx) =>
        tx.execute(
          sql`insert into tenants (id, name, slug) values (${id}, 'Driver test', ${`drv-${name}-${Date.now()}`})`,
        ),
      );

      await expect(
        db.withTenant(id, async (tx) => {
          await tx.execute(
            sql`insert into tiers (tenant_id, id, name, interval) values (${id}, 'tier_rollback', 'Gone', 'free')`,
          );
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      const tiers = await db.withTenant(id, (tx) => executeRows(tx.execute(sql`select id from tiers`)));
      expect(tiers).toHaveLength(0);

      const [settings] = await db.withTenant(id, (tx) =>
        executeRows<{ tenant: string; role: string }>(
          tx.execute(sql`select current_setting('app.tenant_id') as tenant, current_user as role`),
        ),
      );
      expect(settings).toEqual({ tenant: id, role: 'memberkit_app' });
      // Nothing of the tenant scope survives the transaction on the pooled connection.
      const after = await db.withPlatform((tx) =>
        executeRows<{ tenant: string | null; role: string }>(
          tx.execute(sql`select current_setting('app.tenant_id', true) as tenant, current_user as role`),
        ),
      );
      expect(after[0]).toEqual({ tenant: '', role: 'memberkit_platform' });
      await db.withPlatform((tx) => tx.execute(sql`delete from tenants where id = ${id}`));
    } finally {
      await db.close();
    }
  });
});
