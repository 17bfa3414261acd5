import { createRoute, z } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import { errorResponses, jsonResponse } from '../../lib/openapi.js';
import { RealtimeTicketSchema, StreamHeaders, StreamQuery } from './realtime.schemas.js';

const TAGS = ['Real-time'];

const unavailable = {
  description:
    'Real-time streams are not served by this deployment (edge runtimes: `REALTIME_UNAVAILABLE`), or the database is unavailable for the moment.',
  content: { 'application/problem+json': { schema: errorResponses[503].content['application/problem+json'].schema } },
} as const;

export const createTicketRoute = createRoute({
  method: 'post',
  path: '/v1/realtime/tickets',
  operationId: 'createRealtimeTicket',
  middleware: [requireCredential(['member', 'staff', 'secret_key'])] as const,
  tags: TAGS,
  summary: 'Get a stream ticket',
  description:
    "Issues a single-use ticket, valid 60 seconds, that opens one real-time stream (`GET /v1/realtime`, SSE) or WebSocket (`GET /v1/realtime/ws`). Call it with a member's or staff user's access token, or a secret key; publishable keys are refused (403). The ticket is bound to the caller's tenant and session (signing out makes it useless) and, when the request came from a browser page, to that page's `Origin`: a stream opened from another origin is refused. Ask for a new ticket for every (re)connection.",
  security: [{ memberToken: [] }, { staffToken: [] }, { secretKey: [] }],
  responses: {
    201: jsonResponse(RealtimeTicketSchema, 'The ticket; use it once, within 60 seconds.'),
    401: errorResponses[401],
    403: errorResponses[403],
    429: errorResponses[429],
    503: unavailable,
  },
});

const STREAM_DESCRIPTION = `Streams the tenant's real-time events the ticket's holder may see, as \`text/event-stream\` (server-sent events). Open it with \`new EventSource(stream_url + '&topics=feed,me')\`; every topic is authorised first (unknown → 400 \`INVALID_TOPIC\`, refused → 403 \`TOPIC_NOT_ALLOWED\` naming it, bad/expired/used ticket → 401 \`INVALID_TICKET\`, another page origin than the ticket's → 403 \`ORIGIN_MISMATCH\`).

Frames:

- first \`event: ready\`, with \`id: <epoch>-<seq>\` (where the stream starts) and data \`{ "topics": [...], "last_event_id": "<epoch>-<seq>" }\` (\`me\` resolved to \`member.<mem_id>\`);
- each event: \`id: <epoch>-<seq>\`, \`event: <type>\` (\`member.updated\`, \`notification.created\`, \`message.created\`, …), \`data: {"id","type","topic","created_at","data"}\` where \`data\` is the object as the API returns it (or \`{ id, object }\` for deletions); ephemeral events (\`typing\`) have no \`id\`;
- \`: hb\` comments every 15 seconds keep proxies from closing an idle stream;
- \`event: resync\` data \`{ "reason": "overflow" | "epoch_changed" | "pruned" | "unknown_event_id" }\`, then the stream ends: the client fell too far behind, or the events after its id are no longer in the log (kept at least 24 hours). Refetch what you show, then reconnect without an event id;
- \`event: closed\` data \`{ "reason": "credential_revoked" }\`: the session or key was revoked; sign in again.

Resume: reconnect (with a new ticket) sending \`Last-Event-ID\` (EventSource does) or \`last_event_id\`: the events after it on these topics are replayed in order, then the stream goes live, with nothing lost or doubled, across server restarts too. Sequence ids are per tenant and increase, with gaps (other topics' events). Not compressed or buffered by the API (\`Cache-Control: no-cache\`, \`X-Accel-Buffering: no\`).`;

export const streamRoute = createRoute({
  method: 'get',
  path: '/v1/realtime',
  operationId: 'streamRealtimeEvents',
  tags: TAGS,
  summary: 'Stream real-time events (SSE)',
  description: STREAM_DESCRIPTION,
  security: [],
  request: { query: StreamQuery, headers: StreamHeaders },
  responses: {
    200: {
      description: 'The event stream (see the operation description for the frames).',
      content: {
        'text/event-stream': {
          schema: z.string().openapi({
            example:
              'id: k3v9q0a7m2x8c1zt-41\nevent: ready\ndata: {"topics":["feed","member.mem_01jdx3v4k7m9q2w8e5r6t0y1zc"],"last_event_id":"k3v9q0a7m2x8c1zt-41"}\n\nid: k3v9q0a7m2x8c1zt-42\nevent: notification.created\ndata: {"id":"k3v9q0a7m2x8c1zt-42","type":"notification.created","topic":"member.mem_01jdx3v4k7m9q2w8e5r6t0y1zc","created_at":"2026-12-07T13:00:00.000Z","data":{"id":"ntf_01jdx3v4k7m9q2w8e5r6t0y1zc","object":"notification","unread_count":1}}\n\n: hb\n\n',
          }),
        },
      },
    },
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    422: errorResponses[422],
    429: errorResponses[429],
    503: unavailable,
  },
});

export const websocketRoute = createRoute({
  method: 'get',
  path: '/v1/realtime/ws',
  operationId: 'openRealtimeWebSocket',
  tags: TAGS,
  summary: 'Real-time events over a WebSocket',
  description: `The same events, topics, tickets and resume as \`GET /v1/realtime\`, over a WebSocket (open \`websocket_url\` with \`&topics=…\` appended), for clients that also send at a high rate. Server → client: JSON text frames, events as \`{ "id", "type", "topic", "created_at", "data" }\` (ephemeral ones without \`id\`), control frames as \`{ "type": "ready" | "resync" | "closed" | "pong" | "error", "data" }\`. Client → server: \`{ "type": "typing", "conversation_id": "cnv_…" }\` (announces typing to the participants of the conversation), \`{ "type": "presence", "status": "online" | "away" }\` (members), \`{ "type": "ping" }\` → \`{ "type": "pong" }\`; a frame that cannot be understood gets \`{ "type": "error", "data": { "code", "detail" } }\`. Resume with \`last_event_id\`. Served by Node deployments; a plain GET (no upgrade) is answered 426.`,
  security: [],
  request: { query: StreamQuery },
  responses: {
    101: { description: 'Switching protocols: the WebSocket is open.' },
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    422: errorResponses[422],
    426: {
      description: 'Not a WebSocket upgrade request (`UPGRADE_REQUIRED`).',
      content: {
        'application/problem+json': { schema: errorResponses[400].content['application/problem+json'].schema },
      },
    },
    429: errorResponses[429],
    503: unavailable,
  },
});
