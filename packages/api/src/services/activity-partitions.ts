import { sql } from 'drizzle-orm';
import { executeRows, type Database, type Tx } from '../db/database.js';
import { sqlStateOf } from '../db/errors.js';

/**
 * Monthly partitions of `activity_events` this process knows exist, per database
 * (tests open several databases in one process). Months are `YYYY-MM` of UTC
 * `occurred_at`, the partitions' bounds. A miss costs one short transaction.
 */
const known = new WeakMap<Database, Set<string>>();

function knownOf(db: Database): Set<string> {
  let months = known.get(db);
  if (!months) {
    months = new Set();
    known.set(db, months);
  }
  return months;
}

/** `YYYY-MM` (UTC) of an instant: the partition it lands in. */
export function partitionMonth(instantMs: number): string {
  return new Date(instantMs).toISOString().slice(0, 7);
}

/** The partitions' name of a `YYYY-MM` month, as the migration's function names them. */
function partitionName(month: string): string {
  return `activity_events_${month.replace('-', '')}`;
}

function monthStartMs(month: string): number {
  return Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1);
}

/** The `YYYY-MM` months from the first to the last of `months`, in order. */
function monthRange(months: Iterable<string>): string[] {
  const sorted = [...new Set(months)].sort();
  if (sorted.length === 0) return [];
  const out: string[] = [];
  const last = sorted[sorted.length - 1]!;
  for (let m = sorted[0]!; m <= last; m = partitionMonth(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 1))) {
    out.push(m);
  }
  return out;
}

/**
 * Makes sure the partitions of every month in `months` exist, in short
 * transactions of their own (never inside an ingest's: creating a partition
 * locks the parent table until commit). Months this process already ensured
 * cost nothing (`tenantId` null: as the platform role). Safe under concurrency: the database function serialises creators.
 */
export async function ensureActivityPartitions(
  db: Database,
  tenantId: string | null,
  months: Iterable<string>,
): Promise<void> {
  const cache = knownOf(db);
  const missing = [...new Set(months)].filter((m) => !cache.has(m));
  if (missing.length === 0) return;
  const range = monthRange(missing);
  // The database function refuses ranges over 40 months: ask in chunks.
  for (let i = 0; i < range.length; i += 36) {
    const chunk = range.slice(i, i + 36);
    const from = new Date(monthStartMs(chunk[0]!));
    const to = new Date(monthStartMs(chunk[chunk.length - 1]!));
    const ensure = (tx: Tx) =>
      tx.execute(
        sql`select memberkit_ensure_activity_partitions(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz)`,
      );
    // As the tenant for an ingest, as the platform for the workers (creating months ahead).
    await (tenantId === null ? db.withPlatform(ensure) : db.withTenant(tenantId, ensure));
    for (const m of chunk) cache.add(m);
  }
}

/**
 * For writers inside someone else's transaction (platform events): makes sure the
 * month's partition exists without breaking the caller's transaction. The cache
 * answers nearly always (the migration and the rollup worker create months ahead);
 * otherwise a catalog lookup, and only if the month is really missing it is created
 * in the caller's transaction (which then holds the new partition's lock until commit:
 * once a month at most, and only when nothing created it ahead).
 */
export async function ensureActivityPartitionInTx(db: Database, tx: Tx, month: string): Promise<void> {
  const cache = knownOf(db);
  if (cache.has(month)) return;
  const [row] = await executeRows<{ exists: boolean }>(
    tx.execute(sql`select to_regclass(${`public.${partitionName(month)}`}) is not null as exists`),
  );
  if (!row?.exists) {
    const from = new Date(monthStartMs(month)).toISOString();
    await tx.execute(sql`select memberkit_ensure_activity_partitions(${from}::timestamptz, ${from}::timestamptz)`);
  }
  cache.add(month);
}

/** `YYYY-MM` of the month `offset` months after the month of `instantMs`. */
export function monthAfter(instantMs: number, offset: number): string {
  const d = new Date(instantMs);
  return partitionMonth(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1));
}

/** Forgets what this process knows about partitions of `db` (after dropping some). */
export function forgetActivityPartitions(db: Database): void {
  known.delete(db);
}

/**
 * Whether `error` is Postgres saying a row fits no partition (23514 "no partition of
 * relation … found for row"): a partition this process believed in was dropped.
 */
export function isMissingPartition(error: unknown): boolean {
  if (sqlStateOf(error) !== '23514') return false;
  let e: unknown = error;
  while (e) {
    if (e instanceof Error && /no partition of relation/i.test(e.message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
