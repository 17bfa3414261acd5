import type { EphemeralEvent, RealtimeEvent, RealtimeHub } from './types.js';

/**
 * One live stream (SSE or WebSocket) as the hub sees it. The connection owns its
 * bounded queue: `push` never blocks, and a connection that cannot keep up ends
 * itself (with a resync hint) instead of holding the others back.
 */
export interface HubConnection {
  readonly tenantId: string;
  /** The authorised topics (resolved: `me` is `member.<id>`). */
  readonly topics: ReadonlySet<string>;
  push(event: RealtimeEvent | EphemeralEvent): void;
  /** Ends the stream (shutdown): the client reconnects and resumes. */
  close(): void;
}

/** The hub with registration: what the stream endpoints use. */
export interface ConnectionHub extends RealtimeHub {
  /** Registers a connection; the returned function removes it (call it when the stream ends). */
  add(connection: HubConnection): () => void;
}

/**
 * This process's live connections by tenant and topic: delivering an event costs one
 * lookup and a walk over the topic's subscribers, whatever the number of tenants.
 */
export function createRealtimeHub(): ConnectionHub {
  const tenants = new Map<string, Map<string, Set<HubConnection>>>();
  let count = 0;

  function deliverTo(tenantId: string, events: readonly (RealtimeEvent | EphemeralEvent)[]): void {
    const topics = tenants.get(tenantId);
    if (!topics) return;
    for (const event of events) {
      const subscribers = topics.get(event.topic);
      if (!subscribers) continue;
      // A copy: a push may end a slow connection, which removes it from this set.
      for (const connection of [...subscribers]) connection.push(event);
    }
  }

  return {
    add(connection) {
      let topics = tenants.get(connection.tenantId);
      if (!topics) {
        topics = new Map();
        tenants.set(connection.tenantId, topics);
      }
      for (const topic of connection.topics) {
        let set = topics.get(topic);
        if (!set) {
          set = new Set();
          topics.set(topic, set);
        }
        set.add(connection);
      }
      count++;
      let removed = false;
      return () => {
        if (removed) return;
        removed = true;
        count--;
        const byTopic = tenants.get(connection.tenantId);
        if (!byTopic) return;
        for (const topic of connection.topics) {
          const set = byTopic.get(topic);
          set?.delete(connection);
          if (set?.size === 0) byTopic.delete(topic);
        }
        if (byTopic.size === 0) tenants.delete(connection.tenantId);
      };
    },
    deliver: deliverTo,
    deliverEphemeral: deliverTo,
    activeTenants: () => tenants.keys(),
    connectionCount: () => count,
    closeAll() {
      for (const topics of [...tenants.values()]) {
        const all = new Set<HubConnection>();
        for (const set of topics.values()) for (const connection of set) all.add(connection);
        for (const connection of all) connection.close();
      }
    },
  };
}
