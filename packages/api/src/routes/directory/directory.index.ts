import { createRouter } from '../../lib/create-router.js';
import { listDirectoryHandler } from './directory.handlers.js';
import { listDirectoryRoute } from './directory.routes.js';

/** `/v1/directory`: the member directory a tenant may publish on its site. */
export const directoryRouter = createRouter().openapi(listDirectoryRoute, listDirectoryHandler);
