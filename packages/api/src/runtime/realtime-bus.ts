import type { DatabaseConfig } from '../db/connect.js';
import type { Logger } from '../lib/logger.js';
import { createMemoryBus } from '../realtime/bus-memory.js';
import { createPostgresBus } from '../realtime/bus-postgres.js';
import { createRedisBus } from '../realtime/bus-redis.js';
import type { RealtimeBus } from '../realtime/types.js';
import type { RealtimeConfig } from './config.js';

/** The bus `MEMBERKIT_REALTIME_BUS` names (see `readRealtimeConfig` for the defaults), and how to say it in the banner. */
export function openRealtimeBus(
  config: RealtimeConfig,
  database: DatabaseConfig,
  logger: Logger,
): { bus: RealtimeBus; label: string } {
  if (config.bus === 'redis' && config.redisUrl) {
    const host = new URL(config.redisUrl).host;
    return { bus: createRedisBus({ url: config.redisUrl, logger }), label: `Redis pub/sub at ${host}` };
  }
  if (config.bus === 'postgres' && database.driver !== 'pglite')
    return {
      bus: createPostgresBus({ connectionString: database.url, logger }),
      label: 'PostgreSQL LISTEN/NOTIFY (several API processes share events)',
    };
  return { bus: createMemoryBus(), label: 'in this process (the embedded database serves one process)' };
}
