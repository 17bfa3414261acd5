import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createNodePostgresDatabase } from '../db/drivers/node-postgres.js';
import { createPgliteDatabase, openPglite } from '../db/drivers/pglite.js';
import './vitest-context.js';
import { startWsTcpProxy } from './ws-tcp-proxy.js';

/**
 * The vitest global setup of `@memberkit/api/testing` (`globalSetup:
 * ['@memberkit/api/testing/vitest-setup']`): `createTestContext()` in any test
 * file of the run then opens the database it prepared. Migrates once per run. Without DATABASE_URL: a PGlite database, dumped so each
 * test file starts from a copy (~0.7 s instead of 3 s for a fresh start). With
 * DATABASE_URL: a new database on that server, dropped at the end.
 */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'memberkit-test-'));
    const client = await openPglite();
    await createPgliteDatabase(client).migrate();
    const dump = path.join(dir, 'migrated.tar.gz');
    await writeFile(dump, Buffer.from(await (await client.dumpDataDir('gzip')).arrayBuffer()));
    await client.close();
    project.provide('pgliteDump', dump);
    project.provide('databaseUrl', null);
    project.provide('neonProxyPort', null);
    return async () => rm(dir, { recursive: true, force: true });
  }

  const name = `memberkit_test_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = createNodePostgresDatabase({ connectionString: url.toString(), maxConnections: 2 });
  await db.migrate();
  await db.close();
  const proxy = await startWsTcpProxy();
  project.provide('pgliteDump', null);
  project.provide('databaseUrl', url.toString());
  project.provide('neonProxyPort', proxy.port);
  return async () => {
    await proxy.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
}
