import type { Router } from '../router.js';
import type { WebhookSender } from '../webhook-sender.js';
import { registerAccounts } from './accounts.js';
import { registerCustomers } from './customers.js';
import { registerEvents } from './events.js';
import { registerMeters } from './meters.js';
import { registerPaymentMethods } from './payment-methods.js';
import { registerPrices } from './prices.js';
import { registerProducts } from './products.js';
import { registerWebhookEndpoints } from './webhook-endpoints.js';

/** Every API resource the double serves. */
export function registerAll(router: Router, sender: WebhookSender): void {
  registerAccounts(router);
  registerProducts(router);
  registerPrices(router);
  registerCustomers(router);
  registerPaymentMethods(router);
  registerWebhookEndpoints(router, sender);
  registerEvents(router);
  registerMeters(router);
}
