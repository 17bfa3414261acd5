import type pg from 'pg';
import type { CpuProbe } from './load.js';

/** CPU and transaction probes of an API process and the Postgres backends of the bench database. */
export function createProbe(admin: pg.Client, dbName: string, apiPid: number): CpuProbe {
  return {
    apiPid,
    postgresPids: async () =>
      (
        await admin.query<{ pid: number }>(
          "select pid from pg_stat_activity where datname = $1 and backend_type = 'client backend' and pid <> pg_backend_pid()",
          [dbName],
        )
      ).rows.map((r) => r.pid),
    transactions: async () =>
      (
        await admin.query<{ n: string }>(
          'select (xact_commit + xact_rollback)::text as n from pg_stat_database where datname = $1',
          [dbName],
        )
      ).rows.reduce((s, r) => s + Number(r.n), 0),
    activity: async () =>
      (
        await admin.query<{ what: string }>(
          `select case when state = 'idle in transaction' then 'ClientRead (idle in tx)'
                       when wait_event is null then 'CPU'
                       else wait_event_type || ':' || wait_event end as what
           from pg_stat_activity
           where datname = $1 and backend_type = 'client backend' and pid <> pg_backend_pid()
             and state in ('active', 'idle in transaction')`,
          [dbName],
        )
      ).rows.map((r) => r.what),
  };
}
