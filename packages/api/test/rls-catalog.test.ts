import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRows, type Database } from '../src/db/database.js';
import { openTestDatabase } from '../src/testing/index.js';

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

const catalog = <T extends Record<string, unknown>>(query: ReturnType<typeof sql>) =>
  db.withPlatform((tx) => executeRows<T>(tx.execute(query)));

const TENANT_TABLES = sql`
  select c.oid, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'public' and c.relkind = 'r'
    and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)`;

describe('the schema as the catalog sees it', () => {
  it('has row-level security enabled, forced and a tenant policy on every table with a tenant_id', async () => {
    const rows = await catalog<{ relname: string; rls: boolean; forced: boolean; policy: string | null }>(sql`
      with t as (${TENANT_TABLES})
      select t.relname, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
             (select string_agg(pg_get_expr(p.polqual, p.polrelid), ' | ') from pg_policy p where p.polrelid = t.oid) as policy
      from t join pg_class c on c.oid = t.oid order by t.relname`);
    expect(rows.map((r) => r.relname)).toEqual(
      expect.arrayContaining(['api_keys', 'idempotency_keys', 'members', 'tiers']),
    );
    for (const row of rows) {
      expect(row, row.relname).toMatchObject({ rls: true, forced: true });
      expect(row.policy, row.relname).toContain("current_setting('app.tenant_id'");
    }
  });

  it('has row-level security enabled and forced on every table, tenant-owned or not', async () => {
    const rows = await catalog<{ relname: string; rls: boolean; forced: boolean }>(sql`
      select c.relname, c.relrowsecurity as rls, c.relforcerowsecurity as forced
      from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r'`);
    for (const row of rows) expect(row, row.relname).toMatchObject({ rls: true, forced: true });
  });

  it('leads every index and unique key of a tenant-owned table with tenant_id', async () => {
    const rows = await catalog<{ index: string; first: string | null }>(sql`
      with t as (${TENANT_TABLES})
      select i.indexrelid::regclass::text as index, a.attname as first
      from pg_index i join t on t.oid = i.indrelid
      left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]`);
    expect(rows.length).toBeGreaterThan(4);
    for (const row of rows) expect(row.first, row.index).toBe('tenant_id');
  });

  it('leads every foreign key of a tenant-owned table with tenant_id', async () => {
    const rows = await catalog<{ name: string; first: string }>(sql`
      with t as (${TENANT_TABLES})
      select con.conname as name, a.attname as first
      from pg_constraint con join t on t.oid = con.conrelid
      join pg_attribute a on a.attrelid = con.conrelid and a.attnum = con.conkey[1]
      where con.contype = 'f'`);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.first, row.name).toBe('tenant_id');
  });

  it('runs tenant work as a role that is neither superuser nor exempt from row-level security', async () => {
    const [role] = await db.withTenant('tnt_00000000000000000000000000', (tx) =>
      executeRows<{ current_user: string; rolsuper: boolean; rolbypassrls: boolean }>(
        tx.execute(sql`select current_user, r.rolsuper, r.rolbypassrls from pg_roles r where r.rolname = current_user`),
      ),
    );
    expect(role).toEqual({ current_user: 'memberkit_app', rolsuper: false, rolbypassrls: false });
  });
});
