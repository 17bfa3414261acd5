import type { Logger } from '../lib/logger.js';
import { createPeriodicLoop } from '../lib/periodic-loop.js';
import { pruneRealtime } from '../realtime/pruner.js';
import { sweepStalePresence } from '../services/presence.js';
import type { ServiceDeps } from '../services/service-deps.js';

/** Options of {@link createRealtimeMaintenance}. */
export interface RealtimeMaintenanceOptions {
  deps: Pick<ServiceDeps, 'db' | 'clock'>;
  logger: Logger;
  /** How often the log and the tickets are pruned (ms). Default 10 minutes. */
  pruneEveryMs?: number;
  /** How long events are kept (ms). Default 48 h. */
  retentionMs?: number;
  /** Only these tenants (tests on a shared database). */
  tenantIds?: readonly string[];
}

/** The real-time housekeeping of an API process (any number may run it: every step is idempotent). */
export interface RealtimeMaintenance {
  /** One pass: members without heartbeats go offline; the log and tickets are pruned when due. */
  runOnce(options?: {
    prune?: boolean;
  }): Promise<{ marked_offline: number; events_deleted: number; tickets_deleted: number; more: boolean }>;
  /** Runs every `intervalMs` (default 15 s: presence goes offline within 90 s + this). */
  start(intervalMs?: number): void;
  stop(): Promise<void>;
}

/**
 * Presence sweeping (offline 90 s after the last heartbeat, announced) and pruning of
 * the real-time log (events older than 48 h, `pruned_through` raised) and of expired
 * stream tickets.
 *
 * @example
 * // npm start (runtime/node-start.ts):
 * const realtimeMaintenance = createRealtimeMaintenance({ deps, logger });
 * realtimeMaintenance.start();
 * // on shutdown
 * await realtimeMaintenance.stop();
 */
export function createRealtimeMaintenance(options: RealtimeMaintenanceOptions): RealtimeMaintenance {
  const { deps, logger } = options;
  const pruneEveryMs = options.pruneEveryMs ?? 10 * 60 * 1000;
  let lastPrune = 0;

  async function runOnce(run: { prune?: boolean } = {}) {
    const only = options.tenantIds ? { tenantIds: options.tenantIds } : {};
    const marked = await sweepStalePresence(deps, only);
    let pruned = { events_deleted: 0, tickets_deleted: 0, tenants: 0, more: false };
    const due = run.prune ?? Date.now() - lastPrune >= pruneEveryMs;
    if (due) {
      pruned = await pruneRealtime(deps, {
        ...only,
        ...(options.retentionMs !== undefined ? { retentionMs: options.retentionMs } : {}),
      });
      if (!pruned.more) lastPrune = Date.now();
      if (pruned.events_deleted > 0 || pruned.tickets_deleted > 0)
        logger.info('realtime log pruned', {
          events_deleted: pruned.events_deleted,
          tickets_deleted: pruned.tickets_deleted,
          tenants: pruned.tenants,
        });
    }
    return {
      marked_offline: marked,
      events_deleted: pruned.events_deleted,
      tickets_deleted: pruned.tickets_deleted,
      more: pruned.more || marked >= 500,
    };
  }

  const loop = createPeriodicLoop(
    async () => (await runOnce()).more,
    (error) => logger.error('realtime maintenance failed', { error: String(error) }),
  );
  return {
    runOnce,
    start: (intervalMs = 15_000) => loop.start(intervalMs),
    stop: () => loop.stop(),
  };
}
