import { createRouter } from '../../lib/create-router.js';
import {
  createTierHandler,
  deleteTierHandler,
  getTierHandler,
  listTiersHandler,
  updateTierHandler,
} from './tiers.handlers.js';
import { createTierRoute, deleteTierRoute, getTierRoute, listTiersRoute, updateTierRoute } from './tiers.routes.js';

/** `/v1/tiers`: the tenant's membership tiers. */
export const tiersRouter = createRouter()
  .openapi(createTierRoute, createTierHandler)
  .openapi(listTiersRoute, listTiersHandler)
  .openapi(getTierRoute, getTierHandler)
  .openapi(updateTierRoute, updateTierHandler)
  .openapi(deleteTierRoute, deleteTierHandler);
