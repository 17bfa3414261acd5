import type { Memberkit, RealtimeTopic } from '@memberkit/sdk';

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

const sources = new WeakMap<Memberkit, RealtimeSource>();

/**
 * {@link RealtimeSource} on the provider's SDK client (`mk.realtime.subscribe`, which
 * gets a stream ticket with the staff token, reconnects and resumes). One per client, so
 * elements sharing a client share one stream per topic (see {@link sharedTopic}).
 */
export function sdkRealtime(client: Memberkit): RealtimeSource {
  let source = sources.get(client);
  if (!source) {
    source = {
      subscribe(topics, handler, options) {
        try {
          // The elements' topics are the API's (`members`, `inbox`, `feed`, `conversation.<id>`).
          const subscription = client.realtime.subscribe(topics as readonly RealtimeTopic[], handler, {
            onResync: () => handler({ type: 'resync', topic: '', data: null }),
            onStatus: (status) => options?.onStatus?.(status),
          });
          return () => subscription.close();
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
