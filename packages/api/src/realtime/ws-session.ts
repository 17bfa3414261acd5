import type { WSContext, WSEvents } from 'hono/ws';
import type { AppDeps } from '../deps.js';
import { ApiError } from '../lib/errors.js';
import { announceTyping } from '../services/conversation-typing.js';
import {
  type OpenStream,
  openStream,
  type StreamFrame,
  type StreamTransport,
  streamOptionsOf,
} from './stream-connection.js';
import type { StreamPrincipal } from './tickets.js';
import type { RealtimeRuntime } from './types.js';

const CONVERSATION_ID = /^cnv_[0-9a-hjkmnp-tv-z]{26}$/;

/** What a WebSocket stream writes: events as their envelope, control frames as `{ type, data }`. */
export function encodeWebSocketFrame(frame: StreamFrame): string {
  return JSON.stringify(frame.control ? { type: frame.type, data: frame.data } : frame.data);
}

/** The parts of `ws`'s socket the transport reads beyond hono's `WSContext`. */
interface RawSocket {
  bufferedAmount?: number;
  ping?: () => void;
}

function webSocketTransport(ws: WSContext, maxBytes: number): StreamTransport {
  const raw = () => (ws.raw ?? {}) as RawSocket;
  const open = () => ws.readyState === 1;
  return {
    send(frame, force = false) {
      if (!open()) return true;
      // The socket's own send buffer is the bounded queue: past it, the client is too slow.
      if (!force && (raw().bufferedAmount ?? 0) >= maxBytes) return false;
      ws.send(encodeWebSocketFrame(frame));
      return true;
    },
    async writable() {
      while (open() && (raw().bufferedAmount ?? 0) * 2 > maxBytes) await new Promise((r) => setTimeout(r, 10));
    },
    heartbeat() {
      if (open()) raw().ping?.();
    },
    end() {
      if (ws.readyState === 0 || ws.readyState === 1) ws.close(1000, 'stream ended');
    },
  };
}

/** A frame the client sent. */
type ClientFrame =
  | { type: 'ping' }
  | { type: 'typing'; conversation_id: string }
  | { type: 'presence'; status: 'online' | 'away' };

function parseClientFrame(data: unknown): ClientFrame | string {
  if (typeof data !== 'string') return 'Frames are JSON text.';
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return 'Frames are JSON text.';
  }
  if (typeof value !== 'object' || value === null) return 'A frame is a JSON object with a type.';
  const frame = value as Record<string, unknown>;
  switch (frame.type) {
    case 'ping':
      return { type: 'ping' };
    case 'typing':
      if (typeof frame.conversation_id !== 'string' || !CONVERSATION_ID.test(frame.conversation_id))
        return 'typing needs a conversation_id (cnv_…).';
      return { type: 'typing', conversation_id: frame.conversation_id };
    case 'presence':
      if (frame.status !== 'online' && frame.status !== 'away') return 'presence needs a status: online or away.';
      return { type: 'presence', status: frame.status };
    default:
      return 'Unknown frame type; send ping, typing or presence.';
  }
}

/**
 * The WebSocket side of a stream: the same stream as SSE (ready, replay, live,
 * resync, heartbeats as protocol pings), plus what the client sends: `ping` →
 * `pong`, `typing` (announced to the conversation's participants through
 * `announceTyping`), `presence` (members: online or away). A frame that cannot
 * be understood or is refused gets `{ type: 'error', data: { code, detail } }`;
 * the socket stays open.
 */
export function webSocketEvents(
  deps: AppDeps & { realtime: RealtimeRuntime },
  params: { principal: StreamPrincipal; topics: readonly string[]; lastEventId: string | null },
): WSEvents {
  let stream: OpenStream | undefined;
  const { principal } = params;
  const reply = (ws: WSContext, type: string, data: Record<string, unknown> = {}) => {
    if (ws.readyState === 1) ws.send(JSON.stringify({ type, data }));
  };
  return {
    onOpen(_event, ws) {
      const options = streamOptionsOf(deps.realtime.hub);
      stream = openStream(deps, { ...params, transport: webSocketTransport(ws, options.maxQueuedBytes) });
    },
    onMessage(event, ws) {
      const frame = parseClientFrame(event.data);
      if (typeof frame === 'string') return reply(ws, 'error', { code: 'INVALID_FRAME', detail: frame });
      switch (frame.type) {
        case 'ping':
          return reply(ws, 'pong');
        case 'presence':
          if (principal.type !== 'member')
            return reply(ws, 'error', { code: 'INVALID_FRAME', detail: 'presence frames are for members.' });
          stream?.setPresence(frame.status);
          return;
        case 'typing': {
          if (principal.type === 'secret_key')
            return reply(ws, 'error', {
              code: 'INVALID_FRAME',
              detail: 'typing is announced by members and staff users, not API keys.',
            });
          const actor =
            principal.type === 'member'
              ? { tenantId: principal.tenantId, type: 'member' as const, id: principal.memberId }
              : { tenantId: principal.tenantId, type: 'staff' as const, id: principal.staffId };
          announceTyping(deps, actor, frame.conversation_id).catch((error: unknown) => {
            if (error instanceof ApiError) reply(ws, 'error', { code: error.code, detail: error.detail });
            else deps.logger.error('typing failed', { tenant_id: principal.tenantId, error: String(error) });
          });
          return;
        }
      }
    },
    onClose() {
      stream?.close();
    },
    onError() {
      stream?.close();
    },
  };
}
