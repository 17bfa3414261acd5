import { inArray } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { realtimeSequences } from '../db/schema/index.js';
import type { Logger } from '../lib/logger.js';
import { type CommittedEvents, readEventsSince, readLogPosition, subscribeCommits } from './event-log.js';
import type {
  BusSignal,
  EphemeralEvent,
  RealtimeBus,
  RealtimeDispatcher,
  RealtimeEvent,
  RealtimeSink,
} from './types.js';

/** Options of {@link createRealtimeDispatcher}. */
export interface RealtimeDispatcherOptions {
  db: Database;
  bus: RealtimeBus;
  /** This process's connections (the hub). */
  sink: RealtimeSink;
  logger: Logger;
  /** How often the sequence numbers of tenants with connections here are checked (catches a signal lost in a crash). Default 2,000 ms. */
  pollMs?: number;
  /** Names this process on the bus (default: a random id). */
  origin?: string;
}

/** Rows read from the log per query while closing a gap. */
const PAGE = 1000;
/**
 * A tenant with connections here, first heard of (since this process started) through
 * a commit or a signal: its log is read back this far, keeping events at most this old,
 * as other processes' earlier events may still be on their way. A stream ignores what it
 * already sent, so an event its client had from the log's backlog is not shown twice.
 */
const FIRST_SIGHT_WINDOW = 256;
const FIRST_SIGHT_MAX_AGE_MS = 60_000;

interface TenantState {
  /** The highest sequence number accounted for here: delivered, or passed over while nobody here listened. */
  through: number;
  epoch: string | undefined;
  /** The tenant's work, one step after the other: what keeps its events in order. */
  queue: Promise<void>;
}

/**
 * Feeds this process's connections every event of the tenants they belong to,
 * each exactly once and in sequence order, whatever the order in which commits
 * and bus signals arrive:
 *
 * - a commit in this process is delivered at once, then published on the bus
 *   (events attached) for the other processes;
 * - a signal from another process is applied directly when its events follow
 *   what was delivered; otherwise the gap is read from the log;
 * - every `pollMs` the log positions of tenants with connections here are read,
 *   so a signal lost with a crashed process delays events, never loses them.
 *
 * Only tenants with connections here are delivered to; the position of the
 * others is still followed, so a tenant's first connection starts at its current
 * position (and its stream resumes any earlier events from the log itself).
 *
 * @example
 * const hub = createRealtimeHub();
 * const dispatcher = createRealtimeDispatcher({ db, bus: createMemoryBus(), sink: hub, logger });
 * await dispatcher.start();
 */
export function createRealtimeDispatcher(options: RealtimeDispatcherOptions): RealtimeDispatcher {
  const { db, bus, sink, logger } = options;
  const pollMs = options.pollMs ?? 2000;
  const origin = options.origin ?? `proc_${crypto.randomUUID()}`;
  const tenants = new Map<string, TenantState>();
  let running = false;
  let unsubscribeCommits: (() => void) | undefined;
  let unsubscribeBus: (() => Promise<void>) | undefined;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  let polling: Promise<void> | undefined;

  function isActive(tenantId: string): boolean {
    for (const active of sink.activeTenants()) if (active === tenantId) return true;
    return false;
  }

  /** Runs `step` after the tenant's earlier steps; a failed step is logged and the next still runs. */
  function enqueue(tenantId: string, state: TenantState, step: () => Promise<void>): Promise<void> {
    const next = state.queue.then(step).catch((error: unknown) => {
      logger.error('realtime dispatch failed', { tenant_id: tenantId, error: String(error) });
    });
    state.queue = next;
    return next;
  }

  function stateOf(tenantId: string): TenantState | undefined {
    return tenants.get(tenantId);
  }

  /**
   * The tenant's log reaches `seq` (with `events` when the announcement carried them):
   * delivers what this process has not delivered yet, reading the log for what is missing.
   */
  function advance(tenantId: string, seq: number, events: readonly RealtimeEvent[] | undefined): Promise<void> {
    let state = stateOf(tenantId);
    const firstSight = !state;
    if (!state) {
      state = { through: 0, epoch: events?.[0]?.epoch, queue: Promise.resolve() };
      tenants.set(tenantId, state);
    }
    const tenant = state;
    return enqueue(tenantId, tenant, async () => {
      if (firstSight) {
        if (!isActive(tenantId)) {
          tenant.through = seq;
          return;
        }
        // Events of other processes may precede these and still be on their way: the log has them all.
        await catchUp(tenantId, tenant, seq, true);
        return;
      }
      if (seq <= tenant.through) return;
      if (!isActive(tenantId)) {
        // Nobody here listens: keep the position, deliver nothing (a new stream resumes from the log).
        tenant.through = seq;
        if (events?.[0]) tenant.epoch = events[0].epoch;
        return;
      }
      const fresh = events?.filter((event) => event.seq > tenant.through) ?? [];
      if (fresh.length > 0 && contiguous(fresh, tenant.through) && fresh[fresh.length - 1]?.seq === seq) {
        deliver(tenantId, tenant, fresh);
        return;
      }
      await catchUp(tenantId, tenant, seq, false);
    });
  }

  function deliver(tenantId: string, tenant: TenantState, events: readonly RealtimeEvent[]): void {
    const last = events[events.length - 1];
    if (!last) return;
    tenant.through = last.seq;
    tenant.epoch = last.epoch;
    try {
      sink.deliver(tenantId, events);
    } catch (error) {
      logger.error('realtime sink failed', { tenant_id: tenantId, error: String(error) });
    }
  }

  /** Reads the tenant's log after what was delivered (at least through `seq`) and delivers it. */
  async function catchUp(tenantId: string, tenant: TenantState, seq: number, firstSight: boolean): Promise<void> {
    await db.withTenant(tenantId, async (tx) => {
      const position = await readLogPosition(tx, tenantId);
      if (!position) return;
      if (tenant.epoch !== undefined && tenant.epoch !== position.epoch) {
        // The log was recreated: its numbering starts over.
        logger.warn('realtime log epoch changed', { tenant_id: tenantId });
        tenant.through = 0;
      }
      tenant.epoch = position.epoch;
      let after = tenant.through;
      if (firstSight) after = Math.max(position.prunedThrough, seq - FIRST_SIGHT_WINDOW, 0);
      else if (after < position.prunedThrough) {
        logger.warn('realtime events pruned before delivery', { tenant_id: tenantId, through: after });
        after = position.prunedThrough;
      }
      const target = Math.max(seq, position.lastSeq);
      const notBefore = Date.now() - FIRST_SIGHT_MAX_AGE_MS;
      while (after < target) {
        const page = await readEventsSince(tx, tenantId, position.epoch, after, { limit: PAGE });
        const last = page[page.length - 1];
        if (!last) break;
        const wanted = firstSight ? page.filter((event) => Date.parse(event.createdAt) >= notBefore) : page;
        if (wanted.length > 0) deliver(tenantId, tenant, wanted);
        after = last.seq;
        tenant.through = Math.max(tenant.through, after);
      }
      tenant.through = Math.max(tenant.through, Math.min(target, after));
    });
  }

  function onCommit(committed: CommittedEvents): void {
    if (!running) return;
    void advance(committed.tenantId, committed.seq, committed.events);
    bus
      .publish({ tenantId: committed.tenantId, seq: committed.seq, events: committed.events, origin })
      .catch((error: unknown) =>
        logger.error('realtime bus publish failed', { tenant_id: committed.tenantId, error: String(error) }),
      );
  }

  function onSignal(signal: BusSignal): void {
    if (!running || signal.origin === origin) return;
    if (signal.ephemeral?.length && isActive(signal.tenantId)) {
      try {
        sink.deliverEphemeral(signal.tenantId, signal.ephemeral);
      } catch (error) {
        logger.error('realtime sink failed', { tenant_id: signal.tenantId, error: String(error) });
      }
    }
    if (signal.seq !== undefined) void advance(signal.tenantId, signal.seq, signal.events);
  }

  /** Reads the log positions of the tenants with connections here and closes any gap. */
  async function poll(): Promise<void> {
    const active = [...sink.activeTenants()].filter((tenantId) => tenants.has(tenantId));
    if (active.length === 0) return;
    const rows = await db.withPlatform((tx) =>
      tx
        .select({ tenantId: realtimeSequences.tenantId, lastSeq: realtimeSequences.lastSeq })
        .from(realtimeSequences)
        .where(inArray(realtimeSequences.tenantId, active)),
    );
    await Promise.all(
      rows
        .filter((row) => row.lastSeq > (tenants.get(row.tenantId)?.through ?? Number.POSITIVE_INFINITY))
        .map((row) => advance(row.tenantId, row.lastSeq, undefined)),
    );
  }

  function schedulePoll(): void {
    if (!running) return;
    pollTimer = setTimeout(() => {
      polling = poll()
        .catch((error: unknown) => logger.error('realtime poll failed', { error: String(error) }))
        .finally(() => {
          polling = undefined;
          schedulePoll();
        });
    }, pollMs);
    (pollTimer as { unref?: () => void }).unref?.();
  }

  return {
    async start() {
      if (running) return;
      running = true;
      unsubscribeBus = await bus.subscribe(onSignal);
      unsubscribeCommits = subscribeCommits(db, onCommit);
      schedulePoll();
    },
    async stop() {
      if (!running) return;
      running = false;
      unsubscribeCommits?.();
      if (pollTimer) clearTimeout(pollTimer);
      await polling;
      await unsubscribeBus?.();
      await Promise.all([...tenants.values()].map((tenant) => tenant.queue));
    },
    deliveredThrough(tenantId) {
      return tenants.get(tenantId)?.through;
    },
    publishEphemeral(tenantId, events: EphemeralEvent[]) {
      if (events.length === 0) return;
      if (isActive(tenantId)) sink.deliverEphemeral(tenantId, events);
      bus
        .publish({ tenantId, ephemeral: events, origin })
        .catch((error: unknown) =>
          logger.error('realtime bus publish failed', { tenant_id: tenantId, error: String(error) }),
        );
    },
  };
}

/** The events follow `through` one by one. */
function contiguous(events: readonly RealtimeEvent[], through: number): boolean {
  let expected = through + 1;
  for (const event of events) {
    if (event.seq !== expected) return false;
    expected++;
  }
  return true;
}
