import type Stripe from 'stripe';

/**
 * The events billing acts on (webhook processing: subscriptions, invoices and
 * payments, checkout, payment methods, refunds, customers). The direct-mode
 * endpoint subscribes to exactly these; the Connect endpoint of `npm start` too.
 */
export const BILLING_WEBHOOK_EVENTS = [
  'checkout.session.completed',
  'checkout.session.expired',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.resumed',
  'customer.subscription.trial_will_end',
  'customer.updated',
  'invoice.created',
  'invoice.finalized',
  'invoice.paid',
  'invoice.payment_failed',
  'invoice.payment_succeeded',
  'invoice.upcoming',
  'invoice.updated',
  'invoice.voided',
  'invoice.marked_uncollectible',
  'payment_method.attached',
  'payment_method.detached',
  'payment_method.updated',
  'payment_method.automatically_updated',
  'charge.refunded',
  'charge.refund.updated',
  'refund.created',
  'refund.updated',
  'refund.failed',
] as const satisfies readonly Stripe.WebhookEndpointCreateParams.EnabledEvent[];

/** Where Stripe delivers a direct-mode tenant's events (its own endpoint, verified with its own secret). */
export function directWebhookUrl(webhookBaseUrl: string, tenantId: string): string {
  return `${webhookBaseUrl.replace(/\/+$/, '')}/v1/webhooks/stripe/${tenantId}`;
}

/** Where Stripe delivers Connect events of every connected account (the platform's one endpoint). */
export function connectWebhookUrl(webhookBaseUrl: string): string {
  return `${webhookBaseUrl.replace(/\/+$/, '')}/v1/webhooks/stripe`;
}
