import Stripe from 'stripe';
import { type BillingDeps, STRIPE_CLIENT_OPTIONS } from '../billing/billing-deps.js';
import type { Logger } from '../lib/logger.js';
import type { StripeDouble } from '../stripe-double/double.js';
import type { StripeConfig } from './config.js';

/** How this process reaches Stripe, and what the banner says about it. */
export interface ProcessBilling {
  /** Null in production without a key: billing endpoints answer 503 rather than sell against a stand-in. */
  billing: BillingDeps | null;
  /** The offline test double when no key is configured (stopped with the process). */
  double: StripeDouble | null;
  /** One line for the banner. */
  label: string;
}

/**
 * `BillingDeps` on a real Stripe key: one client per key (the platform's, or a
 * direct-mode tenant's), talking to api.stripe.com or to `apiBase`.
 */
export function createStripeBillingDeps(config: StripeConfig & { secretKey: string }, publicUrl: string): BillingDeps {
  const host = config.apiBase
    ? {
        host: config.apiBase.hostname,
        protocol: config.apiBase.protocol === 'http:' ? ('http' as const) : ('https' as const),
        ...(config.apiBase.port ? { port: Number(config.apiBase.port) } : {}),
      }
    : {};
  const clients = new Map<string, Stripe>();
  return {
    stripe(secretKey) {
      let client = clients.get(secretKey);
      if (!client) {
        client = new Stripe(secretKey, { ...STRIPE_CLIENT_OPTIONS, ...host });
        clients.set(secretKey, client);
      }
      return client;
    },
    // Without the Connect endpoint's secret no Connect event can be verified: they are refused until it is set.
    platform: { secretKey: config.secretKey, webhookSecret: config.webhookSecret ?? '' },
    webhookBaseUrl: publicUrl,
  };
}

/**
 * Billing of `npm start`: real Stripe with MEMBERKIT_STRIPE_SECRET_KEY, otherwise
 * the Stripe test double started on a free port, with a Connect webhook endpoint
 * delivering to this API (`<publicUrl>/v1/webhooks/stripe`). Loaded only then,
 * so a server with a key never loads the double.
 */
export async function openProcessBilling(
  config: StripeConfig,
  publicUrl: string,
  logger: Logger,
  options: { production?: boolean } = {},
): Promise<ProcessBilling> {
  if (config.secretKey) {
    if (!config.webhookSecret)
      logger.warn(
        'MEMBERKIT_STRIPE_WEBHOOK_SECRET is not set: Stripe Connect events cannot be verified and are refused.',
      );
    const where = config.apiBase ? config.apiBase.origin : 'api.stripe.com';
    return {
      billing: createStripeBillingDeps({ ...config, secretKey: config.secretKey }, publicUrl),
      double: null,
      label: `Stripe at ${where} (${config.secretKey.startsWith('sk_live_') ? 'live' : 'test'} mode, Connect)`,
    };
  }
  if (options.production) {
    logger.warn('MEMBERKIT_STRIPE_SECRET_KEY is not set: billing is off (its endpoints answer 503).');
    return { billing: null, double: null, label: 'off (set MEMBERKIT_STRIPE_SECRET_KEY to take payments)' };
  }
  const { startStripeDouble } = await import('../stripe-double/double.js');
  const double = await startStripeDouble();
  return {
    billing: double.billingDeps({ webhookBaseUrl: publicUrl }),
    double,
    label: `offline Stripe test double at ${double.url}   (no payments leave this machine; set MEMBERKIT_STRIPE_SECRET_KEY for Stripe)`,
  };
}
