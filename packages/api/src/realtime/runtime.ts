import type { Database } from '../db/database.js';
import { type Clock, systemClock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { createMemoryBus } from './bus-memory.js';
import { createRealtimeDispatcher } from './dispatcher.js';
import { type ConnectionHub, createRealtimeHub } from './hub.js';
import { createPresenceTracker, type PresenceTracker } from './presence.js';
import type { RealtimeBus, RealtimeRuntime } from './types.js';

/** Options of {@link createRealtimeRuntime}. */
export interface RealtimeRuntimeOptions {
  db: Database;
  logger: Logger;
  /** How events reach the other API processes (default: a memory bus, for one process). */
  bus?: RealtimeBus;
  hub?: ConnectionHub;
  clock?: Clock;
  /** The dispatcher's log poll interval (ms). */
  pollMs?: number;
  /** This process's name on the bus (default: random). */
  origin?: string;
}

/** The real-time channel of one API process: connections, the dispatcher feeding them, the bus, presence. */
export interface NodeRealtimeRuntime extends RealtimeRuntime {
  presence: PresenceTracker;
  /** Subscribes to commits and to the bus. */
  start(): Promise<void>;
  /** Stops dispatching, ends every connection (clients reconnect elsewhere and resume) and closes the bus. */
  stop(): Promise<void>;
}

/**
 * Composes the hub, the dispatcher and the bus of one API process.
 *
 * @example
 * const realtime = createRealtimeRuntime({ db, logger, bus: createPostgresBus({ connectionString, logger }) });
 * await realtime.start();
 * const app = createApp({ ...deps, realtime });
 * // on shutdown
 * await realtime.stop();
 */
export function createRealtimeRuntime(options: RealtimeRuntimeOptions): NodeRealtimeRuntime {
  const bus = options.bus ?? createMemoryBus();
  const hub = options.hub ?? createRealtimeHub();
  const dispatcher = createRealtimeDispatcher({
    db: options.db,
    bus,
    sink: hub,
    logger: options.logger,
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    ...(options.origin !== undefined ? { origin: options.origin } : {}),
  });
  const presence = createPresenceTracker({
    db: options.db,
    clock: options.clock ?? systemClock,
    logger: options.logger,
  });
  let stopped = false;
  return {
    hub,
    dispatcher,
    bus,
    presence,
    start: () => dispatcher.start(),
    async stop() {
      if (stopped) return;
      stopped = true;
      await dispatcher.stop();
      hub.closeAll();
      await bus.close();
    },
  };
}
