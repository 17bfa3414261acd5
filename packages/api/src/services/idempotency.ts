import { sql } from 'drizzle-orm';
import { executeRows, type Database, type Tx } from '../db/database.js';

/** Whose keys these are: a tenant's, or the platform operator's. */
export type IdempotencyScope = { kind: 'tenant'; tenantId: string } | { kind: 'platform' };

export interface StoredResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
}

export type ClaimResult =
  | { outcome: 'claimed' }
  | { outcome: 'replay'; response: StoredResponse }
  | { outcome: 'mismatch' }
  | { outcome: 'in_progress' };

/** A claimed key whose request has not finished after this long is taken to be abandoned (its process died). */
const ABANDONED_AFTER_SECONDS = 300;

function run<T>(db: Database, scope: IdempotencyScope, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return scope.kind === 'tenant' ? db.withTenant(scope.tenantId, fn) : db.withPlatform((tx) => fn(tx));
}

// Table and column names below are constants; every value is a bound parameter.
function table(scope: IdempotencyScope) {
  return scope.kind === 'tenant' ? sql`idempotency_keys` : sql`platform_idempotency_keys`;
}
function scopeWhere(scope: IdempotencyScope, key: string) {
  return scope.kind === 'tenant' ? sql`tenant_id = ${scope.tenantId} and key = ${key}` : sql`key = ${key}`;
}

interface Row extends Record<string, unknown> {
  fingerprint: string;
  response_status: number | null;
  response_body: string | null;
  response_headers: Record<string, string> | null;
  expired: boolean;
  abandoned: boolean;
}

/**
 * Claims `key` for a request with `fingerprint`, or reports what to do instead:
 * replay the stored response, refuse a different request under the same key, or
 * refuse while the first request is still running.
 */
export async function claimIdempotencyKey(
  db: Database,
  scope: IdempotencyScope,
  key: string,
  fingerprint: string,
  ttlSeconds: number,
): Promise<ClaimResult> {
  return run(db, scope, async (tx) => {
    const columns = scope.kind === 'tenant' ? sql`(tenant_id, key, fingerprint)` : sql`(key, fingerprint)`;
    const values = scope.kind === 'tenant' ? sql`(${scope.tenantId}, ${key}, ${fingerprint})` : sql`(${key}, ${fingerprint})`;
    const inserted = await executeRows(tx.execute(sql`insert into ${table(scope)} ${columns} values ${values} on conflict do nothing returning key`));
    if (inserted.length > 0) return { outcome: 'claimed' };

    const found = await executeRows<Row>(tx.execute(sql`
      select fingerprint, response_status, response_body, response_headers,
             created_at < now() - make_interval(secs => ${ttlSeconds}) as expired,
             (response_status is null and created_at < now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS})) as abandoned
      from ${table(scope)} where ${scopeWhere(scope, key)} for update`));
    const row = found[0];
    if (!row || row.expired || row.abandoned) {
      await tx.execute(sql`delete from ${table(scope)} where ${scopeWhere(scope, key)}`);
      await tx.execute(sql`insert into ${table(scope)} ${columns} values ${values}`);
      return { outcome: 'claimed' };
    }
    if (row.fingerprint !== fingerprint) return { outcome: 'mismatch' };
    if (row.response_status === null) return { outcome: 'in_progress' };
    return {
      outcome: 'replay',
      response: { status: row.response_status, body: row.response_body ?? '', headers: row.response_headers ?? {} },
    };
  });
}

/** Stores the response of a claimed key, to be replayed to retries. */
export async function completeIdempotencyKey(db: Database, scope: IdempotencyScope, key: string, response: StoredResponse): Promise<void> {
  await run(db, scope, (tx) =>
    tx.execute(sql`
      update ${table(scope)}
      set response_status = ${response.status}, response_body = ${response.body},
          response_headers = ${JSON.stringify(response.headers)}::jsonb, completed_at = now()
      where ${scopeWhere(scope, key)}`),
  );
}

/** Frees a claimed key whose request failed in a way a retry may fix (5xx, rate limit). */
export async function releaseIdempotencyKey(db: Database, scope: IdempotencyScope, key: string): Promise<void> {
  await run(db, scope, (tx) => tx.execute(sql`delete from ${table(scope)} where ${scopeWhere(scope, key)}`));
}
