/**
 * The contracts of the real-time channel: the tenant event log, the bus that tells
 * every API process about new events, the dispatcher that reads them, and the hub
 * that holds this process's live connections.
 *
 *   service ── appendEvents(tx) ──▶ realtime_events (commit) ──onCommit──▶ dispatcher
 *                                                                │   ▲
 *                                                     bus.publish │   │ bus signal (other processes)
 *                                                                ▼   │
 *                                                   hub.deliver ◀── dispatcher (reads gaps from the log)
 */

/** Topics a stream can subscribe to. Per-member and per-conversation topics carry the id. */
export const TOPICS = {
  /** Member created/updated/status/tier/deleted: staff with `member:read`. */
  members: 'members',
  /** The tenant feed: members and staff. */
  feed: 'feed',
  /** Presence changes: as the tenant's presence visibility allows. */
  presence: 'presence',
  /** The support inbox (support conversations created, assigned, closed, new messages): staff with `message:read`. */
  inbox: 'inbox',
  /** One member's private events (notifications, their conversations' list changes, unread counts). */
  member: (memberId: string) => `member.${memberId}`,
  /** One conversation's messages, edits, receipts and typing: its participants (and moderating staff). */
  conversation: (conversationId: string) => `conversation.${conversationId}`,
} as const;

/** What a service appends (in its transaction). */
export interface RealtimeEventInput {
  topic: string;
  /** Dotted and past tense: `member.updated`, `notification.created`, `message.created`. */
  type: string;
  /** The object as the API returns it (snake_case JSON), or what changed. */
  data: Record<string, unknown>;
}

/** A committed event of the log. `id` (`<epoch>-<seq>`) is what SSE sends as the event id. */
export interface RealtimeEvent extends RealtimeEventInput {
  tenantId: string;
  seq: number;
  epoch: string;
  /** ISO 8601. */
  createdAt: string;
}

/** An event that is never stored (typing indicators, presence pings): delivered live, lost on reconnect by design. */
export type EphemeralEvent = RealtimeEventInput;

/**
 * What travels between processes: "tenant T's log now reaches `seq`" (events
 * attached when they are small enough for the transport), or ephemeral events.
 * A receiver that has seen up to `seq - events.length` applies attached events
 * directly; otherwise it reads the gap from the log.
 */
export interface BusSignal {
  tenantId: string;
  /** The highest committed sequence number this signal announces (absent for ephemeral-only signals). */
  seq?: number;
  events?: RealtimeEvent[];
  ephemeral?: EphemeralEvent[];
  /** The process that sent it (a receiver ignores its own echo where the transport echoes). */
  origin: string;
}

/**
 * Fan-out between API processes. `memory` serves one process (and PGlite);
 * `postgres` is LISTEN/NOTIFY on a dedicated connection (the default on a server);
 * `redis` is pub/sub (`MEMBERKIT_REDIS_URL`).
 */
export interface RealtimeBus {
  readonly kind: 'memory' | 'postgres' | 'redis';
  publish(signal: BusSignal): Promise<void>;
  /** Starts receiving; the returned function stops. Signals published by this process are delivered too. */
  subscribe(handler: (signal: BusSignal) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Where the dispatcher hands events: this process's connections. */
export interface RealtimeSink {
  /** Events of one tenant in sequence order, each exactly once per process. */
  deliver(tenantId: string, events: readonly RealtimeEvent[]): void;
  deliverEphemeral(tenantId: string, events: readonly EphemeralEvent[]): void;
  /** Tenants with at least one open connection here (the dispatcher reads only their logs). */
  activeTenants(): Iterable<string>;
}

/** This process's live connections (SSE and WebSocket), by tenant and topic. */
export interface RealtimeHub extends RealtimeSink {
  /** Open connections here. */
  connectionCount(): number;
  /** Ends every connection (shutdown): clients reconnect elsewhere and resume. */
  closeAll(): void;
}

/** Reads the log after commits and bus signals, and feeds the sink in order, without gaps or doubles. */
export interface RealtimeDispatcher {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The highest sequence number delivered here for a tenant (undefined: none yet this process). */
  deliveredThrough(tenantId: string): number | undefined;
  /** Sends ephemeral events to every process's connections (this one included). */
  publishEphemeral(tenantId: string, events: EphemeralEvent[]): void;
}

/** `AppDeps.realtime`: present on Node (and in tests); absent on edge runtimes (the stream endpoints answer 503). */
export interface RealtimeRuntime {
  hub: import('./hub.js').ConnectionHub;
  dispatcher: RealtimeDispatcher;
  bus: RealtimeBus;
  /** Members' presence from their open streams (absent: streams do not mark anyone online). */
  presence?: import('./presence.js').PresenceTracker;
}
