import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodePostgresDatabase } from '../src/db/drivers/node-postgres.js';

/**
 * Managed Postgres (Neon, RDS, Cloud SQL) gives the application a database owner
 * that is not a superuser. The migrations must run as such a user: row-level
 * security is forced on the owner's own tables, and some statements need
 * privileges a superuser would skip. Only against a real server (DATABASE_URL).
 */
const url = process.env.DATABASE_URL;

describe.skipIf(!url)('migrations as a database owner who is not a superuser', () => {
  const suffix = `${process.pid}_${Date.now().toString(36)}`;
  // Built from digits and base-36 letters only; identifiers cannot be bound as parameters.
  const role = `memberkit_owner_${suffix}`;
  const database = `memberkit_nonsuper_${suffix}`;
  let admin: pg.Client;
  let ownerUrl: string;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    // What a managed service's owner typically may do: create roles and databases, nothing more.
    await admin.query(`create role ${role} login createrole createdb nosuperuser`);
    await admin.query(`create database ${database} owner ${role}`);
    const owner = new URL(url!);
    owner.username = role;
    owner.password = '';
    owner.pathname = `/${database}`;
    ownerUrl = owner.toString();
  });

  afterAll(async () => {
    await admin.query(`drop database if exists ${database} with (force)`);
    // Memberships granted by the migrations (app, platform and redactor roles) go with the role.
    await admin.query(`drop role if exists ${role}`);
    await admin.end();
  });

  it('migrates, twice, and leaves the audit log redactable only through its function', async () => {
    const db = createNodePostgresDatabase({ connectionString: ownerUrl, maxConnections: 2 });
    try {
      await db.migrate();
      await db.migrate();
    } finally {
      await db.close();
    }
    const check = new pg.Client({ connectionString: ownerUrl });
    await check.connect();
    try {
      const { rows } = await check.query<{ owner: string; definer: boolean; create: boolean }>(
        `select pg_get_userbyid(p.proowner) as owner, p.prosecdef as definer, has_schema_privilege('memberkit_redactor', 'public', 'CREATE') as create
         from pg_proc p where p.proname = 'memberkit_redact_member_audit'`,
      );
      expect(rows).toEqual([{ owner: 'memberkit_redactor', definer: true, create: false }]);
      const grants = await check.query<{ update: boolean; execute: boolean }>(
        `select has_table_privilege('memberkit_app', 'audit_log', 'UPDATE') as update,
                has_function_privilege('memberkit_app', 'memberkit_redact_member_audit(text)', 'EXECUTE') as execute`,
      );
      expect(grants.rows).toEqual([{ update: false, execute: true }]);
    } finally {
      await check.end();
    }
  });
});
