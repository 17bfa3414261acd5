import { z } from '@hono/zod-openapi';
import { named } from '../../lib/openapi.js';

const TICKET_EXAMPLE = 'rtt_dG50XzAxamR4M3Y0azdtOXEydzhlNXI2dDB5MXpj.q8Qm1bG0w1ZtY2x3vVb7p3H0n8r4c2Jx9kLs5aDf6Eg';

/** `POST /v1/realtime/tickets` → a stream ticket. */
export const RealtimeTicketSchema = named(
  z.object({
    object: z.literal('realtime_ticket'),
    ticket: z.string().openapi({
      description: 'Opens one stream, once, within 60 seconds. Pass it as `ticket` to `stream_url` or `websocket_url`.',
    }),
    expires_at: z.string().openapi({ description: 'ISO 8601; 60 seconds after issue.' }),
    stream_url: z.string().openapi({ description: 'The SSE endpoint with the ticket filled in; add `&topics=…`.' }),
    websocket_url: z
      .string()
      .openapi({ description: 'The WebSocket endpoint with the ticket filled in; add `&topics=…`.' }),
  }),
  'RealtimeTicket',
  {
    object: 'realtime_ticket',
    ticket: TICKET_EXAMPLE,
    expires_at: '2026-12-07T13:01:00.000Z',
    stream_url: `https://api.memberkit.dev/v1/realtime?ticket=${TICKET_EXAMPLE}`,
    websocket_url: `wss://api.memberkit.dev/v1/realtime/ws?ticket=${TICKET_EXAMPLE}`,
  },
  {
    description:
      'A short-lived, single-use ticket that opens a real-time stream (browsers cannot send an Authorization header on `EventSource`). Bound to the tenant, to the credential that asked for it (a revoked session or key is refused) and to the page origin that asked for it.',
  },
);

const topics = z.string().max(4000).openapi({
  description:
    'Comma-separated topics: `members` (staff, member:read), `feed`, `feed.staff` (staff, feed:read), `presence` (members when the community shows presence to members; staff with member:read unless presence is off), `inbox` (staff, message:read), `me` (a member: their notifications, conversation list and unread counts; also as `member.<mem_id>`, their own id only), `conversation.<cnv_id>` (its participants; staff with message:read). An unknown topic is a 400, a refused one a 403 naming it, before the stream starts.',
  example: 'feed,me,conversation.cnv_01jdx3v4k7m9q2w8e5r6t0y1zc',
});
const ticket = z
  .string()
  .max(200)
  .openapi({ description: 'A ticket from `POST /v1/realtime/tickets` (single use).', example: TICKET_EXAMPLE });
const lastEventId = z.string().max(64).optional().openapi({
  description:
    'Resume after this event id (`<epoch>-<seq>`, the `id` of the last event received; the `Last-Event-ID` header does the same and wins). Without it the stream starts from now.',
  example: 'k3v9q0a7m2x8c1zt-42',
});

/** The stream's query. */
export const StreamQuery = z.object({ ticket, topics, last_event_id: lastEventId });
/** The stream's headers. */
export const StreamHeaders = z.object({
  'last-event-id': z.string().max(64).optional().openapi({
    description: 'Sent by `EventSource` when it reconnects: resume after this event.',
    example: 'k3v9q0a7m2x8c1zt-42',
  }),
});
