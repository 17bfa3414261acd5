import { sql } from 'drizzle-orm';
import type { Logger } from '../lib/logger.js';
import { randomBase62 } from '../lib/encoding.js';
import type { Tx } from './database.js';
import { DatabaseUnavailableError } from './errors.js';

/** One piece of work in flight (a request holding an idempotency key). */
export interface InFlight {
  /** Stored with the work's claim; {@link Liveness.isLive} tells whether it is still running. */
  readonly marker: string;
  /** The work finished, failed or was abandoned: its marker is dead from now on. */
  end(): void;
}

/**
 * Ties markers stored in the database (an idempotency key's "in progress" row)
 * to the life of the work that wrote them, instead of to a timer: a marker is
 * live while its request runs in a live process. So a key whose request died
 * (its connection dropped, its process crashed) is usable again at once, while
 * a retry of a request that is still running is refused.
 */
export interface Liveness {
  /** Registers work in flight. Rejects when the database is unreachable (no lease can be taken). */
  begin(): Promise<InFlight>;
  /** Whether the work that stored `marker` may still be running. `tx` is a transaction on the same database. */
  isLive(tx: Tx, marker: string): Promise<boolean>;
  close(): Promise<void>;
}

/** A marker is `<owner>.<work>`; the owner names the process (and, on a server, its lease). */
function ownerOf(marker: string): string {
  return marker.slice(0, marker.indexOf('.'));
}

/** In-process part shared by both kinds: which markers of this process are running. */
function createRegistry() {
  const running = new Set<string>();
  return {
    running,
    add(owner: string): InFlight {
      const marker = `${owner}.${randomBase62(16)}`;
      running.add(marker);
      return { marker, end: () => running.delete(marker) };
    },
  };
}

/**
 * Liveness for an embedded database (PGlite): the database lives inside this
 * process and only one process opens it, so the process dying is the database
 * closing. A marker is live exactly when this process registered it and it has
 * not ended; a marker of any other owner was left by a process that is gone.
 */
export function createInProcessLiveness(): Liveness {
  const registry = createRegistry();
  const owner = `p${randomBase62(10)}`;
  return {
    begin: async () => registry.add(owner),
    isLive: async (_tx, marker) => registry.running.has(marker),
    close: async () => {},
  };
}

/** A dedicated session to the database server, outside the request pool. */
export interface LeaseSession {
  query(text: string): Promise<{ rows: Record<string, unknown>[] }>;
  on(event: 'error' | 'end', listener: (...args: unknown[]) => void): unknown;
  end(): Promise<void>;
}

/** Advisory lock class of process leases (the second key is the process's lease number). */
const LEASE_LOCK_CLASS = 727_002;

/**
 * Liveness for a database server shared by several API processes. Each process
 * holds a lease: a session-level advisory lock on one dedicated connection (one
 * per process, not per request, so requests never wait on it and the pool
 * cannot be exhausted by it). The server releases the lock the moment that
 * session ends, so a marker whose process died is seen dead at once through
 * `pg_locks`, which every role may read. Markers of this process are checked in
 * memory.
 *
 * If the lease connection alone drops while the process lives, it is taken again
 * within about a second; in that gap another process could take over a key whose
 * request is still running here (a retry sent to another instance during a
 * database fault). The completing request then finds its marker replaced and
 * stores nothing over the new owner's claim.
 */
export function createLeaseLiveness(options: { open: () => Promise<LeaseSession>; logger?: Logger }): Liveness {
  const registry = createRegistry();
  const pastOwners = new Set<string>();
  let lease: { owner: string; session: LeaseSession } | null = null;
  let acquiring: Promise<string> | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  async function acquire(): Promise<string> {
    const session = await options.open();
    let lost = false;
    const onLost = (error?: unknown) => {
      if (lost) return;
      lost = true;
      if (lease?.session === session) lease = null;
      void session.end().catch(() => {});
      if (closed) return;
      options.logger?.warn('database lease connection lost; taking it again', {
        reason: error instanceof Error ? error.message : 'closed',
      });
      // Taken again promptly while work is running here: other processes read a missing lease as "this process died".
      retry ??= setTimeout(() => {
        retry = null;
        if (!closed && !lease) ensure().catch(() => {});
      }, 500);
      (retry as { unref?: () => void }).unref?.();
    };
    session.on('error', onLost);
    session.on('end', () => onLost());
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        const number = 1 + Math.floor(Math.random() * 0x7ffffffe);
        const { rows } = await session.query(`select pg_try_advisory_lock(${LEASE_LOCK_CLASS}, ${number}) as taken`);
        if (rows[0]?.taken === true) {
          if (closed) throw new Error('database closed');
          const owner = `s${number}`;
          pastOwners.add(owner);
          lease = { owner, session };
          return owner;
        }
      }
      throw new Error('could not take a process lease');
    } catch (error) {
      lost = true;
      void session.end().catch(() => {});
      throw error;
    }
  }

  function ensure(): Promise<string> {
    if (lease) return Promise.resolve(lease.owner);
    acquiring ??= acquire().finally(() => (acquiring = null));
    return acquiring;
  }

  return {
    async begin() {
      try {
        return registry.add(await ensure());
      } catch (error) {
        throw new DatabaseUnavailableError(error);
      }
    },
    async isLive(tx, marker) {
      if (registry.running.has(marker)) return true;
      const owner = ownerOf(marker);
      if (pastOwners.has(owner)) return false;
      const number = /^s(\d+)$/.exec(owner)?.[1];
      if (!number) return false;
      const { rows } = (await tx.execute(sql`
        select exists (
          select 1 from pg_locks
          where locktype = 'advisory' and granted and classid = ${LEASE_LOCK_CLASS} and objid = ${number}::oid and objsubid = 2
            and database = (select oid from pg_database where datname = current_database())
        ) as live`)) as unknown as { rows: { live: boolean }[] };
      return rows[0]?.live === true;
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const current = lease;
      lease = null;
      await current?.session.end().catch(() => {});
    },
  };
}
