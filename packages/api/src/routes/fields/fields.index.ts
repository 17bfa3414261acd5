import { createRouter } from '../../lib/create-router.js';
import { listCustomFieldsHandler, replaceCustomFieldsHandler } from './fields.handlers.js';
import { listCustomFieldsRoute, replaceCustomFieldsRoute } from './fields.routes.js';

/** `/v1/tenant/fields`: the custom fields the tenant defines for its members, replaced as a whole. */
export const fieldsRouter = createRouter()
  .openapi(listCustomFieldsRoute, listCustomFieldsHandler)
  .openapi(replaceCustomFieldsRoute, replaceCustomFieldsHandler);
