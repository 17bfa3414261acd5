import type { Context } from 'hono';
import type { WSEvents } from 'hono/ws';
import type { ConnectionHub } from './hub.js';

/** Upgrades a request to a WebSocket with `events` (on Node: `@hono/node-server`'s `upgradeWebSocket`). */
export type WebSocketUpgrader = (c: Context, events: WSEvents) => Promise<Response>;

const upgraders = new WeakMap<ConnectionHub, WebSocketUpgrader>();

/**
 * Lets the streams of `hub` be opened as WebSockets. Runtime-neutral on purpose:
 * the app never imports the Node server; `createRealtimeWebSocketServer`
 * (`websocket.ts`, Node only) registers the upgrader. Without one,
 * `GET /v1/realtime/ws` answers 503 `REALTIME_UNAVAILABLE`.
 */
export function registerWebSocketUpgrader(hub: ConnectionHub, upgrader: WebSocketUpgrader): void {
  upgraders.set(hub, upgrader);
}

/** The upgrader registered for `hub`, if any. */
export function webSocketUpgraderOf(hub: ConnectionHub): WebSocketUpgrader | undefined {
  return upgraders.get(hub);
}
