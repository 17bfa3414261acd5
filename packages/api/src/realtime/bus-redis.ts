import { Redis } from 'ioredis';
import type { Logger } from '../lib/logger.js';
import type { BusSignal, RealtimeBus } from './types.js';

/** The channel every API process subscribes to. */
export const REDIS_BUS_CHANNEL = 'memberkit:realtime';

/** Options of {@link createRedisBus}. */
export interface RedisBusOptions {
  /** `redis://host:port` (`MEMBERKIT_REDIS_URL`). */
  url: string;
  logger: Logger;
  /** Another channel (tests sharing a Redis). */
  channel?: string;
}

/**
 * Fan-out between API processes through Redis pub/sub (`MEMBERKIT_REDIS_URL`): one
 * connection publishes, one subscribes (a subscribed Redis connection can do nothing
 * else). Signals carry their events whatever their size. ioredis reconnects both
 * connections by itself and subscribes again; signals missed meanwhile are caught by
 * the dispatcher's poll of the log.
 *
 * @example
 * const bus = createRedisBus({ url: 'redis://127.0.0.1:6379', logger });
 */
export function createRedisBus(options: RedisBusOptions): RealtimeBus {
  const { logger } = options;
  const channel = options.channel ?? REDIS_BUS_CHANNEL;
  const handlers = new Set<(signal: BusSignal) => void>();
  const retryStrategy = (times: number) => Math.min(100 * 2 ** Math.min(times, 6), 5000);
  // Publishes wait while reconnecting (no per-command retry limit), so a blip delays signals instead of failing them.
  const pub = new Redis(options.url, { lazyConnect: true, retryStrategy, maxRetriesPerRequest: null });
  const sub = new Redis(options.url, { lazyConnect: true, retryStrategy, maxRetriesPerRequest: null });
  for (const [name, client] of [
    ['publishing', pub],
    ['subscribing', sub],
  ] as const) {
    client.on('error', (error: Error) =>
      logger.warn(`realtime bus: ${name} connection failed`, { error: String(error) }),
    );
  }
  sub.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    let signal: BusSignal;
    try {
      signal = JSON.parse(message) as BusSignal;
    } catch {
      logger.warn('realtime bus: malformed message ignored', { channel });
      return;
    }
    for (const handler of [...handlers]) {
      try {
        handler(signal);
      } catch (error) {
        logger.error('realtime bus handler failed', { error: String(error) });
      }
    }
  });
  let subscribed: Promise<unknown> | undefined;
  let connected: Promise<unknown> | undefined;
  let closed = false;

  return {
    kind: 'redis',
    async publish(signal) {
      if (closed) return;
      connected ??= pub.connect();
      await connected;
      await pub.publish(channel, JSON.stringify(signal));
    },
    async subscribe(handler) {
      if (closed) throw new Error('the realtime bus is closed');
      handlers.add(handler);
      subscribed ??= sub.connect().then(() => sub.subscribe(channel));
      await subscribed;
      return async () => {
        handlers.delete(handler);
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      handlers.clear();
      await Promise.all(
        [pub, sub].map(async (client) => {
          if (client.status === 'wait' || client.status === 'end') {
            client.disconnect();
            return;
          }
          await client.quit().catch(() => client.disconnect());
        }),
      );
    },
  };
}
