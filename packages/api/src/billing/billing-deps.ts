import type Stripe from 'stripe';
import type { AppDeps } from '../deps.js';
import type { ServiceDeps } from '../services/service-deps.js';

/**
 * How the API reaches Stripe. Injected (like the database and the mailer): tests
 * and `npm start`'s offline demo point it at the Stripe test double, production
 * at api.stripe.com.
 */
export interface BillingDeps {
  /** A Stripe client for `secretKey` (the platform's key, or a direct-mode tenant's). */
  stripe(secretKey: string): Stripe;
  /**
   * Connect mode's platform credentials: the platform secret key (requests for a
   * tenant carry `Stripe-Account`) and the signing secret of the platform's
   * Connect webhook endpoint. Null: only direct mode is available.
   */
  platform: { secretKey: string; webhookSecret: string } | null;
  /**
   * Public base URL Stripe delivers webhooks to (direct mode creates an endpoint
   * at `<base>/v1/webhooks/stripe/<tenant id>`).
   */
  webhookBaseUrl: string;
}

/** Options every Stripe client gets: an explicit API version, retries on network errors and 409s, a bounded wait. */
export const STRIPE_CLIENT_OPTIONS = {
  maxNetworkRetries: 2,
  timeout: 20_000,
  appInfo: { name: 'Memberkit' },
} as const satisfies Stripe.StripeConfig;

/** What billing services need: the database, time, ids, Stripe access and the master key's secret box. */
export type BillingServiceDeps = ServiceDeps & Pick<AppDeps, 'billing' | 'secretBox' | 'logger'>;
