import { createRouter } from '../../lib/create-router.js';

/** Stream tickets, the SSE stream (`GET /v1/realtime`) and the WebSocket (`GET /v1/realtime/ws`). */
export const realtimeRouter = createRouter();
