import { createRouter } from '../../lib/create-router.js';
import { getPublicConfigHandler } from './public.handlers.js';
import { getPublicConfigRoute } from './public.routes.js';

/** `/v1/public/*`: what a tenant's site may read with its publishable key. */
export const publicRouter = createRouter().openapi(getPublicConfigRoute, getPublicConfigHandler);
