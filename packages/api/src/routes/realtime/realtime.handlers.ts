import type { AppDeps } from '../../deps.js';
import type { AppRouteHandler } from '../../lib/context.js';
import { ApiError } from '../../lib/errors.js';
import { createSseTransport } from '../../realtime/sse.js';
import { type OpenStream, openStream, streamOptionsOf } from '../../realtime/stream-connection.js';
import {
  consumeTicket,
  issueTicket,
  RealtimeErrors,
  type StreamPrincipal,
  type TicketSubject,
} from '../../realtime/tickets.js';
import { authorizeTopics, parseTopics } from '../../realtime/topics.js';
import type { RealtimeRuntime } from '../../realtime/types.js';
import { webSocketUpgraderOf } from '../../realtime/ws-upgrade.js';
import { webSocketEvents } from '../../realtime/ws-session.js';
import type { createTicketRoute, streamRoute, websocketRoute } from './realtime.routes.js';

function realtimeOf(deps: AppDeps): RealtimeRuntime {
  if (!deps.realtime) {
    throw new ApiError(
      RealtimeErrors.REALTIME_UNAVAILABLE,
      'This deployment does not serve real-time streams (edge runtimes); events are still recorded. Use a Node deployment for live updates.',
    );
  }
  return deps.realtime;
}

/** CORS for the page that opens the stream (the ticket already fixed which origin that may be). */
function corsFor(origin: string | null): Record<string, string> {
  return origin ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {};
}

/** Checks the ticket and the topics; every refusal readable by the page that asked (CORS), before any stream starts. */
async function admit(
  deps: AppDeps,
  query: { ticket: string; topics: string },
  origin: string | null,
): Promise<{ principal: StreamPrincipal; topics: string[] }> {
  try {
    const requested = parseTopics(query.topics);
    const principal = await consumeTicket(deps, query.ticket, origin);
    const topics = await authorizeTopics(deps, principal, requested);
    return { principal, topics };
  } catch (error) {
    if (!(error instanceof ApiError) || !origin) throw error;
    throw new ApiError({ code: error.code, status: error.status as never, title: error.title }, error.detail, {
      ...(error.errors ? { errors: error.errors } : {}),
      headers: { ...error.headers, ...corsFor(origin) },
    });
  }
}

export const createTicketHandler: AppRouteHandler<typeof createTicketRoute> = async (c) => {
  const deps = c.var.deps;
  realtimeOf(deps);
  const credential = c.var.credential;
  const subject: TicketSubject =
    credential.type === 'member'
      ? {
          type: 'member',
          tenantId: credential.tenantId,
          memberId: credential.memberId,
          sessionId: credential.sessionId,
        }
      : credential.type === 'staff'
        ? { type: 'staff', tenantId: credential.tenantId, staffId: credential.staffId, sessionId: credential.sessionId }
        : { type: 'secret_key', tenantId: credential.tenantId, id: credential.id };
  const issued = await issueTicket(deps, subject, c.req.header('origin') ?? null);
  const base = deps.config.issuerBaseUrl.replace(/\/+$/, '');
  const query = `?ticket=${encodeURIComponent(issued.ticket)}`;
  return c.json(
    {
      object: 'realtime_ticket' as const,
      ticket: issued.ticket,
      expires_at: issued.expiresAt.toISOString(),
      stream_url: `${base}/v1/realtime${query}`,
      websocket_url: `${base.replace(/^http/, 'ws')}/v1/realtime/ws${query}`,
    },
    201,
  );
};

/** The event id to resume after: the `Last-Event-ID` header (EventSource's reconnects) or the query. */
function resumeFrom(header: string | undefined, query: string | undefined): string | null {
  const id = (header ?? '').trim() || (query ?? '').trim();
  return id === '' ? null : id;
}

export const streamHandler: AppRouteHandler<typeof streamRoute> = async (c) => {
  const deps = c.var.deps;
  const realtime = realtimeOf(deps);
  const query = c.req.valid('query');
  const origin = c.req.header('origin') ?? null;
  const { principal, topics } = await admit(deps, query, origin);
  let stream: OpenStream | undefined;
  const { body, transport } = createSseTransport(streamOptionsOf(realtime.hub), () => stream?.close());
  stream = openStream(
    { ...deps, realtime },
    {
      principal,
      topics,
      lastEventId: resumeFrom(c.req.header('last-event-id'), query.last_event_id),
      transport,
    },
  );
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      // no-transform: neither the API's compression nor a proxy may hold frames back to compress them.
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
      ...corsFor(origin),
    },
  });
};

export const websocketHandler: AppRouteHandler<typeof websocketRoute> = async (c) => {
  const deps = c.var.deps;
  const realtime = realtimeOf(deps);
  const upgrade = webSocketUpgraderOf(realtime.hub);
  if (!upgrade) {
    throw new ApiError(
      RealtimeErrors.REALTIME_UNAVAILABLE,
      'This server does not accept WebSockets; use the SSE stream (GET /v1/realtime).',
    );
  }
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
    throw new ApiError(
      RealtimeErrors.UPGRADE_REQUIRED,
      'GET /v1/realtime/ws is a WebSocket endpoint: open it with new WebSocket(websocket_url + "&topics=…").',
      { headers: { Upgrade: 'websocket' } },
    );
  }
  const query = c.req.valid('query');
  const origin = c.req.header('origin') ?? null;
  const { principal, topics } = await admit(deps, query, origin);
  const events = webSocketEvents(
    { ...deps, realtime },
    { principal, topics, lastEventId: resumeFrom(undefined, query.last_event_id) },
  );
  return upgrade(c, events) as never;
};
