import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { expectNothingLost, openFaultDatabase, startCreateLoad, waitFor } from './support/db-faults.js';
import { createTestContext, type TestContext } from '../src/testing/index.js';

/**
 * The PostgreSQL server restarted while idempotent creates run. Restarts the
 * server of DATABASE_URL, which breaks every other test using it at that moment:
 * not part of the default run; `npm run test:restart -w @memberkit/api` (CI runs
 * it last).
 */
const serverUrl = inject('databaseUrl');

/** `pg_ctlcluster … restart` of the local cluster (Debian's tooling; CI's server). */
async function restartServer(): Promise<void> {
  const [version] = readdirSync('/etc/postgresql');
  await promisify(execFile)('pg_ctlcluster', ['--skip-systemctl-redirect', version!, 'main', 'restart']);
}

/** A client to the server that survives its restart: a fresh connection per call. */
async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(!serverUrl)('a PostgreSQL server restart during idempotent creates', () => {
  const name = `memberkit_restart_${process.pid}_${Date.now().toString(36)}`;
  let url: string;
  let db: Database;
  let t: TestContext;

  beforeAll(async () => {
    // `name` is digits and base-36 letters only; identifiers cannot be bound as parameters.
    await query(serverUrl!, `create database ${name}`);
    const u = new URL(serverUrl!);
    u.pathname = `/${name}`;
    url = u.toString();
    db = await openFaultDatabase(url);
    await db.migrate();
    t = await createTestContext({ db });
  });

  afterAll(async () => {
    await t?.close();
    await db?.close();
    await query(serverUrl!, `drop database if exists ${name} with (force)`);
  });

  it('keeps the process up, answers 201 or 503 with Retry-After, reports /health down then up, resumes within 2 s, loses nothing', async () => {
    const tenant = await t.createTenant();
    const load = startCreateLoad(t, tenant.secret_key, 'restart');
    const health: number[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        health.push((await t.request('GET', '/health')).status);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();

    await waitFor(() => load.succeeded() >= 10, 'creates to go through');
    await restartServer();
    const backAt = Date.now();
    const resumed = load.succeeded();
    await waitFor(() => load.succeeded() > resumed, 'a create to succeed after the restart');
    expect(Date.now() - backAt).toBeLessThan(2000);
    await waitFor(() => health.at(-1) === 200, '/health to report the database up');
    watching = false;
    await watcher;
    const outcomes = await load.stop();

    expect(health).toContain(503);
    expect(outcomes.some((o) => o.res.status === 503)).toBe(true);
    await expectNothingLost(t, tenant.secret_key, outcomes, async () =>
      (await query<{ id: string }>(url, 'select id from members where tenant_id = $1', [tenant.id])).map((r) => r.id),
    );
  });
});
