import type { Logger } from '../../lib/logger.js';
import type { DrizzleDb, Tx } from '../database.js';
import { DatabaseUnavailableError, isBrokenConnection } from '../errors.js';

/** How long to wait for the server, unless configured: see README "Database faults". */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 15_000;
/**
 * The client gives up on a statement this long after the server should have
 * cancelled it itself: only a server that does not answer at all (a network
 * partition, a frozen host) gets this far.
 */
export const CLIENT_TIMEOUT_MARGIN_MS = 2_000;

/** What node-postgres and Neon's driver (a port of it) have in common. */
export interface PoolClientLike {
  on(event: 'error', listener: (error: Error) => void): unknown;
  release(error?: Error | boolean): void;
}

/** Closes a pooled client's connection. Both drivers' clients have `end()`; Neon's `PoolClient` type leaves it out. */
function closeConnection(client: PoolClientLike): void {
  const end = (client as { end?: () => Promise<void> }).end;
  void end?.call(client).catch(() => {});
}
export interface PoolLike<C extends PoolClientLike> {
  connect(): Promise<C>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'connect', listener: (client: C) => void): unknown;
}

/**
 * Keeps a pool's connection failures from killing the process and gives
 * transactions that never hand a dead connection back to the pool.
 *
 * node-postgres only listens for errors on idle clients (and re-emits them on
 * the pool); a checked-out client, or a pool, with no `'error'` listener throws
 * the error as an uncaught exception when the server terminates the backend.
 * Every client gets a listener for its whole life, the pool one too.
 */
export function createPooledTransactions<C extends PoolClientLike>(
  pool: PoolLike<C>,
  drizzleOn: (client: C) => DrizzleDb,
  logger?: Logger,
): <T>(fn: (tx: Tx) => Promise<T>) => Promise<T> {
  const reason = (error: Error) => ({ reason: error.message, code: (error as { code?: unknown }).code });
  pool.on('error', (error) => logger?.warn('idle database connection lost', reason(error)));
  pool.on('connect', (client) => {
    client.on('error', (error) => logger?.warn('database connection lost', reason(error)));
  });
  // One drizzle instance per pooled client (a handful), built on first use.
  const instances = new WeakMap<C, DrizzleDb>();

  return async function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    let client: C;
    try {
      client = await pool.connect();
    } catch (error) {
      // Refused, timed out (connecting, or waiting for a free client), reset: nothing was sent.
      throw new DatabaseUnavailableError(error);
    }
    let db = instances.get(client);
    if (!db) {
      db = drizzleOn(client);
      instances.set(client, db);
    }

    let broken: Error | undefined;
    try {
      return await db.transaction(async (tx) => {
        try {
          return await fn(tx);
        } catch (error) {
          if (isBrokenConnection(error)) {
            broken = error instanceof Error ? error : new Error(String(error));
            // A hung socket would make the rollback wait as long again; closing it
            // fails the rollback at once (the server rolls back a dropped session).
            closeConnection(client);
          }
          throw error;
        }
      });
    } catch (error) {
      if (broken) throw broken;
      if (isBrokenConnection(error)) broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      // With an error, the pool destroys the client instead of keeping it.
      client.release(broken);
    }
  };
}
