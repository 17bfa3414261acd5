import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { type BillingDeps, STRIPE_CLIENT_OPTIONS } from '../billing/billing-deps.js';
import { type Clock, systemClock } from '../lib/clock.js';
import { createPages } from './hosted-pages.js';
import { completeCheckoutSession } from './resources/checkout.js';
import { accountObject, completeOnboarding } from './resources/accounts.js';
import { createEvent } from './resources/events.js';
import { registerAll } from './resources/index.js';
import { createWebhookEndpoint } from './resources/webhook-endpoints.js';
import { runDueWork } from './renewals.js';
import { Router } from './router.js';
import { createRequestListener } from './server.js';
import { type AfterRetries, type DoubleState, doubleClock } from './state.js';
import { Store } from './store.js';
import type { TestPaymentMethod } from './resources/payment-methods.js';
import { type Delivery, type DeliveryMode, type FetchLike, WebhookSender } from './webhook-sender.js';

/** Options of {@link startStripeDouble}. */
export interface StripeDoubleOptions {
  /**
   * The double's time source. A manual clock (`createManualClock`) is moved by
   * `advanceTime`, so the app sharing it sees the same time; any other clock
   * gets an offset.
   */
  clock?: Clock;
  /** Port to listen on (default: a free one). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Days after a failed renewal charge on which it is retried (default [3, 5, 7]: Stripe's smart-retry spirit, simplified). */
  retryDays?: number[];
  /** What a subscription becomes when every retry failed (default `'cancel'`, Stripe's default setting). */
  afterRetries?: AfterRetries;
  /** Days before a renewal that `invoice.upcoming` is sent (default 7). */
  upcomingDays?: number;
}

/** The running Stripe test double: see SPEC.md "The Stripe test double". */
export interface StripeDouble {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** The platform account's id and secret key (Connect: requests with `Stripe-Account` act for connected accounts). */
  readonly platformAccountId: string;
  readonly platformSecretKey: string;
  /** A real `Stripe` SDK instance pointed at the double (default: the platform key). */
  client(secretKey?: string): Stripe;
  /**
   * `BillingDeps` for `createTestContext({ billing })` / `createApp`. The first call per
   * base URL creates the platform's Connect webhook endpoint at
   * `<webhookBaseUrl><connectWebhookPath>`; `platform.webhookSecret` is its signing secret.
   */
  billingDeps(options?: { webhookBaseUrl?: string; connectWebhookPath?: string }): BillingDeps;
  /** A standalone Stripe account for direct mode: its id and secret key (`sk_test_…`). */
  createDirectAccount(options?: { email?: string; country?: string; defaultCurrency?: string }): {
    accountId: string;
    secretKey: string;
  };
  /** Finishes a connected account's onboarding (charges/payouts enabled, `account.updated`). */
  completeOnboarding(accountId: string): Promise<void>;
  webhooks: {
    /** Deliver into `fetchLike` (e.g. `(req) => t.app.request(req)`) instead of real HTTP; null restores HTTP. */
    deliverTo(fetchLike: FetchLike | null): void;
    /** `duplicate`: copies of each delivery; `hold`: keep until `flush()`; `shuffle`: hold and send in random order. */
    mode(mode: DeliveryMode): void;
    /** Delivers everything held and waits until every delivery under way has been answered. */
    flush(): Promise<void>;
    /** Loses the next `n` deliveries. */
    drop(n: number): void;
    /** Every delivery made or dropped. */
    readonly sent: readonly Delivery[];
    /** Waits for deliveries under way (held ones stay held). */
    idle(): Promise<void>;
    /** Re-sends every event whose last delivery failed (unreachable or not 2xx), like Stripe's retries. */
    redeliver(): Promise<void>;
  };
  /**
   * Pays an open Checkout Session as the hosted page does (default card `pm_card_visa`).
   * Waits for the webhooks it caused (unless held).
   * @throws when the session is not open, or the card is declined on a payment due now
   */
  completeCheckout(
    sessionId: string,
    options?: { paymentMethod?: TestPaymentMethod; promotionCode?: string },
  ): Promise<Stripe.Checkout.Session>;
  /**
   * Moves the double's clock by `seconds` and does what Stripe would have done in
   * that time, in order: trial ends, renewals (invoice, charge, `past_due`, retries,
   * cancellation), `cancel_at_period_end`. Waits for the webhooks it caused (unless held).
   */
  advanceTime(seconds: number): Promise<void>;
  /** The double's current time. */
  now(): Date;
  close(): Promise<void>;
}

/**
 * Starts the stateful Stripe test double: an HTTP server speaking Stripe's API
 * (pinned version of the installed SDK) for what Memberkit uses, with hosted
 * checkout and invoice pages and signed webhooks.
 * @example
 * const stripe = await startStripeDouble({ clock });
 * const t = await createTestContext({ clock, billing: stripe.billingDeps() });
 * stripe.webhooks.deliverTo((req) => t.app.request(req));
 */
export async function startStripeDouble(options: StripeDoubleOptions = {}): Promise<StripeDouble> {
  const clock = doubleClock(options.clock ?? systemClock);
  const store = new Store();
  const platformKey = `sk_test_platform_${randomBytes(16).toString('hex')}`;
  const state: DoubleState = {
    store,
    url: '',
    platformAccountId: '',
    accounts: new Map(),
    keys: new Map(),
    now: () => state.processingAt ?? Math.floor(clock.nowMs() / 1000),
    processingAt: null,
    remindersSent: new Set(),
    upcomingDays: options.upcomingDays ?? 7,
    retryDays: options.retryDays ?? [3, 5, 7],
    afterRetries: options.afterRetries ?? 'cancel',
    firstFailure: new Map(),
    emit: (account, type, object, previous) => {
      const event = createEvent(state, account, type, object, previous);
      sender.enqueue(account, event);
      return event;
    },
  };
  const sender = new WebhookSender(state);
  const platform = accountObject(state, { business_profile: { name: 'Memberkit platform' }, type: 'standard' }, true);
  state.platformAccountId = platform.id;
  state.accounts.set(platform.id, { id: platform.id, platform: null, object: platform });
  state.keys.set(platformKey, platform.id);

  const router = new Router();
  registerAll(router, sender);
  const server = createServer(createRequestListener(state, router, createPages(state)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  state.url = `http://${host}:${address.port}`;

  const clients = new Map<string, Stripe>();
  const client = (secretKey = platformKey) => {
    let instance = clients.get(secretKey);
    if (!instance) {
      instance = new Stripe(secretKey, { ...STRIPE_CLIENT_OPTIONS, host, port: address.port, protocol: 'http' });
      clients.set(secretKey, instance);
    }
    return instance;
  };
  const connectSecrets = new Map<string, string>();

  return {
    url: state.url,
    platformAccountId: platform.id,
    platformSecretKey: platformKey,
    client,
    billingDeps({ webhookBaseUrl = 'http://api.memberkit.test', connectWebhookPath = '/v1/webhooks/stripe' } = {}) {
      const url = `${webhookBaseUrl.replace(/\/$/, '')}${connectWebhookPath}`;
      let secret = connectSecrets.get(url);
      if (!secret) {
        secret = createWebhookEndpoint(state, sender, platform.id, { url, enabled_events: ['*'], connect: 'true' })
          .secret as string;
        connectSecrets.set(url, secret);
      }
      return { stripe: client, platform: { secretKey: platformKey, webhookSecret: secret }, webhookBaseUrl };
    },
    createDirectAccount({ email, country, defaultCurrency } = {}) {
      const account = accountObject(
        state,
        { email, country, default_currency: defaultCurrency, type: 'standard', business_profile: { name: email } },
        true,
      );
      state.accounts.set(account.id, { id: account.id, platform: null, object: account });
      const secretKey = `sk_test_direct_${randomBytes(16).toString('hex')}`;
      state.keys.set(secretKey, account.id);
      return { accountId: account.id, secretKey };
    },
    async completeOnboarding(accountId) {
      completeOnboarding(state, accountId);
      await sender.idle();
    },
    webhooks: {
      deliverTo: (fetchLike) => sender.deliverTo(fetchLike),
      mode: (mode) => sender.mode(mode),
      flush: () => sender.flush(),
      drop: (n) => sender.drop(n),
      get sent() {
        return sender.sent;
      },
      idle: () => sender.idle(),
      redeliver: () => sender.redeliver(),
    },
    async completeCheckout(sessionId, { paymentMethod = 'pm_card_visa', promotionCode } = {}) {
      const owner = store.accountOf(sessionId);
      if (!owner) throw new Error(`No such checkout session: ${sessionId}`);
      const session = completeCheckoutSession(state, owner, sessionId, paymentMethod, promotionCode);
      await sender.idle();
      const { __line_items: _items, __subscription_data: _data, ...visible } = structuredClone(session);
      return visible as unknown as Stripe.Checkout.Session;
    },
    async advanceTime(seconds) {
      clock.advance(seconds * 1000);
      runDueWork(state);
      await sender.idle();
    },
    now: () => new Date(clock.nowMs()),
    async close() {
      await sender.idle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
