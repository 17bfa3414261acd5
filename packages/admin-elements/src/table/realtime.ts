import type { Memberkit } from '@memberkit/sdk';

/**
 * One event of the tenant's real-time stream, as `GET /v1/realtime` sends it:
 * `{ id, type, topic, created_at, data }` (`id` is absent on ephemeral events such as
 * `typing`). `data` is the API's DTO (snake_case), or `{ id, object }` for deletions.
 */
export interface RealtimeEvent<T = unknown> {
  id?: string | undefined;
  type: string;
  topic: string;
  created_at?: string | undefined;
  data: T;
}

/** Stops a subscription. */
export type Unsubscribe = () => void;

/**
 * Where the admin elements get live events from: a subscription to topics
 * (`members`, `inbox`, `conversation.<id>`, `feed`) with a handler per event. A
 * `resync` event (the stream could not resume) tells the element to reload what it shows.
 * {@link sdkRealtime} implements it on the SDK client's `realtime.subscribe`; tests and
 * pages may pass their own as an element's `realtime` property.
 */
export interface RealtimeSource {
  subscribe(
    topics: readonly string[],
    handler: (event: RealtimeEvent) => void,
    options?: { onStatus?: ((status: LiveStatus) => void) | undefined },
  ): Unsubscribe;
}

/** Where a subscription is: connecting, open, waiting to reconnect, or closed for good (refused, or stopped). */
export type LiveStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** The SDK's realtime client as far as the elements use it (its return value varies: a function, or an object with close/unsubscribe, or a promise of either). */
interface SdkRealtime {
  subscribe(
    topics: string[],
    handler: (event: RealtimeEvent) => void,
    options?: { onResync?: () => void; onStatus?: (status: LiveStatus) => void },
  ): unknown;
}

function stopper(handle: unknown): Unsubscribe {
  if (typeof handle === 'function') return handle as Unsubscribe;
  if (handle && typeof handle === 'object') {
    const h = handle as { close?: () => void; unsubscribe?: () => void; then?: unknown };
    if (typeof h.close === 'function') return () => h.close?.();
    if (typeof h.unsubscribe === 'function') return () => h.unsubscribe?.();
    if (typeof h.then === 'function') {
      let stop: Unsubscribe | undefined;
      let stopped = false;
      (handle as Promise<unknown>).then(
        (resolved) => {
          stop = stopper(resolved);
          if (stopped) stop();
        },
        () => undefined,
      );
      return () => {
        stopped = true;
        stop?.();
      };
    }
  }
  return () => undefined;
}

const sources = new WeakMap<Memberkit, RealtimeSource>();

/**
 * {@link RealtimeSource} on the provider's SDK client (`mk.realtime.subscribe`, which
 * gets a stream ticket with the staff token, reconnects and resumes). One per client, so
 * elements sharing a client share one stream per topic (see {@link sharedTopic}).
 * Without `realtime` in the client (an older SDK) nothing is live.
 */
export function sdkRealtime(client: Memberkit): RealtimeSource {
  let source = sources.get(client);
  if (!source) {
    source = {
      subscribe(topics, handler, options) {
        const realtime = (client as unknown as { realtime?: SdkRealtime }).realtime;
        if (!realtime || typeof realtime.subscribe !== 'function') {
          options?.onStatus?.('closed');
          return () => undefined;
        }
        try {
          const onResync = (): void => handler({ type: 'resync', topic: '', data: null });
          const onStatus = (status: LiveStatus): void => options?.onStatus?.(status);
          return stopper(realtime.subscribe([...topics], handler, { onResync, onStatus }));
        } catch {
          options?.onStatus?.('closed');
          return () => undefined;
        }
      },
    };
    sources.set(client, source);
  }
  return source;
}

interface Shared {
  handlers: Set<(event: RealtimeEvent) => void>;
  statusListeners: Set<(status: LiveStatus) => void>;
  status: LiveStatus;
  stop: Unsubscribe;
}
const shared = new WeakMap<RealtimeSource, Map<string, Shared>>();

/**
 * Subscribes `handler` to one topic through `source`, sharing one underlying
 * subscription among every handler of that topic and source (the table and the editor
 * both watch `members`: one stream, not two). The last unsubscribe closes it.
 */
export function sharedTopic(
  source: RealtimeSource,
  topic: string,
  handler: (event: RealtimeEvent) => void,
  onStatus?: (status: LiveStatus) => void,
): Unsubscribe {
  let topics = shared.get(source);
  if (!topics) {
    topics = new Map();
    shared.set(source, topics);
  }
  let entry = topics.get(topic);
  if (!entry) {
    const handlers = new Set<(event: RealtimeEvent) => void>();
    const statusListeners = new Set<(status: LiveStatus) => void>();
    const created: Shared = { handlers, statusListeners, status: 'connecting', stop: () => undefined };
    topics.set(topic, created);
    created.stop = source.subscribe(
      [topic],
      (event) => {
        for (const h of [...handlers]) h(event);
      },
      {
        onStatus: (status) => {
          created.status = status;
          for (const l of [...statusListeners]) l(status);
        },
      },
    );
    entry = created;
  }
  entry.handlers.add(handler);
  if (onStatus) {
    entry.statusListeners.add(onStatus);
    onStatus(entry.status);
  }
  const current = entry;
  return () => {
    current.handlers.delete(handler);
    if (onStatus) current.statusListeners.delete(onStatus);
    if (current.handlers.size === 0 && topics.get(topic) === current) {
      topics.delete(topic);
      current.stop();
    }
  };
}

/** Member event types that carry the member DTO. */
export const memberChangeTypes: ReadonlySet<string> = new Set([
  'member.created',
  'member.updated',
  'member.status_changed',
  'member.tier_changed',
  'member.restored',
]);
