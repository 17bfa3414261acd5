import { Resource } from '../core/resource.js';
import type { CallOptions } from '../core/transport.js';
import type { Schema } from '../core/types.js';
import type { RealtimeTopic } from '../realtime/events.js';
import {
  LiveSubscription,
  type RealtimeConnector,
  type RealtimeHandler,
  type RealtimeSubscription,
  type SubscribeOptions,
} from '../realtime/subscription.js';

/** A short-lived (60 s), single-use ticket that opens one real-time stream. */
export type RealtimeTicket = Schema<'RealtimeTicket'>;

// Browsers: a custom header would need a CORS preflight, so the position goes in the query there.
const IN_BROWSER = typeof window !== 'undefined' && typeof document !== 'undefined';

/** `mk.realtime`: live events over server-sent events (member token, staff token or secret key). */
export class RealtimeResource extends Resource {
  /**
   * Gets a stream ticket (`POST /v1/realtime/tickets`) with the client's credential (the
   * signed-in member's token when a session is active). `subscribe` does this for you.
   */
  createTicket(options?: CallOptions): Promise<RealtimeTicket> {
    return this.call({ method: 'POST', path: '/v1/realtime/tickets', auth: 'member', idempotent: false }, options);
  }

  /**
   * A ready-to-open WebSocket URL (`GET /v1/realtime/ws`, Node servers) with a fresh ticket,
   * the topics and, to resume, the last event id: `new WebSocket(await mk.realtime.webSocketUrl(['me']))`.
   * Frames are JSON `{ id?, type, topic, created_at, data }`; send `{ type: 'typing', conversation_id }`,
   * `{ type: 'presence', status }` or `{ type: 'ping' }`. Open it within 60 s; it works once.
   */
  async webSocketUrl(
    topics: readonly RealtimeTopic[],
    params: { lastEventId?: string | undefined } = {},
    options?: CallOptions,
  ): Promise<string> {
    const { ticket } = await this.createTicket(options);
    const url = new URL(`${this.transport.baseUrl}/v1/realtime/ws`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('ticket', ticket);
    url.searchParams.set('topics', topics.join(','));
    if (params.lastEventId !== undefined) url.searchParams.set('last_event_id', params.lastEventId);
    return url.toString();
  }

  /**
   * Subscribes to topics: `members`, `feed`, `presence`, `inbox`, `me` (the member's own
   * notifications and conversation list) and `conversation.<cnv_id>`. The handler gets each
   * event, typed by `type`. Dropped streams reconnect with backoff, a new ticket and the last
   * event id, so no logged event is lost or doubled; `onResync` says when the API could not
   * resume (refetch then). Works in browsers, Node 20+ and edge runtimes (fetch, no EventSource).
   *
   * @example
   * const sub = mk.realtime.subscribe(['me', 'feed'], (event) => {
   *   switch (event.type) {
   *     case 'notification.created': showBadge(event.data.unread_count); break;
   *     case 'feed.post_created': prepend(event.data); break;
   *   }
   * }, { onResync: () => reloadEverything() });
   * await sub.ready;
   * sub.close();
   */
  subscribe(
    topics: readonly RealtimeTopic[],
    handler: RealtimeHandler,
    options: SubscribeOptions = {},
  ): RealtimeSubscription {
    const connector: RealtimeConnector = {
      ticket: async (signal) => (await this.createTicket({ signal })).ticket,
      open: (ticket, names, lastEventId, signal) =>
        this.transport.send(
          {
            method: 'GET',
            path: '/v1/realtime',
            query: {
              ticket,
              topics: names.join(','),
              last_event_id: IN_BROWSER ? lastEventId : undefined,
            },
            auth: 'none',
            accept: 'text/event-stream',
          },
          {
            signal,
            maxRetries: 0,
            timeout: 30_000,
            headers: !IN_BROWSER && lastEventId !== undefined ? { 'Last-Event-ID': lastEventId } : undefined,
          },
        ),
    };
    return new LiveSubscription(connector, topics, handler, options);
  }
}
