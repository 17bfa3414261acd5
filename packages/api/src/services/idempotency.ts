import { sql } from 'drizzle-orm';
import { executeRows, type Database, type Tx } from '../db/database.js';
import type { SecretBox } from '../identity/secret-box.js';

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

/**
 * Stored bodies are sealed with the master key: a response may carry a secret shown
 * once (a new API key, a session's refresh token), and secrets are encrypted at
 * rest. The context binds a body to its scope and key: copied to another row, it
 * does not open.
 */
function sealContext(scope: IdempotencyScope, key: string): string {
  return `idempotency:${scope.kind === 'tenant' ? scope.tenantId : 'platform'}:${key}`;
}

/** Bodies stored before sealing are plain JSON, which never starts like a sealed value (`v1.`). */
function openBody(box: SecretBox, scope: IdempotencyScope, key: string, stored: string): Promise<string> {
  return stored.startsWith('v1.') ? box.open(stored, sealContext(scope, key)) : Promise.resolve(stored);
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
  box: SecretBox,
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
      response: { status: row.response_status, body: await openBody(box, scope, key, row.response_body ?? ''), headers: row.response_headers ?? {} },
    };
  });
}

/** Stores the response of a claimed key, to be replayed to retries. */
export async function completeIdempotencyKey(db: Database, scope: IdempotencyScope, key: string, response: StoredResponse, box: SecretBox): Promise<void> {
  const sealed = await box.seal(response.body, sealContext(scope, key));
  await run(db, scope, (tx) =>
    tx.execute(sql`
      update ${table(scope)}
      set response_status = ${response.status}, response_body = ${sealed},
          response_headers = ${JSON.stringify(response.headers)}::jsonb, completed_at = now()
      where ${scopeWhere(scope, key)}`),
  );
}

/** Frees a claimed key whose request failed in a way a retry may fix (5xx, rate limit). */
export async function releaseIdempotencyKey(db: Database, scope: IdempotencyScope, key: string): Promise<void> {
  await run(db, scope, (tx) => tx.execute(sql`delete from ${table(scope)} where ${scopeWhere(scope, key)}`));
}
