import { sql } from 'drizzle-orm';
import { executeRows } from '../db/database.js';
import type { AppDeps } from '../deps.js';
import { eventId, parseEventId, readEventsSince } from './event-log.js';
import type { ConnectionHub, HubConnection } from './hub.js';
import type { StreamPrincipal } from './tickets.js';
import { principalStillValid } from './tickets.js';
import type { EphemeralEvent, RealtimeEvent, RealtimeRuntime } from './types.js';

/** Tunables of the streams a hub serves (see {@link configureStreams}). */
export interface StreamOptions {
  /** A comment (`: hb`) or WebSocket ping this often keeps proxies from closing idle streams. */
  heartbeatMs: number;
  /** Events waiting for a slow client before it is told to resync and disconnected. */
  maxQueuedEvents: number;
  /** Bytes waiting for a slow client before it is told to resync and disconnected. */
  maxQueuedBytes: number;
  /** A member with an open stream refreshes their presence this often. */
  presenceIntervalMs: number;
  /** An open stream re-checks its credential (session live, key not revoked) this often. */
  revalidateMs: number;
  /** Events read from the log per query when a stream resumes. */
  backlogPageSize: number;
}

/** 15 s heartbeats, 256 events or 1 MiB per slow client, presence every 30 s, credentials re-checked every minute. */
export const DEFAULT_STREAM_OPTIONS: StreamOptions = {
  heartbeatMs: 15_000,
  maxQueuedEvents: 256,
  maxQueuedBytes: 1024 * 1024,
  presenceIntervalMs: 30_000,
  revalidateMs: 60_000,
  backlogPageSize: 500,
};

const configured = new WeakMap<ConnectionHub, StreamOptions>();
const presenceCounts = new WeakMap<ConnectionHub, Map<string, number>>();
/** Recent credential checks per hub and principal: many streams of one session share one query per interval. */
const validity = new WeakMap<ConnectionHub, Map<string, { at: number; valid: Promise<boolean> }>>();

function checkPrincipal(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  hub: ConnectionHub,
  principal: StreamPrincipal,
  maxAgeMs: number,
): Promise<boolean> {
  let cache = validity.get(hub);
  if (!cache) {
    cache = new Map();
    validity.set(hub, cache);
  }
  const key = `${principal.tenantId}\u0000${principal.type === 'secret_key' ? principal.keyId : principal.sessionId}`;
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < maxAgeMs / 2) return hit.valid;
  if (cache.size > 10_000) for (const [k, v] of cache) if (now - v.at >= maxAgeMs) cache.delete(k);
  const valid = principalStillValid(deps, principal);
  cache.set(key, { at: now, valid });
  valid.catch(() => cache.delete(key));
  return valid;
}

/**
 * Sets the stream tunables of the streams `hub` serves (tests use short heartbeats
 * and small buffers; the defaults are {@link DEFAULT_STREAM_OPTIONS}).
 * @example
 * configureStreams(runtime.hub, { heartbeatMs: 50 });
 */
export function configureStreams(hub: ConnectionHub, options: Partial<StreamOptions>): void {
  configured.set(hub, { ...(configured.get(hub) ?? DEFAULT_STREAM_OPTIONS), ...options });
}

/** The stream tunables of `hub`. */
export function streamOptionsOf(hub: ConnectionHub): StreamOptions {
  return configured.get(hub) ?? DEFAULT_STREAM_OPTIONS;
}

/**
 * One frame as the transports write it. SSE: `id:` (when present), `event:` and one
 * `data:` line of JSON; WebSocket: events as their JSON envelope, control frames
 * (`ready`, `resync`, `closed`) as `{ type, data }`.
 */
export interface StreamFrame {
  id?: string;
  type: string;
  /** Events: the envelope `{ id, type, topic, created_at, data }`; control frames: their data. */
  data: Record<string, unknown>;
  control: boolean;
}

/** How a stream's frames leave the process: an SSE body or a WebSocket. */
export interface StreamTransport {
  /** Queues a frame; `false` when the client is too far behind (the stream then resyncs and ends). */
  send(frame: StreamFrame, force?: boolean): boolean;
  /** Resolves once the client has taken most of what is queued (used between pages of a resume). */
  writable(): Promise<void>;
  heartbeat(): void;
  /** Ends the stream after what is queued has gone out. */
  end(): void;
}

/** What the presence tracker offers (H1's `createPresenceTracker`), when the runtime has one. */
interface PresenceLike {
  touch(tenantId: string, memberId: string, status: 'online' | 'away'): unknown;
  left(tenantId: string, memberId: string): unknown;
}

/** An open stream: the transport's side calls these. */
export interface OpenStream {
  /** The client went away. */
  close(): void;
  /** The member says they are online or away (WebSocket `presence` frames). */
  setPresence(status: 'online' | 'away'): void;
}

/** Why a stream asks its client to start over (refetch, then reconnect without an event id). */
export type ResyncReason = 'overflow' | 'epoch_changed' | 'pruned' | 'unknown_event_id';

function envelope(event: RealtimeEvent | EphemeralEvent): StreamFrame {
  const logged = 'seq' in event;
  const id = logged ? eventId(event as RealtimeEvent) : undefined;
  return {
    ...(id ? { id } : {}),
    type: event.type,
    control: false,
    data: {
      ...(id ? { id } : {}),
      type: event.type,
      topic: event.topic,
      created_at: logged ? (event as RealtimeEvent).createdAt : new Date().toISOString(),
      data: event.data,
    },
  };
}

/** A typing indicator of the stream's own user: not echoed back to them. */
function isOwnTyping(event: EphemeralEvent, principal: StreamPrincipal): boolean {
  if (event.type !== 'typing' || principal.type === 'secret_key') return false;
  const participant = event.data.participant as { type?: unknown; id?: unknown } | undefined;
  const id = principal.type === 'member' ? principal.memberId : principal.staffId;
  return participant?.type === principal.type && participant.id === id;
}

async function logPosition(
  deps: Pick<AppDeps, 'db'>,
  tenantId: string,
): Promise<{ epoch: string; lastSeq: number; prunedThrough: number }> {
  return deps.db.withTenant(tenantId, async (tx) => {
    // A tenant that never had an event gets its sequence row now, so even the first stream has an epoch to resume by.
    const [row] = await executeRows<{ epoch: string; last_seq: string | number; pruned_through: string | number }>(
      tx.execute(sql`
        with created as (
          insert into realtime_sequences (tenant_id, epoch, last_seq)
          values (${tenantId}, ${newEpoch()}, 0)
          on conflict (tenant_id) do nothing
          returning epoch, last_seq, pruned_through)
        select epoch, last_seq, pruned_through from created
        union all
        select epoch, last_seq, pruned_through from realtime_sequences where tenant_id = ${tenantId}
        limit 1`),
    );
    if (!row) throw new Error('realtime sequence not readable');
    return { epoch: row.epoch, lastSeq: Number(row.last_seq), prunedThrough: Number(row.pruned_through) };
  });
}

function newEpoch(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => (b % 36).toString(36)).join('');
}

/**
 * Opens a stream for `principal` on `topics` (already authorised): registers with
 * the hub first and holds live events back, sends `ready`, replays the log after
 * `lastEventId` (only these topics, page by page, at the client's pace), then the
 * held-back events newer than the last one sent: no gap, no doubles. A resume the
 * log cannot serve (another epoch, pruned, unknown id) sends `resync` and ends.
 * A client that falls more than the bounded buffer behind gets `resync`
 * (`overflow`) and is disconnected; the others are not slowed. Members with an
 * open stream count as online (when the runtime tracks presence).
 */
export function openStream(
  deps: Pick<AppDeps, 'db' | 'clock' | 'logger'> & { realtime: RealtimeRuntime },
  params: {
    principal: StreamPrincipal;
    topics: readonly string[];
    lastEventId: string | null;
    transport: StreamTransport;
  },
): OpenStream {
  const { principal, transport } = params;
  const { tenantId } = principal;
  const hub = deps.realtime.hub;
  const options = streamOptionsOf(hub);
  const presence = (deps.realtime as RealtimeRuntime & { presence?: PresenceLike }).presence;
  const memberId = principal.type === 'member' ? principal.memberId : null;
  let presenceStatus: 'online' | 'away' = 'online';
  let countedPresence = false;

  let live = false;
  let closed = false;
  let epoch: string | null = null;
  let lastSeq = 0;
  let pending: (RealtimeEvent | EphemeralEvent)[] = [];
  const timers: ReturnType<typeof setInterval>[] = [];

  const send = (frame: StreamFrame, force = false) => {
    if (closed) return;
    if (!transport.send(frame, force)) resync('overflow');
  };
  const deliver = (event: RealtimeEvent | EphemeralEvent) => {
    if (!('seq' in event) && isOwnTyping(event, principal)) return;
    if ('seq' in event) {
      const logged = event as RealtimeEvent;
      if (epoch !== null && logged.epoch !== epoch) return resync('epoch_changed');
      if (logged.seq <= lastSeq) return;
      lastSeq = logged.seq;
    }
    send(envelope(event));
  };

  const connection: HubConnection = {
    tenantId,
    topics: new Set(params.topics),
    push(event) {
      if (closed) return;
      if (live) return deliver(event);
      pending.push(event);
      if (pending.length > options.maxQueuedEvents) resync('overflow');
    },
    close: () => finish(),
  };
  const remove = hub.add(connection);

  function resync(reason: ResyncReason): void {
    if (closed) return;
    transport.send({ type: 'resync', control: true, data: { reason } }, true);
    finish();
  }

  function finish(): void {
    if (closed) return;
    closed = true;
    pending = [];
    remove();
    for (const timer of timers) clearInterval(timer);
    if (memberId && presence && countedPresence) {
      const counts = presenceCounts.get(hub);
      const key = `${tenantId}\u0000${memberId}`;
      const left = (counts?.get(key) ?? 1) - 1;
      if (left > 0) counts?.set(key, left);
      else {
        counts?.delete(key);
        void Promise.resolve(presence.left(tenantId, memberId)).catch((error) =>
          deps.logger.error('presence left failed', { tenant_id: tenantId, error: String(error) }),
        );
      }
    }
    transport.end();
  }

  const touchPresence = () => {
    if (!memberId || !presence || closed) return;
    void Promise.resolve(presence.touch(tenantId, memberId, presenceStatus)).catch((error) =>
      deps.logger.error('presence touch failed', { tenant_id: tenantId, error: String(error) }),
    );
  };

  async function start(): Promise<void> {
    const position = await logPosition(deps, tenantId);
    if (closed) return;
    epoch = position.epoch;
    const requested = params.lastEventId;
    if (requested !== null) {
      const parsed = parseEventId(requested);
      if (!parsed || parsed.seq > position.lastSeq) return resync('unknown_event_id');
      if (parsed.epoch !== position.epoch) return resync('epoch_changed');
      if (parsed.seq < position.prunedThrough) return resync('pruned');
      lastSeq = parsed.seq;
    } else {
      lastSeq = position.lastSeq;
    }
    const readyId = eventId({ epoch: position.epoch, seq: lastSeq });
    send({ id: readyId, type: 'ready', control: true, data: { topics: [...params.topics], last_event_id: readyId } });

    if (requested !== null) {
      const currentEpoch = position.epoch;
      for (;;) {
        const after = lastSeq;
        const page = await deps.db.withTenant(tenantId, (tx) =>
          readEventsSince(tx, tenantId, currentEpoch, after, {
            topics: params.topics,
            limit: options.backlogPageSize,
          }),
        );
        if (closed) return;
        for (const event of page) {
          lastSeq = event.seq;
          send(envelope(event), true);
        }
        if (page.length < options.backlogPageSize) break;
        await transport.writable();
        if (closed) return;
      }
    }
    live = true;
    const held = pending;
    pending = [];
    for (const event of held) {
      if (closed) return;
      deliver(event);
    }

    if (memberId && presence) {
      let counts = presenceCounts.get(hub);
      if (!counts) {
        counts = new Map();
        presenceCounts.set(hub, counts);
      }
      const key = `${tenantId}\u0000${memberId}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      countedPresence = true;
      touchPresence();
      timers.push(setInterval(touchPresence, options.presenceIntervalMs));
    }
    timers.push(setInterval(() => transport.heartbeat(), options.heartbeatMs));
    timers.push(
      setInterval(() => {
        checkPrincipal(deps, hub, principal, options.revalidateMs)
          .then((valid) => {
            if (valid || closed) return;
            transport.send({ type: 'closed', control: true, data: { reason: 'credential_revoked' } }, true);
            finish();
          })
          .catch(() => {
            // The database is unavailable for a moment: keep the stream, check again next time.
          });
      }, options.revalidateMs),
    );
    for (const timer of timers) timer.unref?.();
  }

  start().catch((error) => {
    deps.logger.error('realtime stream failed to start', { tenant_id: tenantId, error: String(error) });
    finish();
  });

  return {
    close: finish,
    setPresence(status) {
      if (presenceStatus === status) return;
      presenceStatus = status;
      touchPresence();
    },
  };
}
