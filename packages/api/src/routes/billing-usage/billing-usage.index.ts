import { createRouter } from '../../lib/create-router.js';
import {
  archiveFeatureHandler,
  createFeatureHandler,
  deleteMeteredPriceHandler,
  getFeatureHandler,
  listFeaturesHandler,
  listMeteredPricesHandler,
  myUsageHandler,
  putMeteredPriceHandler,
  recordUsageHandler,
  updateFeatureHandler,
} from './billing-usage.handlers.js';
import {
  archiveFeatureRoute,
  createFeatureRoute,
  deleteMeteredPriceRoute,
  getFeatureRoute,
  listFeaturesRoute,
  listMeteredPricesRoute,
  myUsageRoute,
  putMeteredPriceRoute,
  recordUsageRoute,
  updateFeatureRoute,
} from './billing-usage.routes.js';

/** Metered features, their tier prices, `POST /v1/usage` and the member's usage this period. */
export const billingUsageRouter = createRouter()
  .openapi(createFeatureRoute, createFeatureHandler)
  .openapi(listFeaturesRoute, listFeaturesHandler)
  .openapi(getFeatureRoute, getFeatureHandler)
  .openapi(updateFeatureRoute, updateFeatureHandler)
  .openapi(archiveFeatureRoute, archiveFeatureHandler)
  .openapi(listMeteredPricesRoute, listMeteredPricesHandler)
  .openapi(putMeteredPriceRoute, putMeteredPriceHandler)
  .openapi(deleteMeteredPriceRoute, deleteMeteredPriceHandler)
  .openapi(recordUsageRoute, recordUsageHandler)
  .openapi(myUsageRoute, myUsageHandler);
