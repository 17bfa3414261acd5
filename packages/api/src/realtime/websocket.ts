import { upgradeWebSocket } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import type { RealtimeRuntime } from './types.js';
import { registerWebSocketUpgrader } from './ws-upgrade.js';

/** Largest client frame accepted (typing, presence and ping frames are tiny). */
const MAX_CLIENT_FRAME_BYTES = 16 * 1024;

/**
 * The WebSocket server of `GET /v1/realtime/ws` on Node: pass the result as
 * `serve()`'s `websocket` option, and the runtime's hub accepts WebSocket streams.
 * (Node only: `@hono/node-server` upgrades the request, `ws` speaks the protocol.)
 *
 * @example
 * const realtime = createRealtimeRuntime({ db, logger });
 * const app = createApp({ ...deps, realtime });
 * serve({ fetch: app.fetch, port, websocket: createRealtimeWebSocketServer(realtime) });
 */
export function createRealtimeWebSocketServer(runtime: RealtimeRuntime): { server: WebSocketServer } {
  registerWebSocketUpgrader(runtime.hub, (c, events) => upgradeWebSocket(c, events));
  return { server: new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES }) };
}
