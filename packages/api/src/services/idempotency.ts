import { sql } from 'drizzle-orm';
import { executeRows, type Database, type Tx } from '../db/database.js';
import type { SecretBox } from '../lib/secret-box.js';

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

/**
 * Rows claimed before claims carried their owner's liveness marker (migration
 * 0016) cannot be checked: such a row is taken to be abandoned after this long.
 */
const LEGACY_ABANDONED_AFTER_SECONDS = 300;

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
  owner: string | null;
  expired: boolean;
  legacy_abandoned: boolean;
}

/**
 * Claims `key` for a request with `fingerprint`, marking it with the request's
 * liveness `marker` (see `Database.liveness`), or reports what to do instead:
 * replay the stored response, refuse a different request under the same key,
 * or refuse while the first request is still running. A key whose first
 * request died (its marker is no longer live) is claimed again at once.
 */
export async function claimIdempotencyKey(
  db: Database,
  scope: IdempotencyScope,
  key: string,
  fingerprint: string,
  ttlSeconds: number,
  box: SecretBox,
  marker: string,
): Promise<ClaimResult> {
  return run(db, scope, async (tx) => {
    const columns =
      scope.kind === 'tenant' ? sql`(tenant_id, key, fingerprint, owner)` : sql`(key, fingerprint, owner)`;
    const values =
      scope.kind === 'tenant'
        ? sql`(${scope.tenantId}, ${key}, ${fingerprint}, ${marker})`
        : sql`(${key}, ${fingerprint}, ${marker})`;
    const insert = async () =>
      (
        await executeRows(
          tx.execute(sql`insert into ${table(scope)} ${columns} values ${values} on conflict do nothing returning key`),
        )
      ).length > 0;
    if (await insert()) return { outcome: 'claimed' };

    // Locked: a concurrent claim of the same key waits here and then sees this one's outcome.
    const found = await executeRows<Row>(
      tx.execute(sql`
      select fingerprint, response_status, response_body, response_headers, owner,
             created_at < now() - make_interval(secs => ${ttlSeconds}) as expired,
             (owner is null and created_at < now() - make_interval(secs => ${LEGACY_ABANDONED_AFTER_SECONDS})) as legacy_abandoned
      from ${table(scope)} where ${scopeWhere(scope, key)} for update`),
    );
    const row = found[0];
    // Deleted between our insert and select (its request released it): claim it, unless another request just did.
    if (!row) return (await insert()) ? { outcome: 'claimed' } : { outcome: 'in_progress' };

    const running = row.response_status === null;
    const abandoned =
      running && (row.owner === null ? row.legacy_abandoned : !(await db.liveness.isLive(tx, row.owner)));
    if (row.expired || abandoned) {
      // Updated in place, not deleted and inserted: a concurrent claim waiting on the row lock then reads the new owner.
      await tx.execute(sql`
        update ${table(scope)}
        set fingerprint = ${fingerprint}, owner = ${marker}, created_at = now(),
            response_status = null, response_body = null, response_headers = null, completed_at = null
        where ${scopeWhere(scope, key)}`);
      return { outcome: 'claimed' };
    }
    if (row.fingerprint !== fingerprint) return { outcome: 'mismatch' };
    if (running) return { outcome: 'in_progress' };
    return {
      outcome: 'replay',
      response: {
        status: row.response_status!,
        body: await openBody(box, scope, key, row.response_body ?? ''),
        headers: row.response_headers ?? {},
      },
    };
  });
}

/**
 * Stores the response of a key claimed under `marker`, to be replayed to
 * retries. A key claimed since by another request (this one's marker was taken
 * for dead) is left to that request.
 */
export async function completeIdempotencyKey(
  db: Database,
  scope: IdempotencyScope,
  key: string,
  marker: string,
  response: StoredResponse,
  box: SecretBox,
): Promise<void> {
  const sealed = await box.seal(response.body, sealContext(scope, key));
  await run(db, scope, (tx) =>
    tx.execute(sql`
      update ${table(scope)}
      set response_status = ${response.status}, response_body = ${sealed},
          response_headers = ${JSON.stringify(response.headers)}::jsonb, completed_at = now()
      where ${scopeWhere(scope, key)} and owner = ${marker} and response_status is null`),
  );
}

/** Frees a key claimed under `marker` whose request failed in a way a retry may fix (5xx, rate limit). */
export async function releaseIdempotencyKey(
  db: Database,
  scope: IdempotencyScope,
  key: string,
  marker: string,
): Promise<void> {
  await run(db, scope, (tx) =>
    tx.execute(
      sql`delete from ${table(scope)} where ${scopeWhere(scope, key)} and owner = ${marker} and response_status is null`,
    ),
  );
}
