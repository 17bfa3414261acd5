import type { PresenceStatus } from '../db/schema/index.js';
import type { Logger } from '../lib/logger.js';
import { type PresenceDeps, type PresenceDto, recordPresence, sweepStalePresence } from '../services/presence.js';

/** How often an unchanged status is written again (the heartbeat of a connection is more frequent). */
export const PRESENCE_WRITE_INTERVAL_MS = 30_000;

/** Presence as this process's streams report it. */
export interface PresenceTracker {
  /**
   * A member's stream is open (on connect, then every 30 s, or when the client says it is away).
   * Writes at most every 30 s unless the status changes; a change is announced at once.
   */
  touch(tenantId: string, memberId: string, status: 'online' | 'away'): Promise<PresenceDto | null>;
  /** The member's last stream here closed: offline (another process's stream marks them online again). */
  left(tenantId: string, memberId: string): Promise<PresenceDto | null>;
}

/**
 * Throttled presence writes for the streams of this process.
 *
 * @example
 * const presence = createPresenceTracker({ db, clock: systemClock, logger });
 * await presence.touch(tenantId, memberId, 'online');
 */
export function createPresenceTracker(deps: PresenceDeps & { logger?: Logger }): PresenceTracker {
  const written = new Map<string, { status: PresenceStatus; at: number }>();

  async function write(tenantId: string, memberId: string, status: PresenceStatus): Promise<PresenceDto | null> {
    const key = `${tenantId}\u0000${memberId}`;
    const now = deps.clock.now().getTime();
    const last = written.get(key);
    if (status !== 'offline' && last && last.status === status && now - last.at < PRESENCE_WRITE_INTERVAL_MS)
      return null;
    const result = await recordPresence(deps, tenantId, memberId, status);
    if (status === 'offline' || !result) written.delete(key);
    else written.set(key, { status, at: now });
    return result?.presence ?? null;
  }

  return {
    touch: (tenantId, memberId, status) => write(tenantId, memberId, status),
    left: (tenantId, memberId) => write(tenantId, memberId, 'offline'),
  };
}

export { sweepStalePresence };
