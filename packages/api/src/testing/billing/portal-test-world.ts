import { and, eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { expect } from 'vitest';
import { applyInvoiceObject } from '../../billing/apply-invoice.js';
import { applySubscriptionObject } from '../../billing/apply-subscription.js';
import { billingCustomers, tierPrices } from '../../db/schema/index.js';
import { createManualClock } from '../../lib/clock.js';
import { drainStripeEvents } from '../../maintenance/billing-webhook-worker.js';
import {
  connectTestBilling,
  createTestContext,
  startStripeDouble,
  TEST_PASSWORD,
  type StripeDouble,
  type TestBillingOptions,
  type TestContext,
  type TestTenant,
} from '../index.js';

/** The member's site: the tenant allows it, so Checkout may return there. */
export const SITE = 'https://club.example.org';
export const RETURN = { success_url: `${SITE}/billing?paid=1`, cancel_url: `${SITE}/pricing` };

/**
 * The billing portal's world for a test file: the app and the Stripe double on one
 * manual clock, and helpers for tenants with billing, tiers with prices, members,
 * and for mirroring the double's state into the local tables (what the webhook
 * worker does) so the portal can be read back.
 */
export async function startPortalWorld() {
  const clock = createManualClock(new Date('2026-12-07T10:00:00.000Z'));
  const stripe = await startStripeDouble({ clock });
  const t = await createTestContext({ clock, billing: stripe.billingDeps() });
  // Stripe's webhooks reach the app in-process; `sync` drains the inbox they filled.
  stripe.webhooks.deliverTo((request) => t.app.request(request));

  /** A tenant with billing connected (Connect mode) and the site's origin allowed. */
  async function tenant(options: TestBillingOptions = {}) {
    const created = await t.createTenant();
    const patched = await t.request('PATCH', '/v1/tenant', {
      key: created.secret_key,
      body: { allowed_origins: [SITE] },
    });
    expect(patched.status).toBe(200);
    const accountId = await connectTestBilling(t, created, stripe, options);
    return { ...created, accountId };
  }

  /**
   * A tier with recurring prices (`{ month: 1500 }`), written as the tier editor
   * leaves them (Stripe Prices are created when first sold). No prices: a paid tier
   * without a price.
   */
  async function tier(
    owner: TestTenant,
    name: string,
    prices: Partial<Record<'month' | 'year', number>>,
    extra: Record<string, unknown> = {},
  ): Promise<string> {
    const interval = prices.month ? 'month' : prices.year ? 'year' : 'month';
    const amount = prices.month ?? prices.year ?? 1000;
    const res = await t.request('POST', '/v1/tiers', {
      key: owner.secret_key,
      body: { name, interval, price: { amount, currency: 'eur' }, ...extra },
    });
    expect(res.status).toBe(201);
    const tierId = res.body.id as string;
    await t.db.withTenant(owner.id, async (tx) => {
      // The tier editor may already have made prices from the tier's own price: set exactly these.
      await tx.delete(tierPrices).where(and(eq(tierPrices.tenantId, owner.id), eq(tierPrices.tierId, tierId)));
      for (const [every, value] of Object.entries(prices)) {
        await tx.insert(tierPrices).values({
          tenantId: owner.id,
          id: t.deps.ids.generate('tpr' as never),
          tierId,
          interval: every as 'month' | 'year',
          amount: value,
          currency: 'eur',
        });
      }
    });
    return tierId;
  }

  /** Stripe's client for the tenant's account (requests carry `Stripe-Account`). */
  const account = (accountId: string) => ({ stripeAccount: accountId });

  /** The member's Stripe customer id, or null. */
  async function customerOf(owner: TestTenant, memberId: string): Promise<string | null> {
    const [row] = await t.db.withTenant(owner.id, (tx) =>
      tx
        .select()
        .from(billingCustomers)
        .where(and(eq(billingCustomers.tenantId, owner.id), eq(billingCustomers.memberId, memberId))),
    );
    return row?.stripeCustomerId ?? null;
  }

  /**
   * Brings the local tables in step with the double: delivers Stripe's webhooks and
   * drains the event inbox (the webhook worker's job), then applies the member's
   * subscriptions and invoices as fetched now (what reconciliation does), so the
   * portal tests do not depend on event timing.
   */
  async function sync(owner: TestTenant & { accountId: string }, memberId: string): Promise<void> {
    await stripe.webhooks.idle();
    await drainStripeEvents(t.deps, { onlyTenants: [owner.id] });
    const customer = await customerOf(owner, memberId);
    if (!customer) return;
    const client = stripe.client();
    const subs = await client.subscriptions.list({ customer, status: 'all' }, account(owner.accountId));
    const observedAt = clock.now();
    for (const sub of subs.data) {
      await applySubscriptionObject(t.deps, owner.id, sub, {
        cause: `test:${sub.id}:${observedAt.getTime()}`,
        observedAt,
      });
    }
    const invoices = await client.invoices.list({ customer }, account(owner.accountId));
    for (const invoice of invoices.data) {
      await applyInvoiceObject(t.deps, owner.id, invoice, { cause: `test:${invoice.id}`, observedAt });
    }
  }

  /** Opens a checkout for `tierId` and pays it on the double; returns the session id. */
  async function subscribe(
    owner: TestTenant & { accountId: string },
    member: { access_token: string; [field: string]: unknown },
    tierId: string,
    interval: 'month' | 'year' = 'month',
  ): Promise<string> {
    const res = await t.request('POST', '/v1/me/billing/checkout', {
      key: member.access_token,
      body: { tier_id: tierId, interval, ...RETURN },
    });
    expect(res.status, res.text).toBe(200);
    const sessionId = sessionIdOf(res.body.url as string);
    await stripe.completeCheckout(sessionId);
    await sync(owner, (member.member as { id: string }).id);
    return sessionId;
  }

  /**
   * A new access token for the member (tokens live 10 minutes: tests that move the
   * clock further sign in again), as the member's browser would refresh.
   */
  async function signIn(owner: TestTenant, member: { email: string }): Promise<string> {
    const res = await t.request('POST', '/v1/auth/login', {
      key: owner.publishable_key,
      body: { email: member.email, password: TEST_PASSWORD },
    });
    expect(res.status, res.text).toBe(200);
    return res.body.access_token as string;
  }

  /** Counts of what exists in the tenant's Stripe account (to show a refused request created nothing). */
  async function stripeCounts(accountId: string) {
    const client = stripe.client();
    const [customers, sessions, subscriptions] = await Promise.all([
      client.customers.list({ limit: 100 }, account(accountId)),
      client.checkout.sessions.list({ limit: 100 }, account(accountId)),
      client.subscriptions.list({ limit: 100, status: 'all' }, account(accountId)),
    ]);
    return {
      customers: customers.data.length,
      sessions: sessions.data.length,
      subscriptions: subscriptions.data.length,
    };
  }

  async function close() {
    await t.close();
    await stripe.close();
  }

  return { t, stripe, clock, tenant, tier, sync, subscribe, signIn, customerOf, stripeCounts, account, close };
}

/** The Checkout Session id at the end of the double's hosted page URL. */
export function sessionIdOf(url: string): string {
  const id = new URL(url).pathname.split('/').pop();
  if (!id?.startsWith('cs_')) throw new Error(`not a checkout URL: ${url}`);
  return id;
}

export type PortalWorld = Awaited<ReturnType<typeof startPortalWorld>>;
export type { Stripe, StripeDouble, TestContext };
