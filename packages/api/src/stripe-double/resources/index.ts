import type { Router } from '../router.js';
import type { WebhookSender } from '../webhook-sender.js';
import { registerAccounts } from './accounts.js';
import { registerCheckout } from './checkout.js';
import { registerCoupons } from './coupons.js';
import { registerInvoices } from './invoices.js';
import { registerRefunds } from './refunds.js';
import { registerSetupIntents } from './setup-intents.js';
import { registerSubscriptions } from './subscriptions.js';
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
  registerCoupons(router);
  registerCheckout(router);
  registerSetupIntents(router);
  registerSubscriptions(router);
  registerInvoices(router);
  registerRefunds(router);
}
