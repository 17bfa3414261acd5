import { createRouter } from '../../lib/create-router.js';
import { createTicketHandler, streamHandler, websocketHandler } from './realtime.handlers.js';
import { createTicketRoute, streamRoute, websocketRoute } from './realtime.routes.js';

/** Stream tickets, the SSE stream (`GET /v1/realtime`) and the WebSocket (`GET /v1/realtime/ws`). */
export const realtimeRouter = createRouter()
  .openapi(createTicketRoute, createTicketHandler)
  .openapi(streamRoute, streamHandler)
  .openapi(websocketRoute, websocketHandler);
