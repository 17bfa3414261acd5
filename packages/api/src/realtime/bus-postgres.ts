import pg from 'pg';
import type { Logger } from '../lib/logger.js';
import type { BusSignal, RealtimeBus } from './types.js';

/** The one channel every API process listens on. */
export const POSTGRES_BUS_CHANNEL = 'memberkit_realtime';
/** NOTIFY refuses payloads of 8,000 bytes or more; above this a signal goes without its events (receivers read the log). */
export const NOTIFY_PAYLOAD_LIMIT = 7500;

/** Options of {@link createPostgresBus}. */
export interface PostgresBusOptions {
  /** The server database the API uses (NOTIFY reaches the listeners of the same database). */
  connectionString: string;
  logger: Logger;
  /** Another channel (tests that share a database). */
  channel?: string;
  /** Longest wait between reconnection attempts (ms). Default 5,000. */
  maxBackoffMs?: number;
}

/**
 * Fan-out between API processes through PostgreSQL `LISTEN`/`NOTIFY`: no extra
 * service. Two dedicated connections: one listens, one notifies. A signal is sent
 * after the writer's transaction committed, outside it (NOTIFY inside busy write
 * transactions serialises their commits), as JSON; one larger than NOTIFY's limit
 * is sent without its events, and receivers read them from the log. A dropped
 * connection is reopened with backoff (signals missed meanwhile are caught by the
 * dispatcher's poll of the log).
 *
 * @example
 * const bus = createPostgresBus({ connectionString: process.env.DATABASE_URL, logger });
 */
export function createPostgresBus(options: PostgresBusOptions): RealtimeBus {
  const { logger } = options;
  const channel = options.channel ?? POSTGRES_BUS_CHANNEL;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`invalid channel name: ${channel}`);
  const maxBackoffMs = options.maxBackoffMs ?? 5000;
  const handlers = new Set<(signal: BusSignal) => void>();
  let closed = false;

  // --- listening
  let listener: pg.Client | undefined;
  let listening: Promise<void> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let backoffMs = 100;

  function onNotification(message: pg.Notification): void {
    if (message.channel !== channel || !message.payload) return;
    let signal: BusSignal;
    try {
      signal = JSON.parse(message.payload) as BusSignal;
    } catch {
      logger.warn('realtime bus: malformed payload ignored', { channel });
      return;
    }
    for (const handler of [...handlers]) {
      try {
        handler(signal);
      } catch (error) {
        logger.error('realtime bus handler failed', { error: String(error) });
      }
    }
  }

  async function listen(): Promise<void> {
    const client = new pg.Client({ connectionString: options.connectionString });
    client.on('notification', onNotification);
    client.on('error', (error) => {
      logger.warn('realtime bus: listening connection failed', { error: String(error) });
      dropListener(client);
    });
    client.on('end', () => dropListener(client));
    listener = client;
    await client.connect();
    // The channel name is checked above: identifiers cannot be bound as parameters.
    await client.query(`listen ${channel}`);
    backoffMs = 100;
  }

  function dropListener(client: pg.Client): void {
    if (listener !== client) return;
    listener = undefined;
    client.removeAllListeners('notification');
    client.end().catch(() => {});
    if (!closed && handlers.size > 0) scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (retryTimer || closed) return;
    const wait = backoffMs;
    backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      listening = listen().catch((error: unknown) => {
        logger.warn('realtime bus: reconnect failed', { error: String(error), retry_ms: backoffMs });
        const failed = listener;
        if (failed) dropListener(failed);
        else scheduleReconnect();
      });
    }, wait);
    (retryTimer as { unref?: () => void }).unref?.();
  }

  // --- notifying: one connection, one NOTIFY at a time, in publication order
  let notifier: pg.Client | undefined;
  let notifierReady: Promise<pg.Client> | undefined;
  let chain: Promise<void> = Promise.resolve();

  function notifierClient(): Promise<pg.Client> {
    if (notifier) return Promise.resolve(notifier);
    notifierReady ??= (async () => {
      const client = new pg.Client({ connectionString: options.connectionString });
      const forget = () => {
        if (notifier === client) notifier = undefined;
        notifierReady = undefined;
      };
      client.on('error', (error) => {
        logger.warn('realtime bus: notifying connection failed', { error: String(error) });
        forget();
        client.end().catch(() => {});
      });
      client.on('end', forget);
      try {
        await client.connect();
      } catch (error) {
        forget();
        throw error;
      }
      notifier = client;
      return client;
    })();
    return notifierReady;
  }

  async function notify(payload: string): Promise<void> {
    // One retry on a fresh connection: a connection the server dropped since the last signal.
    for (let attempt = 0; ; attempt++) {
      const client = await notifierClient();
      try {
        await client.query('select pg_notify($1, $2)', [channel, payload]);
        return;
      } catch (error) {
        if (notifier === client) notifier = undefined;
        notifierReady = undefined;
        client.end().catch(() => {});
        if (attempt >= 1 || closed) throw error;
      }
    }
  }

  return {
    kind: 'postgres',
    publish(signal) {
      if (closed) return Promise.resolve();
      const payload = encodeSignal(signal, logger);
      if (payload === null) return Promise.resolve();
      const sent = chain.then(() => notify(payload));
      chain = sent.catch(() => {});
      return sent;
    },
    async subscribe(handler) {
      if (closed) throw new Error('the realtime bus is closed');
      handlers.add(handler);
      if (!listener && !retryTimer) {
        listening ??= listen();
        try {
          await listening;
        } finally {
          listening = undefined;
        }
      }
      return async () => {
        handlers.delete(handler);
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      handlers.clear();
      if (retryTimer) clearTimeout(retryTimer);
      await chain;
      const clients = [listener, notifier].filter((client): client is pg.Client => client !== undefined);
      listener = undefined;
      notifier = undefined;
      await Promise.all(clients.map((client) => client.end().catch(() => {})));
    },
  };
}

/**
 * The JSON NOTIFY carries: the whole signal when it fits, else the signal without its
 * events (receivers read them from the log); null when nothing of it can be sent (an
 * oversized ephemeral signal, which no log holds).
 */
export function encodeSignal(signal: BusSignal, logger?: Logger): string | null {
  const full = JSON.stringify(signal);
  if (Buffer.byteLength(full) <= NOTIFY_PAYLOAD_LIMIT) return full;
  if (signal.seq === undefined) {
    logger?.warn('realtime bus: ephemeral signal too large, dropped', { tenant_id: signal.tenantId });
    return null;
  }
  return JSON.stringify({ tenantId: signal.tenantId, seq: signal.seq, origin: signal.origin });
}
